#!/usr/bin/env bash
#
# tests/pki/redteam.sh OUTDIR
#
# Adds the red-team certificates (tests/integration/redteam.sh) to a test PKI
# that gen.sh and attacks.sh have just written into OUTDIR (attacks.sh calls it
# at its end).  Each one probes a parser or chain edge of the verification hook
# and the decision: string types of the CN, multi-valued RDNs, serials, time
# encodings, unknown and missing extensions, v1 certificates, AKIs naming
# another key, issuer names spelled differently, anchors sent as leaves, junk
# and oversized chains.  See "Red-team leaves" in README.md.
#
#  * Reuses the CAs of the standard PKI (OUTDIR/NAME.crt, OUTDIR/private/NAME.key).
#  * Private keys are written ONLY below OUTDIR (leaf keys as OUTDIR/NAME.key).
#  * Certificates the CLI cannot write come from rtcert.c, built into OUTDIR.
#  * Each leaf gets NAME.crt, NAME.key, NAME.chain.pem and a manifest.tsv row.
#
# Environment: OPENSSL (default openssl), CC (default cc), PKI_KEEP_WORK=1.
#
set -euo pipefail

PROG=${0##*/}
die()  { echo "$PROG: $*" >&2; exit 1; }
if [ $# -ne 1 ] || [ -z "$1" ]; then echo "usage: $PROG OUTDIR" >&2; exit 2; fi

SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
OUT=$(realpath -e -- "$1") || die "'$1' does not exist: run gen.sh first"
OPENSSL=${OPENSSL:-openssl}
CC=${CC:-cc}

case "$OUT" in
/ | "${HOME:-/}" | "$SRCDIR" | "$SRCDIR"/*) die "refusing to use '$OUT' as OUTDIR" ;;
esac
[ -e "$OUT/.phonecert-test-pki" ] || die "'$OUT' is not a test PKI written by gen.sh"
for f in capf-a capf-a-old capf-b mfg-int ent-ca atk-twin lsc-a lsc-b; do
	[ -e "$OUT/$f.crt" ] || die "'$OUT' lacks $f.crt: run gen.sh (which runs attacks.sh) first"
done

W=$OUT/.work-redteam
rm -rf -- "$W"
mkdir -p "$W"
LOG=$W/log
: >"$LOG"
export OPENSSL_CONF=/dev/null

q() {
	echo "+ $*" >>"$LOG"
	"$@" >>"$LOG" 2>&1 || {
		echo "$PROG: command failed: $*" >&2
		tail -n 15 "$LOG" >&2
		exit 1
	}
}

# A throwaway generator, built plainly: the caller's CFLAGS may carry sanitizers meant for the
# code under test (make test-asan), and this tool frees nothing before it exits.
# shellcheck disable=SC2086 # CC may hold several words
q $CC ${CPPFLAGS:-} -O1 -Wall -Wextra -Werror -o "$OUT/rtcert" "$SRCDIR/rtcert.c" -lcrypto
RTCERT=$OUT/rtcert

# Hex of a byte string; UCS-2 (BMPString) and UCS-4 (UniversalString) of ASCII text.
hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
bmp() { printf '%s' "$1" | od -An -v -tx1 | tr -d '\n' | sed 's/ /00/g'; }
ucs4() { printf '%s' "$1" | od -An -v -tx1 | tr -d '\n' | sed 's/ /000000/g'; }
ski_hex() { "$OPENSSL" x509 -in "$OUT/$1.crt" -noout -ext subjectKeyIdentifier | sed -n '2s/[ :]//gp'; }
serial_of() { "$OPENSSL" x509 -in "$OUT/$1.crt" -noout -serial | cut -d= -f2; }

newkey() {
	q "$OPENSSL" genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-pkeyopt ec_param_enc:named_curve -out "$1"
}

# rt NAME ISSUER [rtcert options...]: an EC leaf issued by ISSUER with rtcert; the
# chain holds the leaf only (CHAIN="ca ..." appends those certificates).
LEAVES=()
rt() {
	local n=$1 iss=$2 c
	shift 2
	newkey "$OUT/$n.key"
	q "$RTCERT" -ca "$OUT/$iss.crt" -cakey "$OUT/private/$iss.key" -pub "$OUT/$n.key" -out "$OUT/$n.crt" "$@"
	cat "$OUT/$n.crt" >"$OUT/$n.chain.pem"
	for c in ${CHAIN:-}; do cat "$OUT/$c.crt" >>"$OUT/$n.chain.pem"; done
	LEAVES+=("$n")
}

cn() { echo "CN:$1:$2"; }	# cn TYPE HEX

###########################################################################
# CN string types: what the hook reads after ASN1_STRING_to_UTF8.
###########################################################################
rt rt-cn-bmp capf-a -leaf -rdn "$(cn bmp "$(bmp SEP00DEADBEEF60)")"
rt rt-cn-universal capf-a -leaf -rdn "$(cn universal "$(ucs4 SEP00DEADBEEF61)")"
rt rt-cn-t61 capf-a -leaf -rdn "$(cn t61 "$(hex SEP00DEADBEEF62)")"
# BMPString whose last character is U+FF11 (FULLWIDTH DIGIT ONE): not ASCII.
rt rt-cn-bmp-fullwidth capf-a -leaf -rdn "$(cn bmp "$(bmp SEP00DEADBEEF6)ff11")"
# T61String with a Latin-1 byte (0xD3) in place of a digit.
rt rt-cn-t61-latin1 capf-a -leaf -rdn "$(cn t61 "$(hex SEP00DEADBEEF6)d3")"
# A trailing space (printable, but not a device name).
rt rt-cn-trailing-space capf-a -leaf -rdn "$(cn utf8 "$(hex 'SEP00DEADBEEF65 ')")"

###########################################################################
# Multi-valued RDNs.
###########################################################################
rt rt-rdn-multi-o-cn capf-a -leaf -rdn "O:utf8:$(hex 'Example Corp')+$(cn utf8 "$(hex SEP00DEADBEEF66)")"
rt rt-rdn-multi-two-cn capf-a -leaf -rdn "$(cn utf8 "$(hex SEP00DEADBEEF67)")+$(cn utf8 "$(hex SEP00DEADBEEF68)")"
# A BMPString CN next to a PrintableString CN in one RDN: two CNs whatever their types.
rt rt-rdn-multi-cn-types capf-a -leaf -rdn "$(cn printable "$(hex SEP00DEADBEEF69)")+$(cn bmp "$(bmp SEP00DEADBEEF6A)")"
# serialNumber of 64 characters (X.520's upper bound), then the CN.
sn64="PID:CP-8861-K9 SN:$(printf 'F%.0s' {1..46})"
[ ${#sn64} -eq 64 ] || die "sn64 is ${#sn64} bytes"
rt rt-sn-64 capf-a -leaf -rdn "serialNumber:printable:$(hex "$sn64")" -rdn "$(cn utf8 "$(hex SEP00DEADBEEF6B)")"

###########################################################################
# Serials.
###########################################################################
rt rt-serial-negative capf-a -leaf -serial 0102030405060708 -negative -rdn "$(cn utf8 "$(hex SEP00DEADBEEF70)")"
rt rt-serial-zero capf-a -leaf -serial 00 -rdn "$(cn utf8 "$(hex SEP00DEADBEEF71)")"

###########################################################################
# Validity encodings.
###########################################################################
nb_g=$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)
na_g=$(date -u -d '+700 days' +%Y%m%d%H%M%SZ)
rt rt-time-generalized capf-a -leaf -nb "G:$nb_g" -na "G:$na_g" -rdn "$(cn utf8 "$(hex SEP00DEADBEEF72)")"
rt rt-time-fraction capf-a -leaf -na "G:${na_g%Z}.5Z" -rdn "$(cn utf8 "$(hex SEP00DEADBEEF73)")"
rt rt-time-no-seconds capf-a -leaf -na "U:$(date -u -d '+700 days' +%y%m%d%H%M)Z" -rdn "$(cn utf8 "$(hex SEP00DEADBEEF74)")"
# UTCTime 50 is 1950 (RFC 5280): expired long ago.
rt rt-time-utc-1950 capf-a -leaf -na "U:500101000000Z" -rdn "$(cn utf8 "$(hex SEP00DEADBEEF75)")"

###########################################################################
# Extensions.
###########################################################################
rt rt-ext-critical-unknown capf-a -leaf -rawext "1.3.6.1.4.1.9.99999.1:1:0500" -rdn "$(cn utf8 "$(hex SEP00DEADBEEF76)")"
rt rt-ext-noncritical-unknown capf-a -leaf -rawext "1.3.6.1.4.1.9.99999.1:0:0500" -rdn "$(cn utf8 "$(hex SEP00DEADBEEF77)")"
rt rt-eku-any capf-a -ext keyUsage=critical,digitalSignature -ext extendedKeyUsage=anyExtendedKeyUsage \
	-ext subjectKeyIdentifier=hash -ext authorityKeyIdentifier=keyid:always -rdn "$(cn utf8 "$(hex SEP00DEADBEEF78)")"
# v1: no extensions at all (an LSC then has no AKI; a MIC may lack one).
rt rt-v1-lsc capf-a -version 0 -rdn "$(cn utf8 "$(hex SEP00DEADBEEF79)")"
rt rt-v1-mic mfg-int -version 0 -rdn "$(cn utf8 "$(hex SEP00DEADBEEF7A)")"
# v1 that nevertheless carries basicConstraints CA:TRUE.
rt rt-v1-with-ca-ext capf-a -version 0 -leaf -ext basicConstraints=critical,CA:TRUE -rdn "$(cn utf8 "$(hex SEP00DEADBEEF7B)")"
# A 10 kB non-critical comment: large but legitimate (FreeRADIUS reassembles at most
# 16384 bytes of one EAP-TLS message).
big=$(printf 'phonecert red-team: a large but harmless extension. %.0s' {1..400})
rt rt-ext-10k capf-a -leaf -ext "nsComment=${big:0:10000}" -rdn "$(cn utf8 "$(hex SEP00DEADBEEF7C)")"
# A 70 kB comment: more than an EAP-TLS message may carry.
huge=$(printf 'phonecert red-team: an oversized extension, 70 kB in all. %.0s' {1..1300})
rt rt-ext-70k capf-a -leaf -ext "nsComment=${huge:0:70000}" -rdn "$(cn utf8 "$(hex SEP00DEADBEEF7D)")"

###########################################################################
# Authority key identifiers that name another key than the one that signed.
###########################################################################
capf_a_old_ski=$(ski_hex capf-a-old)
capf_a_ski=$(ski_hex capf-a)
[ -n "$capf_a_old_ski" ] && [ -n "$capf_a_ski" ] || die "cannot read the CAPFs' subject key identifiers"
kid() { echo "3016$(printf '80%02x' $((${#1} / 2)))$1"; }	# AKI { [0] keyIdentifier } (20-byte ids)
std=(-ext keyUsage=critical,digitalSignature -ext extendedKeyUsage=clientAuth,serverAuth -ext subjectKeyIdentifier=hash)
# Signed by capf-a's key; the AKI names capf-a-old's key (uploaded, same subject).
rt rt-aki-names-other-anchor capf-a "${std[@]}" -rawext "2.5.29.35:0:$(kid "$capf_a_old_ski")" \
	-rdn "$(cn utf8 "$(hex SEP00DEADBEEF80)")"
# Signed by capf-a's key; the AKI names no uploaded key at all.
rt rt-aki-names-no-anchor capf-a "${std[@]}" -rawext "2.5.29.35:0:$(kid 0123456789abcdef0123456789abcdef01234567)" \
	-rdn "$(cn utf8 "$(hex SEP00DEADBEEF81)")"
# Signed by capf-a-old's key (retiring, in its window); the AKI names capf-a's key.
rt rt-aki-old-key-names-active capf-a-old "${std[@]}" -rawext "2.5.29.35:0:$(kid "$capf_a_ski")" \
	-rdn "$(cn utf8 "$(hex SEP00DEADBEEF82)")"

###########################################################################
# Issuer names spelled differently from the anchor's subject (same key signs).
###########################################################################
# capf-a's subject with every value a PrintableString and the CN in lower case:
# X509_NAME_cmp() canonicalises both, so OpenSSL matches it to capf-a.
irdn=(-irdn "C:printable:$(hex IN)" -irdn "ST:printable:$(hex Karnataka)" -irdn "L:printable:$(hex Bangalore)"
	-irdn "O:printable:$(hex 'Example Corp')" -irdn "OU:printable:$(hex VTG)" -irdn "CN:printable:$(hex capf-a6d4c572)")
rt rt-issuer-respelled capf-a -leaf "${irdn[@]}" -rdn "$(cn utf8 "$(hex SEP00DEADBEEF83)")"
# The same issuer name with two spaces inside "Example  Corp" (canonicalised to one).
irdn2=(-irdn "C:printable:$(hex IN)" -irdn "ST:utf8:$(hex Karnataka)" -irdn "L:utf8:$(hex Bangalore)"
	-irdn "O:utf8:$(hex 'Example  Corp')" -irdn "OU:utf8:$(hex VTG)" -irdn "CN:utf8:$(hex CAPF-a6d4c572)")
rt rt-issuer-spaces capf-a -leaf "${irdn2[@]}" -rdn "$(cn utf8 "$(hex SEP00DEADBEEF84)")"

###########################################################################
# Anchors sent as the phone's own certificate, and what else a phone may send.
###########################################################################
# capf-a-old (retiring, trusted now) and capf-b (disabled), with their own keys.
for a in capf-a-old capf-b; do
	cp "$OUT/$a.crt" "$OUT/rt-anchor-leaf-$a.crt"
	cp "$OUT/private/$a.key" "$OUT/rt-anchor-leaf-$a.key"
	cp "$OUT/$a.crt" "$OUT/rt-anchor-leaf-$a.chain.pem"
	LEAVES+=("rt-anchor-leaf-$a")
done
# lsc-b (capf-b, disabled) sending capf-b itself.
cp "$OUT/lsc-b.crt" "$OUT/rt-disabled-capf-sent.crt"
cp "$OUT/lsc-b.key" "$OUT/rt-disabled-capf-sent.key"
cat "$OUT/lsc-b.crt" "$OUT/capf-b.crt" >"$OUT/rt-disabled-capf-sent.chain.pem"
LEAVES+=(rt-disabled-capf-sent)
# lsc-a, then 12 unrelated self-signed CAs, the disabled twin of capf-a, capf-a-old and capf-a.
cp "$OUT/lsc-a.crt" "$OUT/rt-junk-chain.crt"
cp "$OUT/lsc-a.key" "$OUT/rt-junk-chain.key"
cat "$OUT/lsc-a.crt" >"$OUT/rt-junk-chain.chain.pem"
for i in $(seq 1 12); do
	newkey "$W/junk$i.key"
	q "$OPENSSL" req -new -x509 -key "$W/junk$i.key" -subj "/O=Junk/CN=Junk CA $i" -days 30 -sha256 \
		-addext basicConstraints=critical,CA:TRUE -out "$W/junk$i.crt"
	cat "$W/junk$i.crt" >>"$OUT/rt-junk-chain.chain.pem"
done
cat "$OUT/atk-twin.crt" "$OUT/capf-a-old.crt" "$OUT/capf-a.crt" >>"$OUT/rt-junk-chain.chain.pem"
LEAVES+=(rt-junk-chain)


###########################################################################
# rt-twin-ski: capf-a's subject, serial AND subject key identifier, its own EC
# key, self-signed (an anchor nothing but its key tells apart from capf-a).
###########################################################################
capf_a_ski_colons=$("$OPENSSL" x509 -in "$OUT/capf-a.crt" -noout -ext subjectKeyIdentifier | sed -n '2s/ //gp')
newkey "$OUT/private/rt-twin-ski.key"
q "$OPENSSL" req -new -x509 -key "$OUT/private/rt-twin-ski.key" -utf8 \
	-subj "/C=IN/ST=Karnataka/L=Bangalore/O=Example Corp/OU=VTG/CN=CAPF-a6d4c572" \
	-set_serial "0x$(serial_of capf-a)" -days 1825 -sha256 \
	-addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	-addext "subjectKeyIdentifier=$capf_a_ski_colons" -addext "authorityKeyIdentifier=none" -out "$OUT/rt-twin-ski.crt"
[ "$(ski_hex rt-twin-ski)" = "$capf_a_ski" ] || die "rt-twin-ski: SKI differs from capf-a's"
[ "$(serial_of rt-twin-ski)" = "$(serial_of capf-a)" ] || die "rt-twin-ski: serial differs from capf-a's"
# Its leaf: the AKI names the shared key identifier.
rt rt-twin-ski-leaf rt-twin-ski -leaf -rdn "$(cn utf8 "$(hex SEP00DEADBEEF85)")"

###########################################################################
# manifest.tsv rows.
###########################################################################
awk -F'\t' -v names=" ${LEAVES[*]} " 'index(names, " " $1 " ") == 0' "$OUT/manifest.tsv" >"$W/manifest.tsv"
for n in "${LEAVES[@]}"; do
	# OpenSSL 3.5 refuses some encodings outright (a UTCTime without seconds): no program
	# linked with it, the phone's supplicant or radiusd, can read such a certificate.  It is
	# listed in OUTDIR/unreadable instead, and the tests that need it say they skip it.
	if ! "$OPENSSL" x509 -in "$OUT/$n.crt" -noout 2>/dev/null; then
		echo "$PROG: warning: $n: $("$OPENSSL" version | cut -d' ' -f1,2) cannot read it (OUTDIR/unreadable)" >&2
		echo "$n" >>"$OUT/unreadable"
		continue
	fi
	s=$("$OPENSSL" x509 -in "$OUT/$n.crt" -noout -subject -nameopt RFC2253)
	i=$("$OPENSSL" x509 -in "$OUT/$n.crt" -noout -issuer -nameopt RFC2253)
	f=$("$OPENSSL" x509 -in "$OUT/$n.crt" -noout -fingerprint -sha256)
	printf '%s\t%s\t%s\t%s\n' "$n" "${s#subject=}" "${i#issuer=}" "${f#*=}"
done >>"$W/manifest.tsv"
mv "$W/manifest.tsv" "$OUT/manifest.tsv"

[ "${PKI_KEEP_WORK:-0}" = 1 ] || rm -rf -- "$W"
echo "$PROG: ${#LEAVES[@]} red-team leaves written to $OUT"
