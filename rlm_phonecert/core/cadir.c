/**
 * @file cadir.c
 * @brief Writes the hashed CA directory (eap tls ca_path) from the uploaded anchors.
 *
 * The eap module cannot be reloaded, but OpenSSL's hash-directory lookup reads files on
 * demand: a CA added here is trusted by the next handshake without a restart.  A removed
 * one may stay cached in OpenSSL until radiusd restarts, which is why the decision itself
 * (not this directory) is what enforces retirement.
 *
 * The directory is shared with the admin: the module owns only the names OpenSSL reads as
 * trusted certificates ("<8 hex>.<n>") and its own temporary files.  Everything else is
 * kept: CRLs ("<hash>.r<n>", which can only revoke, never trust), notes, subdirectories.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include <phonecert/cadir.h>
#include <phonecert/verify.h>

typedef struct {
	char	name[32];	//!< "<hash>.<n>"
	char	*pem;
	size_t	len;
} cadir_entry_t;

static char *cert_pem(TALLOC_CTX *ctx, X509 *cert, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *copy = NULL;
	long n;

	if (!bio) return NULL;
	if (PEM_write_bio_X509(bio, cert) == 1) {
		n = BIO_get_mem_data(bio, &data);
		if (n > 0) {
			copy = talloc_memdup(ctx, data, (size_t)n);
			*len = (size_t)n;
		}
	}
	BIO_free(bio);
	return copy;
}

/**
 * The files the directory must hold: one per anchor trusted at now, numbered within each
 * subject hash.  A disabled anchor, or one whose window has closed, is not written.
 */
static cadir_entry_t *cadir_plan(TALLOC_CTX *ctx, pc_trust_t const *trust, time_t now, unsigned int *count)
{
	unsigned int n = pc_trust_count(trust), i, j, k = 0;
	cadir_entry_t *entries = talloc_zero_array(ctx, cadir_entry_t, n ? n : 1);
	unsigned long *hashes = talloc_zero_array(ctx, unsigned long, n ? n : 1);

	if (!entries || !hashes) return NULL;
	for (i = 0; i < n; i++) {
		pc_anchor_t const *anchor = pc_trust_anchor(trust, i);
		unsigned int seq = 0;

		if (!pc_anchor_trusted_at(anchor, now)) continue;
		hashes[k] = X509_subject_name_hash(anchor->cert);
		for (j = 0; j < k; j++) {
			if (hashes[j] == hashes[k]) seq++;
		}
		snprintf(entries[k].name, sizeof(entries[k].name), "%08lx.%u", hashes[k], seq);
		entries[k].pem = cert_pem(entries, anchor->cert, &entries[k].len);
		if (!entries[k].pem) return NULL;
		k++;
	}
	*count = k;
	return entries;
}

static bool file_equals(char const *path, char const *data, size_t len)
{
	FILE *fp = fopen(path, "rb");
	char buf[8192];
	size_t n, off = 0;
	bool same = true;

	if (!fp) return false;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if (off + n > len || memcmp(buf, data + off, n) != 0) {
			same = false;
			break;
		}
		off += n;
	}
	fclose(fp);
	return same && off == len;
}

/** "<8 lower-case hex>.<digits>": a name OpenSSL's hashed lookup reads as a CA certificate. */
static bool cert_hash_name(char const *name)
{
	size_t i;

	for (i = 0; i < 8; i++) {
		if (!isdigit((unsigned char)name[i]) && (name[i] < 'a' || name[i] > 'f')) return false;
	}
	if (name[8] != '.' || !name[9]) return false;
	for (i = 9; name[i]; i++) {
		if (!isdigit((unsigned char)name[i])) return false;
	}
	return true;
}

/** ".<cert hash name>.tmp": what write_entry leaves if it was interrupted. */
static bool own_tmp_name(char const *name)
{
	size_t len = strlen(name);
	char base[32];

	if (name[0] != '.' || len < 6 || len - 5 >= sizeof(base) || strcmp(name + len - 4, ".tmp") != 0) return false;
	memcpy(base, name + 1, len - 5);
	base[len - 5] = '\0';
	return cert_hash_name(base);
}

static cadir_entry_t const *plan_find(cadir_entry_t const *entries, unsigned int count, char const *name)
{
	unsigned int i;

	for (i = 0; i < count; i++) {
		if (strcmp(entries[i].name, name) == 0) return &entries[i];
	}
	return NULL;
}

static int write_entry(TALLOC_CTX *ctx, char const *dir, cadir_entry_t const *entry, pc_error_t *err)
{
	char *path = talloc_asprintf(ctx, "%s/%s", dir, entry->name);
	char *tmp = talloc_asprintf(ctx, "%s/.%s.tmp", dir, entry->name);
	FILE *fp;
	bool ok;

	if (!path || !tmp) {
		pc_error_set(err, "%s: out of memory", dir);
		return -1;
	}
	if (file_equals(path, entry->pem, entry->len)) return 0;

	fp = fopen(tmp, "wb");
	if (!fp) {
		pc_error_set(err, "%s: cannot write: %s", tmp, strerror(errno));
		return -1;
	}
	ok = fwrite(entry->pem, 1, entry->len, fp) == entry->len;
	ok = (fclose(fp) == 0) && ok;
	if (!ok || rename(tmp, path) < 0) {
		pc_error_set(err, "%s: cannot write: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int pc_cadir_sync(pc_trust_t const *trust, char const *dir, time_t now, pc_error_t *err)
{
	TALLOC_CTX *tmp = talloc_new(NULL);
	cadir_entry_t *entries;
	unsigned int count = 0, i;
	DIR *dh;
	struct dirent *de;
	int rcode = -1;

	if (!tmp) return -1;
	entries = cadir_plan(tmp, trust, now, &count);
	if (!entries) {
		pc_error_set(err, "%s: out of memory", dir);
		goto done;
	}
	for (i = 0; i < count; i++) {
		if (write_entry(tmp, dir, &entries[i], err) < 0) goto done;
	}

	/* Remove the certificates that are not an anchor trusted now, last, so the directory
	 * never lacks a current anchor.  Files of other names are not ours: kept. */
	dh = opendir(dir);
	if (!dh) {
		pc_error_set(err, "%s: cannot open: %s", dir, strerror(errno));
		goto done;
	}
	while ((de = readdir(dh)) != NULL) {
		char *path;
		struct stat st;

		if (!cert_hash_name(de->d_name) && !own_tmp_name(de->d_name)) continue;
		if (plan_find(entries, count, de->d_name)) continue;
		path = talloc_asprintf(tmp, "%s/%s", dir, de->d_name);
		if (!path || lstat(path, &st) < 0 || S_ISDIR(st.st_mode)) continue;
		if (unlink(path) < 0) {
			pc_error_set(err, "%s: cannot remove stale CA file: %s", path, strerror(errno));
			closedir(dh);
			goto done;
		}
	}
	closedir(dh);
	rcode = 0;

done:
	talloc_free(tmp);
	ERR_clear_error();
	return rcode;
}

int pc_cadir_audit(pc_trust_t const *trust, char const *dir, time_t now, pc_error_t *err)
{
	TALLOC_CTX *tmp = talloc_new(NULL);
	cadir_entry_t *entries;
	unsigned int count = 0;
	DIR *dh;
	struct dirent *de;
	int rcode = -1;

	if (!tmp) return -1;
	entries = cadir_plan(tmp, trust, now, &count);
	if (!entries) goto done;
	dh = opendir(dir);
	if (!dh) {
		pc_error_set(err, "%s: cannot open: %s", dir, strerror(errno));
		goto done;
	}
	rcode = 0;
	while ((de = readdir(dh)) != NULL) {
		cadir_entry_t const *entry;
		char *path;

		/* Only what OpenSSL would read as a trusted CA certificate can widen trust. */
		if (!cert_hash_name(de->d_name)) continue;
		path = talloc_asprintf(tmp, "%s/%s", dir, de->d_name);
		entry = plan_find(entries, count, de->d_name);
		if (!path || !entry || !file_equals(path, entry->pem, entry->len)) {
			pc_error_set(err, "%s: not one of the uploaded anchors: the eap module would trust it too",
				     path ? path : de->d_name);
			rcode = -1;
			break;
		}
	}
	closedir(dh);

done:
	talloc_free(tmp);
	ERR_clear_error();
	return rcode;
}
