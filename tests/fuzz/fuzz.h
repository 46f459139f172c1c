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

/**
 * Run pc_decide and pc_diagnose on facts of leaf (with issuer as its depth-1 certificate, or
 * the uploaded anchor named as its issuer when issuer is NULL) and check what an accept claims
 * against the certificate itself: its first CN is the device accepted, and no other CN is among
 * the components FreeRADIUS keeps of the subject.
 */
void fuzz_decide_certificate(X509 *leaf, X509 *issuer);

#endif
