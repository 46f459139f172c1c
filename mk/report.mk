# ---------------------------------------------------------------- the rollover report
#   make test-report      phonecert rollover and phones against SQLite and PostgreSQL ledgers
#                         built at test time, the HTML page rendered in headless Chromium
#                         (tests/report/run.sh)
#   make report-picture   regenerate docs/rollover-report.png, the README's picture of the
#                         HTML report for a demo ledger (headless Chromium)

.PHONY: test-report report-picture

test-report: $(CLI)
	tests/report/run.sh $(BUILD)

report-picture: $(CLI)
	tests/report/picture.sh $(BUILD) docs/rollover-report.png
