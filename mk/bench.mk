# ---------------------------------------------------------------- bench
# Decision cost, EAP-TLS end to end (stock FreeRADIUS against rlm_phonecert) and a boot storm.
# Reports ratios, asserts nothing: see tests/bench/README.md for the method and the knobs
# (BENCH_RUNS, BENCH_AUTHS, BENCH_STORM, ...), docs/benchmark.md for the latest results.
#
#   make bench          the full run (about 15 minutes on 2 cores); results in $(BUILD)/bench
#   make bench-quick    the same steps, small (about 2 minutes): a smoke test of the harness

BENCH_BIN	:= $(BUILD)/bench/bin
BENCH_TOOLS	:= $(BENCH_BIN)/bench_decide $(BENCH_BIN)/bench_certs $(BENCH_BIN)/bench_load

.PHONY: bench-quick bench-tools
bench-tools: $(BENCH_TOOLS)

# Built with the module's own flags, so the decision is timed as the module's code runs.
$(BENCH_BIN)/bench_decide: tests/bench/bench_decide.c $(CORE_LIB) $(wildcard include/phonecert/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(PC_CFLAGS) -o $@ $< $(CORE_LIB) $(LIBS)

$(BENCH_BIN)/bench_certs: tests/bench/bench_certs.c
	@mkdir -p $(dir $@)
	$(CC) $(PC_CFLAGS) -o $@ $< -lcrypto

$(BENCH_BIN)/bench_load: tests/bench/bench_load.c
	@mkdir -p $(dir $@)
	$(CC) $(PC_CFLAGS) -o $@ $<

bench: all pki bench-tools
	tests/bench/run.sh $(BUILD)

bench-quick: all pki bench-tools
	BENCH_QUICK=1 tests/bench/run.sh $(BUILD)
