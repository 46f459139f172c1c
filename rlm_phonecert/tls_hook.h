/**
 * @file tls_hook.h
 * @brief The certificate verification hook on the eap module's TLS context.
 *
 * Installed once per TLS context, at start, before worker threads exist.  Every client
 * certificate of that context is verified by pc_verify_chain() against the trust set last
 * published, and what it found (pc_cert_t, encoded) is added to the TLS session's
 * certificate attributes as Phonecert-Cert, where the decision reads it.  The hook never
 * touches a module instance: a reload frees old instances while handshakes run.
 */
#ifndef RLM_PHONECERT_TLS_HOOK_H
#define RLM_PHONECERT_TLS_HOOK_H

#include <freeradius/radiusd.h>

#include <phonecert/verify.h>

typedef struct pc_hook_s pc_hook_t;

/**
 * The hook of the eap tls-config section tls_cs (installing it on the section's TLS context
 * if this is the first time), or the hook already installed for ca_path when the section
 * carries no TLS context (after a full SIGHUP the new configuration tree has none).
 * Logs the reason (naming the section) and returns NULL if neither exists.
 */
pc_hook_t *pc_hook_attach(CONF_SECTION *tls_cs, char const *ca_path);

/**
 * Make set the trust set of every verification that starts from now on.  Takes a reference
 * of its own.  A generation older than the one published is ignored (an old instance still
 * finishing requests after a reload must not bring its configuration back).
 */
void pc_hook_publish(pc_hook_t *hook, pc_trustset_t *set, unsigned long generation);

/**
 * Drop the hooks' trust sets (at exit, once no instance is left).  Verifications that would
 * still start fail closed; the callbacks stay installed on their TLS contexts, which belong
 * to the eap module and may already be freed.
 */
void pc_hook_release_all(void);

#endif
