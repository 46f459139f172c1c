/**
 * @file reply.c
 * @brief The attributes an accept carries to the switch, per reply profile.
 */
#include <stdio.h>
#include <string.h>

#include <phonecert/reply.h>

static unsigned int add(pc_reply_item_t *out, unsigned int n, char const *attribute, char const *value)
{
	if (n >= PC_REPLY_MAX) return n;
	out[n].attribute = attribute;
	snprintf(out[n].value, sizeof(out[n].value), "%s", value);
	return n + 1;
}

unsigned int pc_reply_plan(pc_policy_t const *policy, pc_decision_t const *decision, pc_reply_item_t out[PC_REPLY_MAX])
{
	if (!pc_decision_accepts(decision)) return 0;
	return pc_reply_plan_kind(policy, decision->kind, out);
}

unsigned int pc_reply_plan_kind(pc_policy_t const *policy, pc_kind_t kind, pc_reply_item_t out[PC_REPLY_MAX])
{
	char const *vlan;
	bool voice;
	unsigned int n = 0;

	switch (kind) {
	case PC_KIND_LSC:
		vlan = policy->lsc_vlan;
		voice = policy->lsc_voice;
		break;

	case PC_KIND_MIC:
		vlan = policy->mic_vlan;
		voice = policy->mic_voice;
		break;

	case PC_KIND_UNKNOWN:
	default:
		return 0;
	}

	switch (policy->reply_profile) {
	case PC_REPLY_CISCO:
		if (voice) n = add(out, n, "Cisco-AVPair", "device-traffic-class=voice");
		break;

	case PC_REPLY_ARUBA_CX:
		if (voice) n = add(out, n, "Aruba-Device-Traffic-Class", "1");
		break;

	case PC_REPLY_JUNIPER:
		/* Juniper names the voice VLAN itself; without one there is nothing to say. */
		if (voice && vlan) return add(out, n, "Juniper-VoIP-Vlan", vlan);
		break;

	case PC_REPLY_NONE:
		break;
	}

	if (vlan) {
		n = add(out, n, "Tunnel-Type", "VLAN");
		n = add(out, n, "Tunnel-Medium-Type", "IEEE-802");
		n = add(out, n, "Tunnel-Private-Group-Id", vlan);
	}
	return n;
}
