# shellcheck shell=bash
# The PostgreSQL parts of tests/ledger/run.sh (sourced).
part_postgresql() { echo "# postgresql: TODO"; }
part_fault() { echo "# fault: TODO"; }
