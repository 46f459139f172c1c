/**
 * @file rollover.h
 * @brief The rollover report: what the ledger says about each anchor, gathered once and
 *	  printed as text, JSON (rollover.c) or one self-contained HTML page (rollover_html.c).
 *
 * Every string in it comes from the ledger, which RADIUS requests fill (device names,
 * NAS-Port-Id...): hostile until escaped by the writer that prints it.
 */
#ifndef PHONECERT_CLI_ROLLOVER_H
#define PHONECERT_CLI_ROLLOVER_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include <phonecert/config.h>
#include <phonecert/error.h>

#include "ledger_db.h"

/** At most this many days in the window (and points in the chart). */
#define PC_ROLLOVER_DAYS_MAX 3650

/** One device row of phonecert_device, as listed in the report (strings under the report). */
typedef struct {
	char const	*device;
	char const	*mac;
	char const	*model;
	char const	*kind;
	char const	*anchor;
	char const	*nas_ip;
	char const	*nas_id;
	char const	*nas_port_id;
	char const	*server;
	char const	*reason;
	bool		accepted;
	time_t		last_seen;
} pc_rollover_phone_t;

/** A device whose anchor changed from a retiring anchor to another one (its latest such change). */
typedef struct {
	char const	*device;
	char const	*mac;
	char const	*model;
	char const	*to_anchor;	//!< The ledger's name of the anchor it moved to.
	char const	*server;
	time_t		at;
} pc_rollover_move_t;

typedef enum {
	PC_VERDICT_NONE = 0,		//!< Not retiring: nothing to close.
	PC_VERDICT_SAFE,		//!< Retiring, window open, no phone on it in the window.
	PC_VERDICT_BLOCKED,		//!< Retiring, window open, phones on it would be refused.
	PC_VERDICT_CLOSED,		//!< Retiring, window closed, no phone on it: remove the anchor.
	PC_VERDICT_CLOSED_REFUSED	//!< Retiring, window closed, its phones are refused now.
} pc_verdict_t;

typedef struct {
	char const	*name;		//!< The configuration's name; without a configuration, the ledger's.
	char		fingerprint[65];	//!< SHA-256 of the anchor, lower-case hex: the key.
	char const	*role;		//!< "lsc", "mic"; without a configuration, the kind its phones presented.
	char const	*state;		//!< "active", "retiring", "disabled" (without a configuration: the ledger's).
	bool		configured;	//!< In the configuration given with --config.
	time_t		trust_until;	//!< Retiring anchors of the configuration; 0 when unknown.

	char const	**ledger_names;	//!< The names the ledger's rows give this fingerprint.
	unsigned int	ledger_name_count;

	long long	phones;		//!< Devices on it seen in the window.
	long long	accepted;	//!< Of those, admitted at their latest decision.
	long long	ever;		//!< Devices on it in the whole ledger.
	time_t		last_presented;	//!< The latest last_seen of those, 0 if none.

	/* Retiring anchors only. */
	pc_verdict_t	verdict;
	char		*verdict_text;
	pc_rollover_phone_t *on;	//!< Phones still on it in the window (at most the listing limit).
	unsigned int	on_listed;
	pc_rollover_move_t *moved;	//!< Phones that moved away and stayed away (at most the limit).
	unsigned int	moved_listed;
	long long	moved_count;
	unsigned int	*chart_old;	//!< Per day (days + 1 points): devices on this anchor...
	unsigned int	*chart_new;	//!< ...and on another LSC anchor, at the end of that day.
} pc_rollover_anchor_t;

typedef struct {
	char const	*reason;
	long long	code;
	long long	count;
} pc_rollover_refusal_t;

typedef struct {
	time_t			at;
	unsigned int		days;
	time_t			since;		//!< at - days: the window is last_seen >= since.
	unsigned int		limit;		//!< Listed rows per table (counts are always exact).

	pc_rollover_anchor_t	*anchors;
	unsigned int		anchor_count;

	long long		phones;		//!< Devices seen in the window.
	long long		no_anchor;	//!< Of those, without an anchor (no certificate, unknown CA...).

	pc_rollover_phone_t	*mic_only;	//!< Kind mic in the window, never an LSC in the history.
	unsigned int		mic_only_listed;
	long long		mic_only_count;

	pc_rollover_refusal_t	*refusals;	//!< Devices refused at their latest decision, by reason.
	unsigned int		refusal_count;

	char			**notes;	//!< Name/fingerprint mismatches, unconfigured anchors.
	unsigned int		note_count;

	unsigned int		blocking;	//!< Retiring anchors that still have phones.
} pc_rollover_t;

/**
 * Read the report from the ledger.  cfg may be NULL (the anchors are then the ledger's).
 *
 * @return the report under ctx, or NULL with err set.
 */
pc_rollover_t *pc_rollover_read(TALLOC_CTX *ctx, pc_ledger_db_t *db, pc_config_t const *cfg, time_t at,
				unsigned int days, unsigned int limit, pc_error_t *err) PC_MUST_CHECK;

/** The date (UTC, "YYYY-MM-DD") of chart point i. */
time_t pc_rollover_day(pc_rollover_t const *r, unsigned int i);

/** Write the report as one self-contained HTML page (no network, no script). */
void pc_rollover_html(FILE *fp, pc_rollover_t const *r);

/** Write bytes HTML-escaped; control, DEL and non-ASCII bytes as the text "\xHH" (inert). */
void pc_cli_html_put(FILE *fp, char const *value);

#endif
