# ---------------------------------------------------------------- the rollover ledger
# tests/ledger/run.sh: radiusd writing the ledger through rlm_sql (SQLite; two radiusd on one
# PostgreSQL; PostgreSQL stopped mid-run).  LEDGER_PARTS picks parts: sqlite postgresql fault.
LEDGER_PARTS	?=

.PHONY: test-ledger
test-ledger: $(MODULE) $(CLI) $(BUILD)/pki/.stamp
	tests/ledger/run.sh $(BUILD) $(LEDGER_PARTS)
