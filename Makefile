# rlm_phonecert: build, test, bench, fuzz, install, demo against Debian's FreeRADIUS 3.2.
#
#   make            core library, the FreeRADIUS module and the phonecert CLI (warnings are errors)
#   make test       every test: unit (cmocka), sanitizer build, CLI, the disconnect command and the
#                   rollover report, integration (radiusd + eapol_test), the rollover ledger (SQLite,
#                   PostgreSQL), install into a staged raddb, reload under load, radiusd under valgrind
#                   memcheck and helgrind, a short fuzz of every libFuzzer target
#   make demo       a real radiusd with the module authenticating demo phones
#   make bench      decision and end-to-end benchmarks (ratios, not assertions); bench-quick: small
#   make fuzz       libFuzzer targets (clang) for FUZZ_SECONDS each
#   make install    into a Debian-packaged FreeRADIUS (DESTDIR, PREFIX honoured); make deb: the .deb
#   make docker-check  build the container image with its smoke stage (podman or docker)

CC		?= cc
BUILD		?= build
PREFIX		?= /usr
SYSCONFDIR	?= /etc
# Where the installed radiusd loads modules from (and libfreeradius-*.so are): scripts/fr-config.sh.
FR_LIBDIR	?= $(shell scripts/fr-config.sh libdir)
FR_RADDB	?= $(SYSCONFDIR)/freeradius/3.0

WARN		:= -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes
CFLAGS		?= -O2 -g
PC_CFLAGS	:= -std=gnu11 -fPIC $(WARN) -Iinclude $(CFLAGS) -D_FORTIFY_SOURCE=2
LIBS		:= -lssl -lcrypto -ltalloc

CORE_SRC	:= $(sort $(wildcard rlm_phonecert/core/*.c))
CORE_OBJ	:= $(CORE_SRC:%.c=$(BUILD)/%.o)
CORE_LIB	:= $(BUILD)/libphonecert.a

# FreeRADIUS 3.2.1's -dev package lacks headers that radiusd.h includes (upstream #5778):
# scripts/fr-headers.sh takes them from Debian's matching source package at build time.  It
# also writes FR_INC/cflags: what radiusd was built with that changes its structures' layout
# (-DNDEBUG when its headers define WITH_NDEBUG), read when the module's objects are compiled.
FR_INC		:= $(BUILD)/fr-include
FR_CFLAGS	= $(shell cat $(FR_INC)/cflags) -include freeradius/build.h -idirafter $(FR_INC) \
		  -Wno-missing-prototypes -Wno-shadow -Wno-format-nonliteral
MODULE		:= $(BUILD)/rlm_phonecert.so
CLI		:= $(BUILD)/phonecert

.PHONY: all core module cli pki test unit test-unit test-asan test-cli test-integration demo bench fuzz fuzz-smoke \
	install uninstall clean deps
all: core module cli

core: $(CORE_LIB)
module: $(MODULE)
cli: $(CLI)

$(BUILD)/%.o: %.c $(wildcard include/phonecert/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(PC_CFLAGS) -c $< -o $@

$(CORE_LIB): $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FR_INC)/.stamp: scripts/fr-headers.sh scripts/fr-config.sh
	scripts/fr-headers.sh $(FR_INC)

# The FreeRADIUS glue: rlm_phonecert/*.c (the module, its TLS hook, its eap config checks).
MODULE_SRC	:= $(sort $(wildcard rlm_phonecert/*.c))
MODULE_OBJ	:= $(MODULE_SRC:%.c=$(BUILD)/%.o)

$(MODULE_OBJ): $(BUILD)/%.o: %.c $(FR_INC)/.stamp $(wildcard include/phonecert/*.h) $(wildcard rlm_phonecert/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(PC_CFLAGS) $(FR_CFLAGS) -c $< -o $@

$(MODULE): $(MODULE_OBJ) $(CORE_LIB)
	$(CC) -shared $(LDFLAGS) -o $@ $^ -Wl,-z,defs -L$(FR_LIBDIR) -lfreeradius-server -lfreeradius-radius $(LIBS) -ldl -lpthread

# The CLI also reads the rollover ledger: libsqlite3 and libpq (ledger_db.c).
CLI_SRC		:= $(sort $(wildcard rlm_phonecert/cli/*.c))
LEDGER_CFLAGS	:= $(shell pkg-config --cflags sqlite3 libpq 2>/dev/null)
LEDGER_LIBS	:= $(shell pkg-config --libs sqlite3 libpq 2>/dev/null || echo -lsqlite3 -lpq)
$(CLI_SRC:%.c=$(BUILD)/%.o): rlm_phonecert/cli/cli.h $(wildcard rlm_phonecert/cli/*.h)
$(CLI_SRC:%.c=$(BUILD)/%.o): PC_CFLAGS += $(LEDGER_CFLAGS)
$(CLI): $(CLI_SRC:%.c=$(BUILD)/%.o) $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(LEDGER_LIBS)

# ---------------------------------------------------------------- tests
UNIT_SRC	:= $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN	:= $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

$(BUILD)/tests/%: tests/unit/%.c $(CORE_LIB) tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(PC_CFLAGS) -Itests/unit -o $@ $< $(CORE_LIB) -lcmocka $(LIBS)

# The test PKI's dates are relative to its generation: `make test` regenerates it (about 10 s).
$(BUILD)/pki/.stamp: tests/pki/gen.sh tests/pki/attacks.sh tests/pki/forge.c tests/pki/mkcrl.c tests/pki/redteam.sh tests/pki/rtcert.c
	tests/pki/gen.sh $(BUILD)/pki
	@touch $@

pki:
	rm -f $(BUILD)/pki/.stamp
	$(MAKE) --no-print-directory $(BUILD)/pki/.stamp

test-unit: $(UNIT_BIN) $(BUILD)/pki/.stamp
	@set -e; for t in $(UNIT_BIN); do PHONECERT_PKI=$(BUILD)/pki PHONECERT_RADDB=$(CURDIR)/raddb $$t; done

# The same unit tests built with ASan and UBSan (clang), in a build directory of their own.
test-asan:
	$(MAKE) --no-print-directory BUILD=$(BUILD)/asan CC=clang \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" test-unit-asan

test-unit-asan: $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%) $(BUILD)/pki/.stamp
	@set -e; for t in $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%); do PHONECERT_PKI=$(BUILD)/pki PHONECERT_RADDB=$(CURDIR)/raddb $$t; done

test-cli: $(CLI) $(BUILD)/pki/.stamp
	tests/cli/run.sh $(BUILD)

test-integration: $(MODULE) $(CLI) $(BUILD)/pki/.stamp
	tests/integration/run.sh $(BUILD)

test:
	scripts/deps.sh
	$(MAKE) --no-print-directory all pki
	$(MAKE) --no-print-directory test-unit
	$(MAKE) --no-print-directory test-asan
	$(MAKE) --no-print-directory test-cli
	$(MAKE) --no-print-directory test-disconnect
	$(MAKE) --no-print-directory test-report
	$(MAKE) --no-print-directory test-integration
	$(MAKE) --no-print-directory test-ledger
	$(MAKE) --no-print-directory test-install
	$(MAKE) --no-print-directory test-stress
	$(MAKE) --no-print-directory test-memcheck
	$(MAKE) --no-print-directory test-helgrind
	$(MAKE) --no-print-directory fuzz-smoke
	@echo "make test: unit, sanitizer, CLI, disconnect, rollover report, integration, ledger, install, reload-under-load, memcheck, helgrind and fuzz smoke all passed"

demo:
	scripts/deps.sh
	$(MAKE) --no-print-directory all pki
	tests/integration/demo.sh $(BUILD)

deps:
	scripts/deps.sh

clean:
	rm -rf $(BUILD)

# ---------------------------------------------------------------- the rest
# One file per job under mk/: install, fuzz, stress, bench, docker.
include $(sort $(wildcard mk/*.mk))
