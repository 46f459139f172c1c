#!/usr/bin/env bash
#
# tests/fuzz/seeds.sh [DIR]
# tests/fuzz/seeds.sh --records [DIR]
#
# Regenerates what the fuzz targets start from, in DIR (default: this directory):
#
#   anchors/            the fixed trust store every target decides against: fuzz.conf and the
#                       public CA certificates it names (no private key is ever written here)
#   corpus/TARGET/seed-*  the seed inputs of each target
#   record.dict         the record target's dictionary (it holds the anchors' fingerprints)
#
# With --records, only corpus/record/seed-* and record.dict are rewritten, from the anchors and
# the x509 seeds already in DIR (new keys would change every anchor's fingerprint).
#
# Files named regress-* in a corpus directory are inputs that once crashed a target; they are
# kept forever and never touched here.
#
# All dates are fixed (the fuzz targets decide at 2030-06-01 give or take a few years, see
# fuzz.h), and subjects, serials and key identifiers are the constants below, so the facts
# seeds can name the anchors.  Keys and signatures are new on every run: nothing decides on
# them.  Needs the openssl 3 CLI.
#
set -euo pipefail

PROG=${0##*/}
die() { echo "$PROG: $*" >&2; exit 1; }
RECORDS_ONLY=0
if [ "${1:-}" = --records ]; then RECORDS_ONLY=1; shift; fi
[ $# -le 1 ] || { echo "usage: $PROG [--records] [DIR]" >&2; exit 2; }

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
DIR=${1:-$HERE}
OPENSSL=${OPENSSL:-openssl}
ANCHORS=$DIR/anchors
CORPUS=$DIR/corpus
TARGETS="subject device time record x509 certload trust config"

# Keys, requests and the `openssl ca` database live only here, and die with the script.
W=$(mktemp -d "${TMPDIR:-/tmp}/phonecert-fuzz-seeds.XXXXXX")
trap 'rm -rf -- "$W"' EXIT
export OPENSSL_CONF=$W/openssl.cnf
: >"$OPENSSL_CONF"	# hermetic; generate_all writes the CA configuration here
# The CA sections read their subject key identifier from here; every other certificate hashes.
export SKI=hash
mkdir -p "$W/newcerts" "$ANCHORS"
: >"$W/index.txt"

q() {
	"$@" >>"$W/log" 2>&1 || { echo "$PROG: command failed: $*" >&2; tail -n 15 "$W/log" >&2; exit 1; }
}

generate_all() {
#
# The anchors: subject, serial (hex, as FreeRADIUS prints it) and subject key identifier.
#
CAPF_ACTIVE_SUBJ="/C=AU/O=Fuzz Corp/OU=VTG/CN=CAPF-f0220001"
CAPF_ACTIVE_SERIAL=1001
CAPF_ACTIVE_SKI=F0:22:00:01:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:01
CAPF_RETIRING_SUBJ="/O=Fuzz Corp/CN=CAPF-f0220002"
CAPF_RETIRING_SERIAL=1002
CAPF_RETIRING_SKI=F0:22:00:02:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:02
CAPF_DISABLED_SUBJ="/O=Fuzz Corp/CN=CAPF-f0220003"
CAPF_DISABLED_SERIAL=1003
CAPF_DISABLED_SKI=F0:22:00:03:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:03
# Two CAPFs with one subject and serial: only the key identifier tells them apart.
CAPF_TWIN_SUBJ="/O=Fuzz Corp/CN=CAPF-f0220004"
CAPF_TWIN_SERIAL=1004
CAPF_TWIN_A_SKI=F0:22:00:04:AA:00:00:00:00:00:00:00:00:00:00:00:00:00:00:04
CAPF_TWIN_B_SKI=F0:22:00:04:BB:00:00:00:00:00:00:00:00:00:00:00:00:00:00:04
CAPF_EXPIRED_SUBJ="/O=Fuzz Corp/CN=CAPF-f0220005"
CAPF_EXPIRED_SERIAL=1005
CAPF_EXPIRED_SKI=F0:22:00:05:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:05
MFG_ROOT_SUBJ="/O=Cisco/CN=Fuzz Cisco Root CA M2"
MFG_ROOT_SERIAL=2000
MFG_ROOT_SKI=F0:22:00:20:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:20
MFG_INT_SUBJ="/O=Cisco/CN=Fuzz Cisco Manufacturing CA SHA2"
MFG_INT_SERIAL=2001
MFG_INT_SKI=F0:22:00:21:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:21

cat >"$OPENSSL_CONF" <<EOF
[ req ]
distinguished_name = req_dn
string_mask        = utf8only
utf8               = yes
prompt             = no
[ req_dn ]

[ ca ]
default_ca = fuzz_ca
[ fuzz_ca ]
database        = $W/index.txt
new_certs_dir   = $W/newcerts
serial          = $W/serial
default_md      = sha256
policy          = policy_anything
unique_subject  = no
email_in_dn     = yes
copy_extensions = none
[ policy_anything ]
commonName = optional

# OpenSSL 3 adds key identifiers on its own unless told "none": every section says.
[ ca_self ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = \$ENV::SKI
authorityKeyIdentifier = none
[ ca_sub ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = \$ENV::SKI
authorityKeyIdentifier = keyid:always
[ phone ]
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth, serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
[ phone_noid ]
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = none
authorityKeyIdentifier = none
[ phone_email ]
keyUsage               = critical, digitalSignature
extendedKeyUsage       = emailProtection
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
[ phone_ca ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
[ not_ca ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
subjectKeyIdentifier   = \$ENV::SKI
authorityKeyIdentifier = none
EOF

newkey() { q "$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

# ca NAME SUBJ SERIAL SKI START END [ISSUER]: a CA certificate in $W (self-signed without ISSUER).
ca() {
	local name=$1 subj=$2 serial=$3 start=$5 end=$6 issuer=${7:-}
	newkey "$W/$name.key"
	q "$OPENSSL" req -new -key "$W/$name.key" -subj "$subj" -out "$W/$name.csr"
	# A fresh database each time: the twins share a serial on purpose.
	echo "$serial" >"$W/serial"
	: >"$W/index.txt"
	if [ -z "$issuer" ]; then
		SKI=$4 q "$OPENSSL" ca -batch -notext -preserveDN -selfsign -in "$W/$name.csr" -out "$W/$name.pem" \
			-keyfile "$W/$name.key" -startdate "$start" -enddate "$end" -extensions ca_self
	else
		SKI=$4 q "$OPENSSL" ca -batch -notext -preserveDN -in "$W/$name.csr" -out "$W/$name.pem" \
			-cert "$W/$issuer.pem" -keyfile "$W/$issuer.key" -startdate "$start" -enddate "$end" \
			-extensions ca_sub
	fi
}

# leaf NAME ISSUER SUBJ SERIAL [PROFILE [START [END]]]: a phone-style certificate in $W.
leaf() {
	local name=$1 issuer=$2 subj=$3 serial=$4 profile=${5:-phone}
	local start=${6:-20250101000000Z} end=${7:-20350101000000Z}
	newkey "$W/$name.key"
	q "$OPENSSL" req -new -key "$W/$name.key" -subj "$subj" -out "$W/$name.csr"
	echo "$serial" >"$W/serial"
	: >"$W/index.txt"
	SKI=hash q "$OPENSSL" ca -batch -notext -preserveDN -in "$W/$name.csr" -out "$W/$name.pem" \
		-cert "$W/$issuer.pem" -keyfile "$W/$issuer.key" -startdate "$start" -enddate "$end" \
		-extensions "$profile"
}

der() { q "$OPENSSL" x509 -in "$W/$1.pem" -outform DER -out "$2"; }

#
# The trust store (anchors/): what an admin would upload, and nothing else.
#
ca capf-active "$CAPF_ACTIVE_SUBJ" $CAPF_ACTIVE_SERIAL $CAPF_ACTIVE_SKI 20200101000000Z 20400101000000Z
ca capf-retiring "$CAPF_RETIRING_SUBJ" $CAPF_RETIRING_SERIAL $CAPF_RETIRING_SKI 20200101000000Z 20400101000000Z
ca capf-disabled "$CAPF_DISABLED_SUBJ" $CAPF_DISABLED_SERIAL $CAPF_DISABLED_SKI 20200101000000Z 20400101000000Z
ca capf-twin-a "$CAPF_TWIN_SUBJ" $CAPF_TWIN_SERIAL $CAPF_TWIN_A_SKI 20200101000000Z 20400101000000Z
ca capf-twin-b "$CAPF_TWIN_SUBJ" $CAPF_TWIN_SERIAL $CAPF_TWIN_B_SKI 20200101000000Z 20400101000000Z
ca capf-expired "$CAPF_EXPIRED_SUBJ" $CAPF_EXPIRED_SERIAL $CAPF_EXPIRED_SKI 20200101000000Z 20290101000000Z
ca mfg-root "$MFG_ROOT_SUBJ" $MFG_ROOT_SERIAL $MFG_ROOT_SKI 20200101000000Z 20600101000000Z
ca mfg-int "$MFG_INT_SUBJ" $MFG_INT_SERIAL $MFG_INT_SKI 20200101000000Z 20550101000000Z mfg-root

rm -f "$ANCHORS"/*.pem
for a in capf-active capf-retiring capf-disabled capf-twin-a capf-twin-b capf-expired mfg-int; do
	q "$OPENSSL" x509 -in "$W/$a.pem" -out "$ANCHORS/$a.pem"
done
cat >"$ANCHORS/fuzz.conf" <<'EOF'
# The fuzz targets' trust store, written by seeds.sh next to this directory (certificates only).
# The targets vary the [policy] themselves; these anchors cover every anchor state.
[policy]
mic = allow
mic_until = 2032-01-01
mac_binding = enforce
lsc_vlan = 100
mic_vlan = onboarding

[anchor capf-active]
role = lsc
file = capf-active.pem

[anchor capf-retiring]
role = lsc
state = retiring
trust_until = 2031-01-01T00:00:00Z
file = capf-retiring.pem

[anchor capf-disabled]
role = lsc
state = disabled
file = capf-disabled.pem

[anchor capf-twin-a]
role = lsc
file = capf-twin-a.pem

[anchor capf-twin-b]
role = lsc
file = capf-twin-b.pem

[anchor capf-expired]
role = lsc
file = capf-expired.pem

[anchor mfg-int]
role = mic
file = mfg-int.pem
EOF

#
# Phone and hostile certificates (DER seeds of x509 and certload).
#
LSC_SUBJ="/serialNumber=PID:CP-8861 SN:FCH0000F001/C=AU/O=Fuzz Corp/OU=VTG/CN=CP-8861-SEPB000B4BA0AEE"
MIC_SUBJ="/serialNumber=PID:CP-8865 SN:FCH0000F002/O=Cisco Systems Inc./OU=CTG/CN=CP-8865-SEP2C3124C9F8E1"
leaf lsc capf-active "$LSC_SUBJ" 3001
leaf lsc-bare capf-retiring "/CN=SEP001E7AC3D1AB" 3002
leaf lsc-disabled capf-disabled "/CN=SEP001E7AC3D1AC" 3003
leaf lsc-twin capf-twin-a "/CN=SEP001E7AC3D1AD" 3004
leaf lsc-expired-anchor capf-expired "/CN=SEP001E7AC3D1AE" 3005
leaf lsc-noid capf-active "/CN=SEP001E7AC3D1AF" 3006 phone_noid
leaf lsc-email capf-active "/CN=SEP001E7AC3D1B0" 3007 phone_email
leaf lsc-ca capf-active "/CN=SEP001E7AC3D1B1" 3008 phone_ca
leaf lsc-expired capf-active "/CN=SEP001E7AC3D1B2" 3009 phone 20200101000000Z 20290101000000Z
leaf mic mfg-int "$MIC_SUBJ" 4001
leaf mic-2055 mfg-int "/O=Cisco Systems Inc./CN=CP-7841-SEP2C3124C9F8E2" 4002 phone 20250101000000Z 20550101000000Z
leaf sudi mfg-int "/serialNumber=PID:C9300-48P SN:FOC0000F003/O=Cisco/OU=ACT-2 Lite SUDI/CN=C9300-48P" 4003
# Subjects whose oneline form is ambiguous or misleading.
leaf host-slash-in-o capf-active '/O=evil\/CN=SEP001122334455' 5001
leaf host-backslash-o capf-active '/O=evil\\/CN=SEP001122334455' 5002
leaf host-multivalued capf-active '/CN=SEP001122334455/O=x+CN=SEP00AABBCCDDEE' 5003
leaf host-multivalued-only capf-active '/O=x+CN=SEP001122334455' 5004
leaf host-two-cn capf-active '/CN=SEP001122334455/CN=SEP00AABBCCDDEE' 5005
leaf host-plus-in-cn capf-active '/CN=SEP001122334455\+x' 5006
leaf host-long-tail capf-active "/CN=SEP001122334455/name=$(printf 'A%.0s' $(seq 1 1000))/CN=SEP00AABBCCDDEE" 5007
leaf host-utf8 capf-active '/CN=SEP00112233449Ö' 5008

LEAVES="lsc lsc-bare lsc-disabled lsc-twin lsc-expired-anchor lsc-noid lsc-email lsc-ca lsc-expired mic mic-2055
	sudi host-slash-in-o host-backslash-o host-multivalued host-multivalued-only host-two-cn host-plus-in-cn
	host-long-tail host-utf8"

for t in $TARGETS; do
	mkdir -p "$CORPUS/$t"
	rm -f "$CORPUS/$t"/seed-*
done

for c in $LEAVES capf-active mfg-int; do der "$c" "$CORPUS/x509/seed-$c.der"; done

# certload: every wrapping the CLI reads.
C=$CORPUS/certload
der lsc "$C/seed-lsc.der"
cp "$W/lsc.pem" "$C/seed-lsc.pem"
cat "$W/mic.pem" "$W/mfg-int.pem" >"$C/seed-mic-chain.pem"
q "$OPENSSL" crl2pkcs7 -nocrl -certfile "$W/lsc.pem" -certfile "$W/capf-active.pem" -outform DER \
	-out "$C/seed-bundle.p7b"
q "$OPENSSL" crl2pkcs7 -nocrl -certfile "$W/mic.pem" -out "$C/seed-bundle.p7b.pem"
q "$OPENSSL" x509 -in "$W/lsc-bare.pem" -trustout -addtrust clientAuth -out "$C/seed-trusted.pem"
q "$OPENSSL" pkey -in "$W/lsc.key" -pubout -out "$C/seed-pubkey-only.pem"
# A CAPF trace log: a timestamp and level before every line of the block.
{
	echo "capf: certificate of SEP001E7AC3D1AD follows"
	sed 's/^/2030-06-01 10:00:00,123 DEBUG [capf] /' "$W/lsc-twin.pem"
	echo "capf: done"
} >"$C/seed-capf-trace.log"
der host-slash-in-o "$C/seed-host-slash-in-o.der"

# trust: what an admin might upload as an anchor, good and bad.
T=$CORPUS/trust
cp "$W/capf-active.pem" "$T/seed-capf.pem"
der mfg-int "$T/seed-mfg-int.der"
der lsc "$T/seed-not-a-ca.der"
cat "$W/capf-twin-a.pem" "$W/capf-twin-b.pem" >"$T/seed-two-certs.pem"
cat "$W/capf-twin-b.pem" >"$T/seed-twin-b.pem"

# config: the anchors' own file, and policy variants (no '/': the target refuses paths).
F=$CORPUS/config
cp "$ANCHORS/fuzz.conf" "$F/seed-fuzz.conf"
cat >"$F/seed-policy.conf" <<'EOF'
[policy]
mic = deny
mic_until = none
mac_binding = log
reply_profile = juniper
voice_domain = "lsc mic"
lsc_vlan = voice-100
mic_vlan = none
legacy = yes

[ anchor capf ]
role = lsc
state = retiring
trust_until = 2031-01-01 18:00:00+02:00
file = "capf-active.pem"   # comment
EOF
printf '%s\n' '[policy]' 'reply_profile = aruba-cx' 'voice_domain = lsc' 'mac_binding = off' 'legacy = false' \
	'[anchor m]' 'role = mic' 'state = active' 'file = mfg-int.pem' >"$F/seed-aruba.conf"
printf '%s\n' '[anchor x]' 'role = lsc' 'file = capf-disabled.pem' '[anchor x]' 'role = lsc' 'file = capf-expired.pem' \
	>"$F/seed-duplicate-name.conf"
printf '%s\n' '[anchor a]' 'role = lsc' 'file = capf-twin-a.pem' '[anchor b]' 'role = lsc' 'file = capf-twin-a.pem' \
	>"$F/seed-duplicate-cert.conf"
printf '%s\n' '[policy]' 'voice_domain = none' 'reply_profile = none' '[anchor r]' 'role = lsc' 'state = disabled' \
	'trust_until = 2030-01-01' 'file = capf-retiring.pem' >"$F/seed-until-not-retiring.conf"

#
# Times, admin-written and ASN.1.
#
M=$CORPUS/time
i=0
for t in 2027-06-30 2027-06-30T18:00:00Z "2027-06-30 18:00Z" 2027-06-30T18:00:00+02:00 2027-06-30T18:00-05:30 \
	 1970-01-01T00:00:00Z 9999-12-31T23:59:59Z 2024-02-29 250101000000Z 500101000000Z 491231235959Z \
	 20550101000000Z 19500101000000Z 20240229120000Z 2030-06-01T23:59:60Z; do
	printf '%s' "$t" >"$M/seed-$i"
	i=$((i + 1))
done

#
# Subjects (oneline form) and identities.
#
S=$CORPUS/subject
printf '%s' "$LSC_SUBJ" >"$S/seed-lsc"
printf '%s' "$MIC_SUBJ" >"$S/seed-mic"
printf '%s' '/O=evil\/CN=SEP001122334455' >"$S/seed-slash-escaped"
printf '%s' '/CN=SEP001122334455/O=x+CN=SEP00AABBCCDDEE' >"$S/seed-multivalued"
printf '%s' '/CN=SEP001122334455\x00.evil' >"$S/seed-nul"
printf '%s' '/1.2.840.113549.1.9.1=a@b/CN=CP-7961G-SEP001E7AC3D1AB' >"$S/seed-oid"
D=$CORPUS/device
printf '%s' SEP001E7AC3D1AB >"$D/seed-sep"
printf '%s' CP-8861-SEPB000B4BA0AEE >"$D/seed-cp"
printf '%s' 'PID:CP-8861 SN:FCH2133E8B9' >"$D/seed-pid-sn"
printf '%s' 00-11-22-33-44-55 >"$D/seed-mac-dash"
printf '%s' 0011.2233.4455 >"$D/seed-mac-dot"
printf 'keyid:68:07:4B:3C\nDirName:/O=Cisco/CN=Root\nserial:01\n' >"$D/seed-keyid"

}

#
# Records: the text attribute the verification hook writes and the decision decodes
# (rlm_phonecert/core/cert.c), in the binary form fuzz_record.c reads: policy byte, OpenSSL
# error byte, day offset from 2030-06-01 (int16 little-endian), anchor byte (0: the record's
# own fingerprint), then the record, and optionally NUL, Calling-Station-Id, NUL, message.
# The records are made here with the openssl CLI from the x509 seeds and the anchors, as
# pc_cert_from_x509 and pc_verify_chain would make them.
#
hexs() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
fingerprint() { "$OPENSSL" x509 -in "$ANCHORS/$1.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f'; }
leaf_x() { "$OPENSSL" x509 -inform DER -in "$CORPUS/x509/seed-$1.der" -noout "${@:2}"; }
name_attr() { leaf_x "$1" "-$2" -nameopt sep_multiline,sname,utf8 | sed -n "s/^ *$3=//p" | head -n 1; }
epoch() { date -u -d "$(leaf_x "$1" "-$2" | sed 's/^[^=]*=//')" +%s; }

# record_of LEAF VERIFY_ERROR ERROR_DEPTH CHAIN_LENGTH UNTRUSTED ANCHOR|- FLAGS: the record text.
record_of() {
	local leaf=$1 fp='' aki
	[ "$6" = - ] || fp=$(fingerprint "$6")
	aki=$(leaf_x "$leaf" -ext authorityKeyIdentifier 2>/dev/null | sed -n '2s/^ *\(keyid:\)\{0,1\}//p' | tr -d ':' |
		tr 'A-F' 'a-f')
	printf 'pc2;%s;%s;%s;%s;%s;%s;0;%s;%s;%s;%s;%s;%s;%s;%s' "$2" "$3" "$4" "$5" "$fp" "$7" \
		"$(hexs "$(name_attr "$leaf" subject CN)")" "$(hexs "$(name_attr "$leaf" subject serialNumber)")" \
		"$(leaf_x "$leaf" -serial | sed 's/^serial=//' | tr 'A-F' 'a-f')" "$(epoch "$leaf" startdate)" \
		"$(epoch "$leaf" enddate)" "$aki" "$(hexs "$(name_attr "$leaf" issuer CN)")" \
		"$(leaf_x "$leaf" -fingerprint -sha256 | sed 's/^[^=]*=//' | tr -d ':' | tr 'A-F' 'a-f')"
}

# seed NAME POLICY ERROR DAYS ANCHOR_BYTE RECORD [CSID [MESSAGE]]
seed() {
	local name=$1 policy=$2 error=$3 days=$4 anchor=$5 record=$6
	{
		printf "\\x$(printf %02x "$policy")\\x$(printf %02x "$error")"
		printf "\\x$(printf %02x $((days & 255)))\\x$(printf %02x $(((days >> 8) & 255)))"
		printf "\\x$(printf %02x "$anchor")"
		printf '%s' "$record"
		if [ $# -ge 7 ]; then printf '\0%s' "$7"; fi
		if [ $# -ge 8 ]; then printf '\0%s' "$8"; fi
	} >"$CORPUS/record/seed-$name"
}

generate_records() {
	local lsc mic
	mkdir -p "$CORPUS/record"
	rm -f "$CORPUS/record"/seed-*
	# Verified, directly under an anchor (PC_CHAIN_ISSUER_TRUSTED and the phone profile's flags).
	lsc=$(record_of lsc 0 0 2 1 capf-active 107e)
	seed lsc-accepted 0 0 0 0 "$lsc" B0-00-B4-BA-0A-EE
	seed lsc-mac-mismatch 1 0 0 0 "$lsc" 00-11-22-33-44-55
	seed lsc-resumed-late 2 0 2000 0 "$lsc"
	seed lsc-retiring 3 0 0 0 "$(record_of lsc-bare 0 0 2 1 capf-retiring 107e)" 001E7AC3D1AB
	seed lsc-window-closed 0 0 400 0 "$(record_of lsc-bare 0 0 2 1 capf-retiring 107e)" 001E7AC3D1AB
	seed lsc-twin 2 0 0 0 "$(record_of lsc-twin 0 0 2 1 capf-twin-a 107e)"
	seed lsc-anchor-expired 2 0 0 0 "$(record_of lsc-expired-anchor 0 0 2 1 capf-expired 107e)"
	seed lsc-disabled-anchor 2 0 0 0 "$(record_of lsc-disabled 0 0 2 1 capf-disabled 107e)"
	seed lsc-no-aki 2 0 0 0 "$(record_of lsc-noid 0 0 2 1 capf-active 101e)"
	mic=$(record_of mic 0 0 2 1 mfg-int 107e)
	seed mic-accepted 0 0 0 0 "$mic" 2C-31-24-C9-F8-E1
	seed mic-cutoff 1 0 800 0 "$mic" 2C-31-24-C9-F8-E1
	seed mic-denied 3 0 0 0 "$mic" 2C-31-24-C9-F8-E1
	seed sudi 2 0 0 0 "$(record_of sudi 0 0 2 1 mfg-int 107e)"
	# No fingerprint in the text: the anchor byte supplies capf-active's (the first anchor).
	seed lsc-anchor-byte 2 0 0 1 "$(record_of lsc 0 0 2 1 - 107e)"
	# Verified through a CA the phone sent: not directly under an anchor.
	seed not-anchored 2 0 0 0 "$(record_of mic 0 0 3 2 - 007e)"
	# Refused by OpenSSL: the signer found among the anchors, a borrowed name, a chain too deep.
	seed refused-disabled 0 20 0 0 "$(record_of lsc-disabled 20 0 1 1 capf-disabled 207e)" "" \
		"(TLS) OpenSSL says error 20 : unable to get local issuer certificate"
	seed refused-named 0 20 0 0 "$(record_of lsc 20 0 1 1 - 407e)"
	seed refused-expired 4 10 0 0 "$(record_of lsc-expired 10 0 2 1 capf-active 207e)" "" \
		"OpenSSL says error 10 : certificate has expired"
	seed refused-deep 5 25 0 0 "$(record_of lsc 25 3 4 3 - 807e)"
	# No record: a failure before any certificate, and records the decoder refuses.
	seed old-tls 6 0 0 0 "" "" "tls_process_client_hello: unsupported protocol"
	seed empty-record 0 0 0 0 "pc2;0;0;0;0;;0;1;;;;0;0;;;"
	# A record of the version before the certificate's fingerprint: refused.
	seed old-version 2 0 0 0 "pc1;0;0;2;1;;107e;0;;;01;0;1;;"
	seed extra-field 2 0 0 1 "$lsc;"

	{
		echo '# The record text (tests/fuzz/fuzz_record.c), written by seeds.sh: its tag, flags the'
		echo '# verifier sets, hex of phone names, and the fuzz anchors'"'"' fingerprints.'
		echo '"pc2;"'
		echo '";"'
		echo '"\x00"'
		for t in 107e 207e 407e 807e 7e 0 1 2 -1 20 100 534550 43502d 2d534550 434150462d; do echo "\"$t\""; done
		for a in capf-active capf-retiring capf-disabled capf-twin-a capf-twin-b capf-expired mfg-int; do
			echo "\"$(fingerprint "$a")\""
		done
		echo '"OpenSSL says error "'
		echo '"unsupported protocol"'
	} >"$DIR/record.dict"
}

if [ $RECORDS_ONLY = 0 ]; then generate_all; fi
generate_records
echo "$PROG: anchors in $ANCHORS, seeds in $CORPUS"
