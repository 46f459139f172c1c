/**
 * @file phonecert/reply.h
 * @brief What the switch is told on an accept, as plain (attribute, value) pairs.
 */
#ifndef PHONECERT_REPLY_H
#define PHONECERT_REPLY_H

#include <phonecert/config.h>
#include <phonecert/decide.h>

#define PC_REPLY_MAX 6

typedef struct {
	char const	*attribute;	//!< Dictionary name, e.g. "Cisco-AVPair".
	char		value[80];
} pc_reply_item_t;

/**
 * The reply attributes for an accepted decision under the policy's reply profile.
 * @return the number of items written (0 for a refusal).
 */
unsigned int pc_reply_plan(pc_policy_t const *policy, pc_decision_t const *decision,
			   pc_reply_item_t out[PC_REPLY_MAX]);

/**
 * The reply attributes for any accepted phone of this kind (LSC or MIC): an accept's reply
 * depends on nothing else, so the module builds both once per (re)load.
 * @return the number of items written (0 for PC_KIND_UNKNOWN).
 */
unsigned int pc_reply_plan_kind(pc_policy_t const *policy, pc_kind_t kind, pc_reply_item_t out[PC_REPLY_MAX]);

#endif
