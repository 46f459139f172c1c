/**
 * @file rollover_html.c
 * @brief The rollover report as one self-contained HTML page: inline CSS, an inline SVG chart
 *	  drawn here, no script, nothing fetched (a Content-Security-Policy forbids it too).
 *
 * Ledger strings are hostile (a NAS-Port-Id is whatever the switch, or a forged request, sent):
 * every one goes through pc_cli_html_put, which leaves no markup and no raw control byte.
 */
#include <string.h>

#include <phonecert/timeval.h>

#include "cli.h"
#include "rollover.h"

void pc_cli_html_put(FILE *fp, char const *value)
{
	unsigned char const *p;

	if (!value || !*value) {
		fputc('-', fp);
		return;
	}
	for (p = (unsigned char const *)value; *p; p++) {
		switch (*p) {
		case '&':	fputs("&amp;", fp); break;
		case '<':	fputs("&lt;", fp); break;
		case '>':	fputs("&gt;", fp); break;
		case '"':	fputs("&quot;", fp); break;
		case '\'':	fputs("&#39;", fp); break;
		default:
			/* As the text output shows them: the page never renders a byte the terminal hides. */
			if (*p < 0x20 || *p >= 0x7f) {
				fprintf(fp, "\\x%02X", *p);
			} else {
				fputc(*p, fp);
			}
		}
	}
}

static void td(FILE *fp, char const *value)
{
	fputs("<td>", fp);
	pc_cli_html_put(fp, value);
	fputs("</td>", fp);
}

static void td_time(FILE *fp, time_t t)
{
	char buf[PC_TIME_STRLEN];

	fputs("<td class=\"t\">", fp);
	pc_cli_html_put(fp, t ? pc_time_format(t, buf, sizeof(buf)) : NULL);
	fputs("</td>", fp);
}

static char const style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}"
	"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}"
	"table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}"
	"th{background:#f4f4f4}td.n{text-align:right}td.t{white-space:nowrap}"
	".verdict{padding:.4em .8em;border-radius:4px;display:inline-block;font-weight:600}"
	".safe,.closed{background:#e3f5e6;color:#145a1f}.blocked,.closed-refused{background:#fde6e4;color:#8a1a10}"
	".fp{font-family:monospace;font-size:12px}.note{color:#7a5a00}svg{display:block;margin:.5em 0;background:#fcfcfc;border:1px solid #ddd}";

static void phones_table(FILE *fp, pc_rollover_phone_t const *list, unsigned int listed, long long count)
{
	unsigned int i;

	if (!listed) {
		fputs("<p>none</p>\n", fp);
		return;
	}
	fputs("<table><tr><th>device</th><th>MAC</th><th>model</th><th>switch (NAS-IP)</th><th>NAS-Identifier</th>"
	      "<th>port</th><th>last seen</th><th>server</th><th>decision</th></tr>\n", fp);
	for (i = 0; i < listed; i++) {
		pc_rollover_phone_t const *p = &list[i];

		fputs("<tr>", fp);
		td(fp, p->device);
		td(fp, p->mac);
		td(fp, p->model);
		td(fp, p->nas_ip);
		td(fp, p->nas_id);
		td(fp, p->nas_port_id);
		td_time(fp, p->last_seen);
		td(fp, p->server);
		td(fp, p->reason);
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n", fp);
	if (count > listed) fprintf(fp, "<p>... and %lld more (--limit)</p>\n", count - listed);
}

#define CHART_W 760
#define CHART_H 260
#define CHART_LEFT 50
#define CHART_RIGHT 20
#define CHART_TOP 20
#define CHART_BOTTOM 40

static void chart_line(FILE *fp, pc_rollover_t const *r, unsigned int const *values, unsigned int max,
		       char const *colour)
{
	double const w = CHART_W - CHART_LEFT - CHART_RIGHT, h = CHART_H - CHART_TOP - CHART_BOTTOM;
	unsigned int i;

	fprintf(fp, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" points=\"", colour);
	for (i = 0; i <= r->days; i++) {
		fprintf(fp, "%s%.1f,%.1f", i ? " " : "", CHART_LEFT + (r->days ? w * i / r->days : w),
			CHART_TOP + h - h * values[i] / max);
	}
	fputs("\"/>\n", fp);
}

/** Phones on the retiring anchor vs on another LSC anchor, at the end of each day. */
static void chart(FILE *fp, pc_rollover_t const *r, pc_rollover_anchor_t const *a, unsigned int index)
{
	char first[PC_TIME_STRLEN], last[PC_TIME_STRLEN];
	unsigned int i, max = 1;
	int const bottom = CHART_H - CHART_BOTTOM;

	for (i = 0; i <= r->days; i++) {
		if (a->chart_old[i] > max) max = a->chart_old[i];
		if (a->chart_new[i] > max) max = a->chart_new[i];
	}
	pc_time_format(pc_rollover_day(r, 0), first, sizeof(first));
	pc_time_format(r->at, last, sizeof(last));
	fprintf(fp, "<svg id=\"chart-%u\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"phones per day on the retiring anchor and on "
		"the new one\">\n", index, CHART_W, CHART_H, CHART_W, CHART_H);
	fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n", CHART_LEFT, bottom,
		CHART_W - CHART_RIGHT, bottom);
	fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n", CHART_LEFT, CHART_TOP,
		CHART_LEFT, bottom);
	fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>\n", CHART_LEFT, CHART_TOP,
		CHART_W - CHART_RIGHT, CHART_TOP);
	fprintf(fp, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">%u</text>\n", CHART_LEFT - 6,
		CHART_TOP + 4, max);
	fprintf(fp, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">0</text>\n", CHART_LEFT - 6,
		bottom + 4);
	fprintf(fp, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%.10s</text>\n", CHART_LEFT, bottom + 18, first);
	fprintf(fp, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">%.10s</text>\n",
		CHART_W - CHART_RIGHT, bottom + 18, last);
	chart_line(fp, r, a->chart_old, max, "#c0392b");
	chart_line(fp, r, a->chart_new, max, "#1e8449");
	fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"4\" fill=\"#c0392b\"/>"
		"<text x=\"%d\" y=\"%d\" font-size=\"12\">on ", CHART_LEFT + 160, bottom + 30, CHART_LEFT + 176, bottom + 35);
	pc_cli_html_put(fp, a->name);
	fprintf(fp, "</text><rect x=\"%d\" y=\"%d\" width=\"12\" height=\"4\" fill=\"#1e8449\"/>"
		"<text x=\"%d\" y=\"%d\" font-size=\"12\">on another LSC anchor</text>\n</svg>\n",
		CHART_LEFT + 380, bottom + 30, CHART_LEFT + 396, bottom + 35);

	/* The numbers behind the chart, for those who cannot see it and for scripts scraping the page. */
	fprintf(fp, "<details><summary>per day</summary><table id=\"migration-%u\"><tr><th>day</th><th>on ", index);
	pc_cli_html_put(fp, a->name);
	fputs("</th><th>on another LSC anchor</th></tr>\n", fp);
	for (i = 0; i <= r->days; i++) {
		fprintf(fp, "<tr><td>%.10s</td><td class=\"n\">%u</td><td class=\"n\">%u</td></tr>\n",
			pc_time_format(pc_rollover_day(r, i), first, sizeof(first)), a->chart_old[i], a->chart_new[i]);
	}
	fputs("</table></details>\n", fp);
}

static char const *verdict_class(pc_verdict_t v)
{
	switch (v) {
	case PC_VERDICT_SAFE:		return "safe";
	case PC_VERDICT_CLOSED:		return "closed";
	case PC_VERDICT_CLOSED_REFUSED:	return "closed-refused";
	default:			return "blocked";
	}
}

static void anchor_section(FILE *fp, pc_rollover_t const *r, pc_rollover_anchor_t const *a, unsigned int index)
{
	char buf[PC_TIME_STRLEN];
	unsigned int i;

	fprintf(fp, "<h2 id=\"anchor-%u\">", index);
	pc_cli_html_put(fp, a->name);
	fputs(" (retiring)</h2>\n<p class=\"fp\">SHA-256 ", fp);
	pc_cli_html_put(fp, a->fingerprint);
	fputs("</p>\n", fp);
	if (a->trust_until) {
		fprintf(fp, "<p>trust until %s: <span id=\"anchor-%u-days-left\">%lld</span> days left</p>\n",
			pc_time_format(a->trust_until, buf, sizeof(buf)), index, pc_cli_days_left(a->trust_until, r->at));
	}
	fprintf(fp, "<p class=\"verdict %s\" id=\"anchor-%u-verdict\">", verdict_class(a->verdict), index);
	pc_cli_html_put(fp, a->verdict_text);
	fputs("</p>\n", fp);
	if (a->chart_old) chart(fp, r, a, index);
	fprintf(fp, "<h3>still on it: <span id=\"anchor-%u-on\">%lld</span></h3>\n", index, a->phones);
	phones_table(fp, a->on, a->on_listed, a->phones);
	fprintf(fp, "<h3>moved to another anchor: <span id=\"anchor-%u-moved\">%lld</span></h3>\n", index,
		a->moved_count);
	if (!a->moved_listed) {
		fputs("<p>none</p>\n", fp);
		return;
	}
	fputs("<table><tr><th>device</th><th>MAC</th><th>model</th><th>moved to</th><th>at</th><th>server</th></tr>\n", fp);
	for (i = 0; i < a->moved_listed; i++) {
		fputs("<tr>", fp);
		td(fp, a->moved[i].device);
		td(fp, a->moved[i].mac);
		td(fp, a->moved[i].model);
		td(fp, a->moved[i].to_anchor);
		td_time(fp, a->moved[i].at);
		td(fp, a->moved[i].server);
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n", fp);
	if (a->moved_count > a->moved_listed) {
		fprintf(fp, "<p>... and %lld more (--limit)</p>\n", a->moved_count - a->moved_listed);
	}
}

static void anchors_table(FILE *fp, pc_rollover_t const *r)
{
	unsigned int i;

	fputs("<table id=\"anchors\"><tr><th>anchor</th><th>SHA-256</th><th>role</th><th>state</th><th>configured</th>"
	      "<th>phones</th><th>admitted</th><th>last presented</th><th>trust until</th><th>verdict</th></tr>\n", fp);
	for (i = 0; i < r->anchor_count; i++) {
		pc_rollover_anchor_t const *a = &r->anchors[i];

		fputs("<tr>", fp);
		td(fp, a->name);
		fprintf(fp, "<td class=\"fp\" title=\"%s\">%.16s...</td>", a->fingerprint, a->fingerprint);
		td(fp, a->role);
		td(fp, a->state);
		td(fp, a->configured ? "yes" : "no");
		fprintf(fp, "<td class=\"n\" id=\"anchor-%u-phones\">%lld</td><td class=\"n\">%lld</td>", i, a->phones,
			a->accepted);
		td_time(fp, a->last_presented);
		td_time(fp, a->trust_until);
		td(fp, a->verdict_text);
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

void pc_rollover_html(FILE *fp, pc_rollover_t const *r)
{
	char at[PC_TIME_STRLEN], since[PC_TIME_STRLEN];
	unsigned int i;

	pc_time_format(r->at, at, sizeof(at));
	pc_time_format(r->since, since, sizeof(since));
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
	      fp);
	fprintf(fp, "<title>phonecert rollover %s</title>\n<style>%s</style></head><body>\n", at, style);
	fprintf(fp, "<h1>CAPF rollover at %s</h1>\n", at);
	fprintf(fp, "<p><span id=\"phones\">%lld</span> phones seen in the last %u days (since %s), "
		"<span id=\"no-anchor\">%lld</span> without an anchor; <span id=\"blocking\">%u</span> retiring "
		"anchor(s) still with phones.</p>\n", r->phones, r->days, since, r->no_anchor, r->blocking);
	anchors_table(fp, r);
	for (i = 0; i < r->anchor_count; i++) {
		if (r->anchors[i].verdict != PC_VERDICT_NONE) anchor_section(fp, r, &r->anchors[i], i);
	}
	fprintf(fp, "<h2>MIC-only phones that never got an LSC: <span id=\"mic-only\">%lld</span></h2>\n",
		r->mic_only_count);
	phones_table(fp, r->mic_only, r->mic_only_listed, r->mic_only_count);
	fputs("<h2>Refused at their latest decision, by reason</h2>\n", fp);
	if (!r->refusal_count) fputs("<p>none</p>\n", fp);
	if (r->refusal_count) fputs("<table id=\"refusals\"><tr><th>reason</th><th>code</th><th>phones</th></tr>\n", fp);
	for (i = 0; i < r->refusal_count; i++) {
		fputs("<tr>", fp);
		td(fp, r->refusals[i].reason);
		fprintf(fp, "<td class=\"n\">%lld</td><td class=\"n\">%lld</td></tr>\n", r->refusals[i].code,
			r->refusals[i].count);
	}
	if (r->refusal_count) fputs("</table>\n", fp);
	if (r->note_count) {
		fputs("<h2>Notes</h2>\n<ul>\n", fp);
		for (i = 0; i < r->note_count; i++) {
			fputs("<li class=\"note\">", fp);
			pc_cli_html_put(fp, r->notes[i]);
			fputs("</li>\n", fp);
		}
		fputs("</ul>\n", fp);
	}
	fputs("<p><small>written by phonecert rollover " PHONECERT_VERSION "</small></p>\n</body></html>\n", fp);
}
