/**
 * @file test_clients_conf.c
 * @brief The clients configuration reader: good files (CIDR, quoting, includes, skipped
 *	  sections) and broken ones, each refused with its file and line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clients_conf.h"

static char dir[] = "/tmp/phonecert-clients.XXXXXX";

/** Write dir/name (creating its directories on the way). */
static char *write_file(TALLOC_CTX *ctx, char const *name, char const *text)
{
	char	*path = talloc_asprintf(ctx, "%s/%s", dir, name);
	char	*slash;
	FILE	*fp;

	for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	fp = fopen(path, "w");
	if (!fp) fail_msg("cannot write %s", path);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir)) return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void assert_secret(pc_clients_t const *clients, char const *addr, char const *name, char const *secret)
{
	pc_clients_entry_t const *e = pc_clients_find(clients, addr);

	if (!e) fail_msg("%s: no client", addr);
	if (strcmp(e->name, name) != 0) fail_msg("%s: client %s, expected %s", addr, e->name, name);
	assert_int_equal(e->secret_len, strlen(secret));
	assert_memory_equal(e->secret, secret, e->secret_len);
}

static void test_good_file(void **state)
{
	TALLOC_CTX	*ctx = talloc_new(NULL);
	pc_clients_t	*clients = NULL;
	pc_error_t	err;
	char		*path;

	(void)state;
	write_file(ctx, "good/clients.d/10-floor1.conf",
		   "client floor1-access {\n"
		   "\tipv4addr = 10.1.1.0/24\n"
		   "\tsecret = floor1\n"
		   "}\n");
	write_file(ctx, "good/clients.d/.hidden", "client broken {\n");
	write_file(ctx, "good/clients.d/old.conf~", "}}}\n");
	write_file(ctx, "good/switch9.conf", "client 10.9.9.9 {\n\tsecret = 'nine\\'s'\n}\n");
	path = write_file(ctx, "good/clients.conf",
		"# The campus: one prefix for every switch, some switches with their own secret.\n"
		"client campus {\n"
		"\tipaddr = 10.1.0.0/16\t# all access switches\n"
		"\tsecret = \"campus #1 \\\"quoted\\\"\"\n"
		"\tshortname = campus\n"
		"\tnas_type = cisco\n"
		"\tlimit {\n"
		"\t\tmax_connections = 16\n"
		"\t\tlifetime = 0\n"
		"\t}\n"
		"}\n"
		"\n"
		"client sw-core-1 {\n"
		"\tipaddr = 10.1.2.3\n"
		"\tsecret = core1\n"
		"\trequire_message_authenticator = yes\n"
		"}\n"
		"client host-bits {\n"
		"\tipaddr = 10.3.2.1/16\n"
		"\tsecret = three\n"
		"}\n"
		"client v6 {\n"
		"\tipv6addr = 2001:db8::/32\n"
		"\tsecret = six\n"
		"}\n"
		"client radsec {\n"
		"\tipaddr = 192.0.2.1\n"
		"\tproto = tls\n"
		"}\n"
		"# A group of clients for one listener, and a section of something else.\n"
		"clients per_listener {\n"
		"\tclient lab {\n"
		"\t\tipaddr = 192.168.50.0/24\n"
		"\t\tsecret = lab\n"
		"\t}\n"
		"}\n"
		"home_server other {\n"
		"\ttype = coa\n"
		"\tipaddr = 10.1.2.3\n"
		"\tsecret = not-a-client\n"
		"\tcoa {\n\t\tirt = 2\n\t}\n"
		"}\n"
		"$INCLUDE clients.d/\n"
		"$INCLUDE switch9.conf\n"
		"$-INCLUDE absent.conf\n");

	err.msg[0] = '\0';
	if (pc_clients_load(ctx, path, &clients, &err) < 0) fail_msg("%s", err.msg);
	assert_int_equal(clients->count, 7);

	/* The most specific prefix wins, in any order of the file. */
	assert_secret(clients, "10.1.2.3", "sw-core-1", "core1");
	assert_secret(clients, "10.1.1.77", "floor1-access", "floor1");
	assert_secret(clients, "10.1.200.1", "campus", "campus #1 \"quoted\"");
	assert_secret(clients, "10.3.99.99", "host-bits", "three");
	assert_secret(clients, "2001:db8:1::5", "v6", "six");
	assert_secret(clients, "192.168.50.9", "lab", "lab");
	assert_secret(clients, "10.9.9.9", "10.9.9.9", "nine's");
	assert_string_equal(pc_clients_find(clients, "10.1.2.3")->file, path);
	assert_int_equal(pc_clients_find(clients, "10.1.2.3")->line, 13);

	/* No match, not an address, a RadSec client without a secret, a home_server. */
	assert_null(pc_clients_find(clients, "10.2.0.1"));
	assert_null(pc_clients_find(clients, "switch.example.com"));
	assert_null(pc_clients_find(clients, "192.0.2.1"));
	assert_null(pc_clients_find(clients, "2001:db9::1"));
	talloc_free(ctx);
}

typedef struct {
	char const	*what;
	char const	*text;
	char const	*why;		//!< Expected in the message, after "FILE:LINE: " (LINE given here).
	unsigned int	line;
} broken_case_t;

static void test_broken_files(void **state)
{
	static broken_case_t const cases[] = {
		{ "unterminated string", "client a {\n\tipaddr = 10.0.0.1\n\tsecret = \"abc\n}\n", "unterminated quoted string", 3 },
		{ "section not closed", "# x\nclient a {\n\tipaddr = 10.0.0.1\n\tsecret = abc\n", "not closed", 2 },
		{ "skipped section not closed", "home_server x {\n\tipaddr = 1.2.3.4\n", "not closed", 1 },
		{ "stray brace", "client a {\n\tipaddr = 10.0.0.1\n\tsecret = abc\n}\n}\n", "closes no section", 5 },
		{ "no secret", "\nclient a {\n\tipaddr = 10.0.0.1\n}\n", "client a has no secret", 2 },
		{ "empty secret", "client a {\n\tipaddr = 10.0.0.1\n\tsecret = \"\"\n}\n", "no secret", 1 },
		{ "no address", "client switch {\n\tsecret = abc\n}\n", "has no ipaddr", 1 },
		{ "host name", "client a {\n\tipaddr = sw1.example.com\n\tsecret = abc\n}\n", "not an IP address", 2 },
		{ "bad prefix", "client a {\n\tipaddr = 10.0.0.0/33\n\tsecret = abc\n}\n", "not an IP address", 2 },
		{ "v6 in ipv4addr", "client a {\n\tipv4addr = 2001:db8::1\n\tsecret = abc\n}\n", "not an IP address", 2 },
		{ "two addresses", "client a {\n\tipaddr = 10.0.0.1\n\tipv4addr = 10.0.0.2\n\tsecret = x\n}\n", "second address", 3 },
		{ "duplicate", "client a {\n\tipaddr = 10.0.0.0/8\n\tsecret = x\n}\nclient b {\n\tipaddr = 10.1.0.0/8\n\tsecret = y\n}\n",
		  "same address as client a", 5 },
		{ "command as secret", "client a {\n\tipaddr = 10.0.0.1\n\tsecret = `cat /x`\n}\n", "cannot be a command", 3 },
		{ "missing value", "client a {\n\tipaddr =\n\tsecret = x\n}\n", "has no value", 2 },
		{ "unexpected word", "client a {\n\tipaddr = 10.0.0.1\n\tsecret = x y\n}\n", "unexpected 'y'", 3 },
		{ "unnamed client", "client {\n\tipaddr = 10.0.0.1\n\tsecret = x\n}\n", "without a name", 1 },
		{ "missing include", "\n\n$INCLUDE nowhere.conf\n", "nowhere.conf", 3 },
		{ "include variable", "$INCLUDE ${confdir}/x.conf\n", "variables are not expanded", 1 },
		{ "include loop", "$INCLUDE broken.conf\n", "nested more than", 1 },
		{ "NUL byte", "client a {\n\tipaddr = 10.0.0.1\n\0secret = x\n}\n", "NUL", 3 },
	};
	TALLOC_CTX	*ctx = talloc_new(NULL);
	pc_clients_t	*clients;
	pc_error_t	err;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		broken_case_t const *c = &cases[i];
		char *path, *prefix;

		path = write_file(ctx, "broken.conf", c->text);
		if (strcmp(c->what, "NUL byte") == 0) {
			/* fputs stops at the NUL: write the whole case. */
			FILE *fp = fopen(path, "w");

			fwrite(c->text, 1, sizeof("client a {\n\tipaddr = 10.0.0.1\n\0secret = x\n}\n") - 1, fp);
			fclose(fp);
		}
		clients = NULL;
		err.msg[0] = '\0';
		if (pc_clients_load(ctx, path, &clients, &err) == 0) fail_msg("%s: accepted", c->what);
		assert_null(clients);
		prefix = talloc_asprintf(ctx, "%s:%u: ", path, c->line);
		if (strncmp(err.msg, prefix, strlen(prefix)) != 0 || !strstr(err.msg, c->why)) {
			fail_msg("%s: '%s', expected '%s...%s'", c->what, err.msg, prefix, c->why);
		}
		/* Never a secret in a message. */
		if (strstr(err.msg + strlen(prefix), "abc")) fail_msg("%s: '%s' shows a secret", c->what, err.msg);
	}

	/* A file that cannot be read: "FILE: reason". */
	err.msg[0] = '\0';
	assert_int_equal(pc_clients_load(ctx, "/nonexistent/clients.conf", &clients, &err), -1);
	assert_string_equal(err.msg, "/nonexistent/clients.conf: No such file or directory");
	talloc_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_broken_files),
	};

	return cmocka_run_group_tests_name("clients_conf", tests, setup, teardown);
}
