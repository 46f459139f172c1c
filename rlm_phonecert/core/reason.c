/**
 * @file reason.c
 * @brief Lookups into the one reason table of phonecert/reason.h.
 */
#include <stddef.h>
#include <string.h>

#include <phonecert/reason.h>

typedef struct {
	pc_reason_t	reason;
	bool		accept;
	char const	*name;
	char const	*advice;
} reason_row_t;

static reason_row_t const reason_rows[] = {
#define PC_REASON_ROW(id, number, accept, text, advice) { PC_REASON_##id, accept, text, advice },
	PC_REASON_TABLE(PC_REASON_ROW)
#undef PC_REASON_ROW
};

#define REASON_ROWS (sizeof(reason_rows) / sizeof(reason_rows[0]))

static reason_row_t const *reason_row(pc_reason_t reason)
{
	size_t i;

	for (i = 0; i < REASON_ROWS; i++) {
		if (reason_rows[i].reason == reason) return &reason_rows[i];
	}
	return NULL;
}

char const *pc_reason_name(pc_reason_t reason)
{
	reason_row_t const *row = reason_row(reason);

	return row ? row->name : "unknown";
}

char const *pc_reason_advice(pc_reason_t reason)
{
	reason_row_t const *row = reason_row(reason);

	return row ? row->advice : "Unknown reason code.";
}

char const *pc_reason_advice_role(pc_reason_t reason, bool mic_anchor)
{
	if (mic_anchor) {
		switch (reason) {
		case PC_REASON_CAPF_DISABLED:
			return "MIC issued by a manufacturing CA that the admin disabled: install an LSC on the phone "
			       "through CAPF, or enable that manufacturing CA again.";
		case PC_REASON_CAPF_WINDOW_CLOSED:
			return "MIC issued by a manufacturing CA whose trust_until has passed: install an LSC on the "
			       "phone through CAPF, then remove that manufacturing CA.";
		case PC_REASON_CAPF_KEY_MISMATCH:
			return "The issuer has the name of an uploaded manufacturing CA but another key: a manufacturing "
			       "CA is never regenerated under the same name, so the certificate is forged or comes from "
			       "a CA that is not Cisco's. Do not upload anything to make this pass; investigate the device.";
		case PC_REASON_ANCHOR_EXPIRED:
			return "The manufacturing CA that issued this MIC has expired: MICs under it can no longer be "
			       "verified. Install an LSC on the phone through CAPF.";
		default:
			break;
		}
	}
	return pc_reason_advice(reason);
}

bool pc_reason_is_accept(pc_reason_t reason)
{
	reason_row_t const *row = reason_row(reason);

	return row ? row->accept : false;
}

bool pc_reason_from_name(char const *name, pc_reason_t *out)
{
	size_t i;

	for (i = 0; i < REASON_ROWS; i++) {
		if (strcmp(reason_rows[i].name, name) == 0) {
			*out = reason_rows[i].reason;
			return true;
		}
	}
	return false;
}

unsigned int pc_reason_count(void)
{
	return REASON_ROWS;
}

pc_reason_t pc_reason_at(unsigned int index)
{
	return index < REASON_ROWS ? reason_rows[index].reason : PC_REASON_INTERNAL_ERROR;
}
