/**
 * @file subject.c
 * @brief Defensive reading of subjects in X509_NAME_oneline() form ("/C=AU/O=x/OU=y+CN=z").
 *
 * What OpenSSL 3 writes (and FreeRADIUS hands us as TLS-Client-Cert-Subject): '/' before each
 * RDN and '+' between the attributes of a multi-valued RDN, each as "KEY=value" (KEY a short
 * name or a dotted OID).  In values, '/' and '+' are escaped as "\/" and "\+", bytes outside
 * ' '..'~' as "\xHH", and a backslash itself is not escaped.  So "\/CN=" is either a slash
 * inside a value or a value ending with a backslash followed by a real CN: O="evil/CN=SEP..."
 * and O="evil\", CN="SEP..." print the same.  We read every "/KEY=" and "+KEY=" as the start
 * of a component, escaped or not, and flag the escaped ones as ambiguous; the decision refuses
 * such subjects rather than guess.
 *
 * FreeRADIUS prints into a 1024-byte buffer, and OpenSSL drops a component that does not fit
 * there whole, together with every component after it: the string stays well formed, often
 * far shorter than the buffer, and nothing in it shows the loss.  What still holds: the first
 * CN (the device name) is either kept or missing, and a missing one disagrees with
 * TLS-Client-Cert-Common-Name (read from the certificate), which the decision refuses.  What
 * cannot be seen is a later CN or serialNumber that was dropped, so the refusal of several
 * CNs only covers the components FreeRADIUS kept.  `truncated` reports the one case the string
 * does show: a subject that fills the buffer.
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

/** Whether a component starts at p: '/' (a new RDN) or '+' (same RDN), then "KEY=". */
static bool component_starts(char const *p)
{
	return (p[0] == '/' || p[0] == '+') && key_length(p + 1) > 0;
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
	while (component_starts(p)) {
		char const *key = p + 1, *value, *end;
		size_t klen = key_length(key);

		value = key + klen + 1;

		/* The value runs to the next component or the end. */
		end = value;
		while (*end && !component_starts(end)) end++;
		if (*end && end > value && end[-1] == '\\') out->ambiguous = true;

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
