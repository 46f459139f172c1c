/**
 * @file output.c
 * @brief JSON and text output that stays valid and inert whatever bytes a certificate holds.
 *
 * Certificate names are attacker-controlled: a CN may carry quotes, NULs, terminal escape
 * sequences or invalid UTF-8.  JSON strings escape every byte outside printable ASCII as
 * \u00XX (so the document is always valid, if not always a faithful UTF-8 rendering), and
 * text output shows such bytes as \xHH.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <phonecert/timeval.h>

#include "cli.h"

/** Column at which text values start, and the width long values are wrapped to. */
#define TEXT_LABEL_WIDTH 20
#define TEXT_WIDTH 100

void pc_cli_json_init(pc_cli_json_t *js, FILE *fp)
{
	memset(js, 0, sizeof(*js));
	js->fp = fp;
	js->first[0] = true;
}

static void json_indent(pc_cli_json_t *js)
{
	unsigned int i;

	for (i = 0; i < js->depth; i++) fputs("  ", js->fp);
}

static void json_escaped(FILE *fp, char const *value, size_t len)
{
	size_t i;

	fputc('"', fp);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];

		switch (c) {
		case '"':
			fputs("\\\"", fp);
			break;

		case '\\':
			fputs("\\\\", fp);
			break;

		case '\n':
			fputs("\\n", fp);
			break;

		case '\t':
			fputs("\\t", fp);
			break;

		default:
			if (c < 0x20 || c >= 0x7f) {
				fprintf(fp, "\\u%04x", c);
			} else {
				fputc(c, fp);
			}
			break;
		}
	}
	fputc('"', fp);
}

/** The separator, indentation and "key": that start every member. */
static void json_member(pc_cli_json_t *js, char const *key)
{
	if (!js->first[js->depth]) fputc(',', js->fp);
	if (js->depth > 0) fputc('\n', js->fp);
	js->first[js->depth] = false;
	json_indent(js);
	if (key) {
		json_escaped(js->fp, key, strlen(key));
		fputs(": ", js->fp);
	}
}

void pc_cli_json_open(pc_cli_json_t *js, char const *key, char bracket)
{
	json_member(js, key);
	fputc(bracket, js->fp);
	if (js->depth + 1 < PC_CLI_JSON_DEPTH) js->depth++;
	js->first[js->depth] = true;
}

void pc_cli_json_close(pc_cli_json_t *js, char bracket)
{
	bool empty = js->first[js->depth];

	if (js->depth > 0) js->depth--;
	if (!empty) {
		fputc('\n', js->fp);
		json_indent(js);
	}
	fputc(bracket, js->fp);
}

void pc_cli_json_strn(pc_cli_json_t *js, char const *key, char const *value, size_t len)
{
	json_member(js, key);
	if (!value) {
		fputs("null", js->fp);
		return;
	}
	json_escaped(js->fp, value, len);
}

void pc_cli_json_str(pc_cli_json_t *js, char const *key, char const *value)
{
	pc_cli_json_strn(js, key, value, value ? strlen(value) : 0);
}

void pc_cli_json_int(pc_cli_json_t *js, char const *key, long long value)
{
	json_member(js, key);
	fprintf(js->fp, "%lld", value);
}

void pc_cli_json_bool(pc_cli_json_t *js, char const *key, bool value)
{
	json_member(js, key);
	fputs(value ? "true" : "false", js->fp);
}

void pc_cli_json_null(pc_cli_json_t *js, char const *key)
{
	json_member(js, key);
	fputs("null", js->fp);
}

void pc_cli_json_time(pc_cli_json_t *js, char const *key, time_t when)
{
	char buf[PC_TIME_STRLEN];

	if (!when) {
		pc_cli_json_null(js, key);
		return;
	}
	pc_cli_json_str(js, key, pc_time_format(when, buf, sizeof(buf)));
}

void pc_cli_json_finish(pc_cli_json_t *js)
{
	fputc('\n', js->fp);
}

void pc_cli_text_put(FILE *fp, char const *value, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];

		if (c < 0x20 || c >= 0x7f) {
			fprintf(fp, "\\x%02X", c);
		} else {
			fputc(c, fp);
		}
	}
}

void pc_cli_text_cell(FILE *fp, char const *value, int width)
{
	int shown = 0;
	char const *p;

	if (!value || !*value) value = "-";
	pc_cli_text_put(fp, value, strlen(value));
	for (p = value; *p; p++) shown += ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) ? 4 : 1;
	do fputc(' ', fp); while (++shown < width + 1);
}

void pc_cli_text_field(FILE *fp, char const *label, char const *value)
{
	fprintf(fp, "  %-*s ", TEXT_LABEL_WIDTH - 3, label);
	if (!value || !*value) {
		fputc('-', fp);
	} else {
		pc_cli_text_put(fp, value, strlen(value));
	}
	fputc('\n', fp);
}

void pc_cli_text_fieldf(FILE *fp, char const *label, char const *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pc_cli_text_field(fp, label, buf);
}

void pc_cli_text_field_wrapped(FILE *fp, char const *label, char const *value)
{
	size_t const room = TEXT_WIDTH - TEXT_LABEL_WIDTH;
	char const *p = value;
	bool first = true;

	if (!value || !*value) {
		pc_cli_text_field(fp, label, value);
		return;
	}
	while (*p) {
		size_t len = strlen(p), cut = len;

		if (len > room) {
			/* Break at the last space that fits; a word longer than the room is cut. */
			for (cut = room; cut > 0 && p[cut] != ' '; cut--);
			if (cut == 0) cut = room;
		}
		fprintf(fp, "  %-*s ", TEXT_LABEL_WIDTH - 3, first ? label : "");
		pc_cli_text_put(fp, p, cut);
		fputc('\n', fp);
		first = false;
		p += cut;
		while (*p == ' ') p++;
	}
}

long long pc_cli_days_left(time_t when, time_t now)
{
	long long diff = (long long)when - (long long)now;

	if (diff >= 0) return diff / 86400;
	return -((-diff + 86399) / 86400);
}
