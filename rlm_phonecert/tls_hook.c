/**
 * @file tls_hook.c
 * @brief The certificate verification hook on the eap module's TLS context (see tls_hook.h).
 *
 * What it relies on from FreeRADIUS 3.2, all from the headers it installs: the tls-config
 * section carries its parsed configuration as cf_data "tls-conf" (fr_tls_server_conf_t, of
 * which only the first member, the SSL_CTX, is read); a TLS session's certificate attributes
 * are the VALUE_PAIR list at SSL ex_data index fr_tls_ex_index_certs, allocated under the
 * talloc context at FR_TLS_EX_INDEX_TALLOC.  FreeRADIUS sets no cert_verify_callback of its
 * own; X509_verify_cert() inside ours still runs its per-certificate checks (cbtls_verify).
 * fr_tls_ex_index_certs and module_instantiate() are exported by the radiusd binary, not by
 * a library the module links, so they are looked up at run time.
 */
#include <freeradius/radiusd.h>
#include <freeradius/tls.h>

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>

#include <openssl/ssl.h>

#include "tls_hook.h"

/** Phonecert-Cert in dictionary.phonecert. */
#define PW_PHONECERT_CERT 3411

/** Distinct eap TLS contexts whose ca_path a phonecert instance owns; one in practice. */
#define HOOKS_MAX 8

struct pc_hook_s {
	SSL_CTX		*ctx;
	char		ca_path[PATH_MAX];
	int const	*certs_index;	//!< &fr_tls_ex_index_certs in radiusd.

	pthread_mutex_t	mutex;		//!< Guards current and generation.
	pc_trustset_t	*current;
	unsigned long	generation;
};

static pc_hook_t hooks[HOOKS_MAX];
static unsigned int hooks_used;

/**
 * Add the record to the session's certificate attributes (replacing an earlier one), which
 * FreeRADIUS hands to the check-eap-tls request and keeps in its session cache.  A refused
 * chain ends the handshake: FreeRADIUS has already copied the certificate attributes into the
 * request for its log, so the record goes there too, for the diagnosis in post-auth.
 */
static void hook_record(pc_hook_t const *hook, X509_STORE_CTX *xctx, pc_cert_t const *cert, bool verified)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(xctx, SSL_get_ex_data_X509_STORE_CTX_idx());
	VALUE_PAIR **certs, *vp;
	TALLOC_CTX *ctx;
	REQUEST *request;
	char text[PC_CERT_RECORD_MAX];

	if (!ssl || pc_cert_encode(cert, text, sizeof(text)) == 0) return;
	if (!verified) {
		request = SSL_get_ex_data(ssl, FR_TLS_EX_INDEX_REQUEST);
		if (!request || !request->packet) return;
		vp = fr_pair_afrom_num(request->packet, PW_PHONECERT_CERT, 0);
		if (!vp) return;
		fr_pair_value_strcpy(vp, text);
		fr_pair_replace(&request->packet->vps, vp);
		return;
	}

	certs = SSL_get_ex_data(ssl, *hook->certs_index);
	ctx = SSL_get_ex_data(ssl, FR_TLS_EX_INDEX_TALLOC);
	if (!certs || !ctx) return;
	vp = fr_pair_afrom_num(ctx, PW_PHONECERT_CERT, 0);
	if (!vp) return;
	fr_pair_value_strcpy(vp, text);
	fr_pair_replace(certs, vp);
}

static int hook_verify(X509_STORE_CTX *xctx, void *arg)
{
	pc_hook_t *hook = arg;
	pc_trustset_t *set;
	pc_cert_t cert;
	int ok;

	pthread_mutex_lock(&hook->mutex);
	set = hook->current;
	pc_trustset_up_ref(set);
	pthread_mutex_unlock(&hook->mutex);

	ok = pc_verify_chain(set, xctx, time(NULL), &cert);	/* no set: fails closed */
	pc_trustset_free(set);
	hook_record(hook, xctx, &cert, ok == 1);
	return ok;
}

static pc_hook_t *hook_by_path(char const *ca_path)
{
	unsigned int i;

	for (i = 0; i < hooks_used; i++) {
		if (strcmp(hooks[i].ca_path, ca_path) == 0) return &hooks[i];
	}
	return NULL;
}

pc_hook_t *pc_hook_attach(CONF_SECTION *tls_cs, char const *ca_path)
{
	fr_tls_server_conf_t *tls = cf_data_find(tls_cs, "tls-conf");
	SSL_CTX *ctx;
	pc_hook_t *hook;
	unsigned int i;
	int const *certs_index;

	if (!tls) {
		hook = hook_by_path(ca_path);
		if (!hook) {
			cf_log_err_cs(tls_cs, "phonecert: this tls-config has no TLS context yet (the eap module was not "
				      "instantiated), so the certificate verification hook cannot be installed");
		}
		return hook;
	}
	/* The SSL_CTX is the first member of fr_tls_server_conf_t in every 3.x release. */
	ctx = tls->ctx;
	for (i = 0; i < hooks_used; i++) {
		if (hooks[i].ctx == ctx) return &hooks[i];
	}
	if (!ctx) {
		cf_log_err_cs(tls_cs, "phonecert: this tls-config has no TLS context");
		return NULL;
	}
	if (hooks_used == HOOKS_MAX || strlen(ca_path) >= sizeof(hooks[0].ca_path)) {
		cf_log_err_cs(tls_cs, "phonecert: too many eap TLS contexts to hook");
		return NULL;
	}
	certs_index = dlsym(RTLD_DEFAULT, "fr_tls_ex_index_certs");
	if (!certs_index) {
		cf_log_err_cs(tls_cs, "phonecert: radiusd does not export fr_tls_ex_index_certs (%s): this FreeRADIUS "
			      "cannot carry the certificate record to the decision", dlerror());
		return NULL;
	}

	hook = &hooks[hooks_used];
	memset(hook, 0, sizeof(*hook));
	hook->ctx = ctx;
	hook->certs_index = certs_index;
	snprintf(hook->ca_path, sizeof(hook->ca_path), "%s", ca_path);
	if (pthread_mutex_init(&hook->mutex, NULL) != 0) {
		cf_log_err_cs(tls_cs, "phonecert: cannot initialise a mutex");
		return NULL;
	}
	/* An unlocked write to the context: we run at start, before any worker thread. */
	SSL_CTX_set_cert_verify_callback(ctx, hook_verify, hook);
	hooks_used++;
	return hook;
}

void pc_hook_publish(pc_hook_t *hook, pc_trustset_t *set, unsigned long generation)
{
	pc_trustset_t *old = NULL;

	pthread_mutex_lock(&hook->mutex);
	if (generation >= hook->generation) {
		old = hook->current;
		pc_trustset_up_ref(set);
		hook->current = set;
		hook->generation = generation;
	}
	pthread_mutex_unlock(&hook->mutex);
	pc_trustset_free(old);
}

void pc_hook_release_all(void)
{
	unsigned int i;

	for (i = 0; i < hooks_used; i++) {
		pc_trustset_t *set;

		pthread_mutex_lock(&hooks[i].mutex);
		set = hooks[i].current;
		hooks[i].current = NULL;
		pthread_mutex_unlock(&hooks[i].mutex);
		pc_trustset_free(set);
	}
}
