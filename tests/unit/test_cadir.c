/**
 * @file test_cadir.c
 * @brief The hashed CA directory the eap module trusts: exactly the anchors, nothing else.
 */
#include "unit.h"

#include <openssl/x509_vfy.h>

#include <phonecert/cadir.h>
#include <phonecert/trust.h>

/** The time of every sync and audit below, unless a test says otherwise. */
#define NOW unit_pki_now()

/** A store of the named PKI CAs, in order (all active). */
static pc_trust_t *trust_of(TALLOC_CTX *ctx, char const *const *names, size_t n)
{
	pc_trust_t *trust = pc_trust_alloc(ctx);
	size_t i;

	for (i = 0; i < n; i++) {
		pc_error_t err = { .msg = "" };
		char *path = unit_pki_path(ctx, talloc_asprintf(ctx, "%s.crt", names[i]));

		if (pc_trust_add_file(trust, names[i], path, PC_ROLE_LSC, PC_STATE_ACTIVE, 0, &err) != 0) {
			fail_msg("%s", err.msg);
		}
	}
	return trust;
}

/** "<subject hash>.<n>" of a PKI certificate. */
static char *hashed_name(TALLOC_CTX *ctx, char const *name, unsigned int n)
{
	X509 *cert = unit_cert(name);
	char *out = talloc_asprintf(ctx, "%08lx.%u", X509_subject_name_hash(cert), n);

	X509_free(cert);
	return out;
}

/** The directory's entries, sorted, joined with ' '. */
static char *listing(TALLOC_CTX *ctx, char const *dir)
{
	struct dirent **names;
	char *out = talloc_strdup(ctx, "");
	int n, i;

	n = scandir(dir, &names, NULL, alphasort);
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
			out = talloc_asprintf_append(out, "%s%s", out[0] ? " " : "", names[i]->d_name);
		}
		free(names[i]);
	}
	free(names);
	return out;
}

/** Whether dir/file holds (as PEM) the same certificate as PKI_DIR/name.crt. */
static bool holds(char const *dir, char const *file, char const *name)
{
	char path[4096];
	FILE *fp;
	X509 *got, *want;
	bool same;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fp = fopen(path, "r");
	if (!fp) return false;
	got = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	if (!got) return false;
	want = unit_cert(name);
	same = X509_cmp(got, want) == 0;
	X509_free(got);
	X509_free(want);
	return same;
}

static void test_cadir_sync_writes_hashed_files(void **state)
{
	static char const *const names[] = { "capf-a", "capf-a-old", "mfg-int" };
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = trust_of(ctx, names, UNIT_COUNT(names));
	char *dir = unit_tmpdir(ctx);
	char *a0 = hashed_name(ctx, "capf-a", 0), *a1 = hashed_name(ctx, "capf-a-old", 1);
	char *m0 = hashed_name(ctx, "mfg-int", 0);
	pc_error_t err = { .msg = "" };

	/* Same subject, same hash: the second one is ".1". */
	assert_string_equal(hashed_name(ctx, "capf-a", 0), hashed_name(ctx, "capf-a-old", 0));

	if (pc_cadir_sync(trust, dir, NOW, &err) != 0) fail_msg("%s", err.msg);
	assert_true(holds(dir, a0, "capf-a"));
	assert_true(holds(dir, a1, "capf-a-old"));
	assert_true(holds(dir, m0, "mfg-int"));
	{
		char *expect = talloc_asprintf(ctx, "%s %s %s", a0, a1, m0);
		char *got = listing(ctx, dir);

		/* Nothing else (no temporary files left behind); listing is sorted, so compare sets. */
		assert_int_equal(strlen(got), strlen(expect));
		assert_contains(got, a0);
		assert_contains(got, a1);
		assert_contains(got, m0);
	}
	if (pc_cadir_audit(trust, dir, NOW, &err) != 0) fail_msg("audit after sync: %s", err.msg);
}

/* What OpenSSL makes of the directory: both CAPFs of the rollover pair are found by hash. */
static void test_cadir_openssl_uses_it(void **state)
{
	static char const *const names[] = { "capf-a", "capf-a-old", "mfg-int" };
	static struct {
		char const	*leaf;
		int		error;
	} const cases[] = {
		{ "lsc-a",	X509_V_OK },
		{ "lsc-a-old",	X509_V_OK },		/* only in "<hash>.1" */
		{ "mic-8861",	X509_V_OK },
		{ "lsc-b",	X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY },
		{ "lsc-rogue-ski", X509_V_ERR_CERT_SIGNATURE_FAILURE },
	};
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = trust_of(ctx, names, UNIT_COUNT(names));
	char *dir = unit_tmpdir(ctx);
	pc_error_t err = { .msg = "" };
	X509_STORE *store;
	X509_LOOKUP *lookup;
	size_t i;

	if (pc_cadir_sync(trust, dir, NOW, &err) != 0) fail_msg("%s", err.msg);
	store = X509_STORE_new();
	assert_non_null(store);
	lookup = X509_STORE_add_lookup(store, X509_LOOKUP_hash_dir());
	assert_non_null(lookup);
	assert_int_equal(X509_LOOKUP_add_dir(lookup, dir, X509_FILETYPE_PEM), 1);
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		X509 *leaf = unit_cert(cases[i].leaf);
		X509_STORE_CTX *vctx = X509_STORE_CTX_new();
		int error;

		assert_int_equal(X509_STORE_CTX_init(vctx, store, leaf, NULL), 1);
		X509_STORE_CTX_set_time(vctx, 0, unit_pki_now());
		(void)X509_verify_cert(vctx);
		error = X509_STORE_CTX_get_error(vctx);
		if (error != cases[i].error) {
			fail_msg("%s: verify error %d (%s), expected %d", cases[i].leaf, error,
				 X509_verify_cert_error_string(error), cases[i].error);
		}
		X509_STORE_CTX_free(vctx);
		X509_free(leaf);
	}
	X509_STORE_free(store);
	ERR_clear_error();
}

/* Stale certificates go; other files (an admin's CRLs, notes) and subdirectories stay. */
static void test_cadir_sync_removes_stale(void **state)
{
	static char const *const names[] = { "capf-a", "mfg-int" };
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = trust_of(ctx, names, UNIT_COUNT(names));
	char *dir = unit_tmpdir(ctx), *sub;
	size_t len;
	unsigned char *pem = unit_read_file(ctx, unit_pki_path(ctx, "capf-c.crt"), &len);
	pc_error_t err = { .msg = "" };
	struct stat st;

	unit_write_file(ctx, dir, hashed_name(ctx, "capf-c", 0), pem, len);	/* a CAPF nobody uploads */
	unit_write_file(ctx, dir, hashed_name(ctx, "capf-a", 1), pem, len);	/* a slot no anchor uses */
	unit_write_text(ctx, dir, "README", "left by hand\n");
	unit_write_text(ctx, dir, ".hidden", "x\n");
	unit_write_text(ctx, dir, talloc_asprintf(ctx, "%s.r0", hashed_name(ctx, "capf-a", 0)), "a CRL\n");
	unit_write_text(ctx, dir, ".12345678.0.tmp", "an interrupted write\n");
	sub = talloc_asprintf(ctx, "%s/keep.d", dir);
	assert_int_equal(mkdir(sub, 0700), 0);

	if (pc_cadir_sync(trust, dir, NOW, &err) != 0) fail_msg("%s", err.msg);
	assert_int_equal(stat(talloc_asprintf(ctx, "%s/%s", dir, hashed_name(ctx, "capf-c", 0)), &st), -1);
	assert_int_equal(stat(talloc_asprintf(ctx, "%s/%s", dir, hashed_name(ctx, "capf-a", 1)), &st), -1);
	assert_int_equal(stat(talloc_asprintf(ctx, "%s/README", dir), &st), 0);
	assert_int_equal(stat(talloc_asprintf(ctx, "%s/.hidden", dir), &st), 0);
	assert_int_equal(stat(talloc_asprintf(ctx, "%s/%s.r0", dir, hashed_name(ctx, "capf-a", 0)), &st), 0);
	assert_int_equal(stat(talloc_asprintf(ctx, "%s/.12345678.0.tmp", dir), &st), -1);
	assert_int_equal(stat(sub, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_true(holds(dir, hashed_name(ctx, "capf-a", 0), "capf-a"));
	assert_true(holds(dir, hashed_name(ctx, "mfg-int", 0), "mfg-int"));
}

/* A second sync with the same anchors touches nothing (same inode: no rewrite, no rename). */
static void test_cadir_sync_idempotent(void **state)
{
	static char const *const names[] = { "capf-a", "capf-a-old", "mfg-int" };
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = trust_of(ctx, names, UNIT_COUNT(names));
	char *dir = unit_tmpdir(ctx), *before;
	pc_error_t err = { .msg = "" };
	size_t i;
	struct stat st1[3], st2[3];

	if (pc_cadir_sync(trust, dir, NOW, &err) != 0) fail_msg("%s", err.msg);
	before = listing(ctx, dir);
	for (i = 0; i < 3; i++) {
		char *path = talloc_asprintf(ctx, "%s/%s", dir, hashed_name(ctx, names[i], i == 1 ? 1 : 0));

		assert_int_equal(stat(path, &st1[i]), 0);
	}
	if (pc_cadir_sync(trust, dir, NOW, &err) != 0) fail_msg("%s", err.msg);
	assert_string_equal(listing(ctx, dir), before);
	for (i = 0; i < 3; i++) {
		char *path = talloc_asprintf(ctx, "%s/%s", dir, hashed_name(ctx, names[i], i == 1 ? 1 : 0));

		assert_int_equal(stat(path, &st2[i]), 0);
		assert_int_equal(st1[i].st_ino, st2[i].st_ino);
		assert_int_equal(st1[i].st_mtim.tv_sec, st2[i].st_mtim.tv_sec);
		assert_int_equal(st1[i].st_mtim.tv_nsec, st2[i].st_mtim.tv_nsec);
	}
}

/* The rollover ends: the old CAPF leaves the config, its ".1" leaves the directory. */
static void test_cadir_sync_follows_changes(void **state)
{
	static char const *const both[] = { "capf-a", "capf-a-old" };
	static char const *const swapped[] = { "capf-a-old", "capf-a" };
	static char const *const one[] = { "capf-a" };
	TALLOC_CTX *ctx = *state;
	char *dir = unit_tmpdir(ctx);
	char *h0 = hashed_name(ctx, "capf-a", 0), *h1 = hashed_name(ctx, "capf-a", 1);
	pc_error_t err = { .msg = "" };

	if (pc_cadir_sync(trust_of(ctx, both, 2), dir, NOW, &err) != 0) fail_msg("%s", err.msg);
	assert_true(holds(dir, h0, "capf-a"));
	assert_true(holds(dir, h1, "capf-a-old"));

	/* Another load order: the contents follow, no stale copy stays under either name. */
	if (pc_cadir_sync(trust_of(ctx, swapped, 2), dir, NOW, &err) != 0) fail_msg("%s", err.msg);
	assert_true(holds(dir, h0, "capf-a-old"));
	assert_true(holds(dir, h1, "capf-a"));

	if (pc_cadir_sync(trust_of(ctx, one, 1), dir, NOW, &err) != 0) fail_msg("%s", err.msg);
	assert_true(holds(dir, h0, "capf-a"));
	assert_string_equal(listing(ctx, dir), h0);

	/* No anchors: an empty directory. */
	if (pc_cadir_sync(pc_trust_alloc(ctx), dir, NOW, &err) != 0) fail_msg("%s", err.msg);
	assert_string_equal(listing(ctx, dir), "");
}

/* A file with an anchor's name but other content is rewritten. */
static void test_cadir_sync_repairs_content(void **state)
{
	static char const *const names[] = { "capf-a" };
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = trust_of(ctx, names, 1);
	char *dir = unit_tmpdir(ctx), *h0 = hashed_name(ctx, "capf-a", 0);
	size_t len;
	unsigned char *rogue = unit_read_file(ctx, unit_pki_path(ctx, "rogue-a.crt"), &len);
	pc_error_t err = { .msg = "" };

	unit_write_file(ctx, dir, h0, rogue, len);
	assert_int_equal(pc_cadir_audit(trust, dir, NOW, &err), -1);
	if (pc_cadir_sync(trust, dir, NOW, &err) != 0) fail_msg("%s", err.msg);
	assert_true(holds(dir, h0, "capf-a"));
	assert_int_equal(pc_cadir_audit(trust, dir, NOW, &err), 0);
}

static void test_cadir_audit_flags_strangers(void **state)
{
	static char const *const names[] = { "capf-a", "mfg-int" };
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = trust_of(ctx, names, UNIT_COUNT(names));
	char *dir = unit_tmpdir(ctx), *stranger;
	size_t len;
	unsigned char *pem = unit_read_file(ctx, unit_pki_path(ctx, "capf-c.crt"), &len);
	pc_error_t err = { .msg = "" };

	if (pc_cadir_sync(trust, dir, NOW, &err) != 0) fail_msg("%s", err.msg);
	assert_int_equal(pc_cadir_audit(trust, dir, NOW, &err), 0);

	/* A CA dropped in by hand: the eap module would trust it. */
	stranger = unit_write_file(ctx, dir, hashed_name(ctx, "capf-c", 0), pem, len);
	memset(&err, 0, sizeof(err));
	assert_int_equal(pc_cadir_audit(trust, dir, NOW, &err), -1);
	assert_contains(err.msg, stranger);
	assert_contains(err.msg, "not one of the uploaded anchors");
	unlink(stranger);
	assert_int_equal(pc_cadir_audit(trust, dir, NOW, &err), 0);

	/* Files OpenSSL does not read as trusted CAs (notes, CRLs) are not strangers. */
	stranger = unit_write_text(ctx, dir, "notes.txt", "hello\n");
	if (pc_cadir_audit(trust, dir, NOW, &err) != 0) fail_msg("%s", err.msg);
	unlink(stranger);
	stranger = unit_write_text(ctx, dir, talloc_asprintf(ctx, "%s.r0", hashed_name(ctx, "capf-a", 0)), "a CRL\n");
	if (pc_cadir_audit(trust, dir, NOW, &err) != 0) fail_msg("%s", err.msg);
	unlink(stranger);

	/* A missing directory. */
	assert_int_equal(pc_cadir_audit(trust, "/nonexistent/phonecert-ca.d", NOW, &err), -1);
	assert_contains(err.msg, "/nonexistent/phonecert-ca.d");
}

static void test_cadir_sync_missing_dir(void **state)
{
	static char const *const names[] = { "capf-a" };
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = trust_of(ctx, names, 1);
	char *dir = talloc_asprintf(ctx, "%s/not-created", unit_tmpdir(ctx));
	pc_error_t err = { .msg = "" };
	struct stat st;

	assert_int_equal(pc_cadir_sync(trust, dir, NOW, &err), -1);
	assert_contains(err.msg, dir);
	assert_int_equal(stat(dir, &st), -1);		/* not created behind the admin's back */
	assert_int_equal(ERR_peek_error(), 0);
}

/* Only the anchors trusted at that time are written: not a disabled one, not a closed window. */
static void test_cadir_only_trusted_now(void **state)
{
	TALLOC_CTX *ctx = *state;
	time_t now = unit_pki_now(), until = now + 30 * UNIT_DAY;
	pc_config_t *cfg = unit_config(ctx, talloc_asprintf(ctx,
		"[anchor capf-a]\nrole = lsc\nfile = @PKI@/capf-a.crt\n"
		"[anchor capf-a-old]\nrole = lsc\nstate = retiring\ntrust_until = %s\nfile = @PKI@/capf-a-old.crt\n"
		"[anchor capf-b]\nrole = lsc\nstate = disabled\nfile = @PKI@/capf-b.crt\n"
		"[anchor legacy-int]\nrole = mic\nstate = retiring\ntrust_until = %s\nfile = @PKI@/legacy-int.crt\n"
		"[anchor mfg-int]\nrole = mic\nfile = @PKI@/mfg-int.crt\n",
		unit_time_text(ctx, until), unit_time_text(ctx, now - UNIT_DAY)));
	char *dir = unit_tmpdir(ctx);
	char *a0 = hashed_name(ctx, "capf-a", 0), *a1 = hashed_name(ctx, "capf-a-old", 1);
	char *m0 = hashed_name(ctx, "mfg-int", 0);
	char *b0 = hashed_name(ctx, "capf-b", 0), *l0 = hashed_name(ctx, "legacy-int", 0);
	pc_error_t err = { .msg = "" };
	struct stat st;
	char *got;

	if (pc_cadir_sync(cfg->trust, dir, now, &err) != 0) fail_msg("%s", err.msg);
	assert_true(holds(dir, a0, "capf-a"));
	assert_true(holds(dir, a1, "capf-a-old"));
	assert_true(holds(dir, m0, "mfg-int"));
	assert_int_equal(stat(talloc_asprintf(ctx, "%s/%s", dir, b0), &st), -1);	/* disabled */
	assert_int_equal(stat(talloc_asprintf(ctx, "%s/%s", dir, l0), &st), -1);	/* window closed yesterday */
	got = listing(ctx, dir);
	assert_int_equal(strlen(got), strlen(a0) + strlen(a1) + strlen(m0) + 2);
	if (pc_cadir_audit(cfg->trust, dir, now, &err) != 0) fail_msg("audit: %s", err.msg);

	/* A disabled anchor's file put back by hand is a stranger to the audit, and goes at the next sync. */
	{
		size_t len;
		unsigned char *pem = unit_read_file(ctx, unit_pki_path(ctx, "capf-b.crt"), &len);
		char *path = unit_write_file(ctx, dir, b0, pem, len);

		assert_int_equal(pc_cadir_audit(cfg->trust, dir, now, &err), -1);
		assert_contains(err.msg, path);
		if (pc_cadir_sync(cfg->trust, dir, now, &err) != 0) fail_msg("%s", err.msg);
		assert_int_equal(stat(path, &st), -1);
	}

	/* At capf-a-old's deadline its ".1" goes; the audit of that time agrees, the earlier one does not. */
	if (pc_cadir_sync(cfg->trust, dir, until, &err) != 0) fail_msg("%s", err.msg);
	assert_int_equal(stat(talloc_asprintf(ctx, "%s/%s", dir, a1), &st), -1);
	assert_true(holds(dir, a0, "capf-a"));
	assert_int_equal(pc_cadir_audit(cfg->trust, dir, until, &err), 0);
	assert_int_equal(pc_cadir_audit(cfg->trust, dir, now, &err), 0);	/* nothing extra, one missing */

	/* Numbering counts only what is written: capf-a-old alone takes ".0". */
	{
		pc_config_t *old_only = unit_config(ctx,
			"[anchor capf-a]\nrole = lsc\nstate = disabled\nfile = @PKI@/capf-a.crt\n"
			"[anchor capf-a-old]\nrole = lsc\nfile = @PKI@/capf-a-old.crt\n");

		if (pc_cadir_sync(old_only->trust, dir, now, &err) != 0) fail_msg("%s", err.msg);
		assert_true(holds(dir, a0, "capf-a-old"));
		assert_string_equal(listing(ctx, dir), a0);
	}
}

/* The module's own files (".phonecert-*") survive a sync, and so do other dot files. */
static void test_cadir_keeps_own_files(void **state)
{
	static char const *const names[] = { "capf-a" };
	TALLOC_CTX *ctx = *state;
	pc_trust_t *trust = trust_of(ctx, names, 1);
	char *dir = unit_tmpdir(ctx), *own, *other;
	pc_error_t err = { .msg = "" };
	size_t len;
	struct stat st;

	own = unit_write_text(ctx, dir, PC_CADIR_OWN_PREFIX "loaded", "generation 7\n");
	other = unit_write_text(ctx, dir, ".phonecert", "not ours, kept all the same\n");
	if (pc_cadir_sync(trust, dir, NOW, &err) != 0) fail_msg("%s", err.msg);
	assert_int_equal(stat(own, &st), 0);
	assert_string_equal((char *)unit_read_file(ctx, own, &len), "generation 7\n");
	assert_int_equal(stat(other, &st), 0);
	assert_true(holds(dir, hashed_name(ctx, "capf-a", 0), "capf-a"));
	/* OpenSSL never reads it (not "<hash>.<n>"): the audit has nothing to say. */
	assert_int_equal(pc_cadir_audit(trust, dir, NOW, &err), 0);
	/* And a second sync keeps it too. */
	if (pc_cadir_sync(pc_trust_alloc(ctx), dir, NOW, &err) != 0) fail_msg("%s", err.msg);
	assert_int_equal(stat(own, &st), 0);
	assert_string_equal(listing(ctx, dir), ".phonecert " PC_CADIR_OWN_PREFIX "loaded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cadir_sync_writes_hashed_files, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_cadir_openssl_uses_it, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_cadir_sync_removes_stale, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_cadir_sync_idempotent, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_cadir_sync_follows_changes, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_cadir_sync_repairs_content, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_cadir_audit_flags_strangers, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_cadir_sync_missing_dir, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_cadir_only_trusted_now, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_cadir_keeps_own_files, unit_ctx_setup, unit_ctx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
