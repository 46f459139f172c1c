/**
 * @file cli.h
 * @brief What the phonecert command's files share: certificate loading, output, options.
 *
 * The command is a thin front end: every decision, classification and reason comes from
 * the core (libphonecert), exactly as the FreeRADIUS module calls it.  These files only
 * read certificates, call the core and print what it says.
 */
#ifndef PHONECERT_CLI_H
#define PHONECERT_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <talloc.h>
#include <openssl/x509.h>

#include <phonecert/config.h>
#include <phonecert/error.h>

#ifndef PHONECERT_VERSION
#  define PHONECERT_VERSION "0.1.0"
#endif

/** Exit statuses, the same for every subcommand. */
#define PC_CLI_EXIT_OK		0	//!< Accepted / nothing to warn about.
#define PC_CLI_EXIT_REFUSED	1	//!< A certificate was refused / warnings were printed.
#define PC_CLI_EXIT_ERROR	2	//!< Usage or input error.

/*
 *	Subcommands (argv[0] is the subcommand's name).
 */
int pc_cli_inspect(int argc, char **argv);
int pc_cli_check(int argc, char **argv);
int pc_cli_anchors(int argc, char **argv);
int pc_cli_reasons(int argc, char **argv);
int pc_cli_status(int argc, char **argv);
int pc_cli_disconnect(int argc, char **argv);
int pc_cli_rollover(int argc, char **argv);
int pc_cli_phones(int argc, char **argv);
int pc_cli_deny(int argc, char **argv);

/*
 *	certload.c: every certificate in a file, whatever its wrapping.
 */
typedef struct {
	X509		*cert;		//!< Owned by the set (freed with it).
	char const	*origin;	//!< "DER", "PEM block at line 12", "PKCS#7 certificate 2"...
} pc_cli_cert_t;

typedef struct {
	char const	*path;
	pc_cli_cert_t	*certs;		//!< In file order.
	unsigned int	count;		//!< At least 1.
	unsigned int	keys_skipped;	//!< Private key blocks seen next to the certificates.
} pc_cli_certs_t;

/**
 * Read PEM (also embedded in other text, as in CAPF trace logs), DER, or PKCS#7 (PEM or DER)
 * from path ("-" reads standard input).
 *
 * @return 0 with *out allocated under ctx (holding at least one certificate);
 *	   -1 with err = "PATH: reason" and nothing allocated.  The OpenSSL error queue is empty
 *	   on return either way.
 */
int pc_cli_certs_load(TALLOC_CTX *ctx, char const *path, pc_cli_certs_t **out, pc_error_t *err) PC_MUST_CHECK;

/*
 *	certinfo.c: readable views of certificate fields (display only, never decisions).
 */

/** The name in RFC 2253 form (escaped control and non-ASCII bytes), under ctx. */
char *pc_cli_name_rfc2253(TALLOC_CTX *ctx, X509_NAME const *name);

/** Bytes as upper-case hex pairs joined by ':' ("AB:CD"), under ctx; "" for len 0. */
char *pc_cli_hex_colon(TALLOC_CTX *ctx, unsigned char const *data, size_t len);

/** The SHA-256 fingerprint as "AB:CD:..", under ctx. */
char *pc_cli_fingerprint(TALLOC_CTX *ctx, X509 const *cert);

/** Lower-case hex ("a6d4...", the core's anchor form) re-written as "A6:D4:..", under ctx. */
char *pc_cli_hex_to_colon(TALLOC_CTX *ctx, char const *hex);

/** Key type ("RSA", "EC"), size in bits and curve ("prime256v1" or NULL). */
typedef struct {
	char const	*type;
	int		bits;
	char		curve[64];
} pc_cli_key_t;

void pc_cli_key_describe(X509 *cert, pc_cli_key_t *out);

/** Whether the signature's digest is SHA-1 or weaker (MD5...): refused at security level 2. */
bool pc_cli_signature_is_weak(int sig_nid);

/** The CN of the first "CN=" in a oneline name, or the whole name, under ctx. */
char *pc_cli_oneline_cn(TALLOC_CTX *ctx, char const *oneline);

/*
 *	output.c: JSON writing and terminal-safe text.
 */
#define PC_CLI_JSON_DEPTH 16

typedef struct {
	FILE		*fp;
	unsigned int	depth;
	bool		first[PC_CLI_JSON_DEPTH];	//!< No member written yet at this depth.
} pc_cli_json_t;

void pc_cli_json_init(pc_cli_json_t *js, FILE *fp);
/** Open an object ('{') or array ('['); key is NULL inside arrays and at the top. */
void pc_cli_json_open(pc_cli_json_t *js, char const *key, char bracket);
void pc_cli_json_close(pc_cli_json_t *js, char bracket);
/** A string member (NULL writes null).  Bytes are escaped: no raw control or non-ASCII byte. */
void pc_cli_json_str(pc_cli_json_t *js, char const *key, char const *value);
void pc_cli_json_strn(pc_cli_json_t *js, char const *key, char const *value, size_t len);
void pc_cli_json_int(pc_cli_json_t *js, char const *key, long long value);
void pc_cli_json_bool(pc_cli_json_t *js, char const *key, bool value);
void pc_cli_json_null(pc_cli_json_t *js, char const *key);
/** A time as "YYYY-MM-DDTHH:MM:SSZ", or null for 0. */
void pc_cli_json_time(pc_cli_json_t *js, char const *key, time_t when);
/** Ends the document with a newline. */
void pc_cli_json_finish(pc_cli_json_t *js);

/** Write bytes with control, DEL and non-ASCII bytes as \xHH (hostile names stay inert). */
void pc_cli_text_put(FILE *fp, char const *value, size_t len);

/** A cell of a text table: value escaped ("-" if NULL or ""), padded to width by its escaped
 *  length; a longer value pushes the rest of the line on rather than being cut. */
void pc_cli_text_cell(FILE *fp, char const *value, int width);

/** "  label          value\n", value escaped; NULL or "" prints "-". */
void pc_cli_text_field(FILE *fp, char const *label, char const *value);

/** Like pc_cli_text_field with printf formatting (the result is escaped). */
void pc_cli_text_fieldf(FILE *fp, char const *label, char const *fmt, ...) PC_PRINTF(3, 4);

/** A field whose long value is wrapped to the terminal width under the value column. */
void pc_cli_text_field_wrapped(FILE *fp, char const *label, char const *value);

/** Whole days from now until when, rounded towards minus infinity (-1: expired yesterday). */
long long pc_cli_days_left(time_t when, time_t now);

/*
 *	options.c: what several subcommands parse and load the same way.
 */

/** Parse --at (any form pc_time_parse accepts); prints the error itself. */
bool pc_cli_time_option(char const *text, time_t *out);

/** Load the module's configuration with pc_config_load; prints "phonecert: ..." on failure. */
pc_config_t *pc_cli_config_load(TALLOC_CTX *ctx, char const *path);

/** "phonecert CMD: MESSAGE (see 'phonecert CMD --help')" on stderr; returns PC_CLI_EXIT_ERROR. */
int pc_cli_usage_error(char const *cmd, char const *fmt, ...) PC_PRINTF(2, 3);

/** Report an option getopt_long refused (unknown, or missing its argument). */
int pc_cli_bad_option(char const *cmd, int argc, char **argv, int opt);

/** "phonecert: MESSAGE" on stderr, after draining the OpenSSL error queue. */
void pc_cli_error(char const *fmt, ...) PC_PRINTF(1, 2);

#endif
