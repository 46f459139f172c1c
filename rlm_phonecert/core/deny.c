/**
 * @file deny.c
 * @brief Reads the deny-list file and answers "is this phone denied?" by hash lookups.
 *
 * Strict like phonecert.conf: an unknown kind, a malformed value, a duplicate or a bad time
 * stops the start or reload with "FILE:LINE: reason", because a deny-list that silently
 * dropped a line would let the stolen phone in.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include <phonecert/deny.h>
#include <phonecert/file.h>
#include <phonecert/hex.h>
#include <phonecert/device.h>
#include <phonecert/timeval.h>

#define DENY_LINE_MAX 1024

/*
 * The table's keys are binary, built once at load: the kind, then the value's bytes (a MAC's
 * 6, a fingerprint's 32, an anchor's 32 and the serial's magnitude), zero-padded to whole
 * 64-bit words.  A decision decodes its few hex strings into such a key on the stack and
 * hashes it a word at a time: no formatting, no allocation, whatever the list's size.
 */
#define DENY_BIN_MAX 56		/* 1 + 32 + 20 = 53, rounded up to words */

typedef struct {
	uint64_t	hash;
	unsigned int	len;
	unsigned char	bytes[DENY_BIN_MAX];	//!< Zero after len.
} deny_bin_t;

struct pc_deny_s {
	char const		*path;
	char			digest[65];
	pc_deny_entry_t		*entries;
	deny_bin_t		*bins;		//!< The entries' binary keys, same order.
	unsigned int		count;
	unsigned int		*slots;		//!< Open addressing: entry index + 1, 0 = empty.
	size_t			mask;		//!< Slots - 1 (a power of two, at least twice count).
};

/** A hex digit's value + 1 (0: not a hex digit). */
static unsigned char const hex_value[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/** Exactly 2 * n hex digits at hex (then the end or a blank) into out.  @return false if not. */
static bool hex_bytes(char const *hex, size_t n, unsigned char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned int hi = hex_value[(unsigned char)hex[2 * i]], lo;

		if (!hi) return false;
		lo = hex_value[(unsigned char)hex[2 * i + 1]];
		if (!lo) return false;
		out[i] = (unsigned char)(((hi - 1) << 4) | (lo - 1));
	}
	return hex[2 * n] == '\0' || hex[2 * n] == ' ';
}

/**
 * A word at a time, rotated so that every bit reaches the low bits the table's mask keeps,
 * then MurmurHash3's finaliser.  The entries are the admin's; a certificate only picks which
 * slot a probe starts at, and the table is at most half full.
 */
static void bin_hash(deny_bin_t *k)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ k->len, w;
	unsigned int i;

	for (i = 0; i < k->len; i += 8) {
		memcpy(&w, k->bytes + i, sizeof(w));
		h = (h ^ w) * 0x87c37b91114253d5ULL;
		h = (h << 31) | (h >> 33);
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	k->hash = h;
}

/** kind + the MAC of 12 hex digits. */
static bool bin_mac(deny_bin_t *k, pc_deny_kind_t kind, char const *mac)
{
	memset(k, 0, sizeof(*k));
	k->bytes[0] = (unsigned char)kind;
	if (!hex_bytes(mac, 6, k->bytes + 1)) return false;
	k->len = 7;
	bin_hash(k);
	return true;
}

/** kind + a SHA-256 of 64 hex digits [+ a serial's magnitude, leading zero bytes dropped]. */
static bool bin_fp(deny_bin_t *k, pc_deny_kind_t kind, char const *fp, unsigned char const *serial,
		   unsigned int serial_len)
{
	memset(k, 0, sizeof(*k));
	k->bytes[0] = (unsigned char)kind;
	if (!hex_bytes(fp, 32, k->bytes + 1)) return false;
	k->len = 33;
	if (serial) {
		while (serial_len > 0 && serial[0] == 0) {
			serial++;
			serial_len--;
		}
		if (serial_len == 0 || serial_len > 20) return false;
		memcpy(k->bytes + 33, serial, serial_len);
		k->len += serial_len;
	}
	bin_hash(k);
	return true;
}

/** The binary key of an entry's canonical text key (pc_deny_key's forms). */
static bool bin_from_key(deny_bin_t *k, pc_deny_kind_t kind, char const *key)
{
	unsigned char serial[20];
	char const *p;
	size_t n;

	switch (kind) {
	case PC_DENY_DEVICE:
		return strncmp(key, "device SEP", 10) == 0 && bin_mac(k, kind, key + 10) && key[22] == '\0';
	case PC_DENY_MAC:
		return strncmp(key, "mac ", 4) == 0 && bin_mac(k, kind, key + 4) && key[16] == '\0';
	case PC_DENY_FINGERPRINT:
		return strncmp(key, "fingerprint ", 12) == 0 && bin_fp(k, kind, key + 12, NULL, 0) && key[76] == '\0';
	case PC_DENY_SERIAL:
		if (strncmp(key, "serial ", 7) != 0 || strlen(key) < 7 + 64 + 3) return false;
		p = key + 7 + 64 + 1;
		n = strlen(p);
		if (n % 2 || n / 2 > sizeof(serial) || !hex_bytes(p, n / 2, serial)) return false;
		return bin_fp(k, kind, key + 7, serial, (unsigned int)(n / 2));
	}
	return false;
}

static pc_deny_entry_t const *table_find(pc_deny_t const *deny, deny_bin_t const *key)
{
	size_t i;

	if (!deny || !deny->slots) return NULL;
	for (i = key->hash & deny->mask; deny->slots[i]; i = (i + 1) & deny->mask) {
		deny_bin_t const *b = &deny->bins[deny->slots[i] - 1];

		if (b->hash == key->hash && b->len == key->len && memcmp(b->bytes, key->bytes, key->len) == 0) {
			return &deny->entries[deny->slots[i] - 1];
		}
	}
	return NULL;
}

static int table_build(pc_deny_t *deny, pc_error_t *err)
{
	size_t size = 16, i;
	unsigned int n;

	while (size < 2 * (size_t)deny->count) size *= 2;
	deny->slots = talloc_zero_array(deny, unsigned int, size);
	deny->bins = talloc_zero_array(deny, deny_bin_t, deny->count ? deny->count : 1);
	if (!deny->slots || !deny->bins) {
		pc_error_set(err, "%s: out of memory", deny->path);
		return -1;
	}
	deny->mask = size - 1;
	for (n = 0; n < deny->count; n++) {
		pc_deny_entry_t const *dup;

		if (!bin_from_key(&deny->bins[n], deny->entries[n].kind, deny->entries[n].key)) {
			/* pc_deny_key made the key: a mismatch here is a bug, not the admin's error. */
			pc_error_set(err, "%s:%d: internal error: cannot index '%s'", deny->path,
				     deny->entries[n].line, deny->entries[n].key);
			return -1;
		}
		dup = table_find(deny, &deny->bins[n]);
		if (dup) {
			pc_error_set(err, "%s:%d: duplicate entry '%s' (first at line %d)", deny->path,
				     deny->entries[n].line, deny->entries[n].key, dup->line);
			return -1;
		}
		for (i = deny->bins[n].hash & deny->mask; deny->slots[i]; i = (i + 1) & deny->mask);
		deny->slots[i] = n + 1;
	}
	return 0;
}

bool pc_deny_kind_from_name(char const *word, pc_deny_kind_t *out)
{
	static struct {
		char const	*name;
		pc_deny_kind_t	kind;
	} const kinds[] = {
		{ "device", PC_DENY_DEVICE }, { "mac", PC_DENY_MAC },
		{ "fingerprint", PC_DENY_FINGERPRINT }, { "serial", PC_DENY_SERIAL },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(word, kinds[i].name) == 0) {
			*out = kinds[i].kind;
			return true;
		}
	}
	return false;
}

/** Hex digits with optional ':' between pairs, lower-cased into out.  @return digits, or -1. */
static int hex_canon(char const *in, char *out, size_t max)
{
	size_t n = 0;

	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;

		if (c == ':') continue;
		if (!isxdigit(c) || n >= max) return -1;
		out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
	return (int)n;
}

char *pc_deny_key(TALLOC_CTX *ctx, pc_deny_kind_t kind, char const *value, char const *value2, pc_error_t *err)
{
	char fp[65], serial[64], upper[PC_CN_MAX + 1], mac[13];
	pc_device_t device;
	char const *digits;
	char *canon;
	size_t i;

	if (!value || !*value) {
		pc_error_set(err, "missing value");
		return NULL;
	}
	if (kind != PC_DENY_SERIAL && value2) {
		pc_error_set(err, "unexpected '%s' after the value", value2);
		return NULL;
	}
	switch (kind) {
	case PC_DENY_DEVICE:
		/* SEP<MAC> or CP-<model>-SEP<MAC>, any case: the device name is what is compared. */
		if (strlen(value) > PC_CN_MAX) goto bad_device;
		for (i = 0; value[i]; i++) upper[i] = (char)toupper((unsigned char)value[i]);
		upper[i] = '\0';
		if (!pc_device_from_cn(upper, i, &device)) goto bad_device;
		return talloc_asprintf(ctx, "device %s", device.name);

	case PC_DENY_MAC:
		if (!pc_mac_normalise(value, mac)) {
			pc_error_set(err, "'%s' is not a MAC address (e.g. 00:1e:7a:c3:d1:ab)", value);
			return NULL;
		}
		return talloc_asprintf(ctx, "mac %s", mac);

	case PC_DENY_FINGERPRINT:
		if (!pc_fingerprint_parse(value, fp)) {
			pc_error_set(err, "'%s' is not a SHA-256 fingerprint (64 hex digits, colons allowed)", value);
			return NULL;
		}
		return talloc_asprintf(ctx, "fingerprint %s", fp);

	case PC_DENY_SERIAL:
		if (!pc_fingerprint_parse(value, fp)) {
			pc_error_set(err, "'%s' is not the issuing anchor's SHA-256 fingerprint (64 hex digits, "
				     "colons allowed; see phonecert anchors)", value);
			return NULL;
		}
		if (!value2 || !*value2) {
			pc_error_set(err, "missing the certificate's serial after the anchor's fingerprint");
			return NULL;
		}
		digits = value2;
		if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) digits += 2;
		if (hex_canon(digits, serial + 1, 40) <= 0) goto bad_serial;
		/* As pc_cert_serial_hex prints it: whole bytes, no leading zero byte. */
		canon = serial + 1;
		while (canon[0] == '0' && canon[1]) canon++;
		if (strcmp(canon, "0") == 0) goto bad_serial;
		if (strlen(canon) % 2) *--canon = '0';
		return talloc_asprintf(ctx, "serial %s %s", fp, canon);
	}
	pc_error_set(err, "unknown kind");
	return NULL;

bad_device:
	pc_error_set(err, "'%s' is not a phone device name (SEP<12 hex digits> or CP-<model>-SEP<12 hex digits>)", value);
	return NULL;

bad_serial:
	pc_error_set(err, "'%s' is not a certificate serial (1 to 20 bytes of hex, not zero)", value2);
	return NULL;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s)) s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1])) *--end = '\0';
	return s;
}

/** The next blank-separated word of *p, NUL-terminated in place, or NULL at the end. */
static char *next_word(char **p)
{
	char *s = *p, *w;

	while (isspace((unsigned char)*s)) s++;
	if (!*s) return NULL;
	w = s;
	while (*s && !isspace((unsigned char)*s)) s++;
	if (*s) *s++ = '\0';
	*p = s;
	return w;
}

static int parse_entry(pc_deny_t *deny, int line, char *text, pc_error_t *err)
{
	char *p = text, *word, *values[2] = { NULL, NULL }, *note = NULL, *expires = NULL;
	unsigned int nvalues = 0;
	pc_deny_entry_t *e;
	pc_deny_kind_t kind;
	pc_error_t why;
	char *key;
	size_t i;

	word = next_word(&p);
	if (!pc_deny_kind_from_name(word, &kind)) {
		pc_error_set(err, "%s:%d: unknown entry kind '%s' (expected device, mac, fingerprint or serial)",
			     deny->path, line, word);
		return -1;
	}
	while (!note && (word = next_word(&p)) != NULL) {
		if (strncmp(word, "note=", 5) == 0) {
			/* The note is the rest of the line, spaces included. */
			note = word + 5;
			if (*p) note[strlen(note)] = ' ';
			note = trim(note);
		} else if (strncmp(word, "expires=", 8) == 0) {
			if (expires) {
				pc_error_set(err, "%s:%d: expires= given twice", deny->path, line);
				return -1;
			}
			expires = word + 8;
		} else if (expires) {
			pc_error_set(err, "%s:%d: '%s' after expires= (only note= may follow)", deny->path, line, word);
			return -1;
		} else if (nvalues < 2) {
			values[nvalues++] = word;
		} else {
			pc_error_set(err, "%s:%d: unexpected '%s'", deny->path, line, word);
			return -1;
		}
	}
	key = pc_deny_key(deny, kind, values[0], values[1], &why);
	if (!key) {
		pc_error_set(err, "%s:%d: %s", deny->path, line, why.msg);
		return -1;
	}

	e = &deny->entries[deny->count];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->key = key;
	e->line = line;
	e->note = "";
	if (expires && !pc_time_parse(expires, &e->expires)) {
		pc_error_set(err, "%s:%d: expires: cannot parse time '%s' (expected e.g. 2027-06-30 or "
			     "2027-06-30T18:00:00Z)", deny->path, line, expires);
		return -1;
	}
	if (note) {
		size_t len = strlen(note);

		if (len > PC_DENY_NOTE_MAX) {
			pc_error_set(err, "%s:%d: note longer than %d bytes", deny->path, line, PC_DENY_NOTE_MAX);
			return -1;
		}
		for (i = 0; i < len; i++) {
			/* Notes go into log lines: printable ASCII only. */
			if ((unsigned char)note[i] < 0x20 || (unsigned char)note[i] > 0x7e) {
				pc_error_set(err, "%s:%d: note holds a control or non-ASCII byte", deny->path, line);
				return -1;
			}
		}
		e->note = talloc_strdup(deny, note);
		if (!e->note) {
			pc_error_set(err, "%s:%d: out of memory", deny->path, line);
			return -1;
		}
	}
	deny->count++;
	return 0;
}

int pc_deny_parse(TALLOC_CTX *ctx, char const *path, char const *text, size_t len, pc_deny_t **out,
		  pc_error_t *err)
{
	pc_deny_t *deny;
	char const *p = text, *end = text + len;
	char buf[DENY_LINE_MAX + 1];
	unsigned int lines = 0;
	int line = 0;

	*out = NULL;
	deny = talloc_zero(ctx, pc_deny_t);
	if (!deny || !(deny->path = talloc_strdup(deny, path))) goto oom;
	if (len > PC_DENY_FILE_MAX) {
		pc_error_set(err, "%s: larger than %d bytes", path, PC_DENY_FILE_MAX);
		goto fail;
	}
	if (memchr(text, '\0', len)) {
		pc_error_set(err, "%s: contains a NUL byte: not a text file", path);
		goto fail;
	}
	if (!pc_sha256_hex(text, len, deny->digest)) {
		pc_error_set_openssl(err, "%s: cannot compute its digest", path);
		goto fail;
	}
	for (p = text; p < end; p++) {
		if (*p == '\n') lines++;
	}
	deny->entries = talloc_zero_array(deny, pc_deny_entry_t, lines + 1);
	if (!deny->entries) goto oom;

	for (p = text; p < end;) {
		char const *nl = memchr(p, '\n', (size_t)(end - p));
		size_t linelen = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *s;

		line++;
		if (linelen > DENY_LINE_MAX) {
			pc_error_set(err, "%s:%d: line longer than %d bytes", path, line, DENY_LINE_MAX);
			goto fail;
		}
		memcpy(buf, p, linelen);
		buf[linelen] = '\0';
		p += linelen + (nl ? 1 : 0);
		s = trim(buf);
		if (!*s || *s == '#') continue;
		if (parse_entry(deny, line, s, err) < 0) goto fail;
	}
	if (table_build(deny, err) < 0) goto fail;
	*out = deny;
	return 0;

oom:
	pc_error_set(err, "%s: out of memory", path);
fail:
	talloc_free(deny);
	return -1;
}

int pc_deny_load(TALLOC_CTX *ctx, char const *path, pc_deny_t **out, pc_error_t *err)
{
	char *text;
	size_t len;
	int rcode;

	*out = NULL;
	if (pc_file_read(ctx, path, PC_DENY_FILE_MAX, &text, &len, err) < 0) return -1;
	rcode = pc_deny_parse(ctx, path, text, len, out, err);
	talloc_free(text);
	return rcode;
}

char const *pc_deny_path(pc_deny_t const *deny)
{
	return deny->path;
}

char const *pc_deny_digest(pc_deny_t const *deny)
{
	return deny->digest;
}

unsigned int pc_deny_count(pc_deny_t const *deny)
{
	return deny ? deny->count : 0;
}

pc_deny_entry_t const *pc_deny_entry(pc_deny_t const *deny, unsigned int index)
{
	return (deny && index < deny->count) ? &deny->entries[index] : NULL;
}

bool pc_deny_entry_active(pc_deny_entry_t const *entry, time_t now)
{
	return entry->expires == 0 || now < entry->expires;
}

static pc_deny_entry_t const *active(pc_deny_entry_t const *e, time_t now)
{
	return (e && pc_deny_entry_active(e, now)) ? e : NULL;
}

pc_deny_entry_t const *pc_deny_find(pc_deny_t const *deny, time_t now, char const *device_name,
				    char const *cert_mac, char const *csid_mac, char const *fingerprint,
				    char const *anchor_fp, unsigned char const *serial, unsigned int serial_len)
{
	pc_deny_entry_t const *e;
	deny_bin_t key;

	if (!deny || deny->count == 0) return NULL;
	/* A value that does not decode cannot be in the table: every entry's key decoded at load. */
	if (fingerprint && bin_fp(&key, PC_DENY_FINGERPRINT, fingerprint, NULL, 0) &&
	    (e = active(table_find(deny, &key), now))) return e;
	if (anchor_fp && serial && bin_fp(&key, PC_DENY_SERIAL, anchor_fp, serial, serial_len) &&
	    (e = active(table_find(deny, &key), now))) return e;
	if (device_name && strncmp(device_name, "SEP", 3) == 0 && bin_mac(&key, PC_DENY_DEVICE, device_name + 3) &&
	    (e = active(table_find(deny, &key), now))) return e;
	if (cert_mac && bin_mac(&key, PC_DENY_MAC, cert_mac) && (e = active(table_find(deny, &key), now))) return e;
	/* Mostly the switch's Calling-Station-Id is the certificate's MAC: probed already. */
	if (csid_mac && (!cert_mac || strcmp(csid_mac, cert_mac) != 0) && bin_mac(&key, PC_DENY_MAC, csid_mac) &&
	    (e = active(table_find(deny, &key), now))) return e;
	return NULL;
}
