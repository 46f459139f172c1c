/**
 * @file config.c
 * @brief Reads the module's own configuration file (policy and anchors).
 *
 * Strict on purpose: an unknown key, a value out of its set, a missing file or an
 * unparsable time stops startup (or a reload) with "FILE:LINE: reason", because a typo
 * in a trust configuration must never silently widen or narrow who gets in.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include <phonecert/config.h>
#include <phonecert/file.h>
#include <phonecert/hex.h>
#include <phonecert/crl.h>
#include <phonecert/lifecycle.h>
#include <phonecert/timeval.h>

/** Configuration files are small; refuse anything absurd. */
#define CONFIG_FILE_MAX (1024 * 1024)
#define LINE_MAX_LEN 1024

typedef enum { SECTION_NONE, SECTION_POLICY, SECTION_ANCHOR } section_t;

/** A key the current section has given, and where. */
typedef struct {
	char	*key;
	int	line;
} seen_key_t;

/** An anchor section being read; loaded when the section ends. */
typedef struct {
	char		name[128];
	int		line;
	char		*file;
	char		*crl;		//!< crl = FILE, or NULL.
	bool		have_role, have_state, have_until;
	pc_role_t	role;
	pc_state_t	state;
	time_t		trust_until;
} pending_anchor_t;

typedef struct {
	TALLOC_CTX		*ctx;
	char const		*path;
	char			*dir;		//!< Directory of path, for relative file names.
	pc_config_t		*cfg;
	section_t		section;
	pending_anchor_t	anchor;
	bool			have_policy;
	char			*deny_file;	//!< [policy] deny, resolved; loaded after the parse.
	int			deny_line;
	seen_key_t		*seen;		//!< Keys of the current section, in order.
	unsigned int		nseen;
	pc_error_t		*err;
	int			horizon_line;	//!< Last expiry_* line, to name it when the two disagree.
} parser_t;

char const *pc_mac_binding_name(pc_mac_binding_t mode)
{
	switch (mode) {
	case PC_MAC_BINDING_OFF: return "off";
	case PC_MAC_BINDING_LOG: return "log";
	case PC_MAC_BINDING_ENFORCE: return "enforce";
	}
	return "invalid";
}

char const *pc_crl_stale_name(pc_crl_stale_t mode)
{
	switch (mode) {
	case PC_CRL_STALE_REFUSE: return "refuse";
	case PC_CRL_STALE_LOG: return "log";
	case PC_CRL_STALE_IGNORE: return "ignore";
	}
	return "invalid";
}

/** A file named in the configuration: absolute, or relative to the configuration's directory. */
static char *config_relative(parser_t *ps, char const *value)
{
	return (value[0] == '/') ? talloc_strdup(ps->ctx, value)
				 : talloc_asprintf(ps->ctx, "%s%s%s", ps->dir, strcmp(ps->dir, "/") == 0 ? "" : "/", value);
}

char const *pc_reply_profile_name(pc_reply_profile_t profile)
{
	switch (profile) {
	case PC_REPLY_CISCO: return "cisco";
	case PC_REPLY_ARUBA_CX: return "aruba-cx";
	case PC_REPLY_JUNIPER: return "juniper";
	case PC_REPLY_NONE: return "none";
	}
	return "invalid";
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s)) s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1])) *--end = '\0';
	return s;
}

static bool parse_bool(char const *value, bool *out)
{
	if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0) {
		*out = true;
		return true;
	}
	if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0) {
		*out = false;
		return true;
	}
	return false;
}

static bool valid_name(char const *name)
{
	if (!*name) return false;
	for (; *name; name++) {
		unsigned char c = (unsigned char)*name;

		if (!isalnum(c) && c != '-' && c != '_' && c != '.') return false;
	}
	return true;
}

/** A lifecycle horizon: "90d" (or "90"), 1 to 3650 days, into seconds. */
static bool parse_days(char const *value, time_t *out)
{
	long days = 0;
	char const *p = value;

	if (!isdigit((unsigned char)*p)) return false;
	for (; isdigit((unsigned char)*p); p++) {
		days = days * 10 + (*p - '0');
		if (days > 3650) return false;
	}
	if (*p == 'd') p++;
	if (*p != '\0' || days < 1) return false;
	*out = (time_t)days * 86400;
	return true;
}

/** VLAN ids and names as switches accept them: printable, no quotes or spaces, short. */
static bool valid_vlan(char const *value)
{
	size_t len = strlen(value);

	if (len == 0 || len > 32) return false;
	for (; *value; value++) {
		unsigned char c = (unsigned char)*value;

		if (!isalnum(c) && c != '-' && c != '_' && c != '.') return false;
	}
	return true;
}

static int policy_set(parser_t *ps, int line, char const *key, char const *value)
{
	pc_policy_t *policy = &ps->cfg->policy;

	if (strcmp(key, "mic") == 0) {
		if (strcmp(value, "allow") == 0) policy->mic_allowed = true;
		else if (strcmp(value, "deny") == 0) policy->mic_allowed = false;
		else goto bad_value;
		return 0;
	}
	if (strcmp(key, "mic_until") == 0) {
		if (strcmp(value, "none") == 0) {
			policy->mic_until = 0;
			return 0;
		}
		if (!pc_time_parse(value, &policy->mic_until)) goto bad_time;
		return 0;
	}
	if (strcmp(key, "mac_binding") == 0) {
		if (strcmp(value, "enforce") == 0) policy->mac_binding = PC_MAC_BINDING_ENFORCE;
		else if (strcmp(value, "log") == 0) policy->mac_binding = PC_MAC_BINDING_LOG;
		else if (strcmp(value, "off") == 0) policy->mac_binding = PC_MAC_BINDING_OFF;
		else goto bad_value;
		return 0;
	}
	if (strcmp(key, "reply_profile") == 0) {
		if (strcmp(value, "cisco") == 0) policy->reply_profile = PC_REPLY_CISCO;
		else if (strcmp(value, "aruba-cx") == 0) policy->reply_profile = PC_REPLY_ARUBA_CX;
		else if (strcmp(value, "juniper") == 0) policy->reply_profile = PC_REPLY_JUNIPER;
		else if (strcmp(value, "none") == 0) policy->reply_profile = PC_REPLY_NONE;
		else goto bad_value;
		return 0;
	}
	if (strcmp(key, "voice_domain") == 0) {
		if (strcmp(value, "lsc mic") == 0 || strcmp(value, "mic lsc") == 0) {
			policy->lsc_voice = policy->mic_voice = true;
		} else if (strcmp(value, "lsc") == 0) {
			policy->lsc_voice = true;
			policy->mic_voice = false;
		} else if (strcmp(value, "none") == 0) {
			policy->lsc_voice = policy->mic_voice = false;
		} else {
			goto bad_value;
		}
		return 0;
	}
	if (strcmp(key, "lsc_vlan") == 0 || strcmp(key, "mic_vlan") == 0) {
		char const **target = (key[0] == 'l') ? &policy->lsc_vlan : &policy->mic_vlan;

		if (strcmp(value, "none") == 0) {
			*target = NULL;
			return 0;
		}
		if (!valid_vlan(value)) goto bad_value;
		*target = talloc_strdup(ps->cfg, value);
		return *target ? 0 : -1;
	}
	if (strcmp(key, "legacy") == 0) {
		if (!parse_bool(value, &policy->legacy)) goto bad_value;
		return 0;
	}
	if (strcmp(key, "deny") == 0) {
		if (!*value) goto bad_value;
		ps->deny_file = config_relative(ps, value);
		ps->deny_line = line;
		return ps->deny_file ? 0 : -1;
	}
	if (strcmp(key, "crl_stale") == 0) {
		if (strcmp(value, "refuse") == 0) policy->crl_stale = PC_CRL_STALE_REFUSE;
		else if (strcmp(value, "log") == 0) policy->crl_stale = PC_CRL_STALE_LOG;
		else if (strcmp(value, "ignore") == 0) policy->crl_stale = PC_CRL_STALE_IGNORE;
		else goto bad_value;
		return 0;
	}
	if (strcmp(key, "expiry_warning") == 0 || strcmp(key, "expiry_critical") == 0) {
		time_t *target = (key[7] == 'w') ? &policy->expiry_warning : &policy->expiry_critical;

		if (!parse_days(value, target)) {
			pc_error_set(ps->err, "%s:%d: %s: invalid value '%s' (days, e.g. 90d; 1d to 3650d)",
				     ps->path, line, key, value);
			return -1;
		}
		ps->horizon_line = line;
		return 0;
	}
	pc_error_set(ps->err, "%s:%d: unknown key '%s' in [policy]", ps->path, line, key);
	return -1;

bad_time:
	pc_error_set(ps->err, "%s:%d: %s: cannot parse time '%s' (expected e.g. 2027-06-30 or "
		     "2027-06-30T18:00:00Z or 2027-06-30T18:00:00+02:00)", ps->path, line, key, value);
	return -1;

bad_value:
	pc_error_set(ps->err, "%s:%d: %s: invalid value '%s'", ps->path, line, key, value);
	return -1;
}

static int anchor_set(parser_t *ps, int line, char const *key, char const *value)
{
	pending_anchor_t *a = &ps->anchor;

	if (strcmp(key, "role") == 0) {
		if (strcmp(value, "lsc") == 0) a->role = PC_ROLE_LSC;
		else if (strcmp(value, "mic") == 0) a->role = PC_ROLE_MIC;
		else goto bad_value;
		a->have_role = true;
		return 0;
	}
	if (strcmp(key, "state") == 0) {
		if (strcmp(value, "active") == 0) a->state = PC_STATE_ACTIVE;
		else if (strcmp(value, "retiring") == 0) a->state = PC_STATE_RETIRING;
		else if (strcmp(value, "disabled") == 0) a->state = PC_STATE_DISABLED;
		else goto bad_value;
		a->have_state = true;
		return 0;
	}
	if (strcmp(key, "trust_until") == 0) {
		if (!pc_time_parse(value, &a->trust_until)) {
			pc_error_set(ps->err, "%s:%d: trust_until: cannot parse time '%s' (expected e.g. "
				     "2027-06-30 or 2027-06-30T18:00:00Z)", ps->path, line, value);
			return -1;
		}
		a->have_until = true;
		return 0;
	}
	if (strcmp(key, "file") == 0) {
		if (!*value) goto bad_value;
		a->file = config_relative(ps, value);
		return a->file ? 0 : -1;
	}
	if (strcmp(key, "crl") == 0) {
		if (!*value) goto bad_value;
		a->crl = config_relative(ps, value);
		return a->crl ? 0 : -1;
	}
	pc_error_set(ps->err, "%s:%d: unknown key '%s' in [anchor %s]", ps->path, line, key, a->name);
	return -1;

bad_value:
	pc_error_set(ps->err, "%s:%d: %s: invalid value '%s'", ps->path, line, key, value);
	return -1;
}

/** Check the anchor section just read, and load its certificate. */
static int anchor_finish(parser_t *ps)
{
	pending_anchor_t *a = &ps->anchor;
	pc_error_t cert_err;

	if (!a->have_role) {
		pc_error_set(ps->err, "%s:%d: [anchor %s]: missing 'role' (lsc or mic)", ps->path, a->line, a->name);
		return -1;
	}
	if (!a->file) {
		pc_error_set(ps->err, "%s:%d: [anchor %s]: missing 'file'", ps->path, a->line, a->name);
		return -1;
	}
	if (!a->have_state) a->state = PC_STATE_ACTIVE;
	if (a->state == PC_STATE_RETIRING && !a->have_until) {
		pc_error_set(ps->err, "%s:%d: [anchor %s]: state = retiring needs trust_until (the end of the "
			     "rollover window)", ps->path, a->line, a->name);
		return -1;
	}
	if (a->state != PC_STATE_RETIRING && a->have_until) {
		pc_error_set(ps->err, "%s:%d: [anchor %s]: trust_until is only meaningful with state = retiring",
			     ps->path, a->line, a->name);
		return -1;
	}
	if (pc_trust_add_file(ps->cfg->trust, a->name, a->file, a->role, a->state,
			      a->have_until ? a->trust_until : 0, &cert_err) < 0) {
		pc_error_set(ps->err, "%s:%d: [anchor %s]: %s", ps->path, a->line, a->name, cert_err.msg);
		return -1;
	}
	if (a->crl) {
		unsigned int index = pc_trust_count(ps->cfg->trust) - 1;
		pc_crl_t *crl;

		/* Verified with this anchor's own key: a CRL of another CA, or forged, stops the load. */
		if (pc_crl_load(ps->cfg, a->crl, pc_trust_anchor(ps->cfg->trust, index)->cert, &crl, &cert_err) < 0) {
			pc_error_set(ps->err, "%s:%d: [anchor %s]: crl: %s", ps->path, a->line, a->name, cert_err.msg);
			return -1;
		}
		pc_trust_set_crl(ps->cfg->trust, index, crl);
	}
	return 0;
}

static int section_end(parser_t *ps)
{
	int rcode = 0;

	if (ps->section == SECTION_ANCHOR) rcode = anchor_finish(ps);
	ps->section = SECTION_NONE;
	TALLOC_FREE(ps->seen);
	ps->nseen = 0;
	return rcode;
}

static int section_begin(parser_t *ps, int line, char *header)
{
	char *inner, *close = strchr(header, ']');
	unsigned int i;

	if (!close || close[1] != '\0') {
		pc_error_set(ps->err, "%s:%d: malformed section header", ps->path, line);
		return -1;
	}
	*close = '\0';
	inner = trim(header + 1);

	if (strcmp(inner, "policy") == 0) {
		if (ps->have_policy) {
			pc_error_set(ps->err, "%s:%d: second [policy] section", ps->path, line);
			return -1;
		}
		ps->have_policy = true;
		ps->section = SECTION_POLICY;
		return 0;
	}
	if (strncmp(inner, "anchor", 6) == 0 && isspace((unsigned char)inner[6])) {
		char const *name = trim(inner + 7);

		if (!valid_name(name) || strlen(name) >= sizeof(ps->anchor.name)) {
			pc_error_set(ps->err, "%s:%d: invalid anchor name '%s' (letters, digits, '-', '_', '.')",
				     ps->path, line, name);
			return -1;
		}
		for (i = 0; i < pc_trust_count(ps->cfg->trust); i++) {
			if (strcmp(pc_trust_anchor(ps->cfg->trust, i)->name, name) == 0) {
				pc_error_set(ps->err, "%s:%d: duplicate anchor name '%s'", ps->path, line, name);
				return -1;
			}
		}
		memset(&ps->anchor, 0, sizeof(ps->anchor));
		strcpy(ps->anchor.name, name);
		ps->anchor.line = line;
		ps->section = SECTION_ANCHOR;
		return 0;
	}
	pc_error_set(ps->err, "%s:%d: unknown section [%s] (expected [policy] or [anchor NAME])",
		     ps->path, line, inner);
	return -1;
}

/**
 * Refuse a key given twice in one section.  The parser would keep the last value, but an
 * admin who wrote "state = disabled" above "state = active" meant one of them: guessing
 * which is how a retired CAPF stays trusted.
 */
static int key_once(parser_t *ps, int line, char const *key)
{
	seen_key_t *seen;
	unsigned int i;

	for (i = 0; i < ps->nseen; i++) {
		if (strcmp(ps->seen[i].key, key) != 0) continue;
		if (ps->section == SECTION_POLICY) {
			pc_error_set(ps->err, "%s:%d: '%s' given twice in [policy] (first at line %d)",
				     ps->path, line, key, ps->seen[i].line);
		} else {
			pc_error_set(ps->err, "%s:%d: '%s' given twice in [anchor %s] (first at line %d)",
				     ps->path, line, key, ps->anchor.name, ps->seen[i].line);
		}
		return -1;
	}

	/* Unknown keys stop the parse at once, so the list never grows past the known keys. */
	seen = talloc_realloc(ps->ctx, ps->seen, seen_key_t, ps->nseen + 1);
	if (!seen) goto oom;
	ps->seen = seen;
	seen[ps->nseen].key = talloc_strdup(seen, key);
	if (!seen[ps->nseen].key) goto oom;
	seen[ps->nseen++].line = line;
	return 0;

oom:
	pc_error_set(ps->err, "%s:%d: out of memory", ps->path, line);
	return -1;
}

static int parse_line(parser_t *ps, int line, char *text)
{
	char *key, *value, *eq, *hash;

	hash = strchr(text, '#');
	if (hash) *hash = '\0';
	text = trim(text);
	if (!*text) return 0;

	if (*text == '[') {
		if (section_end(ps) < 0) return -1;
		return section_begin(ps, line, text);
	}

	eq = strchr(text, '=');
	if (!eq) {
		pc_error_set(ps->err, "%s:%d: expected 'key = value'", ps->path, line);
		return -1;
	}
	*eq = '\0';
	key = trim(text);
	value = trim(eq + 1);
	if (strlen(value) >= 2 && value[0] == '"' && value[strlen(value) - 1] == '"') {
		value[strlen(value) - 1] = '\0';
		value++;
	}

	if (ps->section != SECTION_NONE && key_once(ps, line, key) < 0) return -1;

	switch (ps->section) {
	case SECTION_POLICY:
		return policy_set(ps, line, key, value);

	case SECTION_ANCHOR:
		return anchor_set(ps, line, key, value);

	case SECTION_NONE:
	default:
		pc_error_set(ps->err, "%s:%d: '%s' outside of a [policy] or [anchor NAME] section",
			     ps->path, line, key);
		return -1;
	}
}

/**
 * The configuration's digest (documented with pc_config_digest): SHA-256 over
 *
 *	"phonecert-config-v1\n" "text " <length in decimal> "\n" <the file's bytes> "\n"
 *	and for each anchor in load order: "anchor " <name> " " <certificate SHA-256, hex> "\n"
 *
 * The text's length prefix keeps the anchor lines from being confused with the text, and
 * anchor names and fingerprints hold no space or newline.  The fingerprints are what make
 * a .pem replaced in place a different configuration, though phonecert.conf is unchanged.
 */
static int config_digest(pc_config_t *cfg, char const *text, size_t len, pc_error_t *err)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char sum[EVP_MAX_MD_SIZE];
	unsigned int sumlen = 0, i, n = pc_trust_count(cfg->trust);
	char head[64];
	bool ok;

	snprintf(head, sizeof(head), "phonecert-config-v1\ntext %zu\n", len);
	ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
	     EVP_DigestUpdate(md, head, strlen(head)) == 1 &&
	     EVP_DigestUpdate(md, text, len) == 1 && EVP_DigestUpdate(md, "\n", 1) == 1;
	for (i = 0; ok && i < n; i++) {
		pc_anchor_t const *anchor = pc_trust_anchor(cfg->trust, i);

		ok = EVP_DigestUpdate(md, "anchor ", 7) == 1 &&
		     EVP_DigestUpdate(md, anchor->name, strlen(anchor->name)) == 1 &&
		     EVP_DigestUpdate(md, " ", 1) == 1 &&
		     EVP_DigestUpdate(md, anchor->fingerprint, strlen(anchor->fingerprint)) == 1 &&
		     EVP_DigestUpdate(md, "\n", 1) == 1;
	}
	/* The files the configuration names besides certificates, by their bytes' SHA-256: an
	 * edited deny-list or a new CRL is a new configuration.  Absent, they add nothing, so
	 * the digest of a configuration without them is what it always was. */
	for (i = 0; ok && i < n; i++) {
		pc_anchor_t const *anchor = pc_trust_anchor(cfg->trust, i);

		if (!anchor->crl) continue;
		ok = EVP_DigestUpdate(md, "crl ", 4) == 1 &&
		     EVP_DigestUpdate(md, anchor->name, strlen(anchor->name)) == 1 &&
		     EVP_DigestUpdate(md, " ", 1) == 1 &&
		     EVP_DigestUpdate(md, pc_crl_digest(anchor->crl), 64) == 1 &&
		     EVP_DigestUpdate(md, "\n", 1) == 1;
	}
	if (ok && cfg->deny) {
		ok = EVP_DigestUpdate(md, "deny ", 5) == 1 &&
		     EVP_DigestUpdate(md, pc_deny_digest(cfg->deny), 64) == 1 &&
		     EVP_DigestUpdate(md, "\n", 1) == 1;
	}
	ok = ok && EVP_DigestFinal_ex(md, sum, &sumlen) == 1 && 2 * sumlen + 1 == sizeof(cfg->digest);
	EVP_MD_CTX_free(md);
	if (!ok) {
		pc_error_set_openssl(err, "%s: cannot compute the configuration's digest", cfg->path);
		return -1;
	}
	pc_hex_encode(sum, sumlen, cfg->digest);
	return 0;
}

int pc_config_parse(TALLOC_CTX *ctx, char const *path, char const *text, size_t len,
		    pc_config_t **out, pc_error_t *err)
{
	parser_t ps;
	char const *p = text, *end = text + len;
	char buf[LINE_MAX_LEN + 1];
	char const *slash;
	int line = 0;

	*out = NULL;
	memset(&ps, 0, sizeof(ps));
	ps.ctx = talloc_new(ctx);
	if (!ps.ctx) goto oom;
	ps.path = path;
	ps.err = err;
	ps.cfg = talloc_zero(ps.ctx, pc_config_t);
	if (!ps.cfg) goto oom;
	ps.cfg->path = talloc_strdup(ps.cfg, path);
	ps.cfg->trust = pc_trust_alloc(ps.cfg);

	/* The directory for relative anchor files: "." for "", "x.conf" (no room to write "."
	 * over those in a copy of the path), "/" for "/x.conf". */
	slash = strrchr(path, '/');
	if (!slash) {
		ps.dir = talloc_strdup(ps.ctx, ".");
	} else if (slash == path) {
		ps.dir = talloc_strdup(ps.ctx, "/");
	} else {
		ps.dir = talloc_strndup(ps.ctx, path, (size_t)(slash - path));
	}
	if (!ps.cfg->path || !ps.cfg->trust || !ps.dir) goto oom;

	/* Defaults: the secure, usual policy.  Documented in raddb/phonecert/phonecert.conf. */
	ps.cfg->policy.mic_allowed = true;
	ps.cfg->policy.mac_binding = PC_MAC_BINDING_ENFORCE;
	ps.cfg->policy.reply_profile = PC_REPLY_CISCO;
	ps.cfg->policy.lsc_voice = true;
	ps.cfg->policy.mic_voice = true;
	ps.cfg->policy.expiry_warning = (time_t)PC_LIFECYCLE_WARNING_DAYS * 86400;
	ps.cfg->policy.expiry_critical = (time_t)PC_LIFECYCLE_CRITICAL_DAYS * 86400;

	if (memchr(text, '\0', len)) {
		pc_error_set(err, "%s: contains a NUL byte: not a text file", path);
		goto fail;
	}

	while (p < end) {
		char const *nl = memchr(p, '\n', (size_t)(end - p));
		size_t linelen = nl ? (size_t)(nl - p) : (size_t)(end - p);

		line++;
		if (linelen > LINE_MAX_LEN) {
			pc_error_set(err, "%s:%d: line longer than %d bytes", path, line, LINE_MAX_LEN);
			goto fail;
		}
		memcpy(buf, p, linelen);
		buf[linelen] = '\0';
		if (parse_line(&ps, line, buf) < 0) goto fail;
		p += linelen + (nl ? 1 : 0);
	}
	if (section_end(&ps) < 0) goto fail;
	if (ps.cfg->policy.expiry_critical > ps.cfg->policy.expiry_warning) {
		pc_error_set(err, "%s:%d: expiry_critical (%lld days) must not be longer than expiry_warning (%lld days)",
			     path, ps.horizon_line, (long long)ps.cfg->policy.expiry_critical / 86400,
			     (long long)ps.cfg->policy.expiry_warning / 86400);
		goto fail;
	}

	if (pc_trust_count(ps.cfg->trust) == 0) {
		pc_error_set(err, "%s: no [anchor] is configured: nothing would ever be admitted", path);
		goto fail;
	}
	if (ps.deny_file) {
		pc_error_t deny_err;

		if (pc_deny_load(ps.cfg, ps.deny_file, &ps.cfg->deny, &deny_err) < 0) {
			pc_error_set(err, "%s:%d: deny: %s", path, ps.deny_line, deny_err.msg);
			goto fail;
		}
	}
	if (config_digest(ps.cfg, text, len, err) < 0) goto fail;

	*out = talloc_steal(ctx, ps.cfg);
	talloc_free(ps.ctx);
	return 0;

oom:
	pc_error_set(err, "%s: out of memory", path);
fail:
	talloc_free(ps.ctx);
	return -1;
}

int pc_config_load(TALLOC_CTX *ctx, char const *path, pc_config_t **out, pc_error_t *err)
{
	char *text;
	size_t len;
	int rcode;

	*out = NULL;
	if (pc_file_read(ctx, path, CONFIG_FILE_MAX, &text, &len, err) < 0) return -1;
	rcode = pc_config_parse(ctx, path, text, len, out, err);
	talloc_free(text);
	return rcode;
}
