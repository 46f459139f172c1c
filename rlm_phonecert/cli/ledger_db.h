/**
 * @file ledger_db.h
 * @brief Read the rollover ledger (raddb/mods-config/sql/phonecert/<dialect>/schema.sql):
 *	  an SQLite file or a PostgreSQL database, through one small query interface.
 *
 * The RADIUS servers write the ledger through FreeRADIUS's rlm_sql; the phonecert command only
 * reads it (rollover, phones, disconnect).  SQL text is written once for both databases:
 * parameters are $1..$N (SQLite takes "$1" as a named parameter, bound here by name), and
 * only SQL both dialects run is used.
 */
#ifndef PHONECERT_CLI_LEDGER_DB_H
#define PHONECERT_CLI_LEDGER_DB_H

#include <stdbool.h>
#include <talloc.h>

#include <phonecert/error.h>

/** The ledger schema version this command reads (phonecert_schema.version). */
#define PC_LEDGER_SCHEMA_VERSION 1

typedef struct pc_ledger_db_s pc_ledger_db_t;

/**
 * Open a ledger read-only: "postgresql://..." or "postgres://..." (a libpq connection URI;
 * also any string with '=' in it, a libpq keyword=value connection string), else an SQLite
 * file path (must exist).  Checks that phonecert_schema holds PC_LEDGER_SCHEMA_VERSION.
 *
 * @return the ledger, closed when ctx is freed (or by talloc_free), or NULL with err set
 *	   ("DB: reason", the password of a URL never printed).
 */
pc_ledger_db_t *pc_ledger_db_open(TALLOC_CTX *ctx, char const *db, pc_error_t *err) PC_MUST_CHECK;

/** "sqlite" or "postgresql". */
char const *pc_ledger_db_dialect(pc_ledger_db_t const *db);

/**
 * Called once per row; values[i] is the i-th column as text ("" for NULL).
 * @return 0 to go on, anything else stops the query (returned by pc_ledger_db_query).
 */
typedef int (*pc_ledger_row_t)(void *uctx, unsigned int ncols, char const *const *values);

/**
 * Run a query with nparams text parameters ($1..$N).
 *
 * @return 0 when every row was passed to row (which may be NULL); the callback's non-zero
 *	   value if it stopped; -1 with err set on a database error.
 */
int pc_ledger_db_query(pc_ledger_db_t *db, char const *sql, unsigned int nparams, char const *const *params,
		       pc_ledger_row_t row, void *uctx, pc_error_t *err) PC_MUST_CHECK;

#endif
