# ---------------------------------------------------------------- fuzz
# libFuzzer targets, one per tests/fuzz/fuzz_TARGET.c (tests/fuzz/README.md says what each covers).
#
#   make fuzz          build every target (clang, ASan + UBSan) and fuzz each for FUZZ_SECONDS
#   make fuzz-smoke    replay every committed corpus input, then fuzz each for FUZZ_SMOKE_SECONDS (CI)
#   make fuzz-replay   replay the committed corpora with the targets built by $(CC), without libFuzzer
#
# FUZZ_TARGETS=x509 narrows any of them; FUZZ_JOBS targets run at once.  Crash, leak and timeout
# inputs are written to $(BUILD)/fuzz/artifacts.

FUZZ_CC			?= clang
FUZZ_SECONDS		?= 60
FUZZ_SMOKE_SECONDS	?= 10
FUZZ_JOBS		?= 2
FUZZ_DIR		:= $(BUILD)/fuzz
FUZZ_TARGETS		:= $(patsubst tests/fuzz/fuzz_%.c,%,$(filter-out tests/fuzz/fuzz_support.c,\
			   $(sort $(wildcard tests/fuzz/fuzz_*.c))))

# The targets run the core and the CLI's certificate loader compiled here from source, with
# coverage and the sanitizers (never the gcc libphonecert.a).  _FORTIFY_SOURCE stays off: its
# checked functions would hide reads and writes from ASan.
FUZZ_SAN		:= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS		:= -std=gnu11 $(WARN) -Iinclude -Irlm_phonecert/cli -Itests/fuzz -O1 -g $(FUZZ_SAN) \
			   -DPC_FUZZ_ANCHORS='"$(abspath tests/fuzz/anchors)"'
FUZZ_LIB_SRC		:= $(CORE_SRC) rlm_phonecert/cli/certload.c tests/fuzz/fuzz_support.c
FUZZ_DEPS		:= $(wildcard include/phonecert/*.h) rlm_phonecert/cli/cli.h tests/fuzz/fuzz.h
FUZZ_BINS		:= $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

$(FUZZ_DIR)/obj/%.o: %.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# The same targets with tests/fuzz/replay.c as main(), built by $(CC) with its own sanitizers.
FUZZ_REPLAY_DIR		:= $(FUZZ_DIR)/replay
FUZZ_REPLAY_SAN		:= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_REPLAY_BINS	:= $(FUZZ_TARGETS:%=$(FUZZ_REPLAY_DIR)/fuzz_%)

$(FUZZ_REPLAY_DIR)/obj/%.o: %.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -Iinclude -Irlm_phonecert/cli -Itests/fuzz -O1 -g $(FUZZ_REPLAY_SAN) \
		-DPC_FUZZ_ANCHORS='"$(abspath tests/fuzz/anchors)"' -c $< -o $@

$(FUZZ_REPLAY_DIR)/fuzz_%: $(FUZZ_REPLAY_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_REPLAY_DIR)/obj/tests/fuzz/replay.o \
		$(FUZZ_LIB_SRC:%.c=$(FUZZ_REPLAY_DIR)/obj/%.o)
	$(CC) $(FUZZ_REPLAY_SAN) -o $@ $^ $(LIBS)

.PHONY: fuzz-build fuzz-replay
.PRECIOUS: $(FUZZ_DIR)/obj/%.o $(FUZZ_REPLAY_DIR)/obj/%.o

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	FUZZ_JOBS=$(FUZZ_JOBS) tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke: $(FUZZ_BINS)
	FUZZ_JOBS=$(FUZZ_JOBS) tests/fuzz/run.sh -r $(FUZZ_DIR) $(FUZZ_TARGETS)
	FUZZ_JOBS=$(FUZZ_JOBS) tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

fuzz-replay: $(FUZZ_REPLAY_BINS)
	FUZZ_JOBS=$(FUZZ_JOBS) tests/fuzz/run.sh -r $(FUZZ_REPLAY_DIR) $(FUZZ_TARGETS)
