/**
 * @file rlm_phonecert.c
 * @brief FreeRADIUS 3.2 glue: admits Cisco IP phones by LSC or MIC using the phonecert core.
 *
 * The core decides; this file only hands it the certificate record that the verification
 * hook (tls_hook.c) wrote during the handshake, turns core results into reply attributes and
 * log lines, and checks the eap module's configuration (eap_config.c).
 *
 * - instantiate: reads phonecert.conf, checks the eap wiring, installs the hook on the eap
 *   module's TLS context (at start) and publishes the anchors trusted now to it.
 * - authorize (in the eap tls "check-eap-tls" virtual server, which runs after every
 *   successful handshake, full or resumed): the admission decision.
 * - post-auth (in Post-Auth-Type REJECT of the outer server): the diagnosis of handshakes
 *   that OpenSSL refused before the decision could run; in the plain post-auth section, it
 *   refuses an EAP-TLS accept that no decision was made for.
 *
 * The instance is HUP-safe: radmin -e "hup phonecert" and SIGHUP (when the config file's
 * mtime changed) re-run mod_instantiate, which re-reads the module's own config file and
 * anchors; if that fails, FreeRADIUS keeps the previous instance (and this module has
 * written nothing yet).  tests/stress/README.md describes FreeRADIUS 3.2.1's reload rules.
 */
#include <freeradius/radiusd.h>
#include <freeradius/modules.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/objects.h>

#include <phonecert/cadir.h>
#include <phonecert/config.h>
#include <phonecert/crl.h>
#include <phonecert/decide.h>
#include <phonecert/deny.h>
#include <phonecert/lifecycle.h>
#include <phonecert/loaded.h>
#include <phonecert/reply.h>
#include <phonecert/timeval.h>
#include <phonecert/verify.h>

#include "eap_config.h"
#include "tls_hook.h"

/*
 *	REQUEST begins with a magic number only when NDEBUG is not defined (radiusd.h): the module
 *	must be compiled as radiusd was, which its headers record as WITH_NDEBUG (the Makefile
 *	passes -DNDEBUG from them, scripts/fr-config.sh).
 */
#if defined(WITH_NDEBUG) != defined(NDEBUG)
#  error "NDEBUG differs from the installed FreeRADIUS's WITH_NDEBUG: REQUEST's layout would not match radiusd's"
#endif


typedef struct {
	char const	*name;			//!< Instance name, for log lines.
	char const	*config_file;		//!< The module's own file: policy and anchors.
	char const	*ca_path;		//!< Hashed CA directory written for the eap module.
	char const	*eap_module;		//!< Name of the eap module whose trust is audited ("" = skip).

	pc_config_t	*cfg;			//!< Read-only after instantiate: shared by all threads.
	unsigned long	generation;		//!< Counts successful (re)loads in this process.
	pc_hook_t	*hook;			//!< The verification hook of the eap TLS context.
	pthread_mutex_t	mutex;			//!< Serialises the refresh when a window closes.
	time_t		next_change;		//!< When a retiring anchor's window closes; 0 none.
	VALUE_PAIR	*reply_lsc;		//!< What the switch gets for an accepted LSC (read-only).
	VALUE_PAIR	*reply_mic;		//!< ... for an accepted MIC.

	DICT_ATTR const	*fact_da[PC_FACT_COUNT];
	DICT_ATTR const	*da_cert;
	DICT_ATTR const	*da_calling_station_id;
	DICT_ATTR const	*da_failure;
	DICT_ATTR const	*da_kind;
	DICT_ATTR const	*da_anchor;
	DICT_ATTR const	*da_anchor_state;
	DICT_ATTR const	*da_device;
	DICT_ATTR const	*da_mac;
	DICT_ATTR const	*da_model;
	DICT_ATTR const	*da_reason;
	DICT_ATTR const	*da_reason_code;
	DICT_ATTR const	*da_deadline;
	DICT_ATTR const	*da_detail;
	DICT_ATTR const	*da_anchor_fp;
	DICT_ATTR const	*da_cert_serial;
	DICT_ATTR const	*da_cert_not_after;
} rlm_phonecert_t;

/*
 *	"config" is exactly PW_TYPE_FILE_INPUT, without PW_TYPE_REQUIRED: FreeRADIUS 3.2 checks
 *	and remembers the file only when the type equals PW_TYPE_FILE_INPUT (conffile.c, "check,
 *	not and"), and only a remembered file makes SIGHUP reload this module when it changes.
 *	mod_instantiate enforces "required" itself.
 */
static CONF_PARSER const module_config[] = {
	{ "config", FR_CONF_OFFSET(PW_TYPE_FILE_INPUT, rlm_phonecert_t, config_file), NULL },
	{ "ca_path", FR_CONF_OFFSET(PW_TYPE_STRING | PW_TYPE_REQUIRED, rlm_phonecert_t, ca_path), NULL },
	{ "eap_module", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_phonecert_t, eap_module), "eap" },
	CONF_PARSER_TERMINATOR
};

static int resolve_attr(CONF_SECTION *conf, char const *name, DICT_ATTR const **out)
{
	*out = dict_attrbyname(name);
	if (!*out) {
		cf_log_err_cs(conf, "Attribute %s is not in the dictionary: $INCLUDE dictionary.phonecert "
			      "from raddb/dictionary", name);
		return -1;
	}
	return 0;
}

static int resolve_attrs(CONF_SECTION *conf, rlm_phonecert_t *inst)
{
	static struct {
		char const	*name;
		size_t		offset;
	} const own[] = {
		{ "Phonecert-Cert",		offsetof(rlm_phonecert_t, da_cert) },
		{ "Calling-Station-Id",		offsetof(rlm_phonecert_t, da_calling_station_id) },
		{ "Module-Failure-Message",	offsetof(rlm_phonecert_t, da_failure) },
		{ "Phonecert-Kind",		offsetof(rlm_phonecert_t, da_kind) },
		{ "Phonecert-Anchor",		offsetof(rlm_phonecert_t, da_anchor) },
		{ "Phonecert-Anchor-State",	offsetof(rlm_phonecert_t, da_anchor_state) },
		{ "Phonecert-Device",		offsetof(rlm_phonecert_t, da_device) },
		{ "Phonecert-MAC",		offsetof(rlm_phonecert_t, da_mac) },
		{ "Phonecert-Model",		offsetof(rlm_phonecert_t, da_model) },
		{ "Phonecert-Reason",		offsetof(rlm_phonecert_t, da_reason) },
		{ "Phonecert-Reason-Code",	offsetof(rlm_phonecert_t, da_reason_code) },
		{ "Phonecert-Deadline",		offsetof(rlm_phonecert_t, da_deadline) },
		{ "Phonecert-Detail",		offsetof(rlm_phonecert_t, da_detail) },
		{ "Phonecert-Anchor-Fingerprint", offsetof(rlm_phonecert_t, da_anchor_fp) },
		{ "Phonecert-Cert-Serial",	offsetof(rlm_phonecert_t, da_cert_serial) },
		{ "Phonecert-Cert-Not-After",	offsetof(rlm_phonecert_t, da_cert_not_after) },
	};
	size_t i;

	for (i = 0; i < PC_FACT_COUNT; i++) {
		if (resolve_attr(conf, pc_fact_fields[i].attribute, &inst->fact_da[i]) < 0) return -1;
	}
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		if (resolve_attr(conf, own[i].name, (DICT_ATTR const **)((char *)inst + own[i].offset)) < 0) return -1;
	}
	return 0;
}

/**
 * Give ca_path back the modification time it had before we rewrote it.
 *
 * FreeRADIUS 3.2.1 remembers the mtime of every PW_TYPE_FILE_INPUT item, the eap module's
 * ca_path among them.  On SIGHUP, a changed file that belongs to a module which cannot be
 * reloaded (eap) makes radiusd re-read its whole configuration; that re-read tracks only
 * the configuration files, so from then on SIGHUP no longer notices changes to our config
 * file and never reloads this module again.  OpenSSL reads ca_path file by file on demand
 * and never looks at the directory's mtime, so keeping it hides nothing from the handshake:
 * the directory's contents are ours, and only our config file should decide a reload.
 */
static void ca_path_keep_mtime(rlm_phonecert_t const *inst, struct stat const *before)
{
	struct timespec times[2] = {
		{ .tv_sec = 0, .tv_nsec = UTIME_OMIT },
		before->st_mtim,
	};

	if (utimensat(AT_FDCWD, inst->ca_path, times, 0) < 0) {
		WARN("rlm_phonecert (%s): ca_path = \"%s\": cannot restore its modification time (%s): the next "
		     "SIGHUP will make radiusd re-read its whole configuration, and later SIGHUPs will not reload "
		     "phonecert; use radmin -e \"hup phonecert\"", inst->name, inst->ca_path, fr_syserror(errno));
	}
}

/**
 * Build, once per (re)load, the attributes the switch gets for an accepted phone of a kind:
 * they depend only on the policy, so a request only copies them.  An attribute the dictionary
 * lacks (a vendor dictionary not included) or a value it refuses stops the start or reload.
 */
static int reply_build(CONF_SECTION *conf, rlm_phonecert_t *inst, pc_kind_t kind, VALUE_PAIR **out)
{
	pc_reply_item_t items[PC_REPLY_MAX];
	unsigned int n, i;

	n = pc_reply_plan_kind(&inst->cfg->policy, kind, items);
	for (i = 0; i < n; i++) {
		FR_TOKEN op = strcmp(items[i].attribute, "Cisco-AVPair") == 0 ? T_OP_ADD : T_OP_SET;

		if (!fr_pair_make(inst, out, items[i].attribute, items[i].value, op)) {
			cf_log_err_cs(conf, "%s: reply_profile = %s: cannot make %s = \"%s\" (%s): include the "
				      "vendor's dictionary, or check the VLAN", inst->config_file,
				      pc_reply_profile_name(inst->cfg->policy.reply_profile), items[i].attribute,
				      items[i].value, fr_strerror());
			return -1;
		}
	}
	return 0;
}

/** Things an admin should hear about at every (re)load, without stopping it. */
static void warn_about(rlm_phonecert_t const *inst)
{
	pc_trust_t const *trust = inst->cfg->trust;
	time_t now = time(NULL);
	unsigned int i, count;
	char when[PC_TIME_STRLEN];
	pc_lifecycle_finding_t *findings;

	/* Lifecycle (expiry, the 2029 root, CAPF extensions): the same findings as `phonecert anchors`. */
	if (pc_lifecycle_check(NULL, inst->cfg, now, &findings, &count) < 0) {
		WARN("rlm_phonecert (%s): lifecycle checks of the anchors failed (out of memory)", inst->name);
	} else {
		for (i = 0; i < count; i++) {
			pc_lifecycle_finding_t const *f = &findings[i];

			if (f->severity == PC_LIFECYCLE_OK) {
				INFO("rlm_phonecert (%s): lifecycle note (%s, %s): %s", inst->name, f->type, f->anchor->file,
				     f->message);
			} else {
				WARN("rlm_phonecert (%s): lifecycle %s (%s, %s): %s", inst->name,
				     pc_lifecycle_severity_name(f->severity), f->type, f->anchor->file, f->message);
			}
		}
		talloc_free(findings);
	}

	for (i = 0; i < pc_trust_count(trust); i++) {
		pc_anchor_t const *a = pc_trust_anchor(trust, i);

		if (a->state == PC_STATE_RETIRING && a->trust_until <= now) {
			WARN("rlm_phonecert (%s): anchor %s: rollover window closed %s; its LSCs are refused. "
			     "Remove it from %s", inst->name, a->name,
			     pc_time_format(a->trust_until, when, sizeof(when)), inst->config_file);
		}
		if (!inst->cfg->policy.legacy && (a->sig_nid == NID_sha1WithRSAEncryption || a->sig_nid == NID_md5WithRSAEncryption)) {
			WARN("rlm_phonecert (%s): anchor %s is SHA-1 signed: OpenSSL refuses its chains unless the "
			     "legacy profile is enabled (README, \"Old phones\")", inst->name, a->name);
		}
		if (a->crl) {
			INFO("rlm_phonecert (%s): anchor %s: CRL %s, %u revoked, next update %s", inst->name, a->name,
			     pc_crl_path(a->crl), pc_crl_count(a->crl),
			     pc_crl_next_update(a->crl) ? pc_time_format(pc_crl_next_update(a->crl), when, sizeof(when)) : "none");
		}
		if (a->crl && pc_crl_stale(a->crl, now)) {
			WARN("rlm_phonecert (%s): anchor %s: CRL %s is past its nextUpdate %s (crl_stale = %s)", inst->name,
			     a->name, pc_crl_path(a->crl), pc_time_format(pc_crl_next_update(a->crl), when, sizeof(when)),
			     pc_crl_stale_name(inst->cfg->policy.crl_stale));
		}
	}
	if (inst->cfg->deny) {
		pc_deny_t const *deny = inst->cfg->deny;
		unsigned int active = 0;

		for (i = 0; i < pc_deny_count(deny); i++) {
			pc_deny_entry_t const *e = pc_deny_entry(deny, i);

			if (pc_deny_entry_active(e, now)) {
				active++;
				continue;
			}
			WARN("rlm_phonecert (%s): deny-list %s:%d: entry '%s' expired %s: ignored", inst->name,
			     pc_deny_path(deny), e->line, e->key, pc_time_format(e->expires, when, sizeof(when)));
		}
		INFO("rlm_phonecert (%s): deny-list %s: %u entries in force, %u expired", inst->name, pc_deny_path(deny),
		     active, pc_deny_count(deny) - active);
	}
}

/** Successful (re)loads in this process, for the log and the loaded-state record. */
static unsigned long generations;

/** Instances alive; the hooks' trust sets are released with the last one (at exit). */
static unsigned int instances_alive;

/**
 * Say what this instance loaded, where `phonecert status` reads it (ca_path/.phonecert-loaded):
 * FreeRADIUS silently skips a reload asked for too soon, and an admin closing a window must
 * be able to see which configuration is in force.  A failure is only a warning: status then
 * finds no record (or a stale one) and says so.
 */
static void loaded_record(rlm_phonecert_t const *inst, time_t now)
{
	pc_loaded_t rec;
	pc_error_t err;
	char *path = pc_loaded_path(NULL, inst->ca_path);

	memset(&rec, 0, sizeof(rec));
	rec.generation = inst->generation;
	rec.loaded_at = now;
	rec.pid = (long)getpid();
	snprintf(rec.config, sizeof(rec.config), "%s", inst->cfg->path);
	if (!path || pc_config_digest(inst->cfg, rec.digest, &err) < 0 || pc_loaded_write(path, &rec, &err) < 0) {
		WARN("rlm_phonecert (%s): cannot record the loaded configuration for phonecert status: %s", inst->name,
		     path ? err.msg : "out of memory");
	} else {
		INFO("rlm_phonecert (%s): generation %lu in force, digest %s", inst->name, inst->generation, rec.digest);
	}
	talloc_free(path);
}

/**
 * Write ca_path for the anchors trusted at now and publish them to the verification hook.
 * Called at (re)load (record: also say so in ca_path) and when a retiring anchor's window
 * closes by the clock.
 */
static int trust_refresh(rlm_phonecert_t *inst, time_t now, bool record, pc_error_t *err)
{
	struct stat ca_path_before;
	pc_trustset_t *set = NULL;
	int rcode = -1;

	if (stat(inst->ca_path, &ca_path_before) < 0) {
		pc_error_set(err, "ca_path = \"%s\": %s", inst->ca_path, fr_syserror(errno));
		return -1;
	}
	if (pc_cadir_sync(inst->cfg->trust, inst->ca_path, now, err) < 0) goto done;

	set = pc_trustset_new(inst->cfg->trust, now);
	if (!set) {
		pc_error_set(err, "out of memory");
		goto done;
	}
	pc_hook_publish(inst->hook, set, inst->generation);
	__atomic_store_n(&inst->next_change, pc_trustset_next_change(set), __ATOMIC_RELEASE);
	pc_trustset_free(set);
	if (record) loaded_record(inst, now);
	rcode = 0;

done:
	ca_path_keep_mtime(inst, &ca_path_before);	/* also after a partial write */
	return rcode;
}

static int mod_instantiate(CONF_SECTION *conf, void *instance)
{
	rlm_phonecert_t *inst = instance;
	CONF_SECTION *eap, *tls_cs;
	pc_error_t err;
	unsigned int i, lsc = 0, mic = 0;

	inst->name = cf_section_name2(conf);
	if (!inst->name) inst->name = cf_section_name1(conf);

	if (!inst->config_file || !*inst->config_file) {
		cf_log_err_cs(conf, "config: required (the file holding the policy and the anchors)");
		return -1;
	}
	if (resolve_attrs(conf, inst) < 0) return -1;

	/* Everything that can fail runs before anything is written: a failed reload changes nothing. */
	if (pc_config_load(inst, inst->config_file, &inst->cfg, &err) < 0) {
		cf_log_err_cs(conf, "%s", err.msg);
		return -1;
	}
	if (reply_build(conf, inst, PC_KIND_LSC, &inst->reply_lsc) < 0 ||
	    reply_build(conf, inst, PC_KIND_MIC, &inst->reply_mic) < 0) return -1;

	if (mkdir(inst->ca_path, 0755) < 0 && errno != EEXIST) {
		cf_log_err_cs(conf, "ca_path = \"%s\": cannot create: %s", inst->ca_path, fr_syserror(errno));
		return -1;
	}
	eap = pc_eap_section(conf, inst->eap_module);
	if (!eap) return -1;
	tls_cs = pc_eap_tls_config(conf, eap, inst->ca_path, inst->name);
	if (!tls_cs) return -1;
	inst->hook = pc_hook_attach(tls_cs, inst->ca_path);
	if (!inst->hook) return -1;
	if (pthread_mutex_init(&inst->mutex, NULL) != 0) {
		inst->hook = NULL;
		cf_log_err_cs(conf, "cannot initialise a mutex");
		return -1;
	}

	inst->generation = ++generations;
	instances_alive++;	/* from here on, detach releases */
	if (trust_refresh(inst, time(NULL), true, &err) < 0) {
		cf_log_err_cs(conf, "ca_path: %s", err.msg);
		return -1;
	}

	for (i = 0; i < pc_trust_count(inst->cfg->trust); i++) {
		if (pc_trust_anchor(inst->cfg->trust, i)->role == PC_ROLE_LSC) lsc++;
		else mic++;
	}
	INFO("rlm_phonecert (%s): generation %lu: %u anchors (%u LSC issuers, %u manufacturing CAs) from %s; MICs %s; "
	     "mac_binding %s; ca_path %s", inst->name, inst->generation, lsc + mic, lsc, mic, inst->config_file,
	     inst->cfg->policy.mic_allowed ? "allowed" : "denied", pc_mac_binding_name(inst->cfg->policy.mac_binding),
	     inst->ca_path);
	warn_about(inst);
	ERR_clear_error();
	return 0;
}

/*
 *	Instances are created and freed by the main thread (start, HUP, exit); a HUP frees the
 *	old instance only after the new one exists, so the count reaches 0 at exit only.
 */
static int mod_detach(void *instance)
{
	rlm_phonecert_t *inst = instance;

	if (!inst->generation) return 0;	/* instantiate stopped before the hook was set up */
	pthread_mutex_destroy(&inst->mutex);
	if (--instances_alive == 0) pc_hook_release_all();
	return 0;
}

/**
 * A retiring anchor's window closed since the last refresh: take it out of ca_path and out of
 * the hook's trust set now, not at the next reload.  (The hook and the decision already refuse
 * it on their own; this keeps ca_path saying what is trusted.)
 */
static void window_check(rlm_phonecert_t *inst, REQUEST *request, time_t now)
{
	time_t next = __atomic_load_n(&inst->next_change, __ATOMIC_ACQUIRE);
	pc_error_t err;

	if (next == 0 || now < next) return;
	pthread_mutex_lock(&inst->mutex);
	if (inst->next_change != 0 && now >= inst->next_change) {
		if (trust_refresh(inst, now, false, &err) < 0) {
			RWDEBUG("rlm_phonecert (%s): a rollover window closed, but ca_path could not be rewritten: %s",
				inst->name, err.msg);
		} else {
			RINFO("rlm_phonecert (%s): a rollover window closed: ca_path and the trusted anchors updated",
			      inst->name);
		}
	}
	pthread_mutex_unlock(&inst->mutex);
}

/** The four lists a session's attributes can be in (see cert_from_request). */
static void request_lists(REQUEST *request, VALUE_PAIR *lists[4])
{
	lists[0] = request->packet->vps;
	lists[1] = request->reply ? request->reply->vps : NULL;
	lists[2] = request->parent ? request->parent->packet->vps : NULL;
	lists[3] = (request->parent && request->parent->reply) ? request->parent->reply->vps : NULL;
}

/**
 * The hook's record of this session's certificate: in the request on a full handshake; in the
 * outer request's reply when FreeRADIUS restored it from its session cache (TLS 1.2
 * resumption).  Two records that differ, or one that does not decode, are not a record.
 *
 * @return true with cert filled; false, with found saying whether any record was there.
 */
static bool cert_from_request(rlm_phonecert_t const *inst, REQUEST *request, pc_cert_t *cert, bool *found)
{
	VALUE_PAIR *lists[4];
	VALUE_PAIR const *first = NULL;
	unsigned int l;

	request_lists(request, lists);
	*found = false;
	for (l = 0; l < 4; l++) {
		VALUE_PAIR *vp;

		for (vp = lists[l]; vp; vp = vp->next) {
			if (vp->da != inst->da_cert) continue;
			*found = true;
			if (!first) {
				first = vp;
			} else if (strcmp(first->vp_strvalue, vp->vp_strvalue) != 0) {
				return false;
			}
		}
	}
	return first && pc_cert_decode(first->vp_strvalue, first->vp_length, cert);
}

/** FreeRADIUS's TLS-* strings, for the decision's cross-checks only. */
static void facts_from_request(rlm_phonecert_t const *inst, REQUEST *request, pc_cert_facts_t *facts)
{
	VALUE_PAIR *lists[4];
	unsigned int i, l;

	request_lists(request, lists);
	memset(facts, 0, sizeof(*facts));
	for (l = 0; l < 4; l++) {
		VALUE_PAIR *vp;

		for (vp = lists[l]; vp; vp = vp->next) {
			for (i = 0; i < PC_FACT_COUNT; i++) {
				if (vp->da != inst->fact_da[i]) continue;
				pc_facts_set(facts, i, vp->vp_strvalue);
				break;	/* each attribute fills one fact */
			}
		}
	}
}

static void reply_string(REQUEST *request, DICT_ATTR const *da, char const *value)
{
	VALUE_PAIR *vp;

	if (!value || !*value) return;
	vp = fr_pair_afrom_da(request->reply, da);
	if (!vp) return;
	fr_pair_value_strcpy(vp, value);
	fr_pair_replace(&request->reply->vps, vp);
}

static void reply_integer(REQUEST *request, DICT_ATTR const *da, uint32_t value)
{
	VALUE_PAIR *vp = fr_pair_afrom_da(request->reply, da);

	if (!vp) return;
	if (da->type == PW_TYPE_DATE) {
		vp->vp_date = value;
	} else {
		vp->vp_integer = value;
	}
	fr_pair_replace(&request->reply->vps, vp);
}

/**
 * The module's own attributes, for unlang, the rollover ledger (raddb/mods-config/sql/phonecert)
 * and the log of the outer request.  cert is the certificate decided on, or NULL.
 */
static void reply_decision(rlm_phonecert_t const *inst, REQUEST *request, pc_decision_t const *d,
			   pc_cert_t const *cert)
{
	char mac[18], serial[41];

	reply_string(request, inst->da_reason, pc_reason_name(d->reason));
	reply_integer(request, inst->da_reason_code, (uint32_t)d->reason);
	if (d->kind != PC_KIND_UNKNOWN) reply_string(request, inst->da_kind, pc_kind_name(d->kind));
	if (d->anchor) {
		reply_string(request, inst->da_anchor, d->anchor->name);
		reply_string(request, inst->da_anchor_state, pc_state_name(d->anchor->state));
		reply_string(request, inst->da_anchor_fp, d->anchor->fingerprint);
	}
	if (cert && cert->serial_len > 0) {
		pc_cert_serial_hex(cert, serial);
		reply_string(request, inst->da_cert_serial, serial);
	}
	if (cert && cert->not_after > 0 && cert->not_after <= UINT32_MAX) {
		reply_integer(request, inst->da_cert_not_after, (uint32_t)cert->not_after);
	}
	if (d->have_device) {
		pc_mac_format(d->device.mac, mac);
		reply_string(request, inst->da_device, d->device.name);
		reply_string(request, inst->da_mac, mac);
		reply_string(request, inst->da_model, d->device.model[0] ? d->device.model : d->device.pid);
	}
	if (d->deadline > 0) reply_integer(request, inst->da_deadline, (uint32_t)d->deadline);
	reply_string(request, inst->da_detail, d->detail);
}

/** The reply attributes for the switch (Cisco-AVPair, VLAN...), from the core's plan. */
static void reply_switch(rlm_phonecert_t const *inst, REQUEST *request, pc_decision_t const *d)
{
	VALUE_PAIR *plan = d->kind == PC_KIND_LSC ? inst->reply_lsc : d->kind == PC_KIND_MIC ? inst->reply_mic : NULL;

	if (plan) fr_pair_add(&request->reply->vps, fr_pair_list_copy(request->reply, plan));
}

/** One line per decision: what, why, and (for refusals) what to do. */
static void log_decision(rlm_phonecert_t const *inst, REQUEST *request, pc_decision_t const *d, char const *stage)
{
	char deadline[PC_TIME_STRLEN + 16] = "";
	char anchor[160] = "";
	char when[PC_TIME_STRLEN];
	char const *device = d->have_device ? d->device.name : "-";

	/* A plain accept is logged at debug level only: skip formatting it otherwise. */
	if (pc_decision_accepts(d) && d->reason != PC_REASON_LSC_RETIRING_ACCEPTED && !d->mac_mismatch &&
	    !d->crl_stale && !RDEBUG_ENABLED2) return;

	if (d->deadline > 0) snprintf(deadline, sizeof(deadline), " deadline=%s", pc_time_format(d->deadline, when, sizeof(when)));
	if (d->anchor) snprintf(anchor, sizeof(anchor), " anchor=%s(%s)", d->anchor->name, pc_state_name(d->anchor->state));

	if (!pc_decision_accepts(d)) {
		RAUTH("rlm_phonecert (%s): %s REJECT reason=%s(%d) kind=%s device=%s%s%s: %s. Advice: %s",
		      inst->name, stage, pc_reason_name(d->reason), (int)d->reason, pc_kind_name(d->kind), device,
		      anchor, deadline, d->detail,
		      pc_reason_advice_role(d->reason, d->anchor && d->anchor->role == PC_ROLE_MIC));
		return;
	}
	if (d->reason == PC_REASON_LSC_RETIRING_ACCEPTED || d->mac_mismatch || d->crl_stale) {
		/* A flag's detail is the decision's only detail: mac_mismatch and crl_stale never both
		 * hold one (a stale CRL's note is written first and a MAC flag overwrites it; the CRL
		 * is then said in the log at every load). */
		char const *flag = d->mac_mismatch ? " mac-mismatch: " : d->crl_stale ? " crl-stale: " : "";

		RAUTH("rlm_phonecert (%s): %s ACCEPT (flagged) reason=%s(%d) kind=%s device=%s%s%s%s%s. Advice: %s",
		      inst->name, stage, pc_reason_name(d->reason), (int)d->reason, pc_kind_name(d->kind), device,
		      anchor, deadline, flag, flag[0] ? d->detail : "",
		      d->mac_mismatch ? pc_reason_advice(PC_REASON_MAC_MISMATCH) :
		      d->crl_stale ? pc_reason_advice(PC_REASON_CRL_STALE) : pc_reason_advice(d->reason));
		return;
	}
	RDEBUG2("rlm_phonecert (%s): %s ACCEPT reason=%s(%d) kind=%s device=%s%s%s", inst->name, stage,
		pc_reason_name(d->reason), (int)d->reason, pc_kind_name(d->kind), device, anchor, deadline);
}

/**
 * The Calling-Station-Id as text for the MAC binding.  A value with a NUL inside would be
 * read only up to it: give the core something that is not a MAC, so it is refused, not cut.
 */
static char const *csid_text(VALUE_PAIR const *csid)
{
	if (!csid) return NULL;
	if (strlen(csid->vp_strvalue) != csid->vp_length) return "(Calling-Station-Id with an embedded NUL)";
	return csid->vp_strvalue;
}

/*
 *	The decision, run in the check-eap-tls virtual server after every successful
 *	handshake (full or resumed).
 */
static rlm_rcode_t CC_HINT(nonnull) mod_authorize(void *instance, REQUEST *request)
{
	rlm_phonecert_t *inst = instance;
	pc_cert_facts_t facts;
	pc_decision_t decision;
	pc_cert_t cert;
	VALUE_PAIR *csid;
	time_t now = time(NULL);
	bool have_cert, found;

	window_check(inst, request, now);

	have_cert = cert_from_request(inst, request, &cert, &found);
	facts_from_request(inst, request, &facts);
	csid = fr_pair_find_by_da(request->packet->vps, inst->da_calling_station_id, TAG_ANY);

	pc_decide(inst->cfg, have_cert ? &cert : NULL, &facts, csid_text(csid), now, &decision);
	if (!have_cert && found) {
		snprintf(decision.detail, sizeof(decision.detail), "the certificate record is unreadable, or two "
			 "records disagree");
	}
	ERR_clear_error();

	reply_decision(inst, request, &decision, have_cert ? &cert : NULL);
	log_decision(inst, request, &decision, "decision");
	if (!pc_decision_accepts(&decision)) return RLM_MODULE_REJECT;

	reply_switch(inst, request, &decision);
	return RLM_MODULE_OK;
}

/** Whether the request's EAP message is a Response/NAK (RFC 3748 5.3.1: code 2, type 3). */
static bool eap_nak(REQUEST *request)
{
	VALUE_PAIR *vp = fr_pair_find_by_num(request->packet->vps, PW_EAP_MESSAGE, 0, TAG_ANY);

	return vp && vp->vp_length >= 5 && vp->vp_octets[0] == 2 && vp->vp_octets[4] == 3;
}

/*
 *	In Post-Auth-Type REJECT: the diagnosis of handshakes that OpenSSL refused before the
 *	decision could run, from the hook's record of the refused chain and FreeRADIUS's failure
 *	messages.  In the plain post-auth section: an EAP-TLS accept with a certificate record but
 *	no decision (the check-eap-tls server did not run us) is refused.
 */
static rlm_rcode_t CC_HINT(nonnull) mod_post_auth(void *instance, REQUEST *request)
{
	rlm_phonecert_t const *inst = instance;
	pc_decision_t decision;
	pc_cert_t cert;
	vp_cursor_t cursor;
	VALUE_PAIR *vp;
	char messages[1024] = "";
	size_t used = 0;
	int openssl_error = 0;
	bool have_cert, found;

	/* Already decided (and logged) in check-eap-tls. */
	if (fr_pair_find_by_da(request->reply->vps, inst->da_reason, TAG_ANY)) return RLM_MODULE_NOOP;

	have_cert = cert_from_request(inst, request, &cert, &found);
	if (request->reply->code == PW_CODE_ACCESS_ACCEPT) {
		if (!found) return RLM_MODULE_NOOP;	/* not an EAP-TLS session of ours */
		memset(&decision, 0, sizeof(decision));
		decision.reason = PC_REASON_NO_DECISION;
		snprintf(decision.detail, sizeof(decision.detail), "EAP-TLS accepted without a phonecert decision "
			 "(no check-eap-tls decision ran for this session)");
		reply_decision(inst, request, &decision, have_cert ? &cert : NULL);
		log_decision(inst, request, &decision, "post-auth");
		return RLM_MODULE_REJECT;
	}

	for (vp = fr_cursor_init(&cursor, &request->packet->vps); vp; vp = fr_cursor_next(&cursor)) {
		int code;

		if (vp->da != inst->da_failure) continue;
		code = pc_failure_openssl_error(vp->vp_strvalue);
		if (code && !openssl_error) openssl_error = code;
		if (used < sizeof(messages) - 1) {
			used += (size_t)snprintf(messages + used, sizeof(messages) - used, "%s%s", used ? "; " : "",
						 vp->vp_strvalue);
			if (used >= sizeof(messages)) used = sizeof(messages) - 1;
		}
	}
	if (!openssl_error && !messages[0] && !found) {
		/* Nothing from TLS: a phone that answered EAP-TLS with a NAK never offered a certificate. */
		if (!eap_nak(request)) return RLM_MODULE_NOOP;
		snprintf(messages, sizeof(messages), "the phone declined EAP-TLS (EAP NAK): peer did not return a "
			 "certificate");
	}

	pc_diagnose(inst->cfg, have_cert ? &cert : NULL, openssl_error, messages[0] ? messages : NULL, time(NULL),
		    &decision);
	ERR_clear_error();
	reply_decision(inst, request, &decision, have_cert ? &cert : NULL);
	log_decision(inst, request, &decision, "handshake");
	return RLM_MODULE_UPDATED;
}

extern module_t rlm_phonecert;
module_t rlm_phonecert = {
	.magic		= RLM_MODULE_INIT,
	.name		= "phonecert",
	.type		= RLM_TYPE_THREAD_SAFE | RLM_TYPE_HUP_SAFE,
	.inst_size	= sizeof(rlm_phonecert_t),
	.config		= module_config,
	.instantiate	= mod_instantiate,
	.detach		= mod_detach,
	.methods = {
		[MOD_AUTHORIZE]		= mod_authorize,
		[MOD_POST_AUTH]		= mod_post_auth,
	},
};
