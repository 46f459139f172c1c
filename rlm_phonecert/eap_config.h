/**
 * @file eap_config.h
 * @brief What phonecert checks in the eap module's configuration (sections only, never the
 *	  eap module's private structures): that EAP-TLS trusts nothing but the uploaded anchors,
 *	  and that its check-eap-tls virtual server runs the decision.
 */
#ifndef RLM_PHONECERT_EAP_CONFIG_H
#define RLM_PHONECERT_EAP_CONFIG_H

#include <freeradius/radiusd.h>

/** Two paths name the same directory (symlinks and trailing slashes allowed). */
bool pc_same_dir(char const *a, char const *b);

/**
 * The configuration section of the eap module named eap_module in the configuration tree of
 * conf, instantiating that module first if it is not yet (mods-enabled is read in directory
 * order).  Logs and returns NULL if there is none.
 */
CONF_SECTION *pc_eap_section(CONF_SECTION *conf, char const *eap_module);

/**
 * Refuse an eap configuration that trusts anything beyond the uploaded anchors (a ca_file,
 * another ca_path), and find the tls-config whose ca_path is ours.  Its EAP-TLS section must
 * name a virtual_server whose authorize section calls module_name, and it may not allow TLS 1.3
 * while its session cache is enabled (a resumed TLS 1.3 session carries no certificate to the
 * decision).  Logs the reason, naming the settings and their files, and returns NULL on any
 * failure.
 */
CONF_SECTION *pc_eap_tls_config(CONF_SECTION *conf, CONF_SECTION *eap, char const *ca_path,
				char const *module_name);

#endif
