/**
 * @file loaded.c
 * @brief The record of the configuration radiusd has in force, written by the module after
 *	  each successful start or reload and read by `phonecert status`.
 *
 * Strict both ways: the writer refuses what it could not read back, and the reader refuses
 * anything the writer would not have written, because a record misread as "in force" is
 * exactly the silent failure it exists to reveal.
 */
#define _GNU_SOURCE	/* mkostemp: the temporary file must not leak into programs radiusd runs */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <phonecert/loaded.h>
#include <phonecert/timeval.h>

/** A record is five short lines and a path; anything bigger is not one. */
#define RECORD_MAX (PATH_MAX + 1024)

typedef enum {
	KEY_GENERATION = 0,
	KEY_DIGEST,
	KEY_LOADED_AT,
	KEY_PID,
	KEY_CONFIG,
	KEY_COUNT
} record_key_t;

static char const *const key_names[KEY_COUNT] = {
	[KEY_GENERATION] = "generation",
	[KEY_DIGEST] = "digest",
	[KEY_LOADED_AT] = "loaded_at",
	[KEY_PID] = "pid",
	[KEY_CONFIG] = "config",
};

static bool valid_digest(char const *digest)
{
	size_t i;

	for (i = 0; i < PC_CONFIG_DIGEST_SIZE - 1; i++) {
		if (!isdigit((unsigned char)digest[i]) && (digest[i] < 'a' || digest[i] > 'f')) return false;
	}
	return digest[i] == '\0';
}

/** A path the record can hold: the reader trims values and stops at control characters. */
static bool valid_config_path(char const *path)
{
	size_t len = strnlen(path, PATH_MAX), i;

	if (len == 0 || len == PATH_MAX) return false;
	if (isspace((unsigned char)path[0]) || isspace((unsigned char)path[len - 1])) return false;
	for (i = 0; i < len; i++) {
		if (iscntrl((unsigned char)path[i])) return false;
	}
	return true;
}

/** loaded_at as the record prints it, if it reads back as the same instant. */
static bool format_time(time_t when, char *buf, size_t buflen)
{
	time_t back;

	pc_time_format(when, buf, buflen);
	return pc_time_parse(buf, &back) && back == when;
}

int pc_config_digest(pc_config_t const *cfg, char out[PC_CONFIG_DIGEST_SIZE], pc_error_t *err)
{
	if (!cfg || !valid_digest(cfg->digest)) {
		pc_error_set(err, "%s: the configuration has no digest (not read by pc_config_load)",
			     (cfg && cfg->path) ? cfg->path : "(no configuration)");
		return -1;
	}
	memcpy(out, cfg->digest, PC_CONFIG_DIGEST_SIZE);
	return 0;
}

char *pc_loaded_path(TALLOC_CTX *ctx, char const *ca_path)
{
	size_t len = ca_path ? strlen(ca_path) : 0;

	if (len == 0) return NULL;
	return talloc_asprintf(ctx, "%s%s" PC_LOADED_NAME, ca_path, ca_path[len - 1] == '/' ? "" : "/");
}

static int record_check(char const *path, pc_loaded_t const *rec, char *when, size_t whenlen, pc_error_t *err)
{
	if (rec->generation == 0 || rec->generation > LONG_MAX) {
		pc_error_set(err, "%s: generation %lu is outside 1 to %ld", path, rec->generation, LONG_MAX);
		return -1;
	}
	if (!valid_digest(rec->digest)) {
		pc_error_set(err, "%s: digest is not 64 lower-case hex digits", path);
		return -1;
	}
	if (!format_time(rec->loaded_at, when, whenlen)) {
		pc_error_set(err, "%s: loaded_at %lld is outside 1970 to 9999", path, (long long)rec->loaded_at);
		return -1;
	}
	if (rec->pid <= 0 || rec->pid > INT_MAX) {
		pc_error_set(err, "%s: pid %ld is not a process id", path, rec->pid);
		return -1;
	}
	if (!valid_config_path(rec->config)) {
		pc_error_set(err, "%s: config path is empty, too long, or holds a control character or "
			     "leading or trailing space", path);
		return -1;
	}
	return 0;
}

static bool write_all(int fd, char const *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR) continue;
		if (n <= 0) return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

int pc_loaded_write(char const *path, pc_loaded_t const *rec, pc_error_t *err)
{
	char when[PC_TIME_STRLEN], text[RECORD_MAX], tmp[PATH_MAX];
	int fd, len;
	bool ok;

	if (record_check(path, rec, when, sizeof(when), err) < 0) return -1;
	len = snprintf(text, sizeof(text),
		       "# written by rlm_phonecert after each successful start and reload\n"
		       "%s = %lu\n%s = %s\n%s = %s\n%s = %ld\n%s = %s\n",
		       key_names[KEY_GENERATION], rec->generation, key_names[KEY_DIGEST], rec->digest,
		       key_names[KEY_LOADED_AT], when, key_names[KEY_PID], rec->pid,
		       key_names[KEY_CONFIG], rec->config);
	if (len < 0 || (size_t)len >= sizeof(text)) {
		pc_error_set(err, "%s: record too long", path);
		return -1;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= sizeof(tmp)) {
		pc_error_set(err, "%s: path too long", path);
		return -1;
	}

	/* The same directory, so that rename() replaces the record in one step. */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		pc_error_set(err, "%s: cannot write: %s", tmp, strerror(errno));
		return -1;
	}
	ok = fchmod(fd, 0644) == 0 && write_all(fd, text, (size_t)len) && fsync(fd) == 0;
	ok = (close(fd) == 0) && ok;
	if (!ok || rename(tmp, path) < 0) {
		pc_error_set(err, "%s: cannot write: %s", ok ? path : tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	/* The directory is not fsync'ed: a power cut that loses the rename also stops radiusd,
	 * whose next start writes the record again. */
	return 0;
}

/** The whole record file, NUL-terminated, into buf (RECORD_MAX + 1 bytes). */
static int record_slurp(char const *path, char *buf, size_t *len, pc_error_t *err)
{
	struct stat st;
	size_t n = 0;
	int fd;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) return PC_LOADED_NONE;
	if (fd < 0 || fstat(fd, &st) < 0) goto unreadable;
	if (!S_ISREG(st.st_mode)) {
		pc_error_set(err, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	while (n < RECORD_MAX + 1) {
		ssize_t got = read(fd, buf + n, RECORD_MAX + 1 - n);

		if (got < 0 && errno == EINTR) continue;
		if (got < 0) goto unreadable;
		if (got == 0) break;
		n += (size_t)got;
	}
	close(fd);
	if (n > RECORD_MAX) {
		pc_error_set(err, "%s: larger than %d bytes: not a phonecert record", path, RECORD_MAX);
		return -1;
	}
	buf[n] = '\0';
	*len = n;
	return 0;

unreadable:
	pc_error_set(err, "%s: cannot read: %s", path, strerror(errno));
	if (fd >= 0) close(fd);
	return -1;
}

/** Plain decimal digits, no sign or space, at most max. */
static bool parse_decimal(char const *text, unsigned long max, unsigned long *out)
{
	unsigned long value;
	char *end;

	if (!isdigit((unsigned char)text[0])) return false;
	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno != 0 || *end != '\0' || value > max) return false;
	*out = value;
	return true;
}

/** Store a value; false if it is not one the writer would have written. */
static bool record_set(record_key_t key, char const *value, pc_loaded_t *out)
{
	unsigned long number;

	switch (key) {
	case KEY_GENERATION:
		if (!parse_decimal(value, LONG_MAX, &number) || number == 0) return false;
		out->generation = number;
		return true;

	case KEY_DIGEST:
		if (!valid_digest(value)) return false;
		memcpy(out->digest, value, PC_CONFIG_DIGEST_SIZE);
		return true;

	case KEY_LOADED_AT:
		return pc_time_parse(value, &out->loaded_at);

	case KEY_PID:
		if (!parse_decimal(value, INT_MAX, &number) || number == 0) return false;
		out->pid = (long)number;
		return true;

	case KEY_CONFIG:
		if (!valid_config_path(value)) return false;
		strcpy(out->config, value);	/* valid_config_path: shorter than PATH_MAX */
		return true;

	case KEY_COUNT:
		break;
	}
	return false;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ') s++;
	end = s + strlen(s);
	while (end > s && end[-1] == ' ') *--end = '\0';
	return s;
}

static int record_line(char const *path, int line, char *text, int first[KEY_COUNT], pc_loaded_t *out,
		       pc_error_t *err)
{
	char *eq, *key, *value, *p;
	unsigned int k;

	if (text[0] == '\0' || text[0] == '#') return 0;
	for (p = text; *p; p++) {
		if (iscntrl((unsigned char)*p)) {
			pc_error_set(err, "%s:%d: control character 0x%02x", path, line, (unsigned char)*p);
			return -1;
		}
	}
	eq = strchr(text, '=');
	if (!eq) {
		pc_error_set(err, "%s:%d: expected 'key = value'", path, line);
		return -1;
	}
	*eq = '\0';
	key = trim(text);
	value = trim(eq + 1);
	for (k = 0; k < KEY_COUNT; k++) {
		if (strcmp(key, key_names[k]) == 0) break;
	}
	if (k == KEY_COUNT) {
		pc_error_set(err, "%s:%d: unknown key '%s'", path, line, key);
		return -1;
	}
	if (first[k]) {
		pc_error_set(err, "%s:%d: '%s' given twice (first at line %d)", path, line, key, first[k]);
		return -1;
	}
	first[k] = line;
	if (!record_set((record_key_t)k, value, out)) {
		pc_error_set(err, "%s:%d: %s: invalid value '%s'", path, line, key, value);
		return -1;
	}
	return 0;
}

static int record_parse(char const *path, char *text, size_t len, pc_loaded_t *out, pc_error_t *err)
{
	int first[KEY_COUNT] = { 0 }, line = 0;
	char *p = text, *end = text + len;
	unsigned int k;

	if (memchr(text, '\0', len)) {
		pc_error_set(err, "%s: contains a NUL byte: not a phonecert record", path);
		return -1;
	}
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		if (nl) *nl = '\0';
		if (record_line(path, ++line, p, first, out, err) < 0) return -1;
		p = nl ? nl + 1 : end;
	}
	for (k = 0; k < KEY_COUNT; k++) {
		if (!first[k]) {
			pc_error_set(err, "%s: missing '%s'", path, key_names[k]);
			return -1;
		}
	}
	return 0;
}

int pc_loaded_read(char const *path, pc_loaded_t *out, pc_error_t *err)
{
	char text[RECORD_MAX + 1];
	size_t len = 0;
	int rcode;

	memset(out, 0, sizeof(*out));
	rcode = record_slurp(path, text, &len, err);
	if (rcode == 0) rcode = record_parse(path, text, len, out, err);
	if (rcode != 0) memset(out, 0, sizeof(*out));
	return rcode;
}
