/**
 * @file fuzz_subject.c
 * @brief Fuzz target: pc_subject_parse (TLS-Client-Cert-Subject as FreeRADIUS hands it over),
 *	  then pc_device_from_cn and pc_device_parse_serial_number on what it found.
 *
 * The input is the subject string.  Properties: every pointer the parser returns points into
 * the subject, right after "CN=" or "serialNumber=", and the counts agree with the pointers.
 */
#include <string.h>

#include <phonecert/device.h>
#include <phonecert/facts.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(UNUSED_ARG int *argc, UNUSED_ARG char ***argv)
{
	return 0;
}

/** value points into subject, just after a component start ('/' or '+') and "key=". */
static bool follows_key(char const *subject, char const *value, char const *key)
{
	size_t klen = strlen(key);
	char const *start = value - klen - 2;

	if (start < subject) return false;
	return (start[0] == '/' || start[0] == '+') && memcmp(start + 1, key, klen) == 0 && value[-1] == '=';
}

int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size)
{
	TALLOC_CTX *ctx = talloc_new(NULL);
	char *subject = fuzz_string(ctx, data, size);
	size_t len = strlen(subject);
	pc_subject_t subj;
	pc_device_t device;

	if (!pc_subject_parse(subject, &subj)) {
		FUZZ_CHECK(subj.cn == NULL && subj.cn_count == 0 && subj.serial_number == NULL);
		talloc_free(ctx);
		return 0;
	}
	FUZZ_CHECK(subject[0] == '/');
	FUZZ_CHECK((subj.cn != NULL) == (subj.cn_count > 0));
	if (subj.cn) {
		FUZZ_CHECK(subj.cn > subject && subj.cn + subj.cn_len <= subject + len);
		FUZZ_CHECK(follows_key(subject, subj.cn, "CN"));
		if (pc_device_from_cn(subj.cn, subj.cn_len, &device)) {
			FUZZ_CHECK(subj.cn_len <= PC_CN_MAX);
			FUZZ_CHECK(strlen(device.name) == 15 && strlen(device.mac) == 12);
		}
	}
	if (subj.serial_number) {
		FUZZ_CHECK(subj.serial_number > subject && subj.serial_number + subj.serial_number_len <= subject + len);
		FUZZ_CHECK(follows_key(subject, subj.serial_number, "serialNumber"));
		memset(&device, 0, sizeof(device));
		if (pc_device_parse_serial_number(subj.serial_number, subj.serial_number_len, &device)) {
			FUZZ_CHECK(device.pid[0] && device.sn[0]);
			FUZZ_CHECK(strlen(device.pid) + strlen(device.sn) + 8 == subj.serial_number_len);
		}
	}
	if (len < PC_ONELINE_MAX) FUZZ_CHECK(!subj.truncated);
	talloc_free(ctx);
	return 0;
}
