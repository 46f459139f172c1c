/**
 * @file test_device.c
 * @brief Phone device names, serialNumber PID/SN, MAC address notations.
 */
#include "unit.h"

#include <phonecert/device.h>

/*
 *	Device names.  cn and len: the CN as FreeRADIUS hands it over (len may stop short of
 *	the string, or include an embedded NUL).  A NULL name means "not a phone".
 */
typedef struct {
	char const	*cn;
	size_t		len;		//!< 0: strlen(cn).
	char const	*name;
	char const	*mac;
	char const	*model;
} cn_case_t;

static cn_case_t const cn_cases[] = {
	/* The two forms Cisco writes. */
	{ "SEP001E7AC3D1AB", 0,			"SEP001E7AC3D1AB", "001E7AC3D1AB", "" },
	{ "CP-8861-SEPB000B4BA0AEE", 0,		"SEPB000B4BA0AEE", "B000B4BA0AEE", "CP-8861" },
	{ "CP-7961G-SEP001E7AC3D1AB", 0,	"SEP001E7AC3D1AB", "001E7AC3D1AB", "CP-7961G" },
	{ "CP-8865-SEP2C3124C9F8E2", 0,		"SEP2C3124C9F8E2", "2C3124C9F8E2", "CP-8865" },
	/* Lower-case hex digits are normalised; the prefix is not. */
	{ "SEP001e7ac3d1ab", 0,			"SEP001E7AC3D1AB", "001E7AC3D1AB", "" },
	{ "CP-8861-SEPb000b4ba0aee", 0,		"SEPB000B4BA0AEE", "B000B4BA0AEE", "CP-8861" },
	{ "CP-a1-SEP001122334455", 0,		"SEP001122334455", "001122334455", "CP-a1" },
	/* len is what counts, not a terminating NUL. */
	{ "SEP001E7AC3D1ABXYZ", 15,		"SEP001E7AC3D1AB", "001E7AC3D1AB", "" },
	/* The longest model that fits pc_device_t.model (23 characters). */
	{ "CP-12345678901234567890-SEP001122334455", 0, "SEP001122334455", "001122334455",
	  "CP-12345678901234567890" },

	/* Not phones. */
	{ "sep001E7AC3D1AB", 0,			NULL, NULL, NULL },	/* lower-case prefix */
	{ "Sep001E7AC3D1AB", 0,			NULL, NULL, NULL },
	{ "SEP001E7AC3D1A", 0,			NULL, NULL, NULL },	/* 11 hex digits */
	{ "SEP001E7AC3D1ABC", 0,		NULL, NULL, NULL },	/* 13 hex digits */
	{ "SEP001E7AC3D1AG", 0,			NULL, NULL, NULL },	/* non-hex */
	{ "SEP001E7AC3D1A ", 0,			NULL, NULL, NULL },
	{ "SEP 001E7AC3D1AB", 0,		NULL, NULL, NULL },
	{ "SEP-001E7AC3D1AB", 0,		NULL, NULL, NULL },
	{ "SEP00:1E:7A:C3:D1:AB", 0,		NULL, NULL, NULL },
	{ " SEP001E7AC3D1AB", 0,		NULL, NULL, NULL },
	{ "SEP001E7AC3D1AB ", 0,		NULL, NULL, NULL },
	{ "SEP001E7AC3D1AB\0.evil", 21,		NULL, NULL, NULL },	/* embedded NUL */
	{ "SEP0011\0" "2233445", 15,		NULL, NULL, NULL },	/* NUL inside the MAC */
	{ "SEP001E7AC3D1AB", 14,		NULL, NULL, NULL },	/* len cuts a digit off */
	{ "SEP", 0,				NULL, NULL, NULL },
	{ "C9300-48P", 0,			NULL, NULL, NULL },	/* a switch's SUDI */
	{ "CP-8861-sepB000B4BA0AEE", 0,		NULL, NULL, NULL },
	{ "CP-8861SEPB000B4BA0AEE", 0,		NULL, NULL, NULL },	/* no '-' before SEP */
	{ "CP--SEPB000B4BA0AEE", 0,		NULL, NULL, NULL },	/* empty model */
	{ "CP-88 61-SEPB000B4BA0AEE", 0,	NULL, NULL, NULL },
	{ "CP-88.61-SEPB000B4BA0AEE", 0,	NULL, NULL, NULL },
	{ "CP-8861-SEPB000B4BA0AE", 0,		NULL, NULL, NULL },
	{ "CP-8861-SEPB000B4BA0AEEE", 0,	NULL, NULL, NULL },
	{ "CP-8861-SEPB000B4BA0AEE ", 0,	NULL, NULL, NULL },
	{ "XP-8861-SEPB000B4BA0AEE", 0,		NULL, NULL, NULL },
	{ "cp-8861-SEPB000B4BA0AEE", 0,		NULL, NULL, NULL },
	{ "CP-8861-SEPB000B4BA0AEE\0", 24,	NULL, NULL, NULL },
	{ "CP-8861-\xc3\x96-SEPB000B4BA0AEE", 0, NULL, NULL, NULL },	/* non-ASCII model */
	/* One character more than pc_device_t.model holds. */
	{ "CP-123456789012345678901-SEP001122334455", 0, NULL, NULL, NULL },
	/* Overlong: more than the 64 bytes of ub-common-name. */
	{ "CP-1234567890123456789012345678901234567890123456789-SEP001122334455", 0, NULL, NULL, NULL },
	{ "", 0,				NULL, NULL, NULL },
};

static void test_device_from_cn_table(UNUSED void **state)
{
	size_t i;

	for (i = 0; i < UNIT_COUNT(cn_cases); i++) {
		cn_case_t const *c = &cn_cases[i];
		size_t len = c->len ? c->len : strlen(c->cn);
		pc_device_t dev;
		bool ok;

		memset(&dev, 0, sizeof(dev));
		ok = pc_device_from_cn(c->cn, len, &dev);
		if (ok != (c->name != NULL)) {
			fail_msg("case %zu '%.*s' (len %zu): expected %s", i, (int)len, c->cn, len,
				 c->name ? "a phone" : "not a phone");
		}
		if (!ok) continue;
		assert_string_equal(dev.name, c->name);
		assert_string_equal(dev.mac, c->mac);
		assert_string_equal(dev.model, c->model);
		/* The CN carries no PID/SN: those come from serialNumber only. */
		assert_string_equal(dev.pid, "");
		assert_string_equal(dev.sn, "");
	}
}

static void test_device_from_cn_null_and_limits(UNUSED void **state)
{
	pc_device_t dev;
	char cn[PC_CN_MAX + 2];

	assert_false(pc_device_from_cn(NULL, 15, &dev));
	assert_false(pc_device_from_cn("SEP001E7AC3D1AB", 0, &dev));

	/* 65 bytes: over ub-common-name, refused whole and cut to 64. */
	snprintf(cn, sizeof(cn), "CP-%s-SEP001122334455", "1234567890123456789012345678901234567890123456");
	assert_int_equal(strlen(cn), PC_CN_MAX + 1);
	assert_false(pc_device_from_cn(cn, strlen(cn), &dev));
	assert_false(pc_device_from_cn(cn, PC_CN_MAX, &dev));
}

/* A phone name must be found however the bytes before it look (CN read by length only). */
static void test_device_from_cn_not_terminated(UNUSED void **state)
{
	char buf[40];
	pc_device_t dev;

	memset(buf, 'Z', sizeof(buf));
	memcpy(buf, "CP-8861-SEPB000B4BA0AEE", 23);	/* no NUL anywhere in buf */
	assert_true(pc_device_from_cn(buf, 23, &dev));
	assert_string_equal(dev.mac, "B000B4BA0AEE");
	assert_string_equal(dev.model, "CP-8861");
	assert_false(pc_device_from_cn(buf, 24, &dev));
}

/*
 *	serialNumber "PID:<pid> SN:<sn>".
 */
typedef struct {
	char const	*value;
	size_t		len;		//!< 0: strlen(value).
	char const	*pid;		//!< NULL: refused.
	char const	*sn;
} sn_case_t;

static sn_case_t const sn_cases[] = {
	{ "PID:CP-8861 SN:FCH2133E8B9", 0,	"CP-8861", "FCH2133E8B9" },
	{ "PID:CP-8861 SN:FCH18198CNQ", 0,	"CP-8861", "FCH18198CNQ" },
	{ "PID:C9300-48P SN:FOC2227Y0AB", 0,	"C9300-48P", "FOC2227Y0AB" },
	{ "PID:A SN:B", 0,			"A", "B" },
	{ "PID:CP-8861 SN:FCH2133E8B9XYZ", 26,	"CP-8861", "FCH2133E8B9" },	/* by length */
	/* 39 characters fit pc_device_t.pid and .sn. */
	{ "PID:123456789012345678901234567890123456789 SN:123456789012345678901234567890123456789", 0,
	  "123456789012345678901234567890123456789", "123456789012345678901234567890123456789" },

	{ "PID:1234567890123456789012345678901234567890 SN:X", 0, NULL, NULL },	/* 40: too long */
	{ "PID:X SN:1234567890123456789012345678901234567890", 0, NULL, NULL },
	{ "PID:CP-8861  SN:FCH2133E8B9", 0,	NULL, NULL },	/* two spaces */
	{ "PID:CP-8861 SN:FCH 2133E8B9", 0,	NULL, NULL },	/* space in SN */
	{ "PID:CP-8861 SN:FCH2133E8B9 ", 0,	NULL, NULL },
	{ "PID:CP-8861\tSN:FCH2133E8B9", 0,	NULL, NULL },
	{ "PID:CP-8861 SN:", 0,			NULL, NULL },	/* empty SN */
	{ "PID: SN:FCH2133E8B9", 0,		NULL, NULL },	/* empty PID */
	{ "PID:CP-8861", 0,			NULL, NULL },
	{ "SN:FCH2133E8B9 PID:CP-8861", 0,	NULL, NULL },	/* other order */
	{ "pid:CP-8861 sn:FCH2133E8B9", 0,	NULL, NULL },
	{ "PID:CP-8861 XX:FCH2133E8B9", 0,	NULL, NULL },
	{ "FCH2133E8B9", 0,			NULL, NULL },	/* a bare serial */
	{ "PID:CP-8861 SN:FCH\0EVIL", 23,	NULL, NULL },	/* embedded NUL */
	{ "PID:CP-8861 SN:FCH\x7f", 0,		NULL, NULL },
	{ "PID:CP-\xc3\x96 SN:FCH2133E8B9", 0,	NULL, NULL },	/* non-ASCII */
	{ "", 0,				NULL, NULL },
};

static void test_device_serial_number_table(UNUSED void **state)
{
	size_t i;

	for (i = 0; i < UNIT_COUNT(sn_cases); i++) {
		sn_case_t const *c = &sn_cases[i];
		size_t len = c->len ? c->len : strlen(c->value);
		pc_device_t dev;
		bool ok;

		memset(&dev, 0, sizeof(dev));
		strcpy(dev.mac, "001122334455");	/* must survive */
		ok = pc_device_parse_serial_number(c->value, len, &dev);
		if (ok != (c->pid != NULL)) {
			fail_msg("case %zu '%.*s': expected %s", i, (int)len, c->value, c->pid ? "accept" : "refuse");
		}
		assert_string_equal(dev.mac, "001122334455");
		if (ok) {
			assert_string_equal(dev.pid, c->pid);
			assert_string_equal(dev.sn, c->sn);
		} else {
			assert_string_equal(dev.pid, "");	/* left empty, as documented */
			assert_string_equal(dev.sn, "");
		}
	}
}

static void test_device_serial_number_null(UNUSED void **state)
{
	pc_device_t dev;

	memset(&dev, 0, sizeof(dev));
	assert_false(pc_device_parse_serial_number(NULL, 0, &dev));
	assert_false(pc_device_parse_serial_number(NULL, 26, &dev));
	assert_string_equal(dev.pid, "");
}

/*
 *	MAC addresses, as switches write Calling-Station-Id.
 */
typedef struct {
	char const	*text;
	char const	*mac;		//!< NULL: refused.
} mac_case_t;

static mac_case_t const mac_cases[] = {
	{ "00-11-22-33-44-55",	"001122334455" },	/* IETF */
	{ "00:11:22:33:44:55",	"001122334455" },
	{ "0011.2233.4455",	"001122334455" },	/* Cisco */
	{ "001122334455",	"001122334455" },
	{ "b0-00-b4-ba-0a-ee",	"B000B4BA0AEE" },	/* any case */
	{ "B0:00:b4:Ba:0A:eE",	"B000B4BA0AEE" },
	{ "b000.b4ba.0aee",	"B000B4BA0AEE" },
	{ "B000B4ba0aee",	"B000B4BA0AEE" },
	{ "AA-BB-CC-DD-EE-FF",	"AABBCCDDEEFF" },

	{ "00-11:22-33-44-55",	NULL },		/* mixed separators */
	{ "00:11:22:33:44-55",	NULL },
	{ "00-11-22-33-44:55",	NULL },
	{ "0011.2233:4455",	NULL },
	{ "00.11.22.33.44.55",	NULL },		/* '.' only in groups of four */
	{ "0011-2233-4455",	NULL },
	{ "0011:2233:4455",	NULL },
	{ "00 11 22 33 44 55",	NULL },
	{ "001-122-334-455",	NULL },		/* wrong group sizes */
	{ "0-011-22-33-44-55",	NULL },
	{ "001122.334455",	NULL },
	{ "00112233445",	NULL },		/* 11 digits */
	{ "0011223344556",	NULL },		/* 13 digits */
	{ "00-11-22-33-44-5",	NULL },
	{ "00-11-22-33-44-555",	NULL },
	{ "00-11-22-33-44-55-66", NULL },
	{ "0011.2233.445",	NULL },
	{ "0011.2233.44555",	NULL },
	{ "00-11-22-33-44-GG",	NULL },		/* not hex */
	{ "0x1122334455",	NULL },
	{ "00112233445G",	NULL },
	{ " 001122334455",	NULL },		/* trailing / leading text */
	{ "001122334455 ",	NULL },
	{ "001122334455\n",	NULL },
	{ "00-11-22-33-44-55 ",	NULL },
	{ "00-11-22-33-44-55\r", NULL },
	{ "SEP001122334455",	NULL },
	{ "",			NULL },
};

static void test_mac_normalise_table(UNUSED void **state)
{
	size_t i;

	for (i = 0; i < UNIT_COUNT(mac_cases); i++) {
		char out[13];
		bool ok;

		memset(out, '?', sizeof(out));
		ok = pc_mac_normalise(mac_cases[i].text, out);
		if (ok != (mac_cases[i].mac != NULL)) {
			fail_msg("'%s': expected %s", mac_cases[i].text, mac_cases[i].mac ? "accept" : "refuse");
		}
		if (ok) {
			assert_string_equal(out, mac_cases[i].mac);
		} else {
			assert_int_equal(out[0], '?');	/* nothing half-written */
		}
	}
}

static void test_mac_normalise_null(UNUSED void **state)
{
	char out[13];

	assert_false(pc_mac_normalise(NULL, out));
}

/* A MAC with an embedded NUL is the shorter string before it: 6 digits here. */
static void test_mac_normalise_embedded_nul(UNUSED void **state)
{
	char const text[] = "001122\0" "334455";
	char out[13];

	assert_false(pc_mac_normalise(text, out));
}

static void test_mac_format(UNUSED void **state)
{
	static struct {
		char const *mac, *text;
	} const cases[] = {
		{ "B000B4BA0AEE", "B0:00:B4:BA:0A:EE" },
		{ "001122334455", "00:11:22:33:44:55" },
	};
	size_t i;

	for (i = 0; i < UNIT_COUNT(cases); i++) {
		char out[18], mac[13];

		memset(out, 'x', sizeof(out));
		pc_mac_format(cases[i].mac, out);
		assert_string_equal(out, cases[i].text);
		/* What is printed normalises back to the same MAC. */
		assert_true(pc_mac_normalise(out, mac));
		assert_string_equal(mac, cases[i].mac);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_from_cn_table),
		cmocka_unit_test(test_device_from_cn_null_and_limits),
		cmocka_unit_test(test_device_from_cn_not_terminated),
		cmocka_unit_test(test_device_serial_number_table),
		cmocka_unit_test(test_device_serial_number_null),
		cmocka_unit_test(test_mac_normalise_table),
		cmocka_unit_test(test_mac_normalise_null),
		cmocka_unit_test(test_mac_normalise_embedded_nul),
		cmocka_unit_test(test_mac_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
