/**
 * @file fuzz.h
 * @brief What the fuzz targets share: the fixed trust store, a fixed clock, and checks that
 *	  abort (so that libFuzzer keeps the input that broke a property).
 *
 * Every target is deterministic: the same input gives the same run.  Decisions are made at
 * FUZZ_NOW (plus an offset some inputs carry), never at the clock's time, against the anchors
 * of tests/fuzz/anchors (generated once by seeds.sh and committed: certificates only).
 */
#ifndef PHONECERT_FUZZ_H
#define PHONECERT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <talloc.h>
#include <openssl/x509.h>

#include <phonecert/cert.h>
#include <phonecert/config.h>
#include <phonecert/decide.h>

/** libFuzzer's entry points, declared for -Wmissing-prototypes. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(uint8_t const *data, size_t size);

/** A property every input must keep.  Failing it aborts, which libFuzzer records as a crash. */
#define FUZZ_CHECK(cond) do { \
	if (!(cond)) fuzz_fail(__FILE__, __LINE__, #cond); \
} while (0)

void fuzz_fail(char const *file, int line, char const *what) __attribute__((noreturn));

/** For the arguments of LLVMFuzzerInitialize that most targets do not need. */
#ifndef UNUSED_ARG
#  define UNUSED_ARG __attribute__((unused))
#endif

/** 2030-06-01T00:00:00Z: the anchors are valid then, and the seeds' certificates too. */
#define FUZZ_NOW ((time_t)1906502400)

/** How many policies fuzz_config() has to offer. */
#define FUZZ_POLICIES 8

/** The policy whose MAC binding is off: certificates alone can reach an accept with it. */
#define FUZZ_POLICY_NO_MAC 2

/**
 * The directory of fuzz.conf and its anchors: $PHONECERT_FUZZ_ANCHORS if set, else the one
 * the Makefile compiled in (PC_FUZZ_ANCHORS).
 */
char const *fuzz_anchor_dir(void);

/**
 * The anchors of fuzz.conf under policy number variant (modulo FUZZ_POLICIES): MICs allowed
 * or denied, each MAC binding, each reply profile, with and without VLANs.  Loaded on the first
 * call; aborts if fuzz.conf cannot be loaded.  Lives until the process ends.
 */
pc_config_t const *fuzz_config(unsigned int variant);

/** size bytes of data as a string under ctx; an embedded NUL ends it, as for any C caller. */
char *fuzz_string(TALLOC_CTX *ctx, uint8_t const *data, size_t size);

/**
 * A path naming a file that holds exactly data: an in-memory file rewritten by every call,
 * for the functions that only read paths.  Valid until the next call.
 */
char const *fuzz_file(uint8_t const *data, size_t size);

/** What every decision and diagnosis must satisfy, whatever the input. */
void fuzz_check_decision(pc_config_t const *cfg, pc_decision_t const *decision);

/** Whether two records say the same (field by field, as tests/unit/unit.h's unit_cert_equal). */
bool fuzz_cert_equal(pc_cert_t const *a, pc_cert_t const *b);

/**
 * What an accept claims, checked against the record it was made from: its chain verified
 * directly under the anchor the decision names (trusted at now, of the role that is the
 * kind), and the device is the record's CN.
 */
void fuzz_check_accept_record(pc_config_t const *cfg, pc_cert_t const *cert, pc_decision_t const *d, time_t now);

/**
 * The module's path for one certificate, from its DER: pc_cert_from_x509 (checked against the
 * certificate itself), the record's encoding round trip, then pc_decide on the record made to
 * say "verified, directly under anchor A" for each anchor A of the fuzz store, and pc_diagnose
 * on it made to say "refused".  An accept must be true of the certificate: exactly one CN, the
 * device accepted is that CN's, the kind is A's role.  FreeRADIUS's strings for the same
 * certificate and anchor (pc_facts_from_x509) must not change the decision.
 */
void fuzz_decide_certificate(X509 *leaf);

#endif
