/**
 * @file test_dictionary.c
 * @brief raddb/dictionary.phonecert and the reason table agree: every reason has exactly one
 *	  "VALUE Phonecert-Reason-Code <Name> <number>" line, and every such line is a reason.
 *
 * The VALUE name is the reason's name in CamelCase (cert-revoked: CertRevoked); unlang
 * compares &reply:Phonecert-Reason-Code with it, so a renumbered reason or a missing line
 * would silently change what a policy matches.  The file is read from the directory in the
 * environment variable PHONECERT_RADDB (`make test-unit` sets it).
 */
#include "unit.h"

#include <ctype.h>
#include <stdio.h>

#include <phonecert/reason.h>

#define ATTR "Phonecert-Reason-Code"

/** The VALUE name of a reason name: "no-cert-facts" -> "NoCertFacts". */
static void value_name(char const *reason, char *out, size_t max)
{
	bool upper = true;
	size_t n = 0;

	for (; *reason && n + 1 < max; reason++) {
		if (*reason == '-') {
			upper = true;
			continue;
		}
		out[n++] = upper ? (char)toupper((unsigned char)*reason) : *reason;
		upper = false;
	}
	out[n] = '\0';
}

/**
 * Check a dictionary's text against the reason table.
 * @return NULL if they agree, else what is wrong (under ctx).
 */
static char *dictionary_problem(TALLOC_CTX *ctx, char const *text)
{
	unsigned int count = pc_reason_count(), i;
	unsigned int *seen = talloc_zero_array(ctx, unsigned int, count);
	char *copy = talloc_strdup(ctx, text), *line, *save = NULL;
	int lineno = 0;

	if (!seen || !copy) return talloc_strdup(ctx, "out of memory");
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char keyword[16], attr[64], name[64], number[16], extra[2];
		int fields;
		char *end;
		long value;

		lineno++;
		fields = sscanf(line, " %15s %63s %63s %15s %1s", keyword, attr, name, number, extra);
		if (fields < 2 || strcmp(keyword, "VALUE") != 0 || strcmp(attr, ATTR) != 0) continue;
		if (fields != 4) return talloc_asprintf(ctx, "'%s': not VALUE " ATTR " NAME NUMBER", line);
		value = strtol(number, &end, 10);
		if (*end || end == number) return talloc_asprintf(ctx, "'%s': '%s' is not a number", line, number);
		for (i = 0; i < count; i++) {
			char want[64];

			value_name(pc_reason_name(pc_reason_at(i)), want, sizeof(want));
			if (strcmp(want, name) != 0) continue;
			if (value != (long)pc_reason_at(i)) {
				return talloc_asprintf(ctx, "'%s': %s is reason %d (%s), not %ld", line, name,
						       (int)pc_reason_at(i), pc_reason_name(pc_reason_at(i)), value);
			}
			if (seen[i]++) return talloc_asprintf(ctx, "'%s': %s given twice", line, name);
			break;
		}
		if (i == count) return talloc_asprintf(ctx, "'%s': %s is no reason of the table", line, name);
	}
	for (i = 0; i < count; i++) {
		char want[64];

		if (seen[i]) continue;
		value_name(pc_reason_name(pc_reason_at(i)), want, sizeof(want));
		return talloc_asprintf(ctx, "no line 'VALUE " ATTR " %s %d' for reason %s", want,
				       (int)pc_reason_at(i), pc_reason_name(pc_reason_at(i)));
	}
	return NULL;
}

static char *dictionary_text(TALLOC_CTX *ctx)
{
	char const *dir = getenv("PHONECERT_RADDB");
	char *path, *text;
	FILE *fp;
	size_t len;

	if (!dir || !*dir) fail_msg("PHONECERT_RADDB is not set: run the unit tests with `make test-unit`");
	path = talloc_asprintf(ctx, "%s/dictionary.phonecert", dir);
	fp = fopen(path, "r");
	if (!fp) fail_msg("%s: %s", path, strerror(errno));
	text = talloc_zero_array(ctx, char, 1024 * 1024);
	assert_non_null(text);
	len = fread(text, 1, 1024 * 1024 - 1, fp);
	assert_false(ferror(fp));
	assert_true(feof(fp));
	fclose(fp);
	text[len] = '\0';
	return text;
}

static void test_dictionary_values_match_reasons(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *problem = dictionary_problem(ctx, dictionary_text(ctx));

	if (problem) fail_msg("raddb/dictionary.phonecert: %s", problem);
}

/* The check itself fails on each kind of disagreement. */
static void test_dictionary_check_catches(void **state)
{
	TALLOC_CTX *ctx = *state;
	char *text = dictionary_text(ctx), *bad;
	char const *line = "VALUE\t" ATTR "\tCertRevoked             \t61\n";
	char *at = strstr(text, line);

	assert_non_null(at);
	assert_null(dictionary_problem(ctx, text));

	/* A reason without its line. */
	bad = talloc_asprintf(ctx, "%.*s%s", (int)(at - text), text, at + strlen(line));
	assert_contains(dictionary_problem(ctx, bad), "no line 'VALUE " ATTR " CertRevoked 61'");
	/* A wrong number. */
	bad = talloc_asprintf(ctx, "%.*sVALUE\t" ATTR "\tCertRevoked\t62\n%s", (int)(at - text), text, at + strlen(line));
	assert_contains(dictionary_problem(ctx, bad), "CertRevoked is reason 61 (cert-revoked), not 62");
	/* A line twice. */
	bad = talloc_asprintf(ctx, "%s%s", text, line);
	assert_contains(dictionary_problem(ctx, bad), "CertRevoked given twice");
	/* A value that is no reason. */
	bad = talloc_asprintf(ctx, "%sVALUE\t" ATTR "\tPhoneStolen\t63\n", text);
	assert_contains(dictionary_problem(ctx, bad), "PhoneStolen is no reason of the table");
	/* A malformed line. */
	bad = talloc_asprintf(ctx, "%sVALUE\t" ATTR "\tCertRevoked\n", text);
	assert_contains(dictionary_problem(ctx, bad), "not VALUE " ATTR " NAME NUMBER");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dictionary_values_match_reasons, unit_ctx_setup, unit_ctx_teardown),
		cmocka_unit_test_setup_teardown(test_dictionary_check_catches, unit_ctx_setup, unit_ctx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
