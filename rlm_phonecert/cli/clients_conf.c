/**
 * @file clients_conf.c
 * @brief Read client sections (address, secret) out of FreeRADIUS's clients configuration.
 *
 * A small tokenizer (words, quoted strings, braces, operators, ends of lines) feeds a parser
 * that keeps only what locates a switch and its secret.  FreeRADIUS's configuration is line
 * oriented: an item is "name = value" on one line, a section opens with "name [name2] {".
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clients_conf.h"

/** Includes nested deeper than this are a loop. */
#define INCLUDE_DEPTH	16
/** A clients file larger than this is refused rather than read into memory. */
#define FILE_MAX	(16 * 1024 * 1024)

typedef enum {
	TOK_END = 0,
	TOK_EOL,
	TOK_WORD,
	TOK_STRING,	//!< Quoted; value unescaped.
	TOK_OPEN,
	TOK_CLOSE,
	TOK_OP		//!< =, :=, +=...
} tok_type_t;

typedef struct {
	tok_type_t	type;
	char		*text;		//!< Under the parse context (WORD, STRING, OP).
	size_t		len;
	unsigned int	line;
	char		quote;		//!< '"', '\'' or '`' for TOK_STRING.
} tok_t;

typedef struct {
	char const	*path;
	char const	*p, *end;
	unsigned int	line;
	tok_t		peeked;
	bool		has_peeked;
} lexer_t;

/** Where the parser stands: in which kind of section. */
typedef enum {
	SEC_TOP = 0,
	SEC_CLIENTS,	//!< clients NAME { ... } holds client sections.
	SEC_CLIENT,
	SEC_SKIP	//!< Any other section: braces counted, contents ignored.
} sec_t;

typedef struct {
	TALLOC_CTX		*ctx;		//!< The pc_clients_t.
	pc_clients_t		*clients;
	pc_error_t		*err;
	unsigned int		depth;		//!< Include depth.

	/* The client being read. */
	pc_clients_entry_t	cur;
	bool			cur_has_addr;
	bool			cur_tls;
	char const		*cur_addr_text;
} parser_t;

static int lex_error(lexer_t *lx, pc_error_t *err, char const *what)
{
	pc_error_set(err, "%s:%u: %s", lx->path, lx->line, what);
	return -1;
}

static bool is_word_char(char c)
{
	return c && !strchr(" \t\r\n{}=#\"'`", c);
}

/** Read one token; TOK_END at the end of the text.  -1 on a lexical error. */
static int lex_next(TALLOC_CTX *ctx, lexer_t *lx, tok_t *tok, pc_error_t *err)
{
	char const *start;

	if (lx->has_peeked) {
		*tok = lx->peeked;
		lx->has_peeked = false;
		return 0;
	}
	memset(tok, 0, sizeof(*tok));
	for (;;) {
		while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r')) lx->p++;
		if (lx->p >= lx->end) {
			tok->type = TOK_END;
			tok->line = lx->line;
			return 0;
		}
		if (*lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n') lx->p++;
			continue;
		}
		/* A backslash at the end of a line continues it. */
		if (*lx->p == '\\' && lx->p + 1 < lx->end && lx->p[1] == '\n') {
			lx->p += 2;
			lx->line++;
			continue;
		}
		break;
	}
	tok->line = lx->line;
	switch (*lx->p) {
	case '\0':
		return lex_error(lx, err, "NUL byte in the file");

	case '\n':
		lx->p++;
		lx->line++;
		tok->type = TOK_EOL;
		return 0;

	case '{':
		lx->p++;
		tok->type = TOK_OPEN;
		return 0;

	case '}':
		lx->p++;
		tok->type = TOK_CLOSE;
		return 0;

	case '"':
	case '\'':
	case '`': {
		char	quote = *lx->p++;
		char	*out = talloc_array(ctx, char, (size_t)(lx->end - lx->p) + 1);
		size_t	n = 0;

		if (!out) return lex_error(lx, err, "out of memory");
		for (;;) {
			if (lx->p >= lx->end || *lx->p == '\n') {
				talloc_free(out);
				return lex_error(lx, err, "unterminated quoted string");
			}
			if (*lx->p == '\0') {
				talloc_free(out);
				return lex_error(lx, err, "NUL byte in a quoted string");
			}
			if (*lx->p == quote) {
				lx->p++;
				break;
			}
			if (*lx->p == '\\' && lx->p + 1 < lx->end && lx->p[1] != '\n') {
				char next = lx->p[1];

				/* Double quotes take C escapes; single quotes only \' and \\. */
				if (quote == '"') {
					out[n++] = next == 'n' ? '\n' : next == 'r' ? '\r' : next == 't' ? '\t' : next;
					lx->p += 2;
					continue;
				}
				if (next == quote || next == '\\') {
					out[n++] = next;
					lx->p += 2;
					continue;
				}
			}
			out[n++] = *lx->p++;
		}
		out[n] = '\0';
		tok->type = TOK_STRING;
		tok->text = out;
		tok->len = n;
		tok->quote = quote;
		return 0;
	}

	case '=':
		lx->p++;
		if (lx->p < lx->end && (*lx->p == '=' || *lx->p == '~' || *lx->p == '*')) lx->p++;
		tok->type = TOK_OP;
		tok->text = talloc_strdup(ctx, "=");
		return 0;

	default:
		break;
	}

	start = lx->p;
	while (lx->p < lx->end && is_word_char(*lx->p)) lx->p++;
	/* ":=", "+=", "-=", "!=", "<=", ">=": an operator, not the end of a word. */
	if (lx->p > start && lx->p < lx->end && *lx->p == '=' && strchr(":+-!<>^", lx->p[-1])) {
		if (lx->p - 1 == start) {
			lx->p++;
			tok->type = TOK_OP;
			tok->text = talloc_strdup(ctx, "=");
			return 0;
		}
		lx->p--;
	}
	tok->type = TOK_WORD;
	tok->len = (size_t)(lx->p - start);
	tok->text = talloc_strndup(ctx, start, tok->len);
	if (!tok->text) return lex_error(lx, err, "out of memory");
	return 0;
}

static int lex_peek(TALLOC_CTX *ctx, lexer_t *lx, tok_t *tok, pc_error_t *err)
{
	if (!lx->has_peeked) {
		if (lex_next(ctx, lx, &lx->peeked, err) < 0) return -1;
		lx->has_peeked = true;
	}
	*tok = lx->peeked;
	return 0;
}

static int parse_file(parser_t *ps, char const *path, unsigned int from_line, char const *from_file);

/** Parse "10.1.2.3", "10.1.0.0/16", "2001:db8::/32", "*" into an entry's address. */
static bool parse_address(char const *text, bool v4_only, bool v6_only, pc_clients_entry_t *entry)
{
	char		buf[INET6_ADDRSTRLEN + 8];
	char		*slash, *end;
	unsigned long	prefix;
	unsigned int	max;

	if (strcmp(text, "*") == 0) {
		memset(entry->addr, 0, sizeof(entry->addr));
		entry->family = v6_only ? AF_INET6 : AF_INET;
		entry->prefix = 0;
		return true;
	}
	if (strlen(text) >= sizeof(buf)) return false;
	strcpy(buf, text);
	slash = strchr(buf, '/');
	if (slash) *slash = '\0';
	memset(entry->addr, 0, sizeof(entry->addr));
	if (!v6_only && inet_pton(AF_INET, buf, entry->addr) == 1) {
		entry->family = AF_INET;
		max = 32;
	} else if (!v4_only && inet_pton(AF_INET6, buf, entry->addr) == 1) {
		entry->family = AF_INET6;
		max = 128;
	} else {
		return false;
	}
	entry->prefix = max;
	if (slash) {
		if (!slash[1] || slash[1] < '0' || slash[1] > '9') return false;
		errno = 0;
		prefix = strtoul(slash + 1, &end, 10);
		if (errno || *end || prefix > max) return false;
		entry->prefix = (unsigned int)prefix;
	}
	return true;
}

/** Whether addr (of family) lies in entry's prefix. */
static bool prefix_contains(pc_clients_entry_t const *entry, int family, uint8_t const *addr)
{
	unsigned int full = entry->prefix / 8, bits = entry->prefix % 8;

	if (entry->family != family) return false;
	if (memcmp(entry->addr, addr, full) != 0) return false;
	if (bits) {
		uint8_t mask = (uint8_t)(0xff << (8 - bits));

		if ((entry->addr[full] & mask) != (addr[full] & mask)) return false;
	}
	return true;
}

/** Clear the host bits (FreeRADIUS also accepts 10.1.2.3/16 and means 10.1.0.0/16). */
static void prefix_normalise(pc_clients_entry_t *entry)
{
	unsigned int i, len = entry->family == AF_INET ? 4 : 16;

	for (i = 0; i < len; i++) {
		unsigned int bit = i * 8;

		if (bit >= entry->prefix) entry->addr[i] = 0;
		else if (bit + 8 > entry->prefix) entry->addr[i] &= (uint8_t)(0xff << (8 - (entry->prefix - bit)));
	}
}

static int client_begin(parser_t *ps, char const *path, tok_t const *name)
{
	memset(&ps->cur, 0, sizeof(ps->cur));
	ps->cur.name = name ? talloc_strdup(ps->ctx, name->text) : "";
	ps->cur.file = talloc_strdup(ps->ctx, path);
	ps->cur.line = name ? name->line : 0;
	ps->cur_has_addr = false;
	ps->cur_tls = false;
	ps->cur_addr_text = NULL;
	return 0;
}

static int client_item(parser_t *ps, char const *path, tok_t const *key, tok_t const *value)
{
	bool v4 = strcmp(key->text, "ipv4addr") == 0, v6 = strcmp(key->text, "ipv6addr") == 0;

	if (v4 || v6 || strcmp(key->text, "ipaddr") == 0) {
		if (value->type == TOK_STRING && value->quote == '`') {
			pc_error_set(ps->err, "%s:%u: client %s: %s cannot be a command", path, value->line,
				     ps->cur.name, key->text);
			return -1;
		}
		if (ps->cur_has_addr) {
			pc_error_set(ps->err, "%s:%u: client %s: a second address (%s)", path, value->line,
				     ps->cur.name, key->text);
			return -1;
		}
		if (!parse_address(value->text, v4, v6, &ps->cur)) {
			pc_error_set(ps->err, "%s:%u: client %s: %s '%s' is not an IP address or prefix "
				     "(host names are not resolved)", path, value->line, ps->cur.name, key->text,
				     value->text);
			return -1;
		}
		ps->cur_has_addr = true;
		return 0;
	}
	if (strcmp(key->text, "secret") == 0) {
		if (value->type == TOK_STRING && value->quote == '`') {
			pc_error_set(ps->err, "%s:%u: client %s: the secret cannot be a command", path, value->line,
				     ps->cur.name);
			return -1;
		}
		ps->cur.secret = (uint8_t const *)talloc_memdup(ps->ctx, value->text, value->len + 1);
		ps->cur.secret_len = value->len;
		return 0;
	}
	if (strcmp(key->text, "proto") == 0 && strcmp(value->text, "tls") == 0) ps->cur_tls = true;
	return 0;
}

static int client_end(parser_t *ps, char const *path, unsigned int line)
{
	pc_clients_entry_t *grown;
	unsigned int i;

	/* FreeRADIUS takes a client's address from its name when no ipaddr is given. */
	if (!ps->cur_has_addr) {
		if (!ps->cur.name[0] || !parse_address(ps->cur.name, false, false, &ps->cur)) {
			pc_error_set(ps->err, "%s:%u: client %s has no ipaddr (and its name is not an address)",
				     path, ps->cur.line, ps->cur.name[0] ? ps->cur.name : "(unnamed)");
			return -1;
		}
	}
	if (!ps->cur.secret || ps->cur.secret_len == 0) {
		/* RadSec clients need none; they cannot receive our UDP requests anyway. */
		if (ps->cur_tls) return 0;
		pc_error_set(ps->err, "%s:%u: client %s has no secret", path, ps->cur.line, ps->cur.name);
		return -1;
	}
	prefix_normalise(&ps->cur);
	for (i = 0; i < ps->clients->count; i++) {
		pc_clients_entry_t const *other = &ps->clients->entries[i];

		if (other->family == ps->cur.family && other->prefix == ps->cur.prefix &&
		    memcmp(other->addr, ps->cur.addr, sizeof(other->addr)) == 0) {
			pc_error_set(ps->err, "%s:%u: client %s has the same address as client %s (%s:%u)",
				     path, ps->cur.line, ps->cur.name, other->name, other->file, other->line);
			return -1;
		}
	}
	grown = talloc_realloc(ps->ctx, ps->clients->entries, pc_clients_entry_t, ps->clients->count + 1);
	if (!grown) {
		pc_error_set(ps->err, "%s:%u: out of memory", path, line);
		return -1;
	}
	ps->clients->entries = grown;
	grown[ps->clients->count++] = ps->cur;
	return 0;
}

static int include_one(parser_t *ps, char const *path, unsigned int line, char const *target, bool optional)
{
	char		*full, *dir;
	struct stat	st;

	if (strchr(target, '$')) {
		pc_error_set(ps->err, "%s:%u: $INCLUDE %s: variables are not expanded here; give the path itself",
			     path, line, target);
		return -1;
	}
	if (target[0] == '/') {
		full = talloc_strdup(ps->ctx, target);
	} else {
		char const *slash = strrchr(path, '/');

		dir = slash ? talloc_strndup(ps->ctx, path, (size_t)(slash - path + 1)) : talloc_strdup(ps->ctx, "");
		full = talloc_asprintf(ps->ctx, "%s%s", dir, target);
		talloc_free(dir);
	}
	if (!full) {
		pc_error_set(ps->err, "%s:%u: out of memory", path, line);
		return -1;
	}
	if (stat(full, &st) < 0) {
		if (optional && errno == ENOENT) return 0;
		pc_error_set(ps->err, "%s:%u: $INCLUDE %s: %s", path, line, full, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		struct dirent **names = NULL;
		int n, i, rc = 0;

		n = scandir(full, &names, NULL, alphasort);
		if (n < 0) {
			pc_error_set(ps->err, "%s:%u: $INCLUDE %s: %s", path, line, full, strerror(errno));
			return -1;
		}
		for (i = 0; i < n; i++) {
			char const	*name = names[i]->d_name;
			size_t		len = strlen(name);
			char		*file;
			struct stat	fst;

			/* As FreeRADIUS: no hidden files, no editor backups. */
			if (rc == 0 && name[0] != '.' && name[len - 1] != '~') {
				file = talloc_asprintf(ps->ctx, "%s%s%s", full, full[strlen(full) - 1] == '/' ? "" : "/", name);
				if (file && stat(file, &fst) == 0 && S_ISREG(fst.st_mode)) rc = parse_file(ps, file, line, path);
			}
			free(names[i]);
		}
		free(names);
		return rc;
	}
	return parse_file(ps, full, line, path);
}

/** Parse the tokens of one file; sections must close in the file that opens them. */
static int parse_tokens(parser_t *ps, lexer_t *lx, TALLOC_CTX *tmp)
{
	sec_t		stack[64];
	unsigned int	open_line[64];
	unsigned int	top = 0, skip_depth = 0;
	tok_t		tok, next, third;

	stack[0] = SEC_TOP;
	for (;;) {
		if (lex_next(tmp, lx, &tok, ps->err) < 0) return -1;
		if (tok.type == TOK_END) break;
		if (tok.type == TOK_EOL) continue;

		/* Inside a skipped section only braces count. */
		if (skip_depth) {
			if (tok.type == TOK_OPEN) skip_depth++;
			if (tok.type == TOK_CLOSE) skip_depth--;
			continue;
		}

		if (tok.type == TOK_CLOSE) {
			if (top == 0) {
				pc_error_set(ps->err, "%s:%u: '}' closes no section", lx->path, tok.line);
				return -1;
			}
			if (stack[top] == SEC_CLIENT && client_end(ps, lx->path, tok.line) < 0) return -1;
			top--;
			continue;
		}
		if (tok.type != TOK_WORD) {
			pc_error_set(ps->err, "%s:%u: expected a name, an item or a section", lx->path, tok.line);
			return -1;
		}

		if (strcmp(tok.text, "$INCLUDE") == 0 || strcmp(tok.text, "$-INCLUDE") == 0) {
			if (lex_next(tmp, lx, &next, ps->err) < 0) return -1;
			if (next.type != TOK_WORD && !(next.type == TOK_STRING && next.quote != '`')) {
				pc_error_set(ps->err, "%s:%u: %s needs a file or directory", lx->path, tok.line, tok.text);
				return -1;
			}
			if (stack[top] == SEC_CLIENT) {
				pc_error_set(ps->err, "%s:%u: $INCLUDE inside a client section is not supported",
					     lx->path, tok.line);
				return -1;
			}
			if (include_one(ps, lx->path, tok.line, next.text, tok.text[1] == '-') < 0) return -1;
			continue;
		}

		if (lex_next(tmp, lx, &next, ps->err) < 0) return -1;
		if (next.type == TOK_OP) {
			if (lex_next(tmp, lx, &third, ps->err) < 0) return -1;
			if (third.type != TOK_WORD && third.type != TOK_STRING) {
				pc_error_set(ps->err, "%s:%u: %s has no value", lx->path, tok.line, tok.text);
				return -1;
			}
			if (stack[top] == SEC_CLIENT && client_item(ps, lx->path, &tok, &third) < 0) return -1;
			continue;
		}

		if (next.type == TOK_OPEN || next.type == TOK_WORD || next.type == TOK_STRING) {
			tok_t const *name2 = NULL;

			if (next.type != TOK_OPEN) {
				name2 = &next;
				if (lex_peek(tmp, lx, &third, ps->err) < 0) return -1;
				if (third.type != TOK_OPEN) {
					/* A bare word list (as in a policy): only allowed where ignored. */
					if (stack[top] == SEC_CLIENT || stack[top] == SEC_TOP) {
						pc_error_set(ps->err, "%s:%u: unexpected '%s'", lx->path, tok.line, tok.text);
						return -1;
					}
					while (third.type != TOK_EOL && third.type != TOK_END) {
						if (lex_next(tmp, lx, &third, ps->err) < 0) return -1;
						if (third.type == TOK_OPEN || third.type == TOK_CLOSE) {
							pc_error_set(ps->err, "%s:%u: unexpected brace", lx->path, third.line);
							return -1;
						}
						if (lex_peek(tmp, lx, &third, ps->err) < 0) return -1;
					}
					continue;
				}
				if (lex_next(tmp, lx, &third, ps->err) < 0) return -1;
			}
			if (top + 1 >= sizeof(stack) / sizeof(stack[0])) {
				pc_error_set(ps->err, "%s:%u: sections nested too deeply", lx->path, tok.line);
				return -1;
			}
			if (strcmp(tok.text, "client") == 0 && (stack[top] == SEC_TOP || stack[top] == SEC_CLIENTS)) {
				if (!name2) {
					pc_error_set(ps->err, "%s:%u: client section without a name", lx->path, tok.line);
					return -1;
				}
				client_begin(ps, lx->path, name2);
				stack[++top] = SEC_CLIENT;
				open_line[top] = tok.line;
			} else if (strcmp(tok.text, "clients") == 0 && stack[top] == SEC_TOP) {
				stack[++top] = SEC_CLIENTS;
				open_line[top] = tok.line;
			} else {
				skip_depth = 1;
				open_line[top + 1] = tok.line;
			}
			continue;
		}

		/* A bare word on its own line (a module name in a skipped policy...). */
		if (stack[top] == SEC_CLIENT || stack[top] == SEC_TOP || next.type == TOK_CLOSE) {
			pc_error_set(ps->err, "%s:%u: unexpected '%s'", lx->path, tok.line, tok.text);
			return -1;
		}
	}
	if (skip_depth || top) {
		pc_error_set(ps->err, "%s:%u: the section opened here is not closed", lx->path, open_line[top + (skip_depth ? 1 : 0)]);
		return -1;
	}
	return 0;
}

static int parse_file(parser_t *ps, char const *path, unsigned int from_line, char const *from_file)
{
	TALLOC_CTX	*tmp;
	FILE		*fp;
	char		*text;
	size_t		len;
	long		size;
	lexer_t		lx;
	int		rc;

	if (ps->depth >= INCLUDE_DEPTH) {
		pc_error_set(ps->err, "%s:%u: includes nested more than %d deep (a loop?)", from_file, from_line,
			     INCLUDE_DEPTH);
		return -1;
	}
	fp = fopen(path, "rb");
	if (!fp) {
		pc_error_set(ps->err, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(fp, 0, SEEK_END) < 0 || (size = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) < 0) {
		pc_error_set(ps->err, "%s: %s", path, strerror(errno));
		fclose(fp);
		return -1;
	}
	if (size > FILE_MAX) {
		pc_error_set(ps->err, "%s: larger than %d bytes", path, FILE_MAX);
		fclose(fp);
		return -1;
	}
	tmp = talloc_new(ps->ctx);
	text = talloc_array(tmp, char, (size_t)size + 1);
	if (!tmp || !text) {
		pc_error_set(ps->err, "%s: out of memory", path);
		talloc_free(tmp);
		fclose(fp);
		return -1;
	}
	len = fread(text, 1, (size_t)size, fp);
	if (ferror(fp)) {
		pc_error_set(ps->err, "%s: %s", path, strerror(errno));
		talloc_free(tmp);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	text[len] = '\0';

	memset(&lx, 0, sizeof(lx));
	lx.path = talloc_strdup(tmp, path);
	lx.p = text;
	lx.end = text + len;
	lx.line = 1;
	ps->depth++;
	rc = parse_tokens(ps, &lx, tmp);
	ps->depth--;
	talloc_free(tmp);
	return rc;
}

int pc_clients_load(TALLOC_CTX *ctx, char const *path, pc_clients_t **out, pc_error_t *err)
{
	parser_t ps;

	*out = NULL;
	memset(&ps, 0, sizeof(ps));
	ps.clients = talloc_zero(ctx, pc_clients_t);
	if (!ps.clients) {
		pc_error_set(err, "%s: out of memory", path);
		return -1;
	}
	ps.ctx = ps.clients;
	ps.err = err;
	if (parse_file(&ps, path, 0, path) < 0) {
		talloc_free(ps.clients);
		return -1;
	}
	*out = ps.clients;
	return 0;
}

pc_clients_entry_t const *pc_clients_find(pc_clients_t const *clients, char const *addr)
{
	pc_clients_entry_t const	*best = NULL;
	uint8_t				bytes[16];
	int				family;
	unsigned int			i;

	memset(bytes, 0, sizeof(bytes));
	if (inet_pton(AF_INET, addr, bytes) == 1) family = AF_INET;
	else if (inet_pton(AF_INET6, addr, bytes) == 1) family = AF_INET6;
	else return NULL;

	for (i = 0; i < clients->count; i++) {
		pc_clients_entry_t const *entry = &clients->entries[i];

		if (!prefix_contains(entry, family, bytes)) continue;
		if (!best || entry->prefix > best->prefix) best = entry;
	}
	return best;
}
