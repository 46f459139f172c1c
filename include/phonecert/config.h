/**
 * @file phonecert/config.h
 * @brief The module's own configuration file: policy and the uploaded anchors.
 *
 * The module reads this file itself at instantiate time, so that a reload
 * (radmin -e "hup phonecert", SIGHUP) picks up new anchors, rollover states and
 * deadlines without restarting radiusd.  The CLI loads it with the same function.
 *
 * Format: '#' comments, "[policy]" and "[anchor NAME]" sections, "key = value" lines.
 * Every key is documented in raddb/phonecert/phonecert.conf.
 */
#ifndef PHONECERT_CONFIG_H
#define PHONECERT_CONFIG_H

#include <stdbool.h>
#include <time.h>
#include <talloc.h>

#include <phonecert/deny.h>
#include <phonecert/error.h>
#include <phonecert/trust.h>

typedef enum {
	PC_MAC_BINDING_OFF = 0,
	PC_MAC_BINDING_LOG,
	PC_MAC_BINDING_ENFORCE
} pc_mac_binding_t;

typedef enum {
	PC_REPLY_CISCO = 0,	//!< Cisco-AVPair device-traffic-class=voice (also Dell N, Meraki MS).
	PC_REPLY_ARUBA_CX,	//!< Aruba AOS-CX: Aruba-Device-Traffic-Class = 1.
	PC_REPLY_JUNIPER,	//!< Juniper: Juniper-VoIP-Vlan.
	PC_REPLY_NONE		//!< Only the module's own attributes and any VLAN.
} pc_reply_profile_t;

/** What a CRL past its nextUpdate does to the certificates of its anchor. */
typedef enum {
	PC_CRL_STALE_REFUSE = 0,	//!< Refuse them (crl-stale): revocations since may be missing.
	PC_CRL_STALE_LOG,		//!< Decide as usual, flag the accept in the log.
	PC_CRL_STALE_IGNORE		//!< Decide as usual.
} pc_crl_stale_t;

typedef struct {
	bool			mic_allowed;	//!< mic = allow | deny
	time_t			mic_until;	//!< MICs refused from then on; 0 = no cut-off.
	pc_mac_binding_t	mac_binding;
	pc_reply_profile_t	reply_profile;
	bool			lsc_voice;	//!< Send the voice-domain attribute for LSC phones.
	bool			mic_voice;	//!< ... and for MIC phones.
	char const		*lsc_vlan;	//!< VLAN (id or name) for LSC phones, or NULL.
	char const		*mic_vlan;	//!< VLAN for MIC phones (onboarding), or NULL.
	bool			legacy;		//!< Legacy profile (SHA-1 chains, old TLS) is enabled.
	pc_crl_stale_t		crl_stale;	//!< crl_stale = refuse | log | ignore
	time_t			expiry_warning;	//!< Lifecycle: warn this many seconds before trust ends.
	time_t			expiry_critical;	//!< ... critical this many seconds before (<= warning).
} pc_policy_t;

/** Size of a configuration digest: 64 lower-case hex digits of a SHA-256 and the NUL. */
#define PC_CONFIG_DIGEST_SIZE 65

typedef struct {
	char const	*path;		//!< The file it was read from.
	pc_policy_t	policy;
	pc_trust_t	*trust;
	pc_deny_t	*deny;		//!< [policy] deny = FILE, or NULL.
	char		digest[PC_CONFIG_DIGEST_SIZE];	//!< What this configuration makes the module do
							//!< (pc_config_digest() in phonecert/loaded.h).
} pc_config_t;

/**
 * Read and check a configuration file and every certificate it names (relative paths are
 * relative to the file's directory).  On error nothing is returned and err holds one line
 * "FILE:LINE: reason" (or the certificate file and reason).
 */
int pc_config_load(TALLOC_CTX *ctx, char const *path, pc_config_t **out, pc_error_t *err) PC_MUST_CHECK;

/** Same, from text already in memory (path only names it in errors and anchors relative paths). */
int pc_config_parse(TALLOC_CTX *ctx, char const *path, char const *text, size_t len,
		    pc_config_t **out, pc_error_t *err) PC_MUST_CHECK;

char const *pc_mac_binding_name(pc_mac_binding_t mode);
char const *pc_reply_profile_name(pc_reply_profile_t profile);
char const *pc_crl_stale_name(pc_crl_stale_t mode);

#endif
