/**
 * @file radius_packet.h
 * @brief Dynamic Authorization (RFC 5176) requests and their answers: encode a
 *	  Disconnect-Request or CoA-Request, check and decode a switch's ACK or NAK.
 *
 * Only what "phonecert disconnect" sends is covered: string, address and integer attributes,
 * one Vendor-Specific attribute, and Message-Authenticator (RFC 3579), always included.
 *
 * Authenticators:
 * - a request's Request Authenticator is MD5(Code, Identifier, Length, 16 zero octets,
 *   Attributes, Secret) (RFC 5176 section 2.3), computed after its Message-Authenticator,
 *   which is HMAC-MD5 keyed by the secret over the packet with a zero authenticator and a
 *   zero Message-Authenticator value (RFC 5176 section 3.1, RFC 3579 section 3.2);
 * - an answer's Response Authenticator is MD5(Code, Identifier, Length, Request
 *   Authenticator, Attributes, Secret) (RFC 5176 section 2.3, as RFC 2866).  Its
 *   Message-Authenticator, when present, is HMAC-MD5 over the answer with the Request
 *   Authenticator in the authenticator field.  FreeRADIUS 3.x signs its ACKs and NAKs with 16
 *   zero octets there instead; both forms are accepted (each proves knowledge of the secret).
 *
 * No function here prints or logs: failures leave a message in a pc_error_t.
 */
#ifndef PHONECERT_CLI_RADIUS_PACKET_H
#define PHONECERT_CLI_RADIUS_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <phonecert/error.h>

/** Packet codes (RFC 5176 section 2). */
#define PC_RADIUS_DISCONNECT_REQUEST	40
#define PC_RADIUS_DISCONNECT_ACK	41
#define PC_RADIUS_DISCONNECT_NAK	42
#define PC_RADIUS_COA_REQUEST		43
#define PC_RADIUS_COA_ACK		44
#define PC_RADIUS_COA_NAK		45

/** Attribute types used here. */
#define PC_RADIUS_NAS_IP_ADDRESS	4
#define PC_RADIUS_VENDOR_SPECIFIC	26
#define PC_RADIUS_CALLING_STATION_ID	31
#define PC_RADIUS_EVENT_TIMESTAMP	55
#define PC_RADIUS_MESSAGE_AUTHENTICATOR	80
#define PC_RADIUS_NAS_PORT_ID		87
#define PC_RADIUS_ERROR_CAUSE		101

#define PC_RADIUS_VENDOR_CISCO		9
#define PC_RADIUS_CISCO_AVPAIR		1

#define PC_RADIUS_HEADER_LEN		20
#define PC_RADIUS_AUTH_LEN		16
/** RFC 2865 section 3: the largest packet. */
#define PC_RADIUS_MAX_LEN		4096

/** A request being built, then sent (the same bytes on every retransmission). */
typedef struct {
	uint8_t		data[PC_RADIUS_MAX_LEN];
	size_t		len;		//!< Bytes used so far (header included).
	size_t		msg_auth_at;	//!< Offset of the Message-Authenticator value, 0 until added.
	bool		signed_;	//!< pc_radius_request_sign() was called.
} pc_radius_request_t;

/** Start a request: code (40 or 43) and identifier. */
void pc_radius_request_init(pc_radius_request_t *req, uint8_t code, uint8_t id);

/**
 * Append one attribute (1..253 value bytes).
 * @return 0, or -1 with err set when the value is empty, too long or the packet is full.
 */
int pc_radius_request_add(pc_radius_request_t *req, uint8_t type, void const *value, size_t len,
			  pc_error_t *err) PC_MUST_CHECK;

/** Append a string attribute (the bytes of value, no NUL). */
int pc_radius_request_add_string(pc_radius_request_t *req, uint8_t type, char const *value,
				 pc_error_t *err) PC_MUST_CHECK;

/** Append a 32-bit integer (or date) attribute. */
int pc_radius_request_add_uint32(pc_radius_request_t *req, uint8_t type, uint32_t value,
				 pc_error_t *err) PC_MUST_CHECK;

/** Append a Vendor-Specific attribute holding one vendor attribute (RFC 2865 section 5.26). */
int pc_radius_request_add_vsa(pc_radius_request_t *req, uint32_t vendor, uint8_t vendor_type,
			      void const *value, size_t len, pc_error_t *err) PC_MUST_CHECK;

/**
 * Add Message-Authenticator, then fill in both authenticators with the shared secret.
 * Nothing may be added afterwards.
 * @return 0, or -1 with err set (packet full, OpenSSL failure).
 */
int pc_radius_request_sign(pc_radius_request_t *req, uint8_t const *secret, size_t secret_len,
			   pc_error_t *err) PC_MUST_CHECK;

/** What a verified answer says. */
typedef struct {
	uint8_t		code;		//!< 41/42 or 44/45.
	bool		ack;		//!< Disconnect-ACK or CoA-ACK.
	bool		has_msg_auth;	//!< It carried a (valid) Message-Authenticator.
	bool		has_error_cause;
	uint32_t	error_cause;	//!< Error-Cause (RFC 5176 section 3.5), if has_error_cause.
} pc_radius_answer_t;

/**
 * Check that data (len bytes, as received) answers req, signed with the same secret:
 * well-formed header and attributes, the request's identifier, a code answering the
 * request's code, a correct Response Authenticator, a correct Message-Authenticator if
 * present.  Anything else is refused: a caller ignores such a packet and keeps waiting.
 *
 * @return 0 with *out filled; -1 with err saying why the packet was refused.
 */
int pc_radius_answer_check(pc_radius_request_t const *req, uint8_t const *data, size_t len,
			   uint8_t const *secret, size_t secret_len, pc_radius_answer_t *out,
			   pc_error_t *err) PC_MUST_CHECK;

/** RFC 5176's name of an Error-Cause value ("Session-Context-Not-Found"), or NULL if unknown. */
char const *pc_radius_error_cause_name(uint32_t value);

/** "Disconnect-ACK", "CoA-NAK"...; "unknown" for other codes. */
char const *pc_radius_code_name(uint8_t code);

#endif
