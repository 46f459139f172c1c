#!/usr/bin/env bash
#
# tests/pki/attacks.sh OUTDIR
#
# Adds the forged and look-alike certificates of the attack cases to a test
# PKI that gen.sh has just written into OUTDIR (gen.sh calls it at its end).
# See "Attack leaves" in README.md for what each one is and why.
#
#  * Reuses the CAs of the standard PKI: their certificates in OUTDIR, their
#    keys in OUTDIR/private/.  Refuses a directory without gen.sh's marker.
#  * Private keys are written ONLY below OUTDIR: the forged CAs' keys in
#    OUTDIR/private/, the leaf keys as OUTDIR/NAME.key (unencrypted PKCS#8).
#  * Each leaf gets NAME.crt, NAME.key, NAME.chain.pem (the leaf, then what
#    the device sends) and a row appended to OUTDIR/manifest.tsv.
#  * Only the openssl 3 CLI: a copied serial is -set_serial, a copied subject
#    key identifier is an explicit subjectKeyIdentifier, a hand-made authority
#    key identifier is a DER: extension value, and extensions are written in
#    the order their section lists them.
#
# Environment: OPENSSL (default openssl), PKI_KEEP_WORK=1 keeps OUTDIR/.work-attacks.
#
set -euo pipefail
# Per-call knobs of the helpers below; never inherit them from the caller.
unset DAYS START END SERIAL EXT

PROG=${0##*/}
die()  { echo "$PROG: $*" >&2; exit 1; }
if [ $# -ne 1 ] || [ -z "$1" ]; then echo "usage: $PROG OUTDIR" >&2; exit 2; fi

SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
OUT=$(realpath -e -- "$1") || die "'$1' does not exist: run gen.sh first"
OPENSSL=${OPENSSL:-openssl}

#
# Safety: only a PKI that gen.sh made (it refuses the source tree and tracked paths).
#
case "$OUT" in
/ | "${HOME:-/}" | "$SRCDIR" | "$SRCDIR"/*) die "refusing to use '$OUT' as OUTDIR" ;;
esac
[ -e "$OUT/.phonecert-test-pki" ] || die "'$OUT' is not a test PKI written by gen.sh"
for f in capf-a.crt private/capf-a.key capf-a-old.crt private/capf-a-old.key ent-ca.crt private/ent-ca.key \
	mfg-int.crt private/mfg-int.key lsc-a.crt lsc-a.key; do
	[ -s "$OUT/$f" ] || die "$f missing in '$OUT'"
done

W=$OUT/.work-attacks            # throwaway config, CSRs, `openssl ca` database
rm -rf -- "$W"
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

# Hex of a byte string, no separators.
hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

# What the forgeries copy from a genuine certificate.
serial_of() { "$OPENSSL" x509 -in "$OUT/$1.crt" -noout -serial | cut -d= -f2; }
ski_of() {       # AB:CD:... (upper case, colons)
	local s
	s=$("$OPENSSL" x509 -in "$OUT/$1.crt" -noout -ext subjectKeyIdentifier | sed -n '2s/ //gp')
	[ -n "$s" ] || die "cannot read $1's subject key identifier"
	echo "$s"
}
# The exact name (string types included), to prove a copy is one.
name_of() { "$OPENSSL" x509 -in "$OUT/$1.crt" -noout "-$2" -nameopt RFC2253,show_type | cut -d= -f2-; }

# DER TAG HEX: a DER TLV (definite length) around HEX.
der() {
	local tag=$1 body=$2 n len
	n=$((${#body} / 2))
	if [ "$n" -lt 128 ]; then len=$(printf '%02x' "$n")
	elif [ "$n" -lt 256 ]; then len=$(printf '81%02x' "$n")
	else len=$(printf '82%04x' "$n")
	fi
	printf '%s%s%s' "$tag" "$len" "$body"
}

CAPF_A_SUBJ="/C=IN/ST=Karnataka/L=Bangalore/O=Example Corp/OU=VTG/CN=CAPF-a6d4c572"
ENT_CA_SUBJ="/O=Example Corp/CN=Example Enterprise Issuing CA"
MFG_INT_SUBJ="/O=Cisco/CN=Test Cisco Manufacturing CA SHA2"
capf_a_serial=$(serial_of capf-a)
capf_a_ski=$(ski_of capf-a)
ent_ca_serial=$(serial_of ent-ca)
ent_ca_ski=$(ski_of ent-ca)
mfg_int_serial=$(serial_of mfg-int)
mfg_int_ski=$(ski_of mfg-int)

# atk-aki-dns-keyid*: an authorityKeyIdentifier with no keyIdentifier, whose
# authorityCertIssuer is the dNSName "keyid:<capf-a's SKI>" and whose
# authorityCertSerialNumber is capf-a's serial:
#   SEQUENCE { [1] { [2] IA5String "keyid:AB:..." }, [2] INTEGER serial }
aki_serial=$capf_a_serial
[ $((${#aki_serial} % 2)) -eq 0 ] || aki_serial=0$aki_serial
case ${aki_serial:0:1} in [89A-Fa-f]) aki_serial=00$aki_serial ;; esac
aki_dns_keyid=$(der 30 "$(der a1 "$(der 82 "$(hex "keyid:$capf_a_ski")")")$(der 82 "$aki_serial")")

# 1500 bytes of printable text: FreeRADIUS 3.2.1 reads each printed extension
# value into 1024 bytes and leaves the rest in the BIO, where it swallows the
# name of the next extension (which is then dropped).
long_comment=$(printf 'phonecert attack fixture: a printed extension longer than 1024 bytes. %.0s' {1..25})
long_comment=${long_comment:0:1500}
[ ${#long_comment} -eq 1500 ] || die "long_comment is ${#long_comment} bytes"

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

# Self-signed CAPF look-alike (atk-twin), as gen.sh's ca_capf.
[ ca_capf ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = none

# A sub-CA without a path length limit (atk-rogue-sub).
[ ca_int ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# Forged intermediates: the SKI of the CA they impersonate, the AKI of their real signer.
[ forged_capf_a ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = $capf_a_ski
authorityKeyIdentifier = keyid:always
[ forged_ent_ca ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = $ent_ca_ski
authorityKeyIdentifier = keyid:always
[ forged_mfg_int ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = $mfg_int_ski
authorityKeyIdentifier = keyid:always

# Phone certificates, as gen.sh's leaf_rsa / leaf_ec.
[ leaf_rsa ]
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = clientAuth, serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
[ leaf_ec ]
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth, serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

# atk-long-ext-ca: a long nsComment, then basicConstraints CA:TRUE (order matters).
[ leaf_long_ext_ca ]
nsComment              = "$long_comment"
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth, serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

# atk-long-ext-ku: a long nsComment, then a keyUsage without digitalSignature.
# keyAgreement alone still passes OpenSSL's ssl_client purpose with an EC key.
[ leaf_long_ext_ku ]
nsComment              = "$long_comment"
keyUsage               = critical, keyAgreement
extendedKeyUsage       = clientAuth, serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

# atk-aki-dns-keyid*: the hand-made authorityKeyIdentifier above.
[ leaf_aki_dns_keyid ]
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth, serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = DER:$aki_dns_keyid
EOF

# newkey FILE TYPE: unencrypted PKCS#8 PEM key; TYPE = rsa2048 | p256.
newkey() {
	case $2 in
	rsa2048) q "$OPENSSL" genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" ;;
	p256)    q "$OPENSSL" genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	                -pkeyopt ec_param_enc:named_curve -out "$1" ;;
	*) die "unknown key type $2" ;;
	esac
}

# _sign CSR ISSUER EXT OUTCRT: as gen.sh's: `openssl x509 -req` valid from now
#   for ${DAYS:-730} days, or `openssl ca` with START/END; SERIAL (default random).
_sign() {
	local csr=$1 iss=$2 ext=$3 crt=$4 ser=${SERIAL:-$(serial)}
	if [ -n "${START:-}" ]; then
		echo "${ser#0x}" >"$W/serial"
		q "$OPENSSL" ca -batch -notext -preserveDN -config "$CNF" -in "$csr" -out "$crt" \
			-cert "$OUT/$iss.crt" -keyfile "$OUT/private/$iss.key" \
			-startdate "$START" -enddate "$END" -md sha256 \
			-extfile "$CNF" -extensions "$ext"
	else
		q "$OPENSSL" x509 -req -in "$csr" -out "$crt" \
			-CA "$OUT/$iss.crt" -CAkey "$OUT/private/$iss.key" \
			-set_serial "$ser" -days "${DAYS:-730}" -sha256 \
			-extfile "$CNF" -extensions "$ext"
	fi
}

# root NAME KEYTYPE SUBJ EXT: self-signed CA, key in private/; DAYS (1825), SERIAL.
root() {
	local n=$1 key=$OUT/private/$1.key
	newkey "$key" "$2"
	q "$OPENSSL" req -new -x509 -config "$CNF" -key "$key" -subj "$3" \
		-extensions "$4" -days "${DAYS:-1825}" -sha256 \
		-set_serial "${SERIAL:-$(serial)}" -out "$OUT/$n.crt"
}

# subca NAME ISSUER KEYTYPE SUBJ EXT: CA certificate signed by ISSUER's key.
subca() {
	newkey "$OUT/private/$1.key" "$3"
	q "$OPENSSL" req -new -config "$CNF" -key "$OUT/private/$1.key" -subj "$4" -out "$W/$1.csr"
	DAYS=${DAYS:-1825} _sign "$W/$1.csr" "$2" "$5" "$OUT/$1.crt"
}

# leaf NAME ISSUER KEYTYPE SUBJ [CHAIN-CA...]: as gen.sh's leaf: NAME.key,
#   NAME.crt, NAME.chain.pem = leaf + the listed CA certificates; EXT defaults
#   to leaf_rsa/leaf_ec by key type.
LEAVES=()
leaf() {
	local n=$1 iss=$2 kt=$3 subj=$4 ext c
	shift 4
	ext=${EXT:-$([ "$kt" = p256 ] && echo leaf_ec || echo leaf_rsa)}
	newkey "$OUT/$n.key" "$kt"
	q "$OPENSSL" req -new -config "$CNF" -key "$OUT/$n.key" -subj "$subj" -out "$W/$n.csr"
	_sign "$W/$n.csr" "$iss" "$ext" "$OUT/$n.crt"
	cat "$OUT/$n.crt" >"$OUT/$n.chain.pem"
	for c in "$@"; do cat "$OUT/$c.crt" >>"$OUT/$n.chain.pem"; done
	LEAVES+=("$n")
}

# same_as FORGED GENUINE: the forgery carries the genuine CA's exact subject,
# serial and subject key identifier (else the attack would test nothing).
same_as() {
	[ "$(name_of "$1" subject)" = "$(name_of "$2" subject)" ] || die "$1: subject differs from $2's"
	[ "$(serial_of "$1")" = "$(serial_of "$2")" ] || die "$1: serial differs from $2's"
	[ "$(ski_of "$1")" = "$(ski_of "$2")" ] || die "$1: subject key identifier differs from $2's"
}

###########################################################################
# Forged intermediates: a CA the admin uploaded (and may have retired or
# disabled) signs an intermediate that carries ANOTHER anchor's subject,
# serial and SKI.  An EC key, while the impersonated CA is RSA: OpenSSL then
# never takes the genuine CA for the leaf's issuer (the signature algorithm
# does not fit its key) and builds the chain through the forgery.
###########################################################################

# atk-int-old: capf-a-old's key signs a self-issued CAPF intermediate (subject =
# issuer = CAPF-a6d4c572) with capf-a's serial and SKI; self-issued, so capf-a-old's
# pathlen:0 does not forbid it.
SERIAL=0x$capf_a_serial subca atk-int-old capf-a-old p256 "$CAPF_A_SUBJ" forged_capf_a
same_as atk-int-old capf-a
leaf atk-forged-int-old atk-int-old p256 "/CN=CP-8861-SEP00DEADBEEF31" atk-int-old

# atk-int-ent: the enterprise CA's key signs an intermediate impersonating capf-a.
SERIAL=0x$capf_a_serial subca atk-int-ent ent-ca p256 "$CAPF_A_SUBJ" forged_capf_a
same_as atk-int-ent capf-a
leaf atk-forged-int-ent atk-int-ent p256 "/CN=CP-8861-SEP00DEADBEEF32" atk-int-ent

# atk-int-mfg: the enterprise CA (an LSC issuer) signs an intermediate
# impersonating the manufacturing CA: its LSCs would pass as MICs.
SERIAL=0x$mfg_int_serial subca atk-int-mfg ent-ca p256 "$MFG_INT_SUBJ" forged_mfg_int
same_as atk-int-mfg mfg-int
leaf atk-lsc-as-mic atk-int-mfg p256 "/CN=SEP00DEADBEEF33" atk-int-mfg

# atk-rogue-sub: a sub-CA of the enterprise CA that was never uploaded signs an
# intermediate named like its parent (ent-ca's subject, serial and SKI).  That
# one is RSA because ent-ca is EC.  The phone sends leaf + atk-int-sub + atk-rogue-sub.
subca atk-rogue-sub ent-ca p256 "/O=Example Corp/CN=Rogue Sub CA" ca_int
SERIAL=0x$ent_ca_serial subca atk-int-sub atk-rogue-sub rsa2048 "$ENT_CA_SUBJ" forged_ent_ca
same_as atk-int-sub ent-ca
leaf atk-subca-named-like-parent atk-int-sub p256 "/CN=SEP00DEADBEEF34" atk-int-sub atk-rogue-sub

###########################################################################
# Names that FreeRADIUS rewrites: it un-escapes \\, \n, \r, \t and \NNN
# (octal) in the attribute values it makes from a certificate, and stops at
# the NUL that \000 becomes.  The certificates hold the backslashes literally
# (in -subj, "\\" is one backslash and "\/" a slash inside a value).
###########################################################################
leaf atk-escaped-cn capf-a p256 '/CN=\\123EP00DEADBEEF41'
leaf atk-nul-escape-cn capf-a p256 '/CN=SEP00DEADBEEF42\\000x'
leaf atk-nul-escape-two-cn capf-a p256 '/CN=SEP00DEADBEEF43\\000/CN=SEP00DEADBEEF44'
leaf atk-nul-escape-slash capf-a p256 '/CN=SEP00DEADBEEF45\\000/O=x\/CN=y'

# atk-no-cn: no CN at all (FreeRADIUS 3.2.1 then fills TLS-Client-Cert-Common-Name
# from a buffer it never wrote).
leaf atk-no-cn capf-a p256 "/O=Example Corp/OU=VTG"

###########################################################################
# Extensions FreeRADIUS 3.2.1 loses: the one after a long printed extension.
###########################################################################
EXT=leaf_long_ext_ca leaf atk-long-ext-ca capf-a p256 "/CN=SEP00DEADBEEF46"
EXT=leaf_long_ext_ku leaf atk-long-ext-ku capf-a p256 "/CN=SEP00DEADBEEF4A"

###########################################################################
# "keyid:" where no key identifier is: the AKI names capf-a by serial and a
# dNSName "keyid:<capf-a's SKI>" (which a text search of the printed AKI
# mistakes for the key identifier); OpenSSL only compares the serial.
###########################################################################
EXT=leaf_aki_dns_keyid leaf atk-aki-dns-keyid capf-a p256 "/CN=SEP00DEADBEEF47"

# atk-twin: capf-a's subject and serial, its own EC key (and SKI).  Uploaded by
# the test as a disabled anchor: its leaf's AKI names capf-a's key by text.
# EC so that OpenSSL never takes capf-a (RSA) for the leaf's issuer, whatever the
# order of the anchors (rogue-a, RSA, would be tried after capf-a and fail).
SERIAL=0x$capf_a_serial root atk-twin p256 "$CAPF_A_SUBJ" ca_capf
[ "$(name_of atk-twin subject)" = "$(name_of capf-a subject)" ] || die "atk-twin: subject differs from capf-a's"
[ "$(serial_of atk-twin)" = "$capf_a_serial" ] || die "atk-twin: serial differs from capf-a's"
EXT=leaf_aki_dns_keyid leaf atk-aki-dns-keyid-twin atk-twin p256 "/CN=SEP00DEADBEEF48"

###########################################################################
# Genuine phones the attack cases must keep admitting, and non-phones whose
# refusal must say so.
###########################################################################

# lsc-a-sends-capf: lsc-a itself, whose phone also sends its CAPF (capf-a).
cp "$OUT/lsc-a.crt" "$OUT/lsc-a-sends-capf.crt"
cp "$OUT/lsc-a.key" "$OUT/lsc-a-sends-capf.key"
cat "$OUT/lsc-a.crt" "$OUT/capf-a.crt" >"$OUT/lsc-a-sends-capf.chain.pem"
LEAVES+=(lsc-a-sends-capf)

# mic-ec: a P-256 MIC that sends only itself.
DAYS=3650 leaf mic-ec mfg-int p256 \
	"/serialNumber=PID:CP-8851 SN:FCH2133E8C0/O=Cisco Systems Inc./OU=CTG/CN=CP-8851-SEP2C3124C9F8E3"

# sudi-isr: a router's SUDI, with a '/' in its CN and PID.
DAYS=3650 leaf sudi-isr mfg-int p256 \
	'/serialNumber=PID:ISR4321\/K9 SN:FDO2112A0BC/O=Cisco/OU=ACT-2 Lite SUDI/CN=ISR4321\/K9'

# ap-expired: an access point's certificate that expired a year ago.
START=$(at '-11 years') END=$(at '-1 year') leaf ap-expired mfg-int p256 \
	"/serialNumber=PID:AIR-AP2802I-E-K9 SN:KWC21410ABC/O=Cisco Systems/CN=AIR-AP2802I-E-K9"

###########################################################################
# manifest.tsv: one row per leaf, as gen.sh writes them.
###########################################################################
# A second run replaces its rows instead of adding them twice.
awk -F'\t' -v names=" ${LEAVES[*]} " 'index(names, " " $1 " ") == 0' "$OUT/manifest.tsv" >"$W/manifest.tsv"
for n in "${LEAVES[@]}"; do
	s=$("$OPENSSL" x509 -in "$OUT/$n.crt" -noout -subject -nameopt RFC2253)
	i=$("$OPENSSL" x509 -in "$OUT/$n.crt" -noout -issuer -nameopt RFC2253)
	f=$("$OPENSSL" x509 -in "$OUT/$n.crt" -noout -fingerprint -sha256)
	printf '%s\t%s\t%s\t%s\n' "$n" "${s#subject=}" "${i#issuer=}" "${f#*=}"
done >>"$W/manifest.tsv"
mv "$W/manifest.tsv" "$OUT/manifest.tsv"

[ "${PKI_KEEP_WORK:-0}" = 1 ] || rm -rf -- "$W"
echo "$PROG: ${#LEAVES[@]} attack and companion leaves written to $OUT"
"$SRCDIR/redteam.sh" "$OUT"
