# ---------------------------------------------------------------- phonecert disconnect
# RFC 5176 Disconnect/CoA requests to the switches the rollover ledger names.
#
#   make test-disconnect   unit tests of the packet encoder/checker (against packets computed
#                          independently by tests/disconnect/radius_vectors.py) and of the
#                          clients configuration reader, then tests/disconnect/run.sh: the
#                          phonecert command against a real radiusd playing the switches

# The CLI's own files under test, linked without the command's main().
DISCONNECT_UNIT_SRC	:= $(sort $(wildcard tests/disconnect/test_*.c))
DISCONNECT_UNIT_BIN	:= $(DISCONNECT_UNIT_SRC:tests/disconnect/%.c=$(BUILD)/tests/disconnect/%)
DISCONNECT_CLI_OBJ	:= $(BUILD)/rlm_phonecert/cli/radius_packet.o $(BUILD)/rlm_phonecert/cli/clients_conf.o

$(BUILD)/tests/disconnect/%: tests/disconnect/%.c $(DISCONNECT_CLI_OBJ) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(PC_CFLAGS) -Irlm_phonecert/cli -o $@ $< $(DISCONNECT_CLI_OBJ) $(CORE_LIB) -lcmocka $(LIBS)

.PHONY: test-disconnect test-disconnect-unit
test-disconnect-unit: $(DISCONNECT_UNIT_BIN)
	@set -e; for t in $(DISCONNECT_UNIT_BIN); do PHONECERT_VECTORS=tests/disconnect/radius_vectors.py $$t; done

test-disconnect: test-disconnect-unit $(CLI)
	tests/disconnect/run.sh $(BUILD)
