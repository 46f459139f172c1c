/**
 * @file test_loaded.c
 * @brief The configuration digest and the loaded-state record that `phonecert status` reads:
 *	  what changes the digest and what does not, the record's round trip, its atomic
 *	  replacement, and every refusal naming the file and line.
 */
#include "unit.h"

#include <limits.h>
#include <signal.h>

#include <openssl/evp.h>

#include <phonecert/config.h>
#include <phonecert/loaded.h>
#include <phonecert/trust.h>

#define DIGEST_A "3f2a000000000000000000000000000000000000000000000000000000000001"

/** A scratch directory with capf.pem (a copy of PKI_DIR/CERT.crt) and phonecert.conf naming it. */
static char *anchor_dir(TALLOC_CTX *ctx, char const *cert, char const *conf)
{
	char *dir = unit_tmpdir(ctx);
	size_t len;
	unsigned char *pem = unit_read_file(ctx, unit_pki_path(ctx, talloc_asprintf(ctx, "%s.crt", cert)), &len);

	unit_write_file(ctx, dir, "capf.pem", pem, len);
	unit_write_text(ctx, dir, "phonecert.conf", conf);
	return dir;
}

/** The digest of dir/phonecert.conf as pc_config_load and pc_config_digest give it, under ctx. */
static char *digest_of(TALLOC_CTX *ctx, char const *dir)
{
	pc_config_t *cfg = NULL;
	pc_error_t err = { .msg = "" };
	char digest[PC_CONFIG_DIGEST_SIZE];
	char *path = talloc_asprintf(ctx, "%s/phonecert.conf", dir);

	if (pc_config_load(ctx, path, &cfg, &err) != 0) fail_msg("%s", err.msg);
	assert_int_equal(pc_config_digest(cfg, digest, &err), 0);
	talloc_free(cfg);
	return talloc_strdup(ctx, digest);
}

static char const conf_rel[] = "[policy]\nmic = deny\n\n[anchor capf-hq]\nrole = lsc\nfile = capf.pem\n";

/* The same file gives the same digest, whether loaded or parsed from memory; 64 lower-case hex. */
static void test_digest_stable(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = anchor_dir(ctx, "capf-a", conf_rel);
	char *first = digest_of(ctx, dir), *path = talloc_asprintf(ctx, "%s/phonecert.conf", dir);
	pc_config_t *cfg = NULL;
	pc_error_t err = { .msg = "" };
	size_t i;

	assert_int_equal(strlen(first), 64);
	for (i = 0; i < 64; i++) assert_non_null(strchr("0123456789abcdef", first[i]));
	assert_string_equal(digest_of(ctx, dir), first);

	assert_int_equal(pc_config_parse(ctx, path, conf_rel, strlen(conf_rel), &cfg, &err), 0);
	assert_string_equal(cfg->digest, first);
}

/*
 * The digest is SHA-256 over exactly the documented description: the module and an older or
 * newer CLI must agree on it, or every status after an upgrade would say "NOT loaded".
 */
static void test_digest_definition(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = anchor_dir(ctx, "capf-a", conf_rel);
	char *described, *expected = talloc_strdup(ctx, "");
	pc_config_t *cfg = NULL;
	pc_error_t err = { .msg = "" };
	unsigned char sum[EVP_MAX_MD_SIZE];
	unsigned int sumlen = 0, i;

	if (pc_config_load(ctx, talloc_asprintf(ctx, "%s/phonecert.conf", dir), &cfg, &err) != 0) fail_msg("%s", err.msg);
	described = talloc_asprintf(ctx, "phonecert-config-v1\ntext %zu\n%s\nanchor capf-hq %s\n", strlen(conf_rel),
				    conf_rel, pc_trust_anchor(cfg->trust, 0)->fingerprint);
	assert_int_equal(EVP_Digest(described, strlen(described), sum, &sumlen, EVP_sha256(), NULL), 1);
	for (i = 0; i < sumlen; i++) expected = talloc_asprintf_append(expected, "%02x", sum[i]);
	assert_string_equal(cfg->digest, expected);
}

/* Any change of the text changes the digest, even one that changes nothing else (a comment). */
static void test_digest_text_changes(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = anchor_dir(ctx, "capf-a", conf_rel);
	char *before = digest_of(ctx, dir);

	unit_write_text(ctx, dir, "phonecert.conf",
			"[policy]\nmic = allow\n\n[anchor capf-hq]\nrole = lsc\nfile = capf.pem\n");
	assert_string_not_equal(digest_of(ctx, dir), before);
	unit_write_text(ctx, dir, "phonecert.conf", talloc_asprintf(ctx, "%s# closed the window\n", conf_rel));
	assert_string_not_equal(digest_of(ctx, dir), before);
	unit_write_text(ctx, dir, "phonecert.conf", conf_rel);
	assert_string_equal(digest_of(ctx, dir), before);
}

/*
 * A .pem replaced in place (a regenerated CAPF under the old file name) is another
 * configuration though phonecert.conf is unchanged; the same certificate in DER is not.
 */
static void test_digest_anchor_changes(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = anchor_dir(ctx, "capf-a", conf_rel);
	char *before = digest_of(ctx, dir), *after;
	size_t len;
	unsigned char *pem = unit_read_file(ctx, unit_pki_path(ctx, "capf-b.crt"), &len), *der = NULL;
	X509 *cert;
	int n;

	unit_write_file(ctx, dir, "capf.pem", pem, len);
	after = digest_of(ctx, dir);
	assert_string_not_equal(after, before);

	cert = unit_cert("capf-b");
	n = i2d_X509(cert, &der);
	assert_true(n > 0);
	unit_write_file(ctx, dir, "capf.pem", der, (size_t)n);
	OPENSSL_free(der);
	X509_free(cert);
	assert_string_equal(digest_of(ctx, dir), after);
}

/* The anchors' names and their order are part of what the module does (its log and replies). */
static void test_digest_anchor_names(void **state)
{
	TALLOC_CTX *ctx = *state;
	char const *a = "[anchor x]\nrole = lsc\nfile = @PKI@/capf-a.crt\n";
	char const *b = "[anchor y]\nrole = lsc\nfile = @PKI@/capf-a.crt\n";
	pc_config_t *ca = unit_config(ctx, a), *cb = unit_config(ctx, b);

	assert_string_not_equal(ca->digest, cb->digest);
}

/* A configuration not made by the parser has no digest: refused, never an empty match. */
static void test_digest_missing(void **state)
{
	TALLOC_CTX *ctx = *state;
	pc_config_t *cfg = talloc_zero(ctx, pc_config_t);
	pc_error_t err = { .msg = "" };
	char digest[PC_CONFIG_DIGEST_SIZE];

	cfg->path = "hand-made.conf";
	assert_int_equal(pc_config_digest(cfg, digest, &err), -1);
	assert_contains(err.msg, "hand-made.conf: the configuration has no digest");
	assert_int_equal(pc_config_digest(NULL, digest, &err), -1);
}

static void test_loaded_path(void **state)
{
	TALLOC_CTX *ctx = *state;

	assert_string_equal(pc_loaded_path(ctx, "/etc/freeradius/3.0/phonecert/ca.d"),
			    "/etc/freeradius/3.0/phonecert/ca.d/.phonecert-loaded");
	assert_string_equal(pc_loaded_path(ctx, "ca.d/"), "ca.d/.phonecert-loaded");
	assert_string_equal(pc_loaded_path(ctx, "/"), "/.phonecert-loaded");
	assert_null(pc_loaded_path(ctx, ""));
	assert_null(pc_loaded_path(ctx, NULL));
}

static pc_loaded_t sample(void)
{
	pc_loaded_t rec;

	memset(&rec, 0, sizeof(rec));
	rec.generation = 7;
	memcpy(rec.digest, DIGEST_A, sizeof(rec.digest));
	rec.loaded_at = 1795456800;	/* 2026-11-23T18:00:00Z */
	rec.pid = 1234;
	strcpy(rec.config, "/etc/freeradius/3.0/phonecert/phonecert.conf");
	return rec;
}

/** Names in dir, sorted and joined by spaces, under ctx. */
static char *dir_names(TALLOC_CTX *ctx, char const *dir)
{
	struct dirent **list;
	char *out = talloc_strdup(ctx, "");
	int n, i;

	n = scandir(dir, &list, NULL, alphasort);
	if (n < 0) fail_msg("scandir(%s): %s", dir, strerror(errno));
	for (i = 0; i < n; i++) {
		if (strcmp(list[i]->d_name, ".") != 0 && strcmp(list[i]->d_name, "..") != 0) {
			out = talloc_asprintf_append(out, "%s%s", *out ? " " : "", list[i]->d_name);
		}
		free(list[i]);
	}
	free(list);
	assert_non_null(out);
	return out;
}

/* What is written reads back the same, in the documented text, mode 0644 whatever the umask. */
static void test_loaded_round_trip(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = unit_tmpdir(ctx), *path = pc_loaded_path(ctx, dir);
	pc_loaded_t rec = sample(), back;
	pc_error_t err = { .msg = "" };
	struct stat st;
	mode_t mask;
	size_t len;
	int rcode;

	mask = umask(077);
	rcode = pc_loaded_write(path, &rec, &err);
	umask(mask);
	if (rcode != 0) fail_msg("%s", err.msg);
	assert_string_equal((char *)unit_read_file(ctx, path, &len),
		"# written by rlm_phonecert after each successful start and reload\n"
		"generation = 7\n"
		"digest = " DIGEST_A "\n"
		"loaded_at = 2026-11-23T18:00:00Z\n"
		"pid = 1234\n"
		"config = /etc/freeradius/3.0/phonecert/phonecert.conf\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);

	memset(&back, 0xa5, sizeof(back));
	if (pc_loaded_read(path, &back, &err) != 0) fail_msg("%s", err.msg);
	assert_int_equal(back.generation, 7);
	assert_string_equal(back.digest, DIGEST_A);
	assert_int_equal(back.loaded_at, 1795456800);
	assert_int_equal(back.pid, 1234);
	assert_string_equal(back.config, rec.config);

	/* A path with spaces and non-ASCII bytes, and the largest values. */
	rec.generation = LONG_MAX;
	rec.pid = INT_MAX;
	strcpy(rec.config, "/srv/radius conf/phon\xc3\xa9" "cert.conf");
	if (pc_loaded_write(path, &rec, &err) != 0) fail_msg("%s", err.msg);
	if (pc_loaded_read(path, &back, &err) != 0) fail_msg("%s", err.msg);
	assert_true(back.generation == LONG_MAX);
	assert_int_equal(back.pid, INT_MAX);
	assert_string_equal(back.config, rec.config);
}

/* A reader sees the old record or the new one, never a mix: nothing is left beside it. */
static void test_loaded_atomic(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = unit_tmpdir(ctx), *path = pc_loaded_path(ctx, dir), *sub;
	pc_loaded_t rec = sample(), back;
	pc_error_t err = { .msg = "" };
	unsigned long i;

	for (i = 1; i <= 5; i++) {
		rec.generation = i;
		if (pc_loaded_write(path, &rec, &err) != 0) fail_msg("%s", err.msg);
		assert_string_equal(dir_names(ctx, dir), ".phonecert-loaded");
	}
	assert_int_equal(pc_loaded_read(path, &back, &err), 0);
	assert_int_equal(back.generation, 5);

	/* A refused record leaves the previous one as it was. */
	rec.pid = 0;
	assert_int_equal(pc_loaded_write(path, &rec, &err), -1);
	assert_contains(err.msg, talloc_asprintf(ctx, "%s: pid 0 is not a process id", path));
	assert_string_equal(dir_names(ctx, dir), ".phonecert-loaded");
	assert_int_equal(pc_loaded_read(path, &back, &err), 0);
	assert_int_equal(back.generation, 5);

	/* A rename that fails (a directory in the way) removes the temporary file. */
	rec = sample();
	sub = talloc_asprintf(ctx, "%s/sub", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	unit_write_text(ctx, sub, "keep", "x");
	assert_int_equal(pc_loaded_write(sub, &rec, &err), -1);
	assert_contains(err.msg, talloc_asprintf(ctx, "%s: cannot write: ", sub));
	assert_string_equal(dir_names(ctx, dir), ".phonecert-loaded sub");

	/* No directory to write in. */
	path = talloc_asprintf(ctx, "%s/missing/.phonecert-loaded", dir);
	assert_int_equal(pc_loaded_write(path, &rec, &err), -1);
	assert_contains(err.msg, "/missing/.phonecert-loaded.");
	assert_contains(err.msg, ": cannot write: No such file or directory");
}

/* The writer refuses what could not be read back. */
static void test_loaded_write_refusals(void **state)
{
	static struct {
		char const	*what;
		int		field;		/* 0 generation, 1 digest, 2 loaded_at, 3 pid, 4 config */
		char const	*text;
		long long	number;
		char const	*reason;
	} const cases[] = {
		{ "generation 0", 0, NULL, 0, "generation 0 is outside 1 to " },
		{ "generation beyond long", 0, NULL, -1, "is outside 1 to " },
		{ "upper-case digest", 1, "3F2A000000000000000000000000000000000000000000000000000000000001", 0, "digest is not" },
		{ "short digest", 1, "3f2a", 0, "digest is not" },
		{ "time before 1970", 2, NULL, -1, "loaded_at -1 is outside 1970 to 9999" },
		{ "time after 9999", 2, NULL, 253402300800LL, "is outside 1970 to 9999" },
		{ "negative pid", 3, NULL, -5, "pid -5 is not a process id" },
		{ "pid beyond int", 3, NULL, (long long)INT_MAX + 1, "is not a process id" },
		{ "empty config", 4, "", 0, "config path is empty" },
		{ "newline in config", 4, "/etc/a\nb.conf", 0, "config path" },
		{ "leading space", 4, " /etc/a.conf", 0, "config path" },
		{ "trailing space", 4, "/etc/a.conf ", 0, "config path" },
	};
	TALLOC_CTX *ctx = *state;
	char *dir = unit_tmpdir(ctx), *path = pc_loaded_path(ctx, dir);
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		pc_loaded_t rec = sample();
		pc_error_t err = { .msg = "" };

		switch (cases[i].field) {
		case 0: rec.generation = (unsigned long)cases[i].number; break;
		case 1: strcpy(rec.digest, cases[i].text); break;
		case 2: rec.loaded_at = (time_t)cases[i].number; break;
		case 3: rec.pid = (long)cases[i].number; break;
		case 4: strcpy(rec.config, cases[i].text); break;
		default: fail();
		}
		if (pc_loaded_write(path, &rec, &err) == 0) fail_msg("%s: written", cases[i].what);
		if (strncmp(err.msg, path, strlen(path)) != 0 || !strstr(err.msg, cases[i].reason)) {
			fail_msg("%s: message \"%s\" lacks \"%s\"", cases[i].what, err.msg, cases[i].reason);
		}
	}
	assert_string_equal(dir_names(ctx, dir), "");
}

/* No record: radiusd never loaded phonecert with this ca_path.  Not an error, not a record. */
static void test_loaded_none(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = unit_tmpdir(ctx);
	pc_loaded_t back;
	pc_error_t err = { .msg = "" };

	memset(&back, 0xa5, sizeof(back));
	assert_int_equal(pc_loaded_read(pc_loaded_path(ctx, dir), &back, &err), PC_LOADED_NONE);
	assert_int_equal(back.generation, 0);
	assert_int_equal(back.pid, 0);
	assert_string_equal(back.digest, "");
	assert_int_equal(pc_loaded_read(talloc_asprintf(ctx, "%s/no-dir/.phonecert-loaded", dir), &back, &err),
			 PC_LOADED_NONE);
}

#define GOOD_GENERATION "generation = 7\n"
#define GOOD_DIGEST "digest = " DIGEST_A "\n"
#define GOOD_TIME "loaded_at = 2026-11-23T18:00:00Z\n"
#define GOOD_PID "pid = 1234\n"
#define GOOD_CONFIG "config = /etc/phonecert.conf\n"
#define GOOD GOOD_GENERATION GOOD_DIGEST GOOD_TIME GOOD_PID GOOD_CONFIG

/* Corrupt records: refused with "PATH:LINE: reason" (line 0: the whole file), *out zeroed. */
static void test_loaded_corrupt(void **state)
{
	static struct {
		char const	*what;
		char const	*text;
		int		line;
		char const	*reason;
	} const cases[] = {
		{ "unknown key", GOOD "colour = red\n", 6, "unknown key 'colour'" },
		{ "key twice", GOOD_GENERATION GOOD_DIGEST GOOD_TIME GOOD_PID "\npid = 99\n" GOOD_CONFIG, 6,
		  "'pid' given twice (first at line 4)" },
		{ "missing key", GOOD_GENERATION GOOD_DIGEST GOOD_TIME GOOD_CONFIG, 0, "missing 'pid'" },
		{ "empty file", "", 0, "missing 'generation'" },
		{ "no equals", GOOD "pid 5\n", 6, "expected 'key = value'" },
		{ "generation not a number", "generation = 7x\n" GOOD_DIGEST GOOD_TIME GOOD_PID GOOD_CONFIG, 1,
		  "generation: invalid value '7x'" },
		{ "generation signed", "generation = +7\n" GOOD_DIGEST GOOD_TIME GOOD_PID GOOD_CONFIG, 1,
		  "generation: invalid value '+7'" },
		{ "generation negative", "generation = -1\n" GOOD_DIGEST GOOD_TIME GOOD_PID GOOD_CONFIG, 1,
		  "generation: invalid value '-1'" },
		{ "generation zero", "generation = 0\n" GOOD_DIGEST GOOD_TIME GOOD_PID GOOD_CONFIG, 1,
		  "generation: invalid value '0'" },
		{ "generation overflow", "generation = 99999999999999999999999\n" GOOD_DIGEST GOOD_TIME GOOD_PID GOOD_CONFIG, 1,
		  "generation: invalid value" },
		{ "generation beyond long", "generation = 9223372036854775808\n" GOOD_DIGEST GOOD_TIME GOOD_PID GOOD_CONFIG, 1,
		  "generation: invalid value '9223372036854775808'" },
		{ "generation empty", "generation =\n" GOOD_DIGEST GOOD_TIME GOOD_PID GOOD_CONFIG, 1,
		  "generation: invalid value ''" },
		{ "pid zero", GOOD_GENERATION GOOD_DIGEST GOOD_TIME "pid = 0\n" GOOD_CONFIG, 4, "pid: invalid value '0'" },
		{ "pid beyond int", GOOD_GENERATION GOOD_DIGEST GOOD_TIME "pid = 2147483648\n" GOOD_CONFIG, 4,
		  "pid: invalid value '2147483648'" },
		{ "pid hex", GOOD_GENERATION GOOD_DIGEST GOOD_TIME "pid = 0x10\n" GOOD_CONFIG, 4, "pid: invalid value" },
		{ "digest upper case", GOOD_GENERATION "digest = 3F2A000000000000000000000000000000000000000000000000000000000001\n"
		  GOOD_TIME GOOD_PID GOOD_CONFIG, 2, "digest: invalid value" },
		{ "digest short", GOOD_GENERATION "digest = 3f2a\n" GOOD_TIME GOOD_PID GOOD_CONFIG, 2,
		  "digest: invalid value '3f2a'" },
		{ "digest long", GOOD_GENERATION "digest = " DIGEST_A "0\n" GOOD_TIME GOOD_PID GOOD_CONFIG, 2,
		  "digest: invalid value" },
		{ "time", GOOD_GENERATION GOOD_DIGEST "loaded_at = 2026-02-30T18:00:00Z\n" GOOD_PID GOOD_CONFIG, 3,
		  "loaded_at: invalid value '2026-02-30T18:00:00Z'" },
		{ "empty config", GOOD_GENERATION GOOD_DIGEST GOOD_TIME GOOD_PID "config = \n", 5, "config: invalid value ''" },
		{ "CRLF", GOOD_GENERATION "digest = " DIGEST_A "\r\n" GOOD_TIME GOOD_PID GOOD_CONFIG, 2,
		  "control character 0x0d" },
		{ "tab", GOOD "\tpid = 1\n", 6, "control character 0x09" },
	};
	TALLOC_CTX *ctx = *state;
	char *dir = unit_tmpdir(ctx);
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		char *path = unit_write_text(ctx, dir, ".phonecert-loaded", cases[i].text);
		char *prefix = cases[i].line ? talloc_asprintf(ctx, "%s:%d: ", path, cases[i].line)
					     : talloc_asprintf(ctx, "%s: ", path);
		pc_loaded_t back;
		pc_error_t err = { .msg = "" };

		memset(&back, 0xa5, sizeof(back));
		if (pc_loaded_read(path, &back, &err) != -1) fail_msg("%s: accepted", cases[i].what);
		if (strncmp(err.msg, prefix, strlen(prefix)) != 0 || !strstr(err.msg, cases[i].reason)) {
			fail_msg("%s: message \"%s\" is not \"%s...%s\"", cases[i].what, err.msg, prefix, cases[i].reason);
		}
		assert_int_equal(back.generation, 0);
		assert_string_equal(back.digest, "");
	}
}

/* Comments, blank lines, spaces around '=' and keys in any order are fine. */
static void test_loaded_lenient_layout(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *path = unit_write_text(ctx, unit_tmpdir(ctx), ".phonecert-loaded",
		"# hand-written\n\nconfig=/etc/phonecert.conf\n  pid   =  42  \n" GOOD_TIME GOOD_DIGEST "generation = 3");
	pc_loaded_t back;
	pc_error_t err = { .msg = "" };

	if (pc_loaded_read(path, &back, &err) != 0) fail_msg("%s", err.msg);
	assert_int_equal(back.generation, 3);
	assert_int_equal(back.pid, 42);
	assert_string_equal(back.config, "/etc/phonecert.conf");
}

static void blocked(UNUSED int sig)
{
	static char const msg[] = "test_loaded: reading a FIFO record blocked: it must be refused, not read\n";

	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) _exit(2);
	_exit(1);
}

/* What is not a regular file, or is far too big, or holds a NUL byte, is not a record. */
static void test_loaded_not_a_record(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *dir = unit_tmpdir(ctx), *fifo = talloc_asprintf(ctx, "%s/fifo", dir), *path, *big;
	pc_loaded_t back;
	pc_error_t err = { .msg = "" };
	void (*previous)(int);
	int rcode;

	if (mkfifo(fifo, 0600) < 0) fail_msg("mkfifo(%s): %s", fifo, strerror(errno));
	previous = signal(SIGALRM, blocked);
	alarm(10);
	rcode = pc_loaded_read(fifo, &back, &err);
	alarm(0);
	signal(SIGALRM, previous);
	assert_int_equal(rcode, -1);
	assert_contains(err.msg, talloc_asprintf(ctx, "%s: not a regular file", fifo));

	assert_int_equal(pc_loaded_read(dir, &back, &err), -1);
	assert_contains(err.msg, talloc_asprintf(ctx, "%s: not a regular file", dir));

	path = unit_write_file(ctx, dir, "nul", GOOD "\0", sizeof(GOOD));
	assert_int_equal(pc_loaded_read(path, &back, &err), -1);
	assert_contains(err.msg, talloc_asprintf(ctx, "%s: contains a NUL byte", path));

	big = talloc_zero_array(ctx, char, 64 * 1024);
	memset(big, '#', 64 * 1024 - 1);
	path = unit_write_text(ctx, dir, "big", big);
	assert_int_equal(pc_loaded_read(path, &back, &err), -1);
	assert_contains(err.msg, talloc_asprintf(ctx, "%s: larger than", path));

	/* A ca_path that is a file: the record's path runs through it. */
	path = unit_write_text(ctx, dir, "file", "x");
	assert_int_equal(pc_loaded_read(talloc_asprintf(ctx, "%s/.phonecert-loaded", path), &back, &err), -1);
	assert_contains(err.msg, "cannot read: Not a directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_digest_stable, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_digest_definition, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_digest_text_changes, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_digest_anchor_changes, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_digest_anchor_names, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_digest_missing, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_loaded_path, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_loaded_round_trip, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_loaded_atomic, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_loaded_write_refusals, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_loaded_none, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_loaded_corrupt, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_loaded_lenient_layout, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_loaded_not_a_record, unit_ctx_setup, unit_ctx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
