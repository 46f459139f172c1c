/**
 * @file hex.c
 * @brief Lower-case hex and SHA-256 digests (see phonecert/hex.h).
 */
#include <ctype.h>

#include <openssl/evp.h>

#include <phonecert/hex.h>

void pc_hex_encode(void const *data, size_t len, char *out)
{
	static char const digits[] = "0123456789abcdef";
	unsigned char const *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

bool pc_sha256_hex(void const *data, size_t len, char out[PC_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	out[0] = '\0';
	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32) return false;
	pc_hex_encode(md, mdlen, out);
	return true;
}

bool pc_x509_fingerprint(X509 *cert, char out[PC_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	out[0] = '\0';
	if (!cert || X509_digest(cert, EVP_sha256(), md, &mdlen) != 1 || mdlen != 32) return false;
	pc_hex_encode(md, mdlen, out);
	return true;
}

bool pc_fingerprint_parse(char const *text, char out[PC_SHA256_HEX])
{
	size_t n = 0;

	for (; *text; text++) {
		unsigned char c = (unsigned char)*text;

		if (c == ':') continue;
		if (!isxdigit(c) || n == 64) return false;
		out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
	return n == 64;
}
