/**
 * @file eap_config.c
 * @brief Checks of the eap module's configuration sections (see eap_config.h).
 */
#include <freeradius/radiusd.h>

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <strings.h>

#include "eap_config.h"

bool pc_same_dir(char const *a, char const *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	if (!realpath(a, ra) || !realpath(b, rb)) return strcmp(a, b) == 0;
	return strcmp(ra, rb) == 0;
}

/** module_instantiate() of the radiusd binary (not in a library we link). */
typedef void *(*module_instantiate_fn)(CONF_SECTION *modules, char const *name);

CONF_SECTION *pc_eap_section(CONF_SECTION *conf, char const *eap_module)
{
	CONF_SECTION *modules, *eap;
	module_instantiate_fn instantiate;

	if (!eap_module || !*eap_module) {
		cf_log_err_cs(conf, "eap_module: required: the eap module that runs EAP-TLS for the phones, whose "
			      "certificate verification phonecert hooks");
		return NULL;
	}
	modules = cf_section_sub_find(cf_top_section(conf), "modules");
	eap = modules ? cf_section_sub_find_name2(modules, "eap", eap_module) : NULL;
	if (!eap && modules && strcmp(eap_module, "eap") == 0) eap = cf_section_sub_find(modules, "eap");
	if (!eap) {
		cf_log_err_cs(conf, "eap_module = \"%s\": no such eap module section; name the eap module that runs "
			      "EAP-TLS for the phones", eap_module);
		return NULL;
	}

	/* Its TLS context exists once it is instantiated; force that if it comes after us. */
	instantiate = (module_instantiate_fn)dlsym(RTLD_DEFAULT, "module_instantiate");
	if (!instantiate || !instantiate(modules, eap_module)) {
		cf_log_err_cs(conf, "eap_module = \"%s\": the eap module could not be instantiated", eap_module);
		return NULL;
	}
	return eap;
}

/**
 * Refuse trust beyond the uploaded anchors: every ca_file must be absent and every ca_path
 * must be ours.
 */
static int trust_audit(CONF_SECTION *cs, char const *ca_path, char const *where)
{
	CONF_SECTION *sub;
	CONF_PAIR *cp;
	char const *value;

	cp = cf_pair_find(cs, "ca_file");
	if (cp && (value = cf_pair_value(cp)) && *value) {
		cf_log_err_cs(cs, "%s: ca_file = \"%s\" makes EAP-TLS trust certificates that were not uploaded "
			      "to phonecert (Debian's default trusts every public CA).  Remove ca_file and set "
			      "ca_path = \"%s\"", where, value, ca_path);
		return -1;
	}
	cp = cf_pair_find(cs, "ca_path");
	if (cp && (value = cf_pair_value(cp)) && *value && !pc_same_dir(value, ca_path)) {
		cf_log_err_cs(cs, "%s: ca_path = \"%s\" is not the directory phonecert manages; set ca_path = \"%s\" "
			      "so that EAP-TLS trusts exactly the uploaded anchors", where, value, ca_path);
		return -1;
	}
	for (sub = cf_subsection_find_next(cs, NULL, NULL); sub; sub = cf_subsection_find_next(cs, sub, NULL)) {
		char const *n1 = cf_section_name1(sub), *n2 = cf_section_name2(sub);
		char path[256];

		snprintf(path, sizeof(path), "%s { %s%s%s }", where, n1, n2 ? " " : "", n2 ? n2 : "");
		if (trust_audit(sub, ca_path, path) < 0) return -1;
	}
	return 0;
}

/** Whether a section (or one nested in it: if, redundant...) calls the module, as "NAME" or "-NAME". */
static bool section_calls(CONF_SECTION const *cs, char const *module_name)
{
	CONF_ITEM *ci;
	size_t len = strlen(module_name);

	for (ci = cf_item_find_next(cs, NULL); ci; ci = cf_item_find_next(cs, ci)) {
		if (cf_item_is_section(ci)) {
			if (section_calls(cf_item_to_section(ci), module_name)) return true;
		} else if (cf_item_is_pair(ci)) {
			char const *attr = cf_pair_attr(cf_item_to_pair(ci));

			if (attr[0] == '-') attr++;	/* "-phonecert": called when loaded (unlang) */
			if (strncmp(attr, module_name, len) == 0 && (attr[len] == '\0' || attr[len] == '.')) return true;
		}
	}
	return false;
}

/** The EAP-TLS section that uses tls_cs must hand every handshake to a server running us. */
static bool wiring_ok(CONF_SECTION *conf, CONF_SECTION *eap_tls, char const *module_name)
{
	CONF_PAIR *cp = cf_pair_find(eap_tls, "virtual_server");
	char const *server = cp ? cf_pair_value(cp) : NULL;
	CONF_SECTION *vs, *authorize;

	if (!server || !*server) {
		cf_log_err_cs(eap_tls, "eap { tls { virtual_server } } is not set: no phonecert decision would run after "
			      "the TLS handshake, and every certificate that chains to an uploaded CA would be admitted. "
			      "Set virtual_server = check-eap-tls (sites-available/check-eap-tls-phonecert)");
		return false;
	}
	vs = cf_section_sub_find_name2(cf_top_section(conf), "server", server);
	authorize = vs ? cf_section_sub_find(vs, "authorize") : NULL;
	if (!authorize || !section_calls(authorize, module_name)) {
		cf_log_err_cp(cp, "virtual_server = \"%s\": that server %s, so no phonecert decision would run after the TLS "
			      "handshake.  Call %s in its authorize section (sites-available/check-eap-tls-phonecert)",
			      server, vs ? "does not call this module in its authorize section" : "does not exist",
			      module_name);
		return false;
	}
	return true;
}

/** A boolean as FreeRADIUS reads it; anything but a clear "no" counts as yes (fail closed). */
static bool conf_says_no(char const *value)
{
	return value && (strcasecmp(value, "no") == 0 || strcasecmp(value, "false") == 0 ||
			 strcasecmp(value, "off") == 0 || strcmp(value, "0") == 0);
}

/**
 * TLS 1.3 only without resumption.  A resumed TLS 1.3 session reaches check-eap-tls without the
 * certificate (FreeRADIUS restores the attributes only for TLS 1.2), so the decision could
 * only refuse it (no-cert-facts).  With cache { enable = no }, FreeRADIUS 3.0.x and 3.2.x
 * turn OpenSSL's session cache off and issue no TLS 1.3 tickets (SSL_CTX_set_num_tickets(ctx,
 * 0) in tls.c's tls_init_ctx), so every handshake is a full one that carries the certificate.
 */
static bool tls13_ok(CONF_SECTION *tls_cs)
{
	CONF_PAIR *max = cf_pair_find(tls_cs, "tls_max_version");
	CONF_SECTION *cache = cf_section_sub_find(tls_cs, "cache");
	CONF_PAIR *enable = cache ? cf_pair_find(cache, "enable") : NULL;
	char const *version = max ? cf_pair_value(max) : NULL;

	/* Unset: FreeRADIUS caps at 1.2 (both 3.0 and 3.2, tls.c: "EAP methods for TLS 1.3 are NOT finished"). */
	if (!version || !*version || strcmp(version, "1.0") == 0 || strcmp(version, "1.1") == 0 ||
	    strcmp(version, "1.2") == 0) return true;
	/* The cache's enable defaults to "no" when absent. */
	if (!enable || conf_says_no(cf_pair_value(enable))) {
		/*
		 *	FreeRADIUS 3.0.x does not finish EAP-TLS over TLS 1.3: the check-eap-tls server
		 *	runs without the client certificate and the EAP session then fails, so every
		 *	TLS 1.3 phone would be refused (no-cert-facts).  Say so at start instead.
		 *	RADIUSD_VERSION is written with a leading zero (030201 for 3.2.1), an octal
		 *	literal: compared with another one, the order is the versions' order.
		 */
#ifndef RADIUSD_VERSION
#  error "RADIUSD_VERSION is not defined by the FreeRADIUS headers"
#endif
#if RADIUSD_VERSION < 030200
		ERROR("%s[%d]: tls_max_version = \"%s\": FreeRADIUS %s does not finish EAP-TLS over TLS 1.3 (the "
		      "client certificate never reaches the phonecert decision and the EAP session fails): keep "
		      "tls_max_version = \"1.2\", or use the TLS 1.3 profile with FreeRADIUS 3.2",
		      cf_pair_filename(max), cf_pair_lineno(max), version, RADIUSD_VERSION_STRING);
		return false;
#else
		return true;
#endif
	}

	/* Not cf_log_err_cp: it cuts messages at 255 bytes, and this one names two files. */
	ERROR("%s[%d]: tls_max_version = \"%s\" and %s[%d]: cache { enable = %s }: TLS 1.3 with session "
	      "resumption.  A resumed TLS 1.3 session reaches the phonecert decision without the certificate: set "
	      "enable = no in that cache section (the TLS 1.3 profile: every handshake a full one), or "
	      "tls_max_version = \"1.2\"", cf_pair_filename(max), cf_pair_lineno(max), version,
	      cf_pair_filename(enable), cf_pair_lineno(enable), cf_pair_value(enable));
	return false;
}

CONF_SECTION *pc_eap_tls_config(CONF_SECTION *conf, CONF_SECTION *eap, char const *ca_path, char const *module_name)
{
	CONF_SECTION *sub;

	if (trust_audit(eap, ca_path, "eap") < 0) return NULL;

	for (sub = cf_subsection_find_next(eap, NULL, NULL); sub; sub = cf_subsection_find_next(eap, sub, NULL)) {
		CONF_PAIR *cp;
		CONF_SECTION *tls_cs;
		char const *value;

		if (strcmp(cf_section_name1(sub), "tls") != 0) continue;	/* EAP-TLS, not TTLS or PEAP */
		cp = cf_pair_find(sub, "tls");
		tls_cs = cp ? cf_section_sub_find_name2(eap, "tls-config", cf_pair_value(cp)) : sub;
		if (!tls_cs) continue;
		cp = cf_pair_find(tls_cs, "ca_path");
		value = cp ? cf_pair_value(cp) : NULL;
		if (!value || !pc_same_dir(value, ca_path)) continue;
		if (!tls13_ok(tls_cs)) return NULL;
		return wiring_ok(conf, sub, module_name) ? tls_cs : NULL;
	}
	cf_log_err_cs(eap, "no EAP-TLS section (tls { }) of this eap module uses ca_path = \"%s\": set it in the "
		      "tls-config that EAP-TLS uses, so that phones are verified against the uploaded anchors", ca_path);
	return NULL;
}
