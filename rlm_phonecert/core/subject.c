/**
 * @file subject.c
 * @brief Defensive reading of subjects in X509_NAME_oneline() form ("/C=AU/O=x/CN=y").
 *
 * The oneline form does not escape '/', so a value containing "/CN=" is indistinguishable
 * from a second CN.  We read it the suspicious way: every "/KEY=" starts a component, so
 * such a value counts as another CN and the certificate is refused as ambiguous.
 */
#include <ctype.h>
#include <string.h>

#include <phonecert/facts.h>

/** Length of a "KEY=" prefix at p (KEY is letters, digits, '.'), or 0. */
static size_t key_length(char const *p)
{
	size_t n = 0;

	while (isalnum((unsigned char)p[n]) || p[n] == '.') n++;
	if (n == 0 || p[n] != '=') return 0;
	return n;
}

/** Whether the value contains an "\xHH" escape: a NUL, control or non-ASCII byte. */
static bool has_escape(char const *value, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (value[i] == '\\' && value[i + 1] == 'x') return true;
	}
	return false;
}

bool pc_subject_parse(char const *oneline, pc_subject_t *out)
{
	char const *p;

	memset(out, 0, sizeof(*out));
	if (!oneline || oneline[0] != '/' || key_length(oneline + 1) == 0) return false;
	out->truncated = strlen(oneline) >= PC_ONELINE_MAX;

	p = oneline;
	while (*p == '/') {
		char const *key = p + 1, *value, *end;
		size_t klen = key_length(key);

		if (klen == 0) return false;
		value = key + klen + 1;

		/* The value runs to the next "/KEY=" or the end. */
		end = value;
		while (*end && !(end[0] == '/' && key_length(end + 1) > 0)) end++;

		if (klen == 2 && memcmp(key, "CN", 2) == 0) {
			if (out->cn_count++ == 0) {
				out->cn = value;
				out->cn_len = (size_t)(end - value);
			}
			if (has_escape(value, (size_t)(end - value))) out->escaped = true;
		} else if (klen == 12 && memcmp(key, "serialNumber", 12) == 0) {
			if (!out->serial_number) {
				out->serial_number = value;
				out->serial_number_len = (size_t)(end - value);
			}
			if (has_escape(value, (size_t)(end - value))) out->escaped = true;
		}
		p = end;
	}
	return true;
}
