/**
 * @file rollover_read.c
 * @brief Gather the rollover report from the ledger: a few aggregate queries, each one scan.
 *
 * Sized for 50,000 phones: the per-anchor counts are one GROUP BY over phonecert_device; the
 * lists are bounded by the listing limit (the counts stay exact); the migration chart streams
 * phonecert_history once in (device, at) order, its index's order, and adds each device's
 * anchor intervals to per-day difference arrays instead of asking the database per day.
 *
 * The SQL is the same for SQLite and PostgreSQL, and every ORDER BY ends with a unique key,
 * so both give the same report.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <phonecert/timeval.h>

#include "cli.h"
#include "rollover.h"

#define DAY 86400

typedef struct {
	pc_rollover_t		*r;
	pc_config_t const	*cfg;
	TALLOC_CTX		*ctx;
	bool			oom;
} reader_t;

static long long num(char const *text)
{
	return strtoll(text, NULL, 10);
}

/** A copy of a row value that lives as long as the report. */
static char const *text_keep(reader_t *rd, char const *text)
{
	char *out = talloc_strdup(rd->ctx, text);

	if (!out) {
		rd->oom = true;
		return "";
	}
	return out;
}

static void note(reader_t *rd, char const *fmt, ...) PC_PRINTF(2, 3);
static void note(reader_t *rd, char const *fmt, ...)
{
	pc_rollover_t *r = rd->r;
	char **notes;
	va_list ap;

	notes = talloc_realloc(rd->ctx, r->notes, char *, r->note_count + 1);
	if (!notes) {
		rd->oom = true;
		return;
	}
	r->notes = notes;
	va_start(ap, fmt);
	notes[r->note_count] = talloc_vasprintf(rd->ctx, fmt, ap);
	va_end(ap);
	if (!notes[r->note_count]) {
		rd->oom = true;
		return;
	}
	r->note_count++;
}

static pc_rollover_anchor_t *anchor_find(pc_rollover_t *r, char const *fp)
{
	unsigned int i;

	for (i = 0; i < r->anchor_count; i++) {
		if (strcmp(r->anchors[i].fingerprint, fp) == 0) return &r->anchors[i];
	}
	return NULL;
}

static pc_rollover_anchor_t *anchor_add(reader_t *rd, char const *fp)
{
	pc_rollover_t *r = rd->r;
	pc_rollover_anchor_t *anchors, *a;

	anchors = talloc_realloc(rd->ctx, r->anchors, pc_rollover_anchor_t, r->anchor_count + 1);
	if (!anchors) {
		rd->oom = true;
		return NULL;
	}
	r->anchors = anchors;
	a = &anchors[r->anchor_count++];
	memset(a, 0, sizeof(*a));
	strncpy(a->fingerprint, fp, sizeof(a->fingerprint) - 1);
	a->role = "";
	a->state = "";
	return a;
}

/*
 *	Summary: one row per (anchor_fp, anchor name) of the whole ledger.
 *	Columns: anchor_fp, anchor, state, kind, devices, in window, accepted in window, last_seen.
 */
static char const summary_sql[] =
	"SELECT anchor_fp, anchor, MAX(anchor_state), MAX(kind), COUNT(*),"
	" SUM(CASE WHEN last_seen >= $1 THEN 1 ELSE 0 END),"
	" SUM(CASE WHEN last_seen >= $1 AND accepted = 1 THEN 1 ELSE 0 END), MAX(last_seen)"
	" FROM phonecert_device GROUP BY anchor_fp, anchor ORDER BY anchor_fp, anchor";

static int summary_row(void *uctx, unsigned int ncols, char const *const *v)
{
	reader_t *rd = uctx;
	pc_rollover_t *r = rd->r;
	pc_rollover_anchor_t *a;
	char const **names;

	if (ncols != 8) return 1;
	r->phones += num(v[5]);
	if (!v[0][0]) {
		r->no_anchor += num(v[5]);
		return 0;
	}
	/* A fingerprint is 64 hex digits; anything else in the column is not an anchor we can name. */
	if (strlen(v[0]) != 64 || strspn(v[0], "0123456789abcdef") != 64) {
		note(rd, "the ledger has an anchor fingerprint that is not 64 lower-case hex digits "
		     "(name '%s'): its %lld devices are counted without an anchor", v[1], num(v[4]));
		r->no_anchor += num(v[5]);
		return 0;
	}
	a = anchor_find(r, v[0]);
	if (!a) {
		if (rd->cfg) {
			note(rd, "fingerprint %.16s... (the ledger calls it '%s') is not in the configuration: "
			     "a removed or foreign anchor", v[0], v[1]);
		}
		a = anchor_add(rd, v[0]);
		if (!a) return 1;
		a->name = text_keep(rd, v[1]);
		a->state = text_keep(rd, v[2]);
		a->role = text_keep(rd, v[3]);
	}
	names = talloc_realloc(rd->ctx, a->ledger_names, char const *, a->ledger_name_count + 1);
	if (!names) {
		rd->oom = true;
		return 1;
	}
	a->ledger_names = names;
	names[a->ledger_name_count++] = text_keep(rd, v[1]);
	a->ever += num(v[4]);
	a->phones += num(v[5]);
	a->accepted += num(v[6]);
	if (num(v[7]) > (long long)a->last_presented) a->last_presented = (time_t)num(v[7]);
	return 0;
}

/** Say when the ledger and the configuration disagree on which name is which certificate. */
static void names_check(reader_t *rd)
{
	pc_rollover_t *r = rd->r;
	unsigned int i, j, k;

	for (i = 0; i < r->anchor_count; i++) {
		pc_rollover_anchor_t const *a = &r->anchors[i];

		/* Without a configuration the ledger's names are the anchors' names: say when two share one. */
		for (j = i + 1; !rd->cfg && j < r->anchor_count; j++) {
			if (!a->name[0] || strcmp(a->name, r->anchors[j].name) != 0) continue;
			note(rd, "the name '%s' in the ledger belongs to two fingerprints, %.16s... and %.16s...: a "
			     "regenerated CAPF with the same name?", a->name, a->fingerprint, r->anchors[j].fingerprint);
		}
		for (k = 0; k < a->ledger_name_count; k++) {
			char const *n = a->ledger_names[k];

			if (a->configured && n[0] && strcmp(n, a->name) != 0) {
				note(rd, "the ledger calls anchor %s (fingerprint %.16s...) '%s': renamed in the "
				     "configuration", a->name, a->fingerprint, n);
			}
			for (j = 0; j < r->anchor_count; j++) {
				pc_rollover_anchor_t const *b = &r->anchors[j];

				if (j == i || !b->configured || strcmp(b->name, n) != 0) continue;
				note(rd, "the name '%s' in the ledger also belongs to fingerprint %.16s..., not to the "
				     "configured %s (%.16s...): a regenerated CAPF with the same name?", n,
				     a->fingerprint, b->name, b->fingerprint);
			}
		}
	}
}

static int phone_row(reader_t *rd, pc_rollover_phone_t **list, unsigned int *listed, char const *const *v)
{
	pc_rollover_phone_t *phones, *p;

	if (*listed >= rd->r->limit) return 0;
	phones = talloc_realloc(rd->ctx, *list, pc_rollover_phone_t, *listed + 1);
	if (!phones) {
		rd->oom = true;
		return 1;
	}
	*list = phones;
	p = &phones[(*listed)++];
	p->device = text_keep(rd, v[0]);
	p->mac = text_keep(rd, v[1]);
	p->model = text_keep(rd, v[2]);
	p->kind = text_keep(rd, v[3]);
	p->anchor = text_keep(rd, v[4]);
	p->nas_ip = text_keep(rd, v[5]);
	p->nas_id = text_keep(rd, v[6]);
	p->nas_port_id = text_keep(rd, v[7]);
	p->server = text_keep(rd, v[8]);
	p->reason = text_keep(rd, v[9]);
	p->accepted = num(v[10]) == 1;
	p->last_seen = (time_t)num(v[11]);
	return rd->oom;
}

#define PHONE_COLUMNS "device, mac, model, kind, anchor, nas_ip, nas_id, nas_port_id, server, reason, accepted, last_seen"

static char const on_sql[] =
	"SELECT " PHONE_COLUMNS " FROM phonecert_device WHERE anchor_fp = $1 AND last_seen >= $2"
	" ORDER BY last_seen DESC, device LIMIT CAST($3 AS BIGINT)";

typedef struct {
	reader_t		*rd;
	pc_rollover_anchor_t	*a;
} anchor_ctx_t;

static int on_row(void *uctx, unsigned int ncols, char const *const *v)
{
	anchor_ctx_t *ac = uctx;

	if (ncols != 12) return 1;
	return phone_row(ac->rd, &ac->a->on, &ac->a->on_listed, v);
}

/*
 *	Moved: the devices whose history has a change away from this anchor, and whose current
 *	anchor is another one; newest change first per device.  Not limited to the window: a
 *	rollover often lasts longer than the days asked for.
 */
static char const moved_sql[] =
	"SELECT h.device, h.at, h.new_anchor, h.server, d.mac, d.model"
	" FROM phonecert_history h JOIN phonecert_device d ON d.device = h.device"
	" WHERE h.old_anchor_fp = $1 AND h.new_anchor_fp <> $1 AND h.new_anchor_fp <> ''"
	" AND d.anchor_fp <> $1 ORDER BY h.device, h.at DESC, h.id DESC";

typedef struct {
	anchor_ctx_t	ac;
	char		*last;		//!< The device of the previous row.
} moved_ctx_t;

static int moved_row(void *uctx, unsigned int ncols, char const *const *v)
{
	moved_ctx_t *mc = uctx;
	reader_t *rd = mc->ac.rd;
	pc_rollover_anchor_t *a = mc->ac.a;
	pc_rollover_move_t *moves, *m;

	if (ncols != 6) return 1;
	if (mc->last && strcmp(mc->last, v[0]) == 0) return 0;	/* an older change of the same device */
	talloc_free(mc->last);
	mc->last = talloc_strdup(rd->ctx, v[0]);
	if (!mc->last) {
		rd->oom = true;
		return 1;
	}
	a->moved_count++;
	if (a->moved_listed >= rd->r->limit) return 0;
	moves = talloc_realloc(rd->ctx, a->moved, pc_rollover_move_t, a->moved_listed + 1);
	if (!moves) {
		rd->oom = true;
		return 1;
	}
	a->moved = moves;
	m = &moves[a->moved_listed++];
	m->device = text_keep(rd, v[0]);
	m->at = (time_t)num(v[1]);
	m->to_anchor = text_keep(rd, v[2]);
	m->server = text_keep(rd, v[3]);
	m->mac = text_keep(rd, v[4]);
	m->model = text_keep(rd, v[5]);
	return rd->oom;
}

/* A phone has a device name from its certificate: a "csid:" row (a switch's or an access
 * point's MIC, refused as not-a-phone) is no MIC-only phone. */
static char const mic_only_sql[] =
	"SELECT " PHONE_COLUMNS " FROM phonecert_device d WHERE kind = 'mic' AND last_seen >= $1"
	" AND device NOT LIKE 'csid:%'"
	" AND NOT EXISTS (SELECT 1 FROM phonecert_history h WHERE h.device = d.device AND h.new_kind = 'lsc')"
	" ORDER BY device";

static int mic_only_row(void *uctx, unsigned int ncols, char const *const *v)
{
	reader_t *rd = uctx;

	if (ncols != 12) return 1;
	rd->r->mic_only_count++;
	return phone_row(rd, &rd->r->mic_only, &rd->r->mic_only_listed, v);
}

static char const refusals_sql[] =
	"SELECT reason, reason_code, COUNT(*) FROM phonecert_device WHERE accepted = 0 AND last_seen >= $1"
	" GROUP BY reason, reason_code ORDER BY COUNT(*) DESC, reason, reason_code";

static int refusal_row(void *uctx, unsigned int ncols, char const *const *v)
{
	reader_t *rd = uctx;
	pc_rollover_t *r = rd->r;
	pc_rollover_refusal_t *list;

	if (ncols != 3) return 1;
	list = talloc_realloc(rd->ctx, r->refusals, pc_rollover_refusal_t, r->refusal_count + 1);
	if (!list) {
		rd->oom = true;
		return 1;
	}
	r->refusals = list;
	list[r->refusal_count].reason = text_keep(rd, v[0]);
	list[r->refusal_count].code = num(v[1]);
	list[r->refusal_count].count = num(v[2]);
	r->refusal_count++;
	return rd->oom;
}

/*
 *	The migration chart.  Each device's history is a sequence of (at, anchor, kind); between
 *	two rows the device stays on the first row's anchor, after the last row on that one for
 *	good.  Point i is the end of day i of the window (at - (days - i) days); a device counts at
 *	point i on the retiring anchor ("old") or on another LSC anchor ("new").  Only the devices
 *	seen in the window are drawn, as in the rest of the report.
 */
static char const chart_sql[] =
	"SELECT h.device, h.at, h.new_anchor_fp, h.new_kind FROM phonecert_history h"
	" JOIN phonecert_device d ON d.device = h.device WHERE d.last_seen >= $1"
	" ORDER BY h.device, h.at, h.id";

typedef struct {
	reader_t	*rd;
	int		**diff_old;	//!< Per anchor (NULL if not retiring): days + 2 counters.
	int		**diff_new;
	char		*device;	//!< The open segment: its device,
	time_t		from;		//!< its start,
	char		fp[65];		//!< its anchor
	bool		lsc;		//!< and whether it is an LSC.
	bool		open;
} chart_ctx_t;

/** Add the segment [from, to) (to 0: for good) to the counters of every retiring anchor. */
static void chart_segment(chart_ctx_t *cc, time_t to)
{
	pc_rollover_t *r = cc->rd->r;
	long long t0 = (long long)pc_rollover_day(r, 0);
	long long lo, hi;
	unsigned int i;

	/* Points i with from <= t0 + i*DAY < to. */
	lo = (long long)cc->from <= t0 ? 0 : ((long long)cc->from - t0 + DAY - 1) / DAY;
	if (to == 0) {
		hi = r->days;
	} else {
		if ((long long)to <= t0) return;
		hi = ((long long)to - t0 + DAY - 1) / DAY - 1;
		if (hi > r->days) hi = r->days;
	}
	if (lo > hi || !cc->fp[0]) return;
	for (i = 0; i < r->anchor_count; i++) {
		int **diff;

		if (!cc->diff_old[i]) continue;
		if (strcmp(cc->fp, r->anchors[i].fingerprint) == 0) {
			diff = cc->diff_old;
		} else if (cc->lsc) {
			diff = cc->diff_new;
		} else {
			continue;
		}
		diff[i][lo]++;
		diff[i][hi + 1]--;
	}
}

static int chart_row(void *uctx, unsigned int ncols, char const *const *v)
{
	chart_ctx_t *cc = uctx;
	time_t at;

	if (ncols != 4) return 1;
	at = (time_t)num(v[1]);
	if (cc->open) chart_segment(cc, (cc->device && strcmp(cc->device, v[0]) == 0) ? at : 0);
	if (!cc->device || strcmp(cc->device, v[0]) != 0) {
		talloc_free(cc->device);
		cc->device = talloc_strdup(cc->rd->ctx, v[0]);
		if (!cc->device) {
			cc->rd->oom = true;
			return 1;
		}
	}
	cc->from = at;
	strncpy(cc->fp, v[2], sizeof(cc->fp) - 1);
	cc->fp[sizeof(cc->fp) - 1] = '\0';
	cc->lsc = strcmp(v[3], "lsc") == 0;
	cc->open = true;
	return 0;
}

static int chart_read(reader_t *rd, pc_ledger_db_t *db, char const *since, pc_error_t *err)
{
	pc_rollover_t *r = rd->r;
	chart_ctx_t cc = { .rd = rd };
	unsigned int i, d;
	bool any = false;
	int rc;

	cc.diff_old = talloc_zero_array(rd->ctx, int *, r->anchor_count + 1);
	cc.diff_new = talloc_zero_array(rd->ctx, int *, r->anchor_count + 1);
	if (!cc.diff_old || !cc.diff_new) return -1;
	for (i = 0; i < r->anchor_count; i++) {
		if (strcmp(r->anchors[i].state, "retiring") != 0) continue;
		cc.diff_old[i] = talloc_zero_array(rd->ctx, int, r->days + 2);
		cc.diff_new[i] = talloc_zero_array(rd->ctx, int, r->days + 2);
		r->anchors[i].chart_old = talloc_zero_array(rd->ctx, unsigned int, r->days + 1);
		r->anchors[i].chart_new = talloc_zero_array(rd->ctx, unsigned int, r->days + 1);
		if (!cc.diff_old[i] || !cc.diff_new[i] || !r->anchors[i].chart_old || !r->anchors[i].chart_new) return -1;
		any = true;
	}
	if (!any) return 0;
	rc = pc_ledger_db_query(db, chart_sql, 1, &since, chart_row, &cc, err);
	if (rc != 0) return -1;
	if (cc.open) chart_segment(&cc, 0);
	for (i = 0; i < r->anchor_count; i++) {
		int old = 0, new = 0;

		if (!cc.diff_old[i]) continue;
		for (d = 0; d <= r->days; d++) {
			old += cc.diff_old[i][d];
			new += cc.diff_new[i][d];
			r->anchors[i].chart_old[d] = old > 0 ? (unsigned int)old : 0;
			r->anchors[i].chart_new[d] = new > 0 ? (unsigned int)new : 0;
		}
	}
	return 0;
}

static void verdict_set(reader_t *rd, pc_rollover_anchor_t *a)
{
	pc_rollover_t *r = rd->r;
	char when[PC_TIME_STRLEN];
	bool closed = a->trust_until && r->at >= a->trust_until;

	if (strcmp(a->state, "retiring") != 0) return;
	if (a->phones == 0) {
		a->verdict = closed ? PC_VERDICT_CLOSED : PC_VERDICT_SAFE;
		a->verdict_text = talloc_asprintf(rd->ctx, "%s: no phone has presented this CAPF for %u days%s%s",
						  closed ? "window closed" : "safe to close", r->days,
						  closed ? "; remove the anchor from the configuration" : "",
						  a->ever ? "" : " (never seen in the ledger)");
	} else if (closed) {
		a->verdict = PC_VERDICT_CLOSED_REFUSED;
		a->verdict_text = talloc_asprintf(rd->ctx, "window closed %s: %lld phone%s refused "
						  "(re-enrol them, or phonecert disconnect)",
						  pc_time_format(a->trust_until, when, sizeof(when)), a->phones,
						  a->phones == 1 ? " is" : "s are");
	} else {
		a->verdict = PC_VERDICT_BLOCKED;
		a->verdict_text = talloc_asprintf(rd->ctx, "%lld phone%s would be refused", a->phones,
						  a->phones == 1 ? "" : "s");
	}
	if (!a->verdict_text) rd->oom = true;
	if (a->verdict == PC_VERDICT_BLOCKED || a->verdict == PC_VERDICT_CLOSED_REFUSED) r->blocking++;
}

time_t pc_rollover_day(pc_rollover_t const *r, unsigned int i)
{
	return r->at - (time_t)(r->days - i) * DAY;
}

pc_rollover_t *pc_rollover_read(TALLOC_CTX *ctx, pc_ledger_db_t *db, pc_config_t const *cfg, time_t at,
				unsigned int days, unsigned int limit, pc_error_t *err)
{
	reader_t rd = { .cfg = cfg };
	pc_rollover_t *r;
	char since[32], limit_text[32];
	char const *params[3];
	unsigned int i;

	r = talloc_zero(ctx, pc_rollover_t);
	if (!r) goto oom;
	rd.r = r;
	rd.ctx = r;
	r->at = at;
	r->days = days;
	r->since = at - (time_t)days * DAY;
	r->limit = limit;
	snprintf(since, sizeof(since), "%lld", (long long)r->since);
	snprintf(limit_text, sizeof(limit_text), "%u", limit);

	/* The configured anchors first, in the configuration's order. */
	if (cfg) {
		for (i = 0; i < pc_trust_count(cfg->trust); i++) {
			pc_anchor_t const *c = pc_trust_anchor(cfg->trust, i);
			pc_rollover_anchor_t *a = anchor_add(&rd, c->fingerprint);

			if (!a) goto oom;
			a->name = c->name;
			a->role = pc_role_name(c->role);
			a->state = pc_state_name(c->state);
			a->configured = true;
			if (c->state == PC_STATE_RETIRING) a->trust_until = c->trust_until;
		}
	}

	params[0] = since;
	if (pc_ledger_db_query(db, summary_sql, 1, params, summary_row, &rd, err) != 0) goto fail;
	if (rd.oom) goto oom;
	names_check(&rd);

	for (i = 0; i < r->anchor_count; i++) {
		pc_rollover_anchor_t *a = &r->anchors[i];
		anchor_ctx_t ac = { &rd, a };
		moved_ctx_t mc = { { &rd, a }, NULL };

		verdict_set(&rd, a);
		if (a->verdict == PC_VERDICT_NONE) continue;
		params[0] = a->fingerprint;
		params[1] = since;
		params[2] = limit_text;
		if (pc_ledger_db_query(db, on_sql, 3, params, on_row, &ac, err) != 0) goto fail;
		if (pc_ledger_db_query(db, moved_sql, 1, params, moved_row, &mc, err) != 0) goto fail;
		talloc_free(mc.last);
		if (rd.oom) goto oom;
	}

	params[0] = since;
	if (pc_ledger_db_query(db, mic_only_sql, 1, params, mic_only_row, &rd, err) != 0) goto fail;
	if (pc_ledger_db_query(db, refusals_sql, 1, params, refusal_row, &rd, err) != 0) goto fail;
	if (chart_read(&rd, db, since, err) < 0) {
		if (rd.oom || !err || !err->msg[0]) goto oom;
		goto fail;
	}
	if (rd.oom) goto oom;
	return r;

oom:
	pc_error_set(err, "out of memory reading the ledger");
fail:
	if (err && !err->msg[0]) pc_error_set(err, "the ledger has rows this phonecert cannot read");
	talloc_free(r);
	return NULL;
}
