/**
 * @file phonecert/loaded.h
 * @brief Which configuration radiusd has in force: the configuration digest and the record
 *	  the module leaves after each successful start or reload.
 *
 * FreeRADIUS ignores `radmin -e "hup phonecert"` within 2 s of the previous reload (and a
 * SIGHUP within 5 s), without a word to the admin.  An admin closing a rollover window must
 * see whether the edited configuration is the one in force: the module writes a small record
 * of what it loaded, and `phonecert status` compares it with the configuration on disk.
 *
 * The record is a text file, written whole under a temporary name and renamed over the old
 * one (readers never see half of it), mode 0644, one "key = value" per line, written so:
 *
 *	# written by rlm_phonecert after each successful start and reload
 *	generation = 7
 *	digest = 3f2a...(64 lower-case hex digits)
 *	loaded_at = 2026-11-23T18:00:00Z
 *	pid = 1234
 *	config = /etc/freeradius/3.0/phonecert/phonecert.conf
 *
 * Lines starting with '#' and empty lines are ignored; every key is required, once.
 */
#ifndef PHONECERT_LOADED_H
#define PHONECERT_LOADED_H

#include <limits.h>
#include <time.h>
#include <talloc.h>

#include <phonecert/config.h>
#include <phonecert/error.h>

/** The record's name inside the module's ca_path (see pc_loaded_path). */
#define PC_LOADED_NAME ".phonecert-loaded"

/** pc_loaded_read's result when there is no record at all. */
#define PC_LOADED_NONE 1

/** What radiusd loaded, and when. */
typedef struct {
	unsigned long	generation;			//!< 1 for the start, then +1 per successful reload
							//!< of this radiusd (a restart counts from 1 again);
							//!< at most LONG_MAX.
	char		digest[PC_CONFIG_DIGEST_SIZE];	//!< pc_config_digest() of what was loaded.
	time_t		loaded_at;			//!< When the load finished (whole seconds, UTC).
	long		pid;				//!< radiusd's process id.
	char		config[PATH_MAX];		//!< The configuration file, as the module names it.
} pc_loaded_t;

/**
 * The digest of what cfg makes the module do: SHA-256, lower-case hex, over the
 * configuration file's bytes exactly as read and, for each anchor in load order, its name
 * and its certificate's SHA-256 fingerprint.  Equal digests mean the same policy and the
 * same anchor certificates; replacing a .pem in place changes the digest although
 * phonecert.conf does not change.  Exactly, the SHA-256 of
 *
 *	"phonecert-config-v1\n" "text " <length in decimal> "\n" <the bytes> "\n"
 *	then per anchor: "anchor " <name> " " <fingerprint, lower-case hex> "\n"
 *	then per anchor with a CRL: "crl " <name> " " <SHA-256 of the CRL file's bytes> "\n"
 *	then, with a deny-list: "deny " <SHA-256 of the deny file's bytes> "\n"
 *
 * (the last two only when present, so a configuration without them keeps its digest)
 * (a module and a CLI of different versions must agree on it).  Computed by pc_config_load
 * and pc_config_parse while they still have the text (it is cfg->digest); this copies it.
 *
 * @return 0 with out set; -1 (err set) if cfg was not made by pc_config_parse.
 */
int pc_config_digest(pc_config_t const *cfg, char out[PC_CONFIG_DIGEST_SIZE], pc_error_t *err) PC_MUST_CHECK;

/**
 * ca_path/.phonecert-loaded, under ctx (NULL if out of memory or ca_path is empty).
 *
 * The module writes its record there because ca_path (the hashed CA directory it already
 * owns) is writable by radiusd; OpenSSL only reads "<hash>.<n>" names from it and
 * pc_cadir_audit skips dot files.  Two constraints on the writer, both from the module's
 * load sequence:
 *  - write the record after pc_cadir_sync (and after everything else that can fail), never
 *    before: a failed load must leave the previous record;
 *  - writing it changes the directory's modification time, which FreeRADIUS watches: write
 *    it before the module gives ca_path its old modification time back.
 * A write that fails leaves the previous record, whose digest is not the new configuration's:
 * `phonecert status` then says "NOT loaded yet", never that the new configuration is in force.
 */
char *pc_loaded_path(TALLOC_CTX *ctx, char const *ca_path);

/**
 * Write rec to path atomically: a temporary file in the same directory ("PATH.XXXXXX"),
 * written, fsync'ed, mode 0644, then renamed over path.  Refuses (err set, path untouched)
 * what could not be read back: a generation outside 1 to LONG_MAX, a digest that is not 64
 * lower-case hex digits, a pid outside 1 to INT_MAX, a loaded_at that does not print as a
 * time pc_time_parse reads (1970 to 9999), and a config path that is empty or holds a
 * control character or a leading or trailing space.
 */
int pc_loaded_write(char const *path, pc_loaded_t const *rec, pc_error_t *err) PC_MUST_CHECK;

/**
 * Read and check a record strictly: an unknown key, a key given twice, a missing key, a
 * number that is not plain decimal or is out of range (generation 1 to LONG_MAX, pid 1 to
 * INT_MAX), a malformed digest or time, a NUL byte or a control character are errors
 * "PATH:LINE: reason" (or "PATH: reason").  Only a regular file is read (a FIFO would block).
 *
 * @return 0 with *out filled; PC_LOADED_NONE if path (or its directory) does not exist;
 *	   -1 with err set.  *out is zeroed unless 0 is returned.
 */
int pc_loaded_read(char const *path, pc_loaded_t *out, pc_error_t *err) PC_MUST_CHECK;

#endif
