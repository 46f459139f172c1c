/**
 * @file fuzz_device.c
 * @brief Fuzz target: the identities read from a certificate and a request:
 *	  pc_device_from_cn, pc_device_parse_serial_number, pc_mac_normalise (Calling-Station-Id)
 *	  with pc_mac_format.
 *
 * Every function gets the same input.  The length-taking ones read the bytes in place, so a
 * read past the end is an ASan report; the string ones get a copy ending at the first NUL.
 * Properties: what comes out has the documented shape, and formatting then normalising a
 * MAC gives the same MAC back.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <phonecert/device.h>
#include <phonecert/facts.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(UNUSED_ARG int *argc, UNUSED_ARG char ***argv)
{
	return 0;
}

static bool all(char const *s, size_t len, int (*is)(int))
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (!is((unsigned char)s[i])) return false;
	}
	return true;
}

static int is_upper_hex(int c)
{
	return isxdigit(c) && !islower(c);
}

static int is_token(int c)
{
	return c > ' ' && c <= '~';
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	char const *raw = (char const *)data;
	char *text = fuzz_string(ctx, data, size);
	pc_device_t device;
	char mac[13], again[13], formatted[18];

	memset(&device, 0, sizeof(device));
	if (pc_device_from_cn(raw, size, &device)) {
		FUZZ_CHECK(size <= PC_CN_MAX && !memchr(raw, '\0', size));
		FUZZ_CHECK(strlen(device.name) == 15 && memcmp(device.name, "SEP", 3) == 0);
		FUZZ_CHECK(all(device.mac, 12, is_upper_hex) && device.mac[12] == '\0');
		FUZZ_CHECK(strcmp(device.name + 3, device.mac) == 0);
		/* The CN ends with the device name (any case), after "CP-<model>-" if there is a model. */
		FUZZ_CHECK(strncasecmp(raw + size - 15, device.name, 15) == 0);
		if (device.model[0]) {
			FUZZ_CHECK(strlen(device.model) + 1 + 15 == size && memcmp(raw, device.model, size - 16) == 0);
		} else {
			FUZZ_CHECK(size == 15);
		}
	}

	memset(&device, 0, sizeof(device));
	if (pc_device_parse_serial_number(raw, size, &device)) {
		FUZZ_CHECK(all(device.pid, strlen(device.pid), is_token) && device.pid[0]);
		FUZZ_CHECK(all(device.sn, strlen(device.sn), is_token) && device.sn[0]);
		FUZZ_CHECK(size == 4 + strlen(device.pid) + 4 + strlen(device.sn));
	} else {
		FUZZ_CHECK(device.pid[0] == '\0' && device.sn[0] == '\0');
	}

	if (pc_mac_normalise(text, mac)) {
		FUZZ_CHECK(strlen(mac) == 12 && all(mac, 12, is_upper_hex));
		pc_mac_format(mac, formatted);
		FUZZ_CHECK(strlen(formatted) == 17);
		FUZZ_CHECK(pc_mac_normalise(formatted, again) && strcmp(mac, again) == 0);
	}

	talloc_free(ctx);
	return 0;
}
