/**
 * @file coa_send.h
 * @brief Send signed RFC 5176 requests to one switch over UDP and collect its answers.
 *
 * All the requests of one exchange are in flight together (one per RADIUS identifier, so at
 * most 256), each retransmitted unchanged when its timeout expires.  A datagram counts as an
 * answer only if it comes from the switch's address and port, carries the identifier of a
 * request still waiting, and passes pc_radius_answer_check() (authenticators); anything
 * else is ignored and counted.
 */
#ifndef PHONECERT_CLI_COA_SEND_H
#define PHONECERT_CLI_COA_SEND_H

#include <stdint.h>

#include <phonecert/error.h>

#include "radius_packet.h"

#define PC_COA_MAX_INFLIGHT 256

typedef enum {
	PC_COA_WAITING = 0,	//!< Not answered yet (becomes TIMEOUT when the tries run out).
	PC_COA_ANSWERED,	//!< answer holds the verified ACK or NAK.
	PC_COA_TIMEOUT
} pc_coa_state_t;

typedef struct {
	pc_radius_request_t	req;		//!< Signed by the caller; identifiers distinct.
	pc_coa_state_t		state;
	pc_radius_answer_t	answer;
	unsigned int		sent;		//!< Transmissions (1 + retransmissions).
} pc_coa_exchange_t;

typedef struct {
	char const	*addr;		//!< The switch, IPv4 or IPv6 text.
	uint16_t	port;
	uint8_t const	*secret;
	size_t		secret_len;
	unsigned int	timeout_ms;	//!< Wait for an answer this long before retransmitting.
	unsigned int	retries;	//!< Retransmissions after the first transmission.
} pc_coa_target_t;

/**
 * Run the exchanges (n at most PC_COA_MAX_INFLIGHT) to their end: every one answered or
 * timed out.  *ignored counts the datagrams refused (another source, unknown identifier,
 * bad authenticator...); last_refusal, if not NULL, receives why the last one was.
 *
 * @return 0; -1 with err set when no socket could be used (the exchanges keep their state).
 */
int pc_coa_send(pc_coa_target_t const *target, pc_coa_exchange_t *xs, unsigned int n,
		unsigned int *ignored, pc_error_t *last_refusal, pc_error_t *err) PC_MUST_CHECK;

#endif
