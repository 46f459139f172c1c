#!/usr/bin/env bash
#
# tests/pki/gen.sh OUTDIR
#
# Generates the throwaway test PKI for rlm_phonecert (Cisco IP phones admitted
# by LSC = issued by a cluster's CAPF CA, or MIC = issued by a Cisco
# manufacturing CA).  See README.md in this directory for the list of
# variants and what each one is for.
#
#  * OUTDIR is wiped and recreated on every run (only if it is empty or was
#    made by this script).  All validity periods are relative to "now", so
#    regenerate rather than cache the output.
#  * Private keys are written ONLY below OUTDIR: CA keys in OUTDIR/private/,
#    leaf keys as OUTDIR/NAME.key (unencrypted PKCS#8 PEM).  OUTDIR may not be
#    this source directory, nor a tracked (non git-ignored) path of the repo.
#  * Subjects are written below in DER order (first RDN first, as -subj
#    takes them); OUTDIR/manifest.tsv prints them in RFC 2253 (reversed) order.
#  * Needs the openssl 3 CLI; $CC (default cc) + libcrypto headers are used to
#    build forge.c for the two subjects the CLI cannot express.  Without a
#    compiler those two variants are skipped and listed in OUTDIR/skipped.
#
# Environment: OPENSSL (default openssl), CC (default cc), CPPFLAGS, CFLAGS,
# LDFLAGS (only for forge.c), PKI_KEEP_WORK=1 keeps OUTDIR/.work (CSRs, ca db).
#
set -euo pipefail
# Per-call knobs of the helpers below; never inherit them from the caller.
unset DAYS START END MD SERIAL EXT CSR

PROG=${0##*/}
die()  { echo "$PROG: $*" >&2; exit 1; }
warn() { echo "$PROG: warning: $*" >&2; }
if [ $# -ne 1 ] || [ -z "$1" ]; then echo "usage: $PROG OUTDIR" >&2; exit 2; fi

SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
OUT=$(realpath -m -- "$1")
OPENSSL=${OPENSSL:-openssl}
CC=${CC:-cc}
MARKER=.phonecert-test-pki

#
# Safety: never wipe something we did not create, never put keys in the tree.
#
case "$OUT" in
/ | "${HOME:-/}" | "$SRCDIR" | "$SRCDIR"/*) die "refusing to use '$OUT' as OUTDIR" ;;
esac
if top=$(git -C "$SRCDIR" rev-parse --show-toplevel 2>/dev/null); then
	top=$(cd "$top" && pwd -P)
	case "$OUT/" in
	"$top"/*)
		git -C "$top" check-ignore -q -- "$OUT" ||
			die "OUTDIR '$OUT' is inside the git work tree and not git-ignored; refusing to write private keys there"
		;;
	esac
fi
if [ -e "$OUT" ]; then
	[ -d "$OUT" ] || die "'$OUT' exists and is not a directory"
	if [ -n "$(ls -A -- "$OUT")" ] && [ ! -e "$OUT/$MARKER" ]; then
		die "refusing to wipe non-empty '$OUT' (not created by $PROG)"
	fi
	rm -rf -- "$OUT"
fi
mkdir -p -- "$OUT/private"
: >"$OUT/$MARKER"

W=$OUT/.work                    # throwaway config, CSRs, `openssl ca` database
mkdir -p "$W/newcerts"
: >"$W/index.txt"
LOG=$W/log
: >"$LOG"
CNF=$W/openssl.cnf
export OPENSSL_CONF=$CNF        # hermetic: ignore the system openssl.cnf

# q CMD...: run quietly, show the log tail if it fails.
q() {
	echo "+ $*" >>"$LOG"
	"$@" >>"$LOG" 2>&1 || {
		echo "$PROG: command failed: $*" >&2
		tail -n 15 "$LOG" >&2
		exit 1
	}
}

# A random positive 16-byte serial (first nibble 1..7: positive, full length).
serial() {
	local h
	h=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
	printf '0x%x%s' $((0x${h:0:1} % 7 + 1)) "${h:1}"
}

# GeneralizedTime relative to now, for openssl ca -startdate/-enddate.
at() { date -u -d "$1" +%Y%m%d%H%M%SZ; }

# Hex of a byte string (for forge).
hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

#
# Throwaway configuration: req defaults, a permissive `openssl ca`, and one
# extension section per certificate profile.  Explicit "none" everywhere,
# because OpenSSL 3 otherwise adds SKI/AKI on its own.
#
cat >"$CNF" <<EOF
[ req ]
distinguished_name = req_dn
string_mask        = utf8only
utf8               = yes
prompt             = no
[ req_dn ]

[ ca ]
default_ca = throwaway_ca
[ throwaway_ca ]
database       = $W/index.txt
new_certs_dir  = $W/newcerts
serial         = $W/serial
default_md     = sha256
policy         = policy_anything
unique_subject = no
email_in_dn    = yes
copy_extensions = none
[ policy_anything ]
commonName = optional

# Self-signed roots: mfg-root, legacy-root, ent-ca, server-ca.
[ ca_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = none

# Self-signed CAPF certificates (capf-*, rogue-a): CA that only signs leaves.
[ ca_capf ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = none

# Issuing intermediates (mfg-int, legacy-int, unuploaded-int).
[ ca_int0 ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# CAPF certificates as CUCM made them before 14SU2 (lifecycle warnings):
# no pathlen (capf-nopathlen), no keyUsage at all (capf-noku), a keyUsage
# without keyCertSign (capf-nosign), no basicConstraints (capf-notca).
[ ca_capf_nopathlen ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = none
[ ca_capf_noku ]
basicConstraints       = critical, CA:TRUE, pathlen:0
subjectKeyIdentifier   = hash
authorityKeyIdentifier = none
[ ca_capf_nosign ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, digitalSignature, keyEncipherment
subjectKeyIdentifier   = hash
authorityKeyIdentifier = none
[ ca_capf_notca ]
keyUsage               = critical, digitalSignature, keyEncipherment, keyCertSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = none

# Intermediates without a path length limit (deep-int1, deep-int2).
[ ca_int ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# Phone certificate (LSC/MIC profile), RSA key.
[ leaf_rsa ]
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = clientAuth, serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

# Phone certificate, EC key (no keyEncipherment for EC).
[ leaf_ec ]
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth, serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

# host-leaf-ca: phone profile but basicConstraints CA:TRUE.
[ leaf_ec_ca ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth, serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

# host-no-ski-aki: phone profile without key identifiers.
[ leaf_ec_noid ]
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth, serverAuth
subjectKeyIdentifier   = none
authorityKeyIdentifier = none

# host-wrong-eku: emailProtection is the only EKU.
[ leaf_ec_email ]
keyUsage               = critical, digitalSignature
extendedKeyUsage       = emailProtection
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

# radiusd's own certificate.
[ server_ec ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:radius.test
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

# notca: a self-signed end-entity (CA:FALSE) uploaded by mistake.
[ notca ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = none
EOF

# newkey FILE TYPE: unencrypted PKCS#8 PEM key; TYPE = rsa2048 | rsa1024 | p256.
newkey() {
	case $2 in
	rsa2048) q "$OPENSSL" genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" ;;
	rsa1024) q "$OPENSSL" genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$1" ;;
	p256)    q "$OPENSSL" genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	                -pkeyopt ec_param_enc:named_curve -out "$1" ;;
	*) die "unknown key type $2" ;;
	esac
}

# _sign CSR ISSUER EXT OUTCRT: issue a certificate from a request.
#   default: `openssl x509 -req`, valid from now for ${DAYS:-730} days;
#   START/END set: `openssl ca -startdate/-enddate` (back- or post-dated).
#   MD (default sha256), SERIAL (default random 16 bytes).
_sign() {
	local csr=$1 iss=$2 ext=$3 crt=$4 ser=${SERIAL:-$(serial)}
	if [ -n "${START:-}" ]; then
		echo "${ser#0x}" >"$W/serial"
		q "$OPENSSL" ca -batch -notext -preserveDN -config "$CNF" -in "$csr" -out "$crt" \
			-cert "$OUT/$iss.crt" -keyfile "$OUT/private/$iss.key" \
			-startdate "$START" -enddate "$END" -md "${MD:-sha256}" \
			-extfile "$CNF" -extensions "$ext"
	else
		q "$OPENSSL" x509 -req -in "$csr" -out "$crt" \
			-CA "$OUT/$iss.crt" -CAkey "$OUT/private/$iss.key" \
			-set_serial "$ser" -days "${DAYS:-730}" -"${MD:-sha256}" \
			-extfile "$CNF" -extensions "$ext"
	fi
}

# root NAME KEYTYPE SUBJ EXT: self-signed CA, key in private/.
#   DAYS (default 1825), MD, SERIAL; START/END -> `openssl ca -selfsign`.
root() {
	local n=$1 key=$OUT/private/$1.key ser=${SERIAL:-$(serial)}
	[ -e "$key" ] || newkey "$key" "$2"
	if [ -n "${START:-}" ]; then
		q "$OPENSSL" req -new -config "$CNF" -key "$key" -subj "$3" -out "$W/$n.csr"
		echo "${ser#0x}" >"$W/serial"
		q "$OPENSSL" ca -batch -notext -preserveDN -selfsign -config "$CNF" -in "$W/$n.csr" \
			-out "$OUT/$n.crt" -keyfile "$key" -startdate "$START" -enddate "$END" \
			-md "${MD:-sha256}" -extfile "$CNF" -extensions "$4"
	else
		q "$OPENSSL" req -new -x509 -config "$CNF" -key "$key" -subj "$3" \
			-extensions "$4" -days "${DAYS:-1825}" -"${MD:-sha256}" \
			-set_serial "$ser" -out "$OUT/$n.crt"
	fi
}

# subca NAME ISSUER KEYTYPE SUBJ EXT: CA certificate signed by ISSUER.
subca() {
	newkey "$OUT/private/$1.key" "$3"
	q "$OPENSSL" req -new -config "$CNF" -key "$OUT/private/$1.key" -subj "$4" -out "$W/$1.csr"
	DAYS=${DAYS:-1825} _sign "$W/$1.csr" "$2" "$5" "$OUT/$1.crt"
}

# leaf NAME ISSUER KEYTYPE SUBJ [CHAIN-CA...]: phone-style leaf; writes
#   NAME.key, NAME.crt and NAME.chain.pem (= leaf + the listed CA certs,
#   i.e. what the device itself sends).  EXT defaults to leaf_rsa/leaf_ec by
#   key type; DAYS/START/END/MD/SERIAL as for _sign; CSR=file uses a
#   pre-made request (from forge) instead of `openssl req -subj`.
LEAVES=()
leaf() {
	local n=$1 iss=$2 kt=$3 subj=$4 ext c
	shift 4
	ext=${EXT:-$([ "$kt" = p256 ] && echo leaf_ec || echo leaf_rsa)}
	[ -e "$OUT/$n.key" ] || newkey "$OUT/$n.key" "$kt"
	if [ -z "${CSR:-}" ]; then
		q "$OPENSSL" req -new -config "$CNF" -key "$OUT/$n.key" -subj "$subj" -out "$W/$n.csr"
	else
		cp "$CSR" "$W/$n.csr"
	fi
	_sign "$W/$n.csr" "$iss" "$ext" "$OUT/$n.crt"
	cat "$OUT/$n.crt" >"$OUT/$n.chain.pem"
	for c in "$@"; do cat "$OUT/$c.crt" >>"$OUT/$n.chain.pem"; done
	LEAVES+=("$n")
}

# skip NAME WHY: variant could not be produced here (recorded for check.sh).
skip() { warn "skipping $1: $2"; echo "$1" >>"$OUT/skipped"; }

# forge.c: built into OUTDIR, only for subjects `openssl req -subj` refuses.
FORGE=
if command -v "${CC%% *}" >/dev/null 2>&1; then
	# shellcheck disable=SC2086 # CC/CFLAGS may hold several words
	q $CC ${CPPFLAGS:-} -I"$SRCDIR/../../include" ${CFLAGS:-} -Wall -Wextra -Werror -o "$OUT/forge" "$SRCDIR/forge.c" ${LDFLAGS:-} -lcrypto
	FORGE=$OUT/forge
fi

###########################################################################
# Cisco manufacturing PKI (MICs)
###########################################################################

# mfg-root: the Cisco root that anchors MICs (stands in for "Cisco Root CA
# M2"); RSA-2048, 20 years, SKI but no AKI.
DAYS=7300 root mfg-root rsa2048 "/O=Cisco/CN=Test Cisco Root CA M2" ca_root

# mfg-int: the manufacturing issuing CA below it (pathlen:0, SKI+AKI); the
# phone usually sends only its MIC, so mfg-int is what the admin uploads.
DAYS=5475 subca mfg-int mfg-root rsa2048 "/O=Cisco/CN=Test Cisco Manufacturing CA SHA2" ca_int0

# legacy-root / legacy-int: the SHA-1 era chain of the 7900 series.  Both
# self-signature and intermediate signature use SHA-1 on purpose.
MD=sha1 DAYS=7300 root legacy-root rsa2048 "/O=Cisco Systems/CN=Test Cisco Root CA 2048" ca_root
MD=sha1 DAYS=5475 subca legacy-int legacy-root rsa2048 "/O=Cisco Systems/CN=Test CAP-RTP-002" ca_int0

###########################################################################
# Cluster CAPF CAs (LSCs) and other CAs an admin might upload
###########################################################################

# capf-a: self-signed CAPF of cluster A, exactly as CUCM names it; RSA-2048,
# pathlen:0, 5 years, random serial.
DAYS=1825 root capf-a rsa2048 \
	"/C=IN/ST=Karnataka/L=Bangalore/O=Example Corp/OU=VTG/CN=CAPF-a6d4c572" ca_capf

# capf-a-old: cluster A's CAPF before a certificate rollover: the SAME
# subject, a different key and serial; issued 3 years ago, still valid 2.
START=$(at '-3 years') END=$(at '+2 years') root capf-a-old rsa2048 \
	"/C=IN/ST=Karnataka/L=Bangalore/O=Example Corp/OU=VTG/CN=CAPF-a6d4c572" ca_capf

# capf-b: cluster B's CAPF (EC P-256 CAPF, different org).
root capf-b p256 "/C=AU/ST=NSW/L=Sydney/O=stormin/OU=IST/CN=CAPF-a7fb32bf" ca_capf

# capf-c: a cluster that is never uploaded (phone moved from another cluster).
root capf-c p256 "/O=Other Org/CN=CAPF-0badc0de" ca_capf

# Lifecycle: capf-soon expires 30 days from now (issued 5 years ago); the four
# others are CAPF certificates without one of CA:TRUE, pathlen:0, keyCertSign.
START=$(at '-5 years') END=$(at '+30 days') root capf-soon p256 "/O=Example Corp/CN=CAPF-50015001" ca_capf
root capf-nopathlen p256 "/O=Example Corp/CN=CAPF-0a0b0c01" ca_capf_nopathlen
root capf-noku p256 "/O=Example Corp/CN=CAPF-0a0b0c02" ca_capf_noku
root capf-nosign p256 "/O=Example Corp/CN=CAPF-0a0b0c03" ca_capf_nosign
root capf-notca p256 "/O=Example Corp/CN=CAPF-0a0b0c04" ca_capf_notca

# ent-ca: enterprise issuing CA that signs LSCs when CAPF runs in online-CA mode.
root ent-ca p256 "/O=Example Corp/CN=Example Enterprise Issuing CA" ca_root

# rogue-a: attacker CA with capf-a's subject AND serial but its own key (and
# therefore its own SKI): name-only matching would accept its leaves.
capf_a_serial=$("$OPENSSL" x509 -in "$OUT/capf-a.crt" -noout -serial | cut -d= -f2)
SERIAL=0x$capf_a_serial root rogue-a rsa2048 \
	"/C=IN/ST=Karnataka/L=Bangalore/O=Example Corp/OU=VTG/CN=CAPF-a6d4c572" ca_capf

# rogue-a-ski: like rogue-a but also copies capf-a's subjectKeyIdentifier
# verbatim, so a verifier picks the genuine capf-a as issuer of its leaves
# and must fail on the signature (X509_V_ERR_CERT_SIGNATURE_FAILURE, 7).
capf_a_ski=$("$OPENSSL" x509 -in "$OUT/capf-a.crt" -noout -ext subjectKeyIdentifier | sed -n '2s/ //gp')
[ -n "$capf_a_ski" ] || die "cannot read capf-a's SKI"
cat >>"$CNF" <<EOF

# rogue-a-ski: ca_capf with capf-a's SKI copied verbatim (appended by gen.sh).
[ ca_capf_copied_ski ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = $capf_a_ski
authorityKeyIdentifier = none
EOF
SERIAL=0x$capf_a_serial root rogue-a-ski rsa2048 \
	"/C=IN/ST=Karnataka/L=Bangalore/O=Example Corp/OU=VTG/CN=CAPF-a6d4c572" ca_capf_copied_ski

# notca: self-signed CA:FALSE certificate (an admin uploads e.g. the CUCM
# tomcat certificate instead of the CAPF certificate).
root notca p256 "/O=Example Corp/CN=cucm-pub.example.com" notca

# server-ca + server: radiusd's own TLS identity (not a phone).
DAYS=3650 root server-ca p256 "/CN=Test RADIUS Server CA" ca_root
EXT=server_ec leaf server server-ca p256 "/CN=radius.test"

###########################################################################
# Phone leaves (good and plausibly-bad, but well-formed)
###########################################################################

# lsc-a: canonical LSC of cluster A, full CUCM subject form, RSA-2048.
leaf lsc-a capf-a rsa2048 \
	"/serialNumber=PID:CP-8861 SN:FCH18198CNQ/C=IN/O=Example Corp/OU=VTG/CN=CP-8861-SEPB000B4BA0AEE"

# lsc-a-ec: LSC of cluster A, bare "CN=SEP<mac>" form, EC P-256.
leaf lsc-a-ec capf-a p256 "/CN=SEP001E7AC3D1AB"

# lsc-a-old: LSC issued by the pre-rollover CAPF (capf-a-old), CN first;
# issued a year ago, so valid for one more year.
START=$(at '-1 year') END=$(at '+1 year') leaf lsc-a-old capf-a-old p256 \
	"/CN=CP-7841-SEP00A1B2C3D4E5/O=Example Corp"

# lsc-b: LSC of cluster B (EC CAPF), full subject form.
leaf lsc-b capf-b p256 \
	"/serialNumber=PID:CP-8861 SN:FCH18198CNR/C=AU/O=stormin/OU=IST/CN=CP-8861-SEPB000B4BA0AEF"

# lsc-c: LSC from a cluster whose CAPF is not uploaded (moved phone).
leaf lsc-c capf-c p256 "/CN=CP-8845-SEP0011223344C0"

# lsc-ent: LSC signed by the enterprise CA (CAPF online-CA mode).
leaf lsc-ent ent-ca p256 "/CN=SEP0011223344E0"

# lsc-ent-revoked: a second enterprise-CA LSC, revoked by ent-ca's CRLs below.
leaf lsc-ent-revoked ent-ca p256 "/CN=SEP0011223344E1"

# ent-ca's CRLs (mkcrl.c: dates, signer and size that `openssl ca -gencrl` cannot choose):
#   ent-ca.crl.pem / .crl.der   current (thisUpdate -1 h, nextUpdate +30 days), revokes lsc-ent-revoked
#   ent-ca-stale.crl.pem        the same, but nextUpdate passed a day ago
#   ent-ca-none.crl.pem         current, revokes nothing
#   ent-ca-otherkey.crl.pem     ent-ca's name, signed by capf-c's key (a forged or mixed-up CRL)
#   ent-ca-big.crl.pem          current, 10,000 filler serials and lsc-ent-revoked (benchmarks)
q $CC ${CPPFLAGS:-} ${CFLAGS:-} -Wall -Wextra -Werror -o "$OUT/mkcrl" "$SRCDIR/mkcrl.c" ${LDFLAGS:-} -lcrypto
REVOKED_SERIAL=$("$OPENSSL" x509 -in "$OUT/lsc-ent-revoked.crt" -noout -serial)
REVOKED_SERIAL=${REVOKED_SERIAL#serial=}
mkcrl() { "$OUT/mkcrl" "$OUT/ent-ca.crt" "$OUT/private/$1.key" "$OUT/$2" "$3" -3600 "$4" "$5" "${@:6}"; }
mkcrl ent-ca ent-ca.crl.pem pem 2592000 0 "$REVOKED_SERIAL"
mkcrl ent-ca ent-ca.crl.der der 2592000 0 "$REVOKED_SERIAL"
"$OUT/mkcrl" "$OUT/ent-ca.crt" "$OUT/private/ent-ca.key" "$OUT/ent-ca-stale.crl.pem" pem -172800 -86400 0 "$REVOKED_SERIAL"
mkcrl ent-ca ent-ca-none.crl.pem pem 2592000 0
mkcrl capf-c ent-ca-otherkey.crl.pem pem 2592000 0 "$REVOKED_SERIAL"
mkcrl ent-ca ent-ca-big.crl.pem pem 2592000 10000 "$REVOKED_SERIAL"

# lsc-rogue: copies lsc-a's CN, issued by rogue-a (AKI = rogue-a's own SKI).
leaf lsc-rogue rogue-a p256 "/CN=CP-8861-SEPB000B4BA0AEE"

# lsc-rogue-ski: same, issued by rogue-a-ski, so its AKI equals capf-a's SKI.
leaf lsc-rogue-ski rogue-a-ski p256 "/CN=CP-8861-SEPB000B4BA0AEE"

# lsc-expired: LSC of cluster A that expired yesterday (2-year life).
START=$(at '-731 days') END=$(at '-1 day') leaf lsc-expired capf-a p256 "/CN=SEP0011223344A1"

# mic-8861: MIC of an 8861, RSA-2048, 10 years; the phone sends only the leaf.
DAYS=3650 leaf mic-8861 mfg-int rsa2048 \
	"/serialNumber=PID:CP-8861 SN:FCH2133E8B9/O=Cisco Systems Inc./OU=CTG/CN=CP-8861-SEP2C3124C9F8E1"

# mic-8861-fullchain: MIC whose phone also sends mfg-int (chain = leaf + mfg-int).
DAYS=3650 leaf mic-8861-fullchain mfg-int p256 "/CN=CP-8865-SEP2C3124C9F8E2" mfg-int

# mic-expired: MIC valid from 11 years ago until 1 year ago.
START=$(at '-11 years') END=$(at '-1 year') leaf mic-expired mfg-int p256 \
	"/CN=CP-7961G-SEP001E7AC3D1AB/O=Cisco Systems Inc."

# mic-legacy: 7900-series MIC under the SHA-1 legacy chain, itself SHA-1 signed.
MD=sha1 DAYS=3650 leaf mic-legacy legacy-int rsa2048 \
	"/CN=CP-7961G-SEP001E7AC3D1AC/O=Cisco Systems/OU=CTG"

# sudi-switch: genuine-looking Cisco SUDI of a switch (valid chain, not a phone).
DAYS=3650 leaf sudi-switch mfg-int p256 \
	"/serialNumber=PID:C9300-48P SN:FOC2227Y0AB/O=Cisco/OU=ACT-2 Lite SUDI/CN=C9300-48P"

###########################################################################
# Hostile leaves (signed by capf-a unless said otherwise)
###########################################################################

# host-nul-cn: CN "SEP001122334455\0.evil" - embedded NUL (forge.c; -subj
# cannot carry a NUL byte).  A strcmp/strlen-based parser sees a valid name.
if [ -n "$FORGE" ]; then
	newkey "$OUT/host-nul-cn.key" p256
	q "$FORGE" "$OUT/host-nul-cn.key" "$W/host-nul-cn.forged.csr" \
		"CN=$(hex SEP001122334455)00$(hex .evil)"
	CSR=$W/host-nul-cn.forged.csr leaf host-nul-cn capf-a p256 ""
else
	skip host-nul-cn "no C compiler (\$CC=$CC) to build forge.c"
fi

# host-two-cn: two CN RDNs (which one is "the" CN?).
leaf host-two-cn capf-a p256 "/CN=SEP001122334466/CN=SEP001122334477"

# host-long-cn: 4000 'A's then SEP001122334488 (4015 bytes, UTF8String);
# `openssl req` enforces ub-common-name (64), hence forge.c.
if [ -n "$FORGE" ]; then
	newkey "$OUT/host-long-cn.key" p256
	q "$FORGE" "$OUT/host-long-cn.key" "$W/host-long-cn.forged.csr" \
		"CN=$(printf '41%.0s' {1..4000})$(hex SEP001122334488)"
	CSR=$W/host-long-cn.forged.csr leaf host-long-cn capf-a p256 ""
else
	skip host-long-cn "no C compiler (\$CC=$CC) to build forge.c"
fi

# host-nonascii: CN "SEP00112233449" + U+00D6 (UTF-8 C3 96) as UTF8String.
leaf host-nonascii capf-a p256 $'/CN=SEP00112233449\xc3\x96'

# host-lower-sep: lowercase "sep" prefix and MAC.
leaf host-lower-sep capf-a p256 "/CN=sep0011223344aa"

# host-short-mac: only 11 hex digits after SEP.
leaf host-short-mac capf-a p256 "/CN=SEP00112233445"

# host-leaf-ca: the "phone" certificate claims basicConstraints CA:TRUE.
EXT=leaf_ec_ca leaf host-leaf-ca capf-a p256 "/CN=SEP0011223344B1"

# host-no-ski-aki: neither subjectKeyIdentifier nor authorityKeyIdentifier.
EXT=leaf_ec_noid leaf host-no-ski-aki capf-a p256 "/CN=SEP0011223344B2"

# host-big-serial: 24-byte serial (RFC 5280 allows at most 20 octets).
big=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
SERIAL=0x7${big:1} leaf host-big-serial capf-a p256 "/CN=SEP0011223344B3"

# host-rsa1024: weak RSA-1024 key (fails at security/auth level 2).
leaf host-rsa1024 capf-a rsa1024 "/CN=SEP0011223344B4"

# host-future: not valid yet - notBefore 30 days ahead, 2-year life.
START=$(at '+30 days') END=$(at '+760 days') leaf host-future capf-a p256 "/CN=SEP0011223344B5"

# host-deep: capf-a -> deep-int1 -> deep-int2 -> leaf; both intermediates are
# CA:TRUE without pathlen, but capf-a's pathlen:0 forbids them; the phone
# sends leaf + int2 + int1.
subca deep-int1 capf-a p256 "/O=Example Corp/CN=Deep Intermediate 1" ca_int
subca deep-int2 deep-int1 p256 "/O=Example Corp/CN=Deep Intermediate 2" ca_int
leaf host-deep deep-int2 p256 "/CN=SEP0011223344B6" deep-int2 deep-int1

# host-via-unuploaded: leaf under "CN=Unuploaded Intermediate", which is
# signed by mfg-root; chain = leaf + that intermediate.  Only validates if
# mfg-root itself were trusted (only mfg-int is expected to be uploaded).
subca unuploaded-int mfg-root p256 "/CN=Unuploaded Intermediate" ca_int0
leaf host-via-unuploaded unuploaded-int p256 "/CN=SEP0011223344B7" unuploaded-int

# host-wrong-eku: emailProtection is the only extendedKeyUsage.
EXT=leaf_ec_email leaf host-wrong-eku capf-a p256 "/CN=SEP0011223344B8"

###########################################################################
# manifest.tsv: name, subject, issuer (RFC 2253, non-ASCII/control bytes
# \XX-escaped), SHA-256 fingerprint (colon-separated upper-case hex).
###########################################################################
for n in "${LEAVES[@]}"; do
	s=$("$OPENSSL" x509 -in "$OUT/$n.crt" -noout -subject -nameopt RFC2253)
	i=$("$OPENSSL" x509 -in "$OUT/$n.crt" -noout -issuer -nameopt RFC2253)
	f=$("$OPENSSL" x509 -in "$OUT/$n.crt" -noout -fingerprint -sha256)
	printf '%s\t%s\t%s\t%s\n' "$n" "${s#subject=}" "${i#issuer=}" "${f#*=}"
done >"$OUT/manifest.tsv"

[ "${PKI_KEEP_WORK:-0}" = 1 ] || rm -rf -- "$W"
echo "$PROG: ${#LEAVES[@]} leaves written to $OUT"

# The forged and look-alike certificates of the attack cases (attacks.sh, README.md).
OPENSSL=$OPENSSL "$SRCDIR/attacks.sh" "$OUT"
