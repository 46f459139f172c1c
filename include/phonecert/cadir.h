/**
 * @file phonecert/cadir.h
 * @brief The hashed CA directory that the eap module's ca_path points at.
 *
 * OpenSSL's hashed-directory lookup trusts every "<subject hash>.<n>" file in it.  Writing
 * the directory from the uploaded anchors, and nothing else, is how the handshake is made
 * to trust exactly the uploaded set.
 */
#ifndef PHONECERT_CADIR_H
#define PHONECERT_CADIR_H

#include <time.h>

#include <phonecert/error.h>
#include <phonecert/trust.h>

/** Files of the module's own in the directory (its loaded-state record), kept by a sync. */
#define PC_CADIR_OWN_PREFIX ".phonecert-"

/**
 * Make dir hold exactly the anchors of trust that are trusted at now (active, or retiring
 * inside their window) as "<hash>.<n>" files: new files are written under a temporary name and
 * renamed, "<hash>.<n>" files that are not such anchors any more are removed last.  Files of
 * any other name (CRLs "<hash>.r<n>", notes, the loaded-state record) are kept: they are not
 * the module's, and OpenSSL does not read them as trusted certificates.  The directory must
 * exist.
 */
int pc_cadir_sync(pc_trust_t const *trust, char const *dir, time_t now, pc_error_t *err) PC_MUST_CHECK;

/**
 * Check that dir's "<hash>.<n>" files (what OpenSSL trusts) are all anchors of trust trusted
 * at now (for the CLI's audit).  Files of other names are not looked at.
 * @return 0 if so; -1 with err naming the first stranger.
 */
int pc_cadir_audit(pc_trust_t const *trust, char const *dir, time_t now, pc_error_t *err) PC_MUST_CHECK;

#endif
