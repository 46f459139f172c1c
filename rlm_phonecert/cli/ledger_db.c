/**
 * @file ledger_db.c
 * @brief The rollover ledger read through libsqlite3 or libpq (see ledger_db.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "ledger_db.h"

struct pc_ledger_db_s {
	char		*name;		//!< For messages: the path, or the URL without its password.
	sqlite3		*lite;
	PGconn		*pg;
};

/*
 *	A postgresql:// URL, or a libpq "keyword=value ..." string (it starts with a keyword and
 *	'='): a file name that merely contains '=' stays a file name.
 */
static bool is_postgresql(char const *db)
{
	size_t word;

	if (strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0) return true;
	word = strspn(db, "abcdefghijklmnopqrstuvwxyz_");
	if (word == 0) return false;
	db += word;
	db += strspn(db, " \t");
	return *db == '=';
}

/*
 *	Where a password can hide in a libpq connection string: the user:password of a URL, and
 *	"password=..." in a URL's query or a keyword=value string (quoted or not).  Messages show
 *	"***" instead; nothing else of the string is changed.
 */
static char *name_without_password(TALLOC_CTX *ctx, char const *db)
{
	char const *scheme = strstr(db, "://");
	char const *p = db, *at, *colon, *end;
	char *out = talloc_strdup(ctx, "");

	if (scheme && strncmp(db, "postgres", 8) == 0) {
		end = scheme + 3 + strcspn(scheme + 3, "/?");
		at = memchr(scheme + 3, '@', (size_t)(end - scheme - 3));
		colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
		if (colon) {
			out = talloc_asprintf_append_buffer(out, "%.*s:***", (int)(colon - db), db);
			p = at;
		}
	}
	while (out && *p) {
		char const *key = strstr(p, "password");
		char const *v;

		if (!key) break;
		v = key + 8;
		v += strspn(v, " \t");
		if (*v != '=' || (key > db && (isalnum((unsigned char)key[-1]) || key[-1] == '_'))) {
			out = talloc_asprintf_append_buffer(out, "%.*s", (int)(v - p), p);
			p = v;
			continue;
		}
		v++;
		v += strspn(v, " \t");
		out = talloc_asprintf_append_buffer(out, "%.*s***", (int)(v - p), p);
		if (*v == '\'') {
			/* A quoted value ends at the first unescaped quote. */
			for (v++; *v && *v != '\''; v++) if (*v == '\\' && v[1]) v++;
			if (*v) v++;
		} else {
			v += strcspn(v, "& \t");
		}
		p = v;
	}
	if (out) out = talloc_strdup_append_buffer(out, p);
	return out;
}

static int ledger_close(pc_ledger_db_t *db)
{
	if (db->lite) sqlite3_close(db->lite);
	if (db->pg) PQfinish(db->pg);
	return 0;
}

typedef struct {
	long long	version;
	bool		seen;
} version_t;

static int version_row(void *uctx, unsigned int ncols, char const *const *values)
{
	version_t *v = uctx;

	char *end;

	if (ncols < 1 || v->seen) return 1;
	v->version = strtoll(values[0], &end, 10);
	/* "", "1x" or a NULL version is no version: it must not read as 0 or 1. */
	if (end == values[0] || *end) v->version = -1;
	v->seen = true;
	return 0;
}

pc_ledger_db_t *pc_ledger_db_open(TALLOC_CTX *ctx, char const *db, pc_error_t *err)
{
	pc_ledger_db_t *out;
	version_t v = { 0, false };
	pc_error_t why = { "" };
	struct stat st;
	int rc;

	if (!db || !*db) {
		pc_error_set(err, "no ledger given (--db: an SQLite file or a postgresql:// URL)");
		return NULL;
	}
	out = talloc_zero(ctx, pc_ledger_db_t);
	if (!out) goto oom;
	out->name = name_without_password(out, db);
	if (!out->name) goto oom;
	talloc_set_destructor(out, ledger_close);

	if (is_postgresql(db)) {
		/* A default connect timeout (the URL's own connect_timeout, later, wins). */
		static char const *const keys[] = { "connect_timeout", "dbname", NULL };
		char const *values[] = { "10", db, NULL };

		out->pg = PQconnectdbParams(keys, values, 1);
		if (!out->pg || PQstatus(out->pg) != CONNECTION_OK) {
			char const *msg = out->pg ? PQerrorMessage(out->pg) : "out of memory";
			size_t len = strcspn(msg, "\n");

			pc_error_set(err, "%s: cannot connect: %.*s", out->name, (int)len, msg);
			goto fail;
		}
		/* The reader never writes: the server refuses it even if the role could. */
		if (pc_ledger_db_query(out, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", 0, NULL,
				       NULL, NULL, err) < 0 ||
		    PQsetClientEncoding(out->pg, "UTF8") != 0) {
			pc_error_set(err, "%s: cannot make the session read-only and UTF-8", out->name);
			goto fail;
		}
	} else {
		if (stat(db, &st) != 0 || !S_ISREG(st.st_mode)) {
			pc_error_set(err, "%s: no such ledger file (an SQLite file written by the phonecert_ledger "
				     "module, or a postgresql:// URL)", db);
			goto fail;
		}
		rc = sqlite3_open_v2(db, &out->lite, SQLITE_OPEN_READONLY, NULL);
		if (rc != SQLITE_OK) {
			pc_error_set(err, "%s: cannot open: %s", db, out->lite ? sqlite3_errmsg(out->lite) :
				     sqlite3_errstr(rc));
			goto fail;
		}
		/* The RADIUS servers write while we read: wait for their short transactions. */
		sqlite3_busy_timeout(out->lite, 5000);
	}

	rc = pc_ledger_db_query(out, "SELECT version FROM phonecert_schema", 0, NULL, version_row, &v, &why);
	if (rc < 0) {
		/* why is a copy: pc_error_set must not read the buffer it writes. */
		pc_error_set(err, "%s: not a phonecert ledger (%s); create it with "
			     "raddb/mods-config/sql/phonecert/%s/schema.sql", out->name, why.msg,
			     pc_ledger_db_dialect(out));
		goto fail;
	}
	if (rc > 0 || !v.seen) {
		pc_error_set(err, "%s: phonecert_schema must hold exactly one row", out->name);
		goto fail;
	}
	if (v.version < 0) {
		pc_error_set(err, "%s: phonecert_schema.version is not a number", out->name);
		goto fail;
	}
	if (v.version != PC_LEDGER_SCHEMA_VERSION) {
		pc_error_set(err, "%s: ledger schema version %lld, this phonecert reads version %d%s", out->name,
			     v.version, PC_LEDGER_SCHEMA_VERSION, v.version < PC_LEDGER_SCHEMA_VERSION ?
			     ": apply the upgrade-N.sql files shipped beside schema.sql" :
			     ": install the phonecert release that wrote it");
		goto fail;
	}
	return out;

oom:
	pc_error_set(err, "%s: out of memory", db);
fail:
	talloc_free(out);
	return NULL;
}

char const *pc_ledger_db_dialect(pc_ledger_db_t const *db)
{
	return db->pg ? "postgresql" : "sqlite";
}

static int query_pg(pc_ledger_db_t *db, char const *sql, unsigned int nparams, char const *const *params,
		    pc_ledger_row_t row, void *uctx, pc_error_t *err)
{
	PGresult *res = PQexecParams(db->pg, sql, (int)nparams, NULL, params, NULL, NULL, 0);
	char const *values[64];
	int rows, cols, r, c, stop = 0;

	if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK) {
		char const *why = PQresultErrorMessage(res);

		pc_error_set(err, "%s: %.*s", db->name, (int)strcspn(why, "\n"), why);
		PQclear(res);
		return -1;
	}
	rows = PQntuples(res);
	cols = PQnfields(res);
	if (cols > (int)(sizeof(values) / sizeof(values[0]))) {
		pc_error_set(err, "%s: query returns %d columns, more than %zu", db->name, cols,
			     sizeof(values) / sizeof(values[0]));
		PQclear(res);
		return -1;
	}
	for (r = 0; r < rows && !stop && row; r++) {
		for (c = 0; c < cols; c++) values[c] = PQgetisnull(res, r, c) ? "" : PQgetvalue(res, r, c);
		stop = row(uctx, (unsigned int)cols, values);
	}
	PQclear(res);
	return stop;
}

static int query_sqlite(pc_ledger_db_t *db, char const *sql, unsigned int nparams, char const *const *params,
			pc_ledger_row_t row, void *uctx, pc_error_t *err)
{
	sqlite3_stmt *stmt = NULL;
	char const *values[64];
	char name[16];
	unsigned int i;
	int rc, cols, c, stop = 0;

	if (sqlite3_prepare_v2(db->lite, sql, -1, &stmt, NULL) != SQLITE_OK) {
		pc_error_set(err, "%s: %s", db->name, sqlite3_errmsg(db->lite));
		return -1;
	}
	/* Every parameter the SQL names must be one of $1..$nparams: none is left NULL by mistake. */
	for (i = 1; i <= (unsigned int)sqlite3_bind_parameter_count(stmt); i++) {
		char const *pname = sqlite3_bind_parameter_name(stmt, (int)i);
		char *end;
		unsigned long n = pname && pname[0] == '$' ? strtoul(pname + 1, &end, 10) : 0;

		if (n == 0 || n > nparams || *end) {
			pc_error_set(err, "%s: query parameter %s is not one of $1..$%u", db->name,
				     pname ? pname : "?", nparams);
			sqlite3_finalize(stmt);
			return -1;
		}
	}
	for (i = 0; i < nparams; i++) {
		int index;

		snprintf(name, sizeof(name), "$%u", i + 1);
		index = sqlite3_bind_parameter_index(stmt, name);
		if (index > 0 && sqlite3_bind_text(stmt, index, params[i], -1, SQLITE_STATIC) != SQLITE_OK) {
			pc_error_set(err, "%s: binding %s: %s", db->name, name, sqlite3_errmsg(db->lite));
			sqlite3_finalize(stmt);
			return -1;
		}
	}
	cols = sqlite3_column_count(stmt);
	if (cols > (int)(sizeof(values) / sizeof(values[0]))) {
		pc_error_set(err, "%s: query returns %d columns, more than %zu", db->name, cols,
			     sizeof(values) / sizeof(values[0]));
		sqlite3_finalize(stmt);
		return -1;
	}
	while (!stop && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (c = 0; c < cols; c++) {
			char const *v = (char const *)sqlite3_column_text(stmt, c);

			values[c] = v ? v : "";
		}
		stop = row ? row(uctx, (unsigned int)cols, values) : 0;
	}
	if (!stop && rc != SQLITE_DONE) {
		pc_error_set(err, "%s: %s", db->name, sqlite3_errmsg(db->lite));
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	return stop;
}

int pc_ledger_db_query(pc_ledger_db_t *db, char const *sql, unsigned int nparams, char const *const *params,
		       pc_ledger_row_t row, void *uctx, pc_error_t *err)
{
	if (db->pg) return query_pg(db, sql, nparams, params, row, uctx, err);
	return query_sqlite(db, sql, nparams, params, row, uctx, err);
}
