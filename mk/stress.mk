# ---------------------------------------------------------------- stress, memory and thread checks
# The real radiusd with the module, under load, under valgrind (tests/stress/README.md).
#
#   make test-stress     reload under load for STRESS_SECONDS (60): radmin and SIGHUP reloads,
#                        broken ones, 4 eapol_test clients; fails on any wrong answer (CI)
#   make stress          the same, longer (STRESS_SECONDS, default 300)
#   make test-memcheck   the integration suite, then reload under load past the 60 s after
#                        which FreeRADIUS frees replaced instances, with radiusd under valgrind
#                        memcheck; fails on any memcheck error or definite leak
#   make test-helgrind   reload under load with radiusd under valgrind helgrind; fails on a
#                        race in which the module's own code makes one of the accesses

VALGRIND_OUT	:= $(BUILD)/valgrind

.PHONY: test-stress stress test-memcheck test-helgrind

test-stress: $(MODULE) $(BUILD)/pki/.stamp
	STRESS_SECONDS=$(or $(STRESS_SECONDS),60) tests/stress/reload-under-load.sh $(BUILD)

stress: $(MODULE) $(BUILD)/pki/.stamp
	STRESS_SECONDS=$(or $(STRESS_SECONDS),300) tests/stress/reload-under-load.sh $(BUILD)

# The verdict runs even when a suite failed: its report is what explains a crash.
test-memcheck: $(MODULE) $(CLI) $(BUILD)/pki/.stamp
	rm -rf $(VALGRIND_OUT)/memcheck
	@status=0; export VALGRIND=memcheck VALGRIND_DIR=$(VALGRIND_OUT)/memcheck; \
	tests/integration/run.sh $(BUILD) || status=1; \
	STRESS_SECONDS=75 STRESS_INTERVAL=4 tests/stress/reload-under-load.sh $(BUILD) || status=1; \
	tests/stress/valgrind/verdict.py $(VALGRIND_OUT)/memcheck || status=1; \
	exit $$status

test-helgrind: $(MODULE) $(BUILD)/pki/.stamp
	rm -rf $(VALGRIND_OUT)/helgrind
	@status=0; export VALGRIND=helgrind VALGRIND_DIR=$(VALGRIND_OUT)/helgrind; \
	STRESS_SECONDS=$(or $(STRESS_SECONDS),45) STRESS_INTERVAL=4 tests/stress/reload-under-load.sh $(BUILD) || status=1; \
	tests/stress/valgrind/verdict.py $(VALGRIND_OUT)/helgrind || status=1; \
	exit $$status
