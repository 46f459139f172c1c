/**
 * @file radius_packet.c
 * @brief Encode RFC 5176 requests and check their answers (authenticators with OpenSSL).
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "radius_packet.h"

#define ATTR_MAX_VALUE	253

static void put_length(uint8_t *data, size_t len)
{
	data[2] = (uint8_t)(len >> 8);
	data[3] = (uint8_t)(len & 0xff);
}

void pc_radius_request_init(pc_radius_request_t *req, uint8_t code, uint8_t id)
{
	memset(req, 0, sizeof(*req));
	req->data[0] = code;
	req->data[1] = id;
	req->len = PC_RADIUS_HEADER_LEN;
}

int pc_radius_request_add(pc_radius_request_t *req, uint8_t type, void const *value, size_t len,
			  pc_error_t *err)
{
	if (req->signed_) {
		pc_error_set(err, "attribute %u added after signing", type);
		return -1;
	}
	if (len == 0 || len > ATTR_MAX_VALUE) {
		pc_error_set(err, "attribute %u: value of %zu bytes (1 to %d allowed)", type, len, ATTR_MAX_VALUE);
		return -1;
	}
	/* Room is kept for the Message-Authenticator that signing appends. */
	if (req->len + 2 + len + 2 + PC_RADIUS_AUTH_LEN > sizeof(req->data)) {
		pc_error_set(err, "attribute %u: the packet would exceed %d bytes", type, PC_RADIUS_MAX_LEN);
		return -1;
	}
	req->data[req->len] = type;
	req->data[req->len + 1] = (uint8_t)(len + 2);
	memcpy(req->data + req->len + 2, value, len);
	req->len += len + 2;
	return 0;
}

int pc_radius_request_add_string(pc_radius_request_t *req, uint8_t type, char const *value, pc_error_t *err)
{
	return pc_radius_request_add(req, type, value, strlen(value), err);
}

int pc_radius_request_add_uint32(pc_radius_request_t *req, uint8_t type, uint32_t value, pc_error_t *err)
{
	uint8_t be[4] = { (uint8_t)(value >> 24), (uint8_t)(value >> 16), (uint8_t)(value >> 8), (uint8_t)value };

	return pc_radius_request_add(req, type, be, sizeof(be), err);
}

int pc_radius_request_add_vsa(pc_radius_request_t *req, uint32_t vendor, uint8_t vendor_type,
			      void const *value, size_t len, pc_error_t *err)
{
	uint8_t vsa[ATTR_MAX_VALUE];

	/* Vendor-Id (4), vendor type (1), vendor length (1), value. */
	if (len == 0 || len + 6 > sizeof(vsa)) {
		pc_error_set(err, "vendor %u attribute %u: value of %zu bytes (1 to %d allowed)",
			     vendor, vendor_type, len, ATTR_MAX_VALUE - 6);
		return -1;
	}
	vsa[0] = (uint8_t)(vendor >> 24);
	vsa[1] = (uint8_t)(vendor >> 16);
	vsa[2] = (uint8_t)(vendor >> 8);
	vsa[3] = (uint8_t)vendor;
	vsa[4] = vendor_type;
	vsa[5] = (uint8_t)(len + 2);
	memcpy(vsa + 6, value, len);
	return pc_radius_request_add(req, PC_RADIUS_VENDOR_SPECIFIC, vsa, len + 6, err);
}

/** MD5 over the packet's bytes followed by the secret. */
static int md5_with_secret(uint8_t const *data, size_t len, uint8_t const *secret, size_t secret_len,
			   uint8_t out[PC_RADIUS_AUTH_LEN])
{
	EVP_MD_CTX	*md = EVP_MD_CTX_new();
	unsigned int	out_len = 0;
	int		ok;

	if (!md) return -1;
	ok = EVP_DigestInit_ex(md, EVP_md5(), NULL) == 1 &&
	     EVP_DigestUpdate(md, data, len) == 1 &&
	     (secret_len == 0 || EVP_DigestUpdate(md, secret, secret_len) == 1) &&
	     EVP_DigestFinal_ex(md, out, &out_len) == 1 && out_len == PC_RADIUS_AUTH_LEN;
	EVP_MD_CTX_free(md);
	return ok ? 0 : -1;
}

static int hmac_md5(uint8_t const *data, size_t len, uint8_t const *secret, size_t secret_len,
		    uint8_t out[PC_RADIUS_AUTH_LEN])
{
	unsigned int out_len = 0;

	/* HMAC() wants a non-NULL key even when it is empty. */
	if (!HMAC(EVP_md5(), secret_len ? secret : (uint8_t const *)"", (int)secret_len, data, len, out, &out_len)) {
		return -1;
	}
	return out_len == PC_RADIUS_AUTH_LEN ? 0 : -1;
}

int pc_radius_request_sign(pc_radius_request_t *req, uint8_t const *secret, size_t secret_len, pc_error_t *err)
{
	static uint8_t const zero[PC_RADIUS_AUTH_LEN];
	uint8_t mac[PC_RADIUS_AUTH_LEN];

	if (req->signed_) {
		pc_error_set(err, "request signed twice");
		return -1;
	}
	if (pc_radius_request_add(req, PC_RADIUS_MESSAGE_AUTHENTICATOR, zero, sizeof(zero), err) < 0) return -1;
	req->msg_auth_at = req->len - PC_RADIUS_AUTH_LEN;
	req->signed_ = true;
	put_length(req->data, req->len);

	/* Both are computed with a zero Request Authenticator, the Message-Authenticator first. */
	memset(req->data + 4, 0, PC_RADIUS_AUTH_LEN);
	if (hmac_md5(req->data, req->len, secret, secret_len, mac) < 0) {
		pc_error_set_openssl(err, "HMAC-MD5 failed");
		return -1;
	}
	memcpy(req->data + req->msg_auth_at, mac, sizeof(mac));
	if (md5_with_secret(req->data, req->len, secret, secret_len, mac) < 0) {
		pc_error_set_openssl(err, "MD5 failed");
		return -1;
	}
	memcpy(req->data + 4, mac, sizeof(mac));
	return 0;
}

/** Whether code answers the request code. */
static bool answers(uint8_t request, uint8_t code, bool *ack)
{
	*ack = (code == PC_RADIUS_DISCONNECT_ACK || code == PC_RADIUS_COA_ACK);
	if (request == PC_RADIUS_DISCONNECT_REQUEST) return code == PC_RADIUS_DISCONNECT_ACK || code == PC_RADIUS_DISCONNECT_NAK;
	if (request == PC_RADIUS_COA_REQUEST) return code == PC_RADIUS_COA_ACK || code == PC_RADIUS_COA_NAK;
	return false;
}

/** The Message-Authenticator of an answer, with vector in the authenticator field. */
static int answer_mac(uint8_t const *data, size_t len, size_t mac_at, uint8_t const *vector,
		      uint8_t const *secret, size_t secret_len, uint8_t out[PC_RADIUS_AUTH_LEN])
{
	uint8_t copy[PC_RADIUS_MAX_LEN];

	memcpy(copy, data, len);
	memcpy(copy + 4, vector, PC_RADIUS_AUTH_LEN);
	memset(copy + mac_at, 0, PC_RADIUS_AUTH_LEN);
	return hmac_md5(copy, len, secret, secret_len, out);
}

int pc_radius_answer_check(pc_radius_request_t const *req, uint8_t const *data, size_t len,
			   uint8_t const *secret, size_t secret_len, pc_radius_answer_t *out,
			   pc_error_t *err)
{
	static uint8_t const zero[PC_RADIUS_AUTH_LEN];
	uint8_t		copy[PC_RADIUS_MAX_LEN];
	uint8_t		expect[PC_RADIUS_AUTH_LEN];
	size_t		declared, at, mac_at = 0;
	pc_radius_answer_t answer;

	memset(out, 0, sizeof(*out));
	memset(&answer, 0, sizeof(answer));
	if (!req->signed_) {
		pc_error_set(err, "the request was never signed");
		return -1;
	}
	if (len < PC_RADIUS_HEADER_LEN || len > PC_RADIUS_MAX_LEN) {
		pc_error_set(err, "a packet of %zu bytes", len);
		return -1;
	}
	declared = ((size_t)data[2] << 8) | data[3];
	/* RFC 2865 section 3: octets beyond Length are padding, fewer is malformed. */
	if (declared < PC_RADIUS_HEADER_LEN || declared > len) {
		pc_error_set(err, "Length %zu in a packet of %zu bytes", declared, len);
		return -1;
	}
	len = declared;
	if (data[1] != req->data[1]) {
		pc_error_set(err, "identifier %u, not the request's %u", data[1], req->data[1]);
		return -1;
	}
	answer.code = data[0];
	if (!answers(req->data[0], answer.code, &answer.ack)) {
		pc_error_set(err, "code %u does not answer a %s", answer.code, pc_radius_code_name(req->data[0]));
		return -1;
	}

	/* The Response Authenticator before anything in the attributes is believed. */
	memcpy(copy, data, len);
	memcpy(copy + 4, req->data + 4, PC_RADIUS_AUTH_LEN);
	if (md5_with_secret(copy, len, secret, secret_len, expect) < 0) {
		pc_error_set_openssl(err, "MD5 failed");
		return -1;
	}
	if (CRYPTO_memcmp(expect, data + 4, PC_RADIUS_AUTH_LEN) != 0) {
		pc_error_set(err, "wrong Response Authenticator (another shared secret?)");
		return -1;
	}

	for (at = PC_RADIUS_HEADER_LEN; at < len; at += data[at + 1]) {
		uint8_t type, alen;

		if (len - at < 2 || data[at + 1] < 2 || data[at + 1] > len - at) {
			pc_error_set(err, "malformed attribute at offset %zu", at);
			return -1;
		}
		type = data[at];
		alen = data[at + 1];
		if (type == PC_RADIUS_MESSAGE_AUTHENTICATOR) {
			if (alen != 2 + PC_RADIUS_AUTH_LEN || mac_at) {
				pc_error_set(err, "malformed or repeated Message-Authenticator");
				return -1;
			}
			mac_at = at + 2;
		} else if (type == PC_RADIUS_ERROR_CAUSE) {
			if (alen != 6 || answer.has_error_cause) {
				pc_error_set(err, "malformed or repeated Error-Cause");
				return -1;
			}
			answer.has_error_cause = true;
			answer.error_cause = ((uint32_t)data[at + 2] << 24) | ((uint32_t)data[at + 3] << 16) |
					     ((uint32_t)data[at + 4] << 8) | data[at + 5];
		}
	}

	if (mac_at) {
		uint8_t mac[PC_RADIUS_AUTH_LEN];
		bool good;

		if (answer_mac(data, len, mac_at, req->data + 4, secret, secret_len, mac) < 0) {
			pc_error_set_openssl(err, "HMAC-MD5 failed");
			return -1;
		}
		good = CRYPTO_memcmp(mac, data + mac_at, PC_RADIUS_AUTH_LEN) == 0;
		if (!good) {
			if (answer_mac(data, len, mac_at, zero, secret, secret_len, mac) < 0) {
				pc_error_set_openssl(err, "HMAC-MD5 failed");
				return -1;
			}
			good = CRYPTO_memcmp(mac, data + mac_at, PC_RADIUS_AUTH_LEN) == 0;
		}
		if (!good) {
			pc_error_set(err, "wrong Message-Authenticator");
			return -1;
		}
		answer.has_msg_auth = true;
	}
	*out = answer;
	return 0;
}

static struct {
	uint32_t	value;
	char const	*name;
} const error_causes[] = {
	{ 201, "Residual-Context-Removed" },
	{ 202, "Invalid-EAP-Packet" },
	{ 401, "Unsupported-Attribute" },
	{ 402, "Missing-Attribute" },
	{ 403, "NAS-Identification-Mismatch" },
	{ 404, "Invalid-Request" },
	{ 405, "Unsupported-Service" },
	{ 406, "Unsupported-Extension" },
	{ 407, "Invalid-Attribute-Value" },
	{ 501, "Administratively-Prohibited" },
	{ 502, "Request-Not-Routable" },
	{ 503, "Session-Context-Not-Found" },
	{ 504, "Session-Context-Not-Removable" },
	{ 505, "Other-Proxy-Processing-Error" },
	{ 506, "Resources-Unavailable" },
	{ 507, "Request-Initiated" },
	{ 508, "Multiple-Session-Selection-Unsupported" },
};

char const *pc_radius_error_cause_name(uint32_t value)
{
	size_t i;

	for (i = 0; i < sizeof(error_causes) / sizeof(error_causes[0]); i++) {
		if (error_causes[i].value == value) return error_causes[i].name;
	}
	return NULL;
}

char const *pc_radius_code_name(uint8_t code)
{
	switch (code) {
	case PC_RADIUS_DISCONNECT_REQUEST: return "Disconnect-Request";
	case PC_RADIUS_DISCONNECT_ACK: return "Disconnect-ACK";
	case PC_RADIUS_DISCONNECT_NAK: return "Disconnect-NAK";
	case PC_RADIUS_COA_REQUEST: return "CoA-Request";
	case PC_RADIUS_COA_ACK: return "CoA-ACK";
	case PC_RADIUS_COA_NAK: return "CoA-NAK";
	default: return "unknown";
	}
}
