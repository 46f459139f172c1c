#!/usr/bin/env bash
#
# tests/pki/check.sh OUTDIR
#
# Sanity-checks what gen.sh wrote into OUTDIR, using only the openssl CLI:
# file layout, key/certificate pairs, subjects, extensions, serials, and the
# `openssl verify` outcome (including the exact X509_V_ERR code) of every
# variant.  Prints one line per failed check (VERBOSE=1: every check) and
# exits non-zero if anything is not as gen.sh promises.
#
# No pipefail: accessors pipe openssl into head/sed and only the text matters.
set -eu

PROG=${0##*/}
[ $# -eq 1 ] || { echo "usage: $PROG OUTDIR" >&2; exit 2; }
SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
OPENSSL=${OPENSSL:-openssl}
cd "$1" || exit 2
export OPENSSL_CONF=/dev/null   # hermetic: no system defaults (auth level etc.)

npass=0 nfail=0 nskip=0
pass() { npass=$((npass + 1)); [ -z "${VERBOSE:-}" ] || echo "ok   $*"; }
fail() { nfail=$((nfail + 1)); echo "FAIL $*"; }
# t DESC CMD...: the command must succeed.
t() { local d=$1; shift; if "$@" >/dev/null 2>&1; then pass "$d"; else fail "$d"; fi; }
# eq DESC GOT WANT
eq() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$(flat "$2")', want '$(flat "$3")'"; fi; }
ne() { if [ "$2" != "$3" ]; then pass "$1"; else fail "$1: both are '$(flat "$2")'"; fi; }
# flat STR: one line, at most 160 characters (for messages).
flat() { local s=${1//$'\n'/ }; echo "${s:0:160}"; }

# --- accessors (NAME = file stem) ---------------------------------------
# Every certificate is parsed once by load() (called for all *.crt below);
# the accessors then only read these arrays, so they also work in $(...).
x() { "$OPENSSL" x509 -in "$1.crt" -noout "${@:2}"; }
declare -A SUBJ=() ISS=() SER=() FPR=() NB=() NA=() PUB=() TXT=()
load() {
	local n=$1 line
	[ -s "$n.crt" ] || return 0
	while IFS= read -r line; do
		case $line in
		subject=*)      SUBJ[$n]=${line#subject=} ;;
		issuer=*)       ISS[$n]=${line#issuer=} ;;
		serial=*)       SER[$n]=${line#serial=} ;;
		notBefore=*)    NB[$n]=$(date -u -d "${line#notBefore=}" +%s) ;;
		notAfter=*)     NA[$n]=$(date -u -d "${line#notAfter=}" +%s) ;;
		*Fingerprint=*) FPR[$n]=${line#*=} ;;
		esac
	done < <(x "$n" -nameopt RFC2253 -subject -issuer -serial -startdate -enddate -fingerprint -sha256)
	PUB[$n]=$(x "$n" -pubkey)
	TXT[$n]=$(x "$n" -text -certopt no_sigdump)
}
subj()   { echo "${SUBJ[$1]:-}"; }
iss()    { echo "${ISS[$1]:-}"; }
serial() { echo "${SER[$1]:-}"; }
fpr()    { echo "${FPR[$1]:-}"; }
pub()    { echo "${PUB[$1]:-}"; }
# ext NAME EXTNAME: the extension's value lines joined by "|", "" if absent;
# crit NAME EXTNAME: "critical" or "-".
_ext() {
	local label
	case $3 in
	subjectKeyIdentifier)   label="Subject Key Identifier" ;;
	authorityKeyIdentifier) label="Authority Key Identifier" ;;
	basicConstraints)       label="Basic Constraints" ;;
	keyUsage)               label="Key Usage" ;;
	extendedKeyUsage)       label="Extended Key Usage" ;;
	*) echo "check.sh: unknown extension $3" >&2; return 1 ;;
	esac
	awk -v mode="$1" -v L="X509v3 $label:" '
		found { match($0, /^ */)
			if (RLENGTH <= hind) exit
			v = substr($0, RLENGTH + 1); sub(/^keyid:/, "", v)
			out = out (out == "" ? "" : "|") v; next }
		{ t = $0; sub(/^ */, "", t)
		  if (index(t, L) == 1) { found = 1; match($0, /^ */); hind = RLENGTH
			crit = (substr(t, length(L) + 1) ~ /critical/) } }
		END { if (mode == "crit") print (crit ? "critical" : "-"); else print out }' <<<"${TXT[$2]:-}"
}
ext()  { _ext value "$1" "$2"; }
crit() { _ext crit "$1" "$2"; }
sigalg() { sed -n 's/^ *Signature Algorithm: //p' <<<"${TXT[$1]:-}" | sed -n 1p; }
keytype() {
	local t=${TXT[$1]:-}
	case $t in
	*"Public Key Algorithm: rsaEncryption"*) echo "rsa$(sed -n 's/.*Public-Key: (\([0-9]*\) bit).*/\1/p' <<<"$t")" ;;
	*"NIST CURVE: P-256"*) echo p256 ;;
	*) echo unknown ;;
	esac
}
epoch()  { case $2 in startdate) echo "${NB[$1]:-0}" ;; enddate) echo "${NA[$1]:-0}" ;; esac; }
lifedays() { echo $((($(epoch "$1" enddate) - $(epoch "$1" startdate)) / 86400)); }

# --- openssl verify with an exact expected outcome ------------------------
# vok DESC VERIFY-ARGS...: must verify with no error at all.
vok() {
	local d=$1 out
	shift
	if out=$("$OPENSSL" verify "$@" 2>&1) && ! grep -q '^error ' <<<"$out"; then
		pass "verify OK: $d"
	else
		fail "verify OK: $d: $(grep -m 2 '^error' <<<"$out" | paste -sd' ')"
	fi
}
# verr CODE DESC VERIFY-ARGS...: must fail, and CODE must be the only error.
verr() {
	local code=$1 d=$2 out codes
	shift 2
	if out=$("$OPENSSL" verify "$@" 2>&1); then
		fail "verify error $code: $d: verified OK"
		return
	fi
	codes=$(sed -n 's/^error \([0-9][0-9]*\) at .*/\1/p' <<<"$out" | sort -un | paste -sd' ')
	eq "verify error $code: $d" "$codes" "$code"
}

# --- what gen.sh promises -------------------------------------------------
CAS=(mfg-root mfg-int legacy-root legacy-int capf-a capf-a-old capf-b capf-c
	ent-ca rogue-a rogue-a-ski server-ca notca deep-int1 deep-int2 unuploaded-int)
LEAVES=(server lsc-a lsc-a-ec lsc-a-old lsc-b lsc-c lsc-ent lsc-rogue lsc-rogue-ski
	lsc-expired mic-8861 mic-8861-fullchain mic-expired mic-legacy sudi-switch
	host-nul-cn host-two-cn host-long-cn host-nonascii host-lower-sep host-short-mac
	host-leaf-ca host-no-ski-aki host-big-serial host-rsa1024 host-future host-deep
	host-via-unuploaded host-wrong-eku)
# Issuer of each leaf / subordinate CA.
declare -A ISSUER=(
	[mfg-int]=mfg-root [legacy-int]=legacy-root [deep-int1]=capf-a
	[deep-int2]=deep-int1 [unuploaded-int]=mfg-root [server]=server-ca
	[lsc-a]=capf-a [lsc-a-ec]=capf-a [lsc-a-old]=capf-a-old [lsc-b]=capf-b
	[lsc-c]=capf-c [lsc-ent]=ent-ca [lsc-rogue]=rogue-a [lsc-rogue-ski]=rogue-a-ski
	[lsc-expired]=capf-a [mic-8861]=mfg-int [mic-8861-fullchain]=mfg-int
	[mic-expired]=mfg-int [mic-legacy]=legacy-int [sudi-switch]=mfg-int
	[host-deep]=deep-int2 [host-via-unuploaded]=unuploaded-int)
# attacks.sh: the forged CAs and the leaves of the attack cases (README.md, "Attack leaves").
ATK_CAS=(atk-int-old atk-int-ent atk-int-mfg atk-rogue-sub atk-int-sub atk-twin)
ATK_LEAVES=(atk-forged-int-old atk-forged-int-ent atk-lsc-as-mic atk-subca-named-like-parent
	atk-escaped-cn atk-nul-escape-cn atk-nul-escape-two-cn atk-nul-escape-slash atk-no-cn
	atk-long-ext-ca atk-long-ext-ku atk-aki-dns-keyid atk-aki-dns-keyid-twin
	lsc-a-sends-capf mic-ec sudi-isr ap-expired)
CAS+=("${ATK_CAS[@]}")
ALL_LEAVES=("${LEAVES[@]}" "${ATK_LEAVES[@]}")
ISSUER+=([atk-int-old]=capf-a-old [atk-int-ent]=ent-ca [atk-int-mfg]=ent-ca [atk-rogue-sub]=ent-ca
	[atk-int-sub]=atk-rogue-sub [atk-twin]=atk-twin
	[atk-forged-int-old]=atk-int-old [atk-forged-int-ent]=atk-int-ent [atk-lsc-as-mic]=atk-int-mfg
	[atk-subca-named-like-parent]=atk-int-sub [atk-aki-dns-keyid-twin]=atk-twin
	[mic-ec]=mfg-int [sudi-isr]=mfg-int [ap-expired]=mfg-int)
for n in "${ALL_LEAVES[@]}"; do [ -n "${ISSUER[$n]:-}" ] || ISSUER[$n]=capf-a; done
# Intermediates the device sends after its leaf in NAME.chain.pem.
declare -A SENDS=([mic-8861-fullchain]="mfg-int" [host-deep]="deep-int2 deep-int1"
	[host-via-unuploaded]="unuploaded-int"
	[atk-forged-int-old]="atk-int-old" [atk-forged-int-ent]="atk-int-ent" [atk-lsc-as-mic]="atk-int-mfg"
	[atk-subca-named-like-parent]="atk-int-sub atk-rogue-sub" [lsc-a-sends-capf]="capf-a")
# Expected subjects (RFC 2253, i.e. reversed DER order).
CAPF_A="CN=CAPF-a6d4c572,OU=VTG,O=Example Corp,L=Bangalore,ST=Karnataka,C=IN"
declare -A SUBJECT=(
	[mfg-root]="CN=Test Cisco Root CA M2,O=Cisco"
	[mfg-int]="CN=Test Cisco Manufacturing CA SHA2,O=Cisco"
	[legacy-root]="CN=Test Cisco Root CA 2048,O=Cisco Systems"
	[legacy-int]="CN=Test CAP-RTP-002,O=Cisco Systems"
	[capf-a]=$CAPF_A [capf-a-old]=$CAPF_A [rogue-a]=$CAPF_A [rogue-a-ski]=$CAPF_A
	[capf-b]="CN=CAPF-a7fb32bf,OU=IST,O=stormin,L=Sydney,ST=NSW,C=AU"
	[capf-c]="CN=CAPF-0badc0de,O=Other Org"
	[ent-ca]="CN=Example Enterprise Issuing CA,O=Example Corp"
	[server-ca]="CN=Test RADIUS Server CA" [server]="CN=radius.test"
	[unuploaded-int]="CN=Unuploaded Intermediate"
	[notca]="CN=cucm-pub.example.com,O=Example Corp"
	[deep-int1]="CN=Deep Intermediate 1,O=Example Corp" [deep-int2]="CN=Deep Intermediate 2,O=Example Corp"
	[lsc-a]="CN=CP-8861-SEPB000B4BA0AEE,OU=VTG,O=Example Corp,C=IN,serialNumber=PID:CP-8861 SN:FCH18198CNQ"
	[lsc-a-ec]="CN=SEP001E7AC3D1AB"
	[lsc-a-old]="O=Example Corp,CN=CP-7841-SEP00A1B2C3D4E5"
	[lsc-b]="CN=CP-8861-SEPB000B4BA0AEF,OU=IST,O=stormin,C=AU,serialNumber=PID:CP-8861 SN:FCH18198CNR"
	[lsc-c]="CN=CP-8845-SEP0011223344C0"
	[lsc-ent]="CN=SEP0011223344E0"
	[lsc-rogue]="CN=CP-8861-SEPB000B4BA0AEE" [lsc-rogue-ski]="CN=CP-8861-SEPB000B4BA0AEE"
	[lsc-expired]="CN=SEP0011223344A1"
	[mic-8861]="CN=CP-8861-SEP2C3124C9F8E1,OU=CTG,O=Cisco Systems Inc.,serialNumber=PID:CP-8861 SN:FCH2133E8B9"
	[mic-8861-fullchain]="CN=CP-8865-SEP2C3124C9F8E2"
	[mic-expired]="O=Cisco Systems Inc.,CN=CP-7961G-SEP001E7AC3D1AB"
	[mic-legacy]="OU=CTG,O=Cisco Systems,CN=CP-7961G-SEP001E7AC3D1AC"
	[sudi-switch]="CN=C9300-48P,OU=ACT-2 Lite SUDI,O=Cisco,serialNumber=PID:C9300-48P SN:FOC2227Y0AB"
	[host-nul-cn]='CN=SEP001122334455\00.evil'
	[host-two-cn]="CN=SEP001122334477,CN=SEP001122334466"
	[host-long-cn]="CN=$(printf 'A%.0s' {1..4000})SEP001122334488"
	[host-nonascii]='CN=SEP00112233449\C3\96'
	[host-lower-sep]="CN=sep0011223344aa" [host-short-mac]="CN=SEP00112233445"
	[host-leaf-ca]="CN=SEP0011223344B1" [host-no-ski-aki]="CN=SEP0011223344B2"
	[host-big-serial]="CN=SEP0011223344B3" [host-rsa1024]="CN=SEP0011223344B4"
	[host-future]="CN=SEP0011223344B5" [host-deep]="CN=SEP0011223344B6"
	[host-via-unuploaded]="CN=SEP0011223344B7" [host-wrong-eku]="CN=SEP0011223344B8")
SUBJECT+=(
	[atk-int-old]=$CAPF_A [atk-int-ent]=$CAPF_A [atk-twin]=$CAPF_A
	[atk-int-mfg]="CN=Test Cisco Manufacturing CA SHA2,O=Cisco"
	[atk-rogue-sub]="CN=Rogue Sub CA,O=Example Corp"
	[atk-int-sub]="CN=Example Enterprise Issuing CA,O=Example Corp"
	[atk-forged-int-old]="CN=CP-8861-SEP00DEADBEEF31" [atk-forged-int-ent]="CN=CP-8861-SEP00DEADBEEF32"
	[atk-lsc-as-mic]="CN=SEP00DEADBEEF33" [atk-subca-named-like-parent]="CN=SEP00DEADBEEF34"
	[atk-escaped-cn]='CN=\\123EP00DEADBEEF41'
	[atk-nul-escape-cn]='CN=SEP00DEADBEEF42\\000x'
	[atk-nul-escape-two-cn]='CN=SEP00DEADBEEF44,CN=SEP00DEADBEEF43\\000'
	[atk-nul-escape-slash]='O=x/CN=y,CN=SEP00DEADBEEF45\\000'
	[atk-no-cn]="OU=VTG,O=Example Corp"
	[atk-long-ext-ca]="CN=SEP00DEADBEEF46" [atk-long-ext-ku]="CN=SEP00DEADBEEF4A"
	[atk-aki-dns-keyid]="CN=SEP00DEADBEEF47" [atk-aki-dns-keyid-twin]="CN=SEP00DEADBEEF48"
	[lsc-a-sends-capf]=${SUBJECT[lsc-a]}
	[mic-ec]="CN=CP-8851-SEP2C3124C9F8E3,OU=CTG,O=Cisco Systems Inc.,serialNumber=PID:CP-8851 SN:FCH2133E8C0"
	[sudi-isr]="CN=ISR4321/K9,OU=ACT-2 Lite SUDI,O=Cisco,serialNumber=PID:ISR4321/K9 SN:FDO2112A0BC"
	[ap-expired]="CN=AIR-AP2802I-E-K9,O=Cisco Systems,serialNumber=PID:AIR-AP2802I-E-K9 SN:KWC21410ABC")
declare -A KEYTYPE=([mfg-root]=rsa2048 [mfg-int]=rsa2048 [legacy-root]=rsa2048
	[legacy-int]=rsa2048 [capf-a]=rsa2048 [capf-a-old]=rsa2048 [rogue-a]=rsa2048
	[rogue-a-ski]=rsa2048 [lsc-a]=rsa2048 [mic-8861]=rsa2048 [mic-legacy]=rsa2048
	[host-rsa1024]=rsa1024 [capf-b]=p256 [ent-ca]=p256 [lsc-b]=p256 [lsc-a-ec]=p256)
KEYTYPE+=([atk-int-old]=p256 [atk-int-ent]=p256 [atk-int-mfg]=p256 [atk-int-sub]=rsa2048 [atk-twin]=p256
	[atk-rogue-sub]=p256 [lsc-a-sends-capf]=rsa2048 [mic-ec]=p256)
declare -A LIFEDAYS=([mfg-root]=7300 [capf-a]=1825 [lsc-a]=730 [lsc-b]=730
	[mic-8861]=3650 [mic-8861-fullchain]=3650 [lsc-expired]=730 [host-future]=730)

declare -A SKIPPED=()
if [ -f skipped ]; then
	while read -r n; do SKIPPED[$n]=1; echo "SKIP $n (listed in OUTDIR/skipped)"; nskip=$((nskip + 1)); done <skipped
fi
present() { [ -z "${SKIPPED[$1]:-}" ]; }

PK8_HEADER="-----BEGIN PRIVATE"" KEY-----"

for n in "${CAS[@]}" "${ALL_LEAVES[@]}"; do load "$n"; done

###########################################################################
# Layout, keys, chains, manifest
###########################################################################
t "marker file" test -e .phonecert-test-pki
for n in "${CAS[@]}"; do
	t "$n.crt exists" test -s "$n.crt"
	t "private/$n.key exists" test -s "private/$n.key"
	t "no CA key $n.key outside private/" test ! -e "$n.key"
	{ [ -s "$n.crt" ] && [ -s "private/$n.key" ]; } || continue
	eq "$n: key matches certificate" "$("$OPENSSL" pkey -in "private/$n.key" -pubout)" "$(pub "$n")"
done
for n in "${ALL_LEAVES[@]}"; do
	present "$n" || continue
	for f in "$n.crt" "$n.key" "$n.chain.pem"; do t "$f exists" test -s "$f"; done
	{ [ -s "$n.crt" ] && [ -s "$n.key" ] && [ -s "$n.chain.pem" ]; } || continue
	eq "$n.key is unencrypted PKCS#8" "$(head -n 1 "$n.key")" "$PK8_HEADER"
	eq "$n: key matches certificate" "$("$OPENSSL" pkey -in "$n.key" -pubout)" "$(pub "$n")"
	want=$(cat "$n.crt"; for c in ${SENDS[$n]:-}; do cat "$c.crt"; done)
	eq "$n.chain.pem = leaf ${SENDS[$n]:-}" "$(cat "$n.chain.pem")" "$want"
	eq "$n: subject" "$(subj "$n")" "${SUBJECT[$n]}"
	eq "$n: issuer name" "$(iss "$n")" "$(subj "${ISSUER[$n]}")"
done
for n in "${!SUBJECT[@]}"; do
	{ present "$n" && [ -s "$n.crt" ]; } || continue
	case " ${CAS[*]} " in *" $n "*) eq "$n: subject" "$(subj "$n")" "${SUBJECT[$n]}" ;; esac
done
for n in "${!ISSUER[@]}"; do
	case " ${CAS[*]} " in *" $n "*) eq "$n: issuer name" "$(iss "$n")" "$(subj "${ISSUER[$n]}")" ;; esac
done
for n in "${!KEYTYPE[@]}"; do eq "$n: key type" "$(keytype "$n")" "${KEYTYPE[$n]}"; done
for n in "${!LIFEDAYS[@]}"; do eq "$n: lifetime (days)" "$(lifedays "$n")" "${LIFEDAYS[$n]}"; done

# Private keys exist only as *.key files here, and never in the source tree.
eq "no private key outside *.key" \
	"$(grep -rlE -- '-----BEGIN ([A-Z]+ )?PRIVATE KEY-----' . | grep -v '\.key$' || true)" ""
eq "no private key in $SRCDIR" \
	"$(grep -rlE -- '-----BEGIN ([A-Z]+ )?PRIVATE KEY-----' "$SRCDIR" || true)" ""

# manifest.tsv: one line per leaf, recomputed field by field.
if [ -s manifest.tsv ]; then
	want=$(for n in "${ALL_LEAVES[@]}"; do present "$n" && echo "$n"; done | sort)
	eq "manifest.tsv lists exactly the leaves" "$(cut -f1 manifest.tsv | sort)" "$want"
	while IFS=$'\t' read -r n s i f rest; do
		[ -s "$n.crt" ] || { fail "manifest: $n.crt missing"; continue; }
		eq "manifest: $n row" "$s|$i|$f|${rest:-}" "$(subj "$n")|$(iss "$n")|$(fpr "$n")|"
	done <manifest.tsv
else
	fail "manifest.tsv missing"
fi

###########################################################################
# CA properties
###########################################################################
for n in mfg-root legacy-root capf-a capf-a-old capf-b capf-c ent-ca rogue-a rogue-a-ski server-ca notca; do
	eq "$n: self-issued" "$(iss "$n")" "$(subj "$n")"
done
for n in mfg-root legacy-root server-ca ent-ca; do
	eq "$n: basicConstraints" "$(crit "$n" basicConstraints) $(ext "$n" basicConstraints)" "critical CA:TRUE"
done
for n in mfg-int legacy-int capf-a capf-a-old capf-b capf-c rogue-a rogue-a-ski unuploaded-int; do
	eq "$n: basicConstraints" "$(crit "$n" basicConstraints) $(ext "$n" basicConstraints)" "critical CA:TRUE, pathlen:0"
done
for n in deep-int1 deep-int2; do eq "$n: basicConstraints" "$(ext "$n" basicConstraints)" "CA:TRUE"; done
eq "notca: basicConstraints" "$(ext notca basicConstraints)" "CA:FALSE"
for n in mfg-root mfg-int legacy-root legacy-int capf-a capf-a-old capf-b capf-c ent-ca rogue-a rogue-a-ski server-ca deep-int1 deep-int2 unuploaded-int; do
	eq "$n: keyUsage" "$(ext "$n" keyUsage)" "Certificate Sign, CRL Sign"
	ne "$n: has SKI" "$(ext "$n" subjectKeyIdentifier)" ""
done
for n in mfg-int legacy-int deep-int1 deep-int2 unuploaded-int; do
	eq "$n: AKI = issuer SKI" "$(ext "$n" authorityKeyIdentifier)" "$(ext "${ISSUER[$n]}" subjectKeyIdentifier)"
done
eq "mfg-root: no AKI" "$(ext mfg-root authorityKeyIdentifier)" ""
eq "mfg-root: sha256" "$(sigalg mfg-root)" "sha256WithRSAEncryption"
eq "mfg-int: sha256" "$(sigalg mfg-int)" "sha256WithRSAEncryption"
eq "legacy-root: SHA-1" "$(sigalg legacy-root)" "sha1WithRSAEncryption"
eq "legacy-int: SHA-1" "$(sigalg legacy-int)" "sha1WithRSAEncryption"
eq "mic-legacy: SHA-1" "$(sigalg mic-legacy)" "sha1WithRSAEncryption"
t "capf-a: random serial (>= 8 bytes)" test "$(serial capf-a | wc -c)" -gt 16
ne "capf-a-old: other serial than capf-a" "$(serial capf-a-old)" "$(serial capf-a)"
ne "capf-a-old: other key than capf-a" "$(pub capf-a-old)" "$(pub capf-a)"
t "capf-a-old: older than capf-a" test "$(epoch capf-a-old startdate)" -lt "$(epoch capf-a startdate)"
for n in rogue-a rogue-a-ski; do
	eq "$n: same serial as capf-a" "$(serial "$n")" "$(serial capf-a)"
	ne "$n: own key" "$(pub "$n")" "$(pub capf-a)"
done
ne "rogue-a: own SKI" "$(ext rogue-a subjectKeyIdentifier)" "$(ext capf-a subjectKeyIdentifier)"
eq "rogue-a-ski: copied SKI" "$(ext rogue-a-ski subjectKeyIdentifier)" "$(ext capf-a subjectKeyIdentifier)"
vok "mfg-int under mfg-root" -CAfile mfg-root.crt mfg-int.crt
vok "legacy-int under legacy-root (auth_level 0)" -auth_level 0 -CAfile legacy-root.crt legacy-int.crt
vok "unuploaded-int under mfg-root" -CAfile mfg-root.crt unuploaded-int.crt
for n in capf-a capf-a-old capf-b capf-c ent-ca rogue-a rogue-a-ski; do vok "$n self-signed" -CAfile "$n.crt" "$n.crt"; done

###########################################################################
# Leaf profiles
###########################################################################
for n in "${LEAVES[@]}"; do
	{ present "$n" && [ -s "$n.crt" ]; } || continue
	case $n in
	server)
		eq "server: EKU" "$(ext server extendedKeyUsage)" "TLS Web Server Authentication"
		continue ;;
	host-no-ski-aki)
		eq "$n: no SKI" "$(ext "$n" subjectKeyIdentifier)" ""
		eq "$n: no AKI" "$(ext "$n" authorityKeyIdentifier)" ""
		;;
	*)
		ne "$n: has SKI" "$(ext "$n" subjectKeyIdentifier)" ""
		eq "$n: AKI = issuer SKI" "$(ext "$n" authorityKeyIdentifier)" "$(ext "${ISSUER[$n]}" subjectKeyIdentifier)"
		;;
	esac
	case $n in
	host-wrong-eku) eq "$n: EKU" "$(ext "$n" extendedKeyUsage)" "E-mail Protection" ;;
	*) eq "$n: EKU" "$(ext "$n" extendedKeyUsage)" "TLS Web Client Authentication, TLS Web Server Authentication" ;;
	esac
	case $(keytype "$n") in
	rsa*) eq "$n: keyUsage" "$(ext "$n" keyUsage)" "Digital Signature, Key Encipherment" ;;
	*)    eq "$n: keyUsage" "$(ext "$n" keyUsage)" "Digital Signature" ;;
	esac
	case $n in
	host-leaf-ca) eq "$n: basicConstraints" "$(ext "$n" basicConstraints)" "CA:TRUE" ;;
	*)            eq "$n: no basicConstraints" "$(ext "$n" basicConstraints)" "" ;;
	esac
	case $n in
	mic-legacy) ;;
	*) t "$n: SHA-256 signature" grep -q -i sha256 <<<"$(sigalg "$n")" ;;
	esac
done
eq "lsc-rogue-ski: AKI = capf-a SKI" "$(ext lsc-rogue-ski authorityKeyIdentifier)" "$(ext capf-a subjectKeyIdentifier)"
ne "lsc-rogue: AKI != capf-a SKI" "$(ext lsc-rogue authorityKeyIdentifier)" "$(ext capf-a subjectKeyIdentifier)"
if present host-nonascii; then
	eq "host-nonascii: UTF8String CN" "$(x host-nonascii -subject -nameopt RFC2253,show_type)" \
		'subject=CN=UTF8STRING:SEP00112233449\C3\96'
fi
s=$(serial host-big-serial)
eq "host-big-serial: 24-byte serial" "${#s}" 48
eq "host-big-serial: first hex digit 7" "${s:0:1}" 7
now=$(date -u +%s)
t "host-future: notBefore ~30 days ahead" test "$(epoch host-future startdate)" -gt $((now + 29 * 86400))
t "lsc-expired: expired within the last 2 days" test "$(epoch lsc-expired enddate)" -gt $((now - 2 * 86400)) -a "$(epoch lsc-expired enddate)" -lt "$now"
t "mic-expired: notBefore ~11 years ago" test "$(epoch mic-expired startdate)" -lt $((now - 4000 * 86400))
t "mic-expired: notAfter ~1 year ago" test "$(epoch mic-expired enddate)" -lt $((now - 360 * 86400))

###########################################################################
# Verification outcomes (what a correct validator must conclude)
###########################################################################
PC=(-partial_chain)
# Good LSCs against their own CAPF (the admin uploads the CAPF certificate).
vok "lsc-a vs capf-a"               "${PC[@]}" -CAfile capf-a.crt lsc-a.crt
vok "lsc-a-ec vs capf-a"            "${PC[@]}" -CAfile capf-a.crt lsc-a-ec.crt
vok "lsc-a (sslclient) vs capf-a"   "${PC[@]}" -purpose sslclient -CAfile capf-a.crt lsc-a.crt
vok "lsc-a-old vs capf-a-old"       "${PC[@]}" -CAfile capf-a-old.crt lsc-a-old.crt
verr 20 "lsc-a-old vs capf-a (rolled-over CAPF, same name)" "${PC[@]}" -CAfile capf-a.crt lsc-a-old.crt
BOTH=$(mktemp)
trap 'rm -f "$BOTH"' EXIT
cat capf-a.crt capf-a-old.crt >"$BOTH"
vok "lsc-a vs capf-a+capf-a-old"     "${PC[@]}" -CAfile "$BOTH" lsc-a.crt
vok "lsc-a-old vs capf-a+capf-a-old" "${PC[@]}" -CAfile "$BOTH" lsc-a-old.crt
vok "lsc-b vs capf-b"               "${PC[@]}" -CAfile capf-b.crt lsc-b.crt
verr 20 "lsc-b vs capf-a"           "${PC[@]}" -CAfile capf-a.crt lsc-b.crt
verr 20 "lsc-c vs capf-a"           "${PC[@]}" -CAfile capf-a.crt lsc-c.crt
vok "lsc-c vs capf-c"               "${PC[@]}" -CAfile capf-c.crt lsc-c.crt
vok "lsc-ent vs ent-ca"             "${PC[@]}" -CAfile ent-ca.crt lsc-ent.crt
verr 20 "lsc-ent vs capf-a"         "${PC[@]}" -CAfile capf-a.crt lsc-ent.crt
# Rogue CAPF look-alikes.
verr 20 "lsc-rogue vs capf-a (AKI mismatch)"        "${PC[@]}" -CAfile capf-a.crt lsc-rogue.crt
vok "lsc-rogue vs rogue-a"                          "${PC[@]}" -CAfile rogue-a.crt lsc-rogue.crt
verr 7 "lsc-rogue-ski vs capf-a (bad signature)"    "${PC[@]}" -CAfile capf-a.crt lsc-rogue-ski.crt
verr 7 "lsc-rogue-ski vs capf-a+capf-a-old"         "${PC[@]}" -CAfile "$BOTH" lsc-rogue-ski.crt
vok "lsc-rogue-ski vs rogue-a-ski"                  "${PC[@]}" -CAfile rogue-a-ski.crt lsc-rogue-ski.crt
verr 10 "lsc-expired vs capf-a"                     "${PC[@]}" -CAfile capf-a.crt lsc-expired.crt
# MICs.
vok "mic-8861 vs mfg-int (partial chain)"           "${PC[@]}" -CAfile mfg-int.crt mic-8861.crt
vok "mic-8861 vs mfg-root + untrusted mfg-int"      -CAfile mfg-root.crt -untrusted mfg-int.crt mic-8861.crt
verr 20 "mic-8861 vs mfg-root only"                 -CAfile mfg-root.crt mic-8861.crt
verr 20 "mic-8861 vs capf-a"                        "${PC[@]}" -CAfile capf-a.crt mic-8861.crt
vok "mic-8861-fullchain vs mfg-root + sent chain"   -CAfile mfg-root.crt -untrusted mic-8861-fullchain.chain.pem mic-8861-fullchain.crt
vok "mic-8861-fullchain vs mfg-int"                 "${PC[@]}" -CAfile mfg-int.crt mic-8861-fullchain.crt
verr 10 "mic-expired vs mfg-int"                    "${PC[@]}" -CAfile mfg-int.crt mic-expired.crt
vok "mic-legacy, auth_level 0"                      -auth_level 0 -CAfile legacy-root.crt -untrusted legacy-int.crt mic-legacy.crt
verr 68 "mic-legacy, auth_level 1 (SHA-1)"          -auth_level 1 -CAfile legacy-root.crt -untrusted legacy-int.crt mic-legacy.crt
verr 68 "mic-legacy, auth_level 2 (SHA-1)"          -auth_level 2 -CAfile legacy-root.crt -untrusted legacy-int.crt mic-legacy.crt
vok "sudi-switch vs mfg-int (valid, not a phone)"   "${PC[@]}" -CAfile mfg-int.crt sudi-switch.crt
# Server.
vok "server vs server-ca (sslserver)"               -purpose sslserver -CAfile server-ca.crt server.crt
# Hostile leaves whose chain is fine: rejection must come from the module.
for n in host-nul-cn host-two-cn host-long-cn host-nonascii host-lower-sep host-short-mac \
	host-leaf-ca host-no-ski-aki host-big-serial host-rsa1024; do
	present "$n" || continue
	vok "$n vs capf-a (chain is fine)" "${PC[@]}" -purpose sslclient -CAfile capf-a.crt "$n.crt"
done
verr 66 "host-rsa1024, auth_level 2"                -auth_level 2 "${PC[@]}" -CAfile capf-a.crt host-rsa1024.crt
verr 85 "host-no-ski-aki, x509_strict"              -x509_strict "${PC[@]}" -CAfile capf-a.crt host-no-ski-aki.crt
verr 9 "host-future vs capf-a"                      "${PC[@]}" -CAfile capf-a.crt host-future.crt
verr 25 "host-deep vs capf-a (pathlen:0)"           "${PC[@]}" -CAfile capf-a.crt -untrusted host-deep.chain.pem host-deep.crt
vok "host-deep vs deep-int1"                        "${PC[@]}" -CAfile deep-int1.crt -untrusted host-deep.chain.pem host-deep.crt
verr 20 "host-via-unuploaded vs capf-a"             "${PC[@]}" -CAfile capf-a.crt -untrusted host-via-unuploaded.chain.pem host-via-unuploaded.crt
verr 20 "host-via-unuploaded vs mfg-int"            "${PC[@]}" -CAfile mfg-int.crt -untrusted host-via-unuploaded.chain.pem host-via-unuploaded.crt
vok "host-via-unuploaded vs mfg-root (if root were trusted)" -CAfile mfg-root.crt -untrusted host-via-unuploaded.chain.pem host-via-unuploaded.crt
vok "host-wrong-eku, no purpose"                    "${PC[@]}" -CAfile capf-a.crt host-wrong-eku.crt
verr 26 "host-wrong-eku, sslclient"                 "${PC[@]}" -purpose sslclient -CAfile capf-a.crt host-wrong-eku.crt

###########################################################################
# Attack leaves (attacks.sh): each forgery is what it claims to copy, and
# OpenSSL accepts every chain (the refusals must come from the module).
###########################################################################
colons() { sed 's/../&:/g; s/:$//' <<<"$1"; }
# ext_order NAME: the certificate's extension names, in DER order, joined by "|".
ext_order() {
	awk '/^        X509v3 extensions:/ { on = 1; next }
		on && /^    [^ ]/ { on = 0 }
		on && /^            [^ ]/ { sub(/^ +/, ""); sub(/:.*/, ""); print }' <<<"${TXT[$1]:-}" | paste -sd'|'
}
# Forged intermediates: the impersonated CA's exact subject, serial and SKI, another key.
declare -A IMPERSONATES=([atk-int-old]=capf-a [atk-int-ent]=capf-a [atk-int-mfg]=mfg-int [atk-int-sub]=ent-ca)
for n in "${!IMPERSONATES[@]}"; do
	g=${IMPERSONATES[$n]}
	eq "$n: exact subject of $g" "$(x "$n" -subject -nameopt RFC2253,show_type)" "$(x "$g" -subject -nameopt RFC2253,show_type)"
	eq "$n: serial of $g" "$(serial "$n")" "$(serial "$g")"
	eq "$n: SKI of $g" "$(ext "$n" subjectKeyIdentifier)" "$(ext "$g" subjectKeyIdentifier)"
	ne "$n: not $g's key" "$(pub "$n")" "$(pub "$g")"
	eq "$n: AKI = its signer's SKI" "$(ext "$n" authorityKeyIdentifier)" "$(ext "${ISSUER[$n]}" subjectKeyIdentifier)"
	t "$n: CA:TRUE" grep -q "CA:TRUE" <<<"$(ext "$n" basicConstraints)"
done
eq "atk-int-old: self-issued" "$(iss atk-int-old)" "$(subj atk-int-old)"
eq "atk-rogue-sub: basicConstraints" "$(ext atk-rogue-sub basicConstraints)" "CA:TRUE"
eq "atk-twin: self-issued" "$(iss atk-twin)" "$(subj atk-twin)"
eq "atk-twin: exact subject of capf-a" "$(x atk-twin -subject -nameopt RFC2253,show_type)" "$(x capf-a -subject -nameopt RFC2253,show_type)"
eq "atk-twin: serial of capf-a" "$(serial atk-twin)" "$(serial capf-a)"
ne "atk-twin: own SKI" "$(ext atk-twin subjectKeyIdentifier)" "$(ext capf-a subjectKeyIdentifier)"
ne "atk-twin: own key" "$(pub atk-twin)" "$(pub capf-a)"
# Leaves under a forgery name the impersonated CA's key.
for n in atk-forged-int-old:capf-a atk-forged-int-ent:capf-a atk-lsc-as-mic:mfg-int atk-subca-named-like-parent:ent-ca; do
	eq "${n%%:*}: AKI = ${n#*:}'s SKI" "$(ext "${n%%:*}" authorityKeyIdentifier)" "$(ext "${n#*:}" subjectKeyIdentifier)"
done
# Leaves with the ordinary phone profile.
for n in atk-forged-int-old atk-forged-int-ent atk-lsc-as-mic atk-subca-named-like-parent atk-escaped-cn \
	atk-nul-escape-cn atk-nul-escape-two-cn atk-nul-escape-slash atk-no-cn mic-ec sudi-isr ap-expired; do
	eq "$n: extensions" "$(ext_order "$n")" \
		"X509v3 Key Usage|X509v3 Extended Key Usage|X509v3 Subject Key Identifier|X509v3 Authority Key Identifier"
	eq "$n: keyUsage" "$(ext "$n" keyUsage)" "Digital Signature"
	eq "$n: EKU" "$(ext "$n" extendedKeyUsage)" "TLS Web Client Authentication, TLS Web Server Authentication"
done
for n in atk-escaped-cn atk-nul-escape-cn atk-nul-escape-two-cn atk-nul-escape-slash atk-no-cn; do
	eq "$n: AKI = capf-a's SKI" "$(ext "$n" authorityKeyIdentifier)" "$(ext capf-a subjectKeyIdentifier)"
done
eq "atk-escaped-cn: 18-character CN" "$(x atk-escaped-cn -subject -nameopt RFC2253,esc_2253 | sed 's/^subject=CN=//; s/\\\\/\\/g' | tr -d '\n' | wc -c)" 18
# A long nsComment first, then the extension FreeRADIUS 3.2.1 loses.
for n in atk-long-ext-ca atk-long-ext-ku; do
	eq "$n: nsComment of 1500 bytes" "$(x "$n" -ext nsComment | sed -n '2s/^ *//p' | tr -d '\n' | wc -c)" 1500
	eq "$n: AKI = capf-a's SKI" "$(ext "$n" authorityKeyIdentifier)" "$(ext capf-a subjectKeyIdentifier)"
done
eq "atk-long-ext-ca: extensions" "$(ext_order atk-long-ext-ca)" \
	"Netscape Comment|X509v3 Basic Constraints|X509v3 Key Usage|X509v3 Extended Key Usage|X509v3 Subject Key Identifier|X509v3 Authority Key Identifier"
eq "atk-long-ext-ca: basicConstraints" "$(crit atk-long-ext-ca basicConstraints) $(ext atk-long-ext-ca basicConstraints)" "critical CA:TRUE"
eq "atk-long-ext-ku: extensions" "$(ext_order atk-long-ext-ku)" \
	"Netscape Comment|X509v3 Key Usage|X509v3 Extended Key Usage|X509v3 Subject Key Identifier|X509v3 Authority Key Identifier"
eq "atk-long-ext-ku: keyUsage" "$(crit atk-long-ext-ku keyUsage) $(ext atk-long-ext-ku keyUsage)" "critical Key Agreement"
# An AKI without keyIdentifier: "keyid:<capf-a's SKI>" as a dNSName, and capf-a's serial.
for n in atk-aki-dns-keyid atk-aki-dns-keyid-twin; do
	eq "$n: AKI" "$(ext "$n" authorityKeyIdentifier)" \
		"DNS:keyid:$(ext capf-a subjectKeyIdentifier)|serial:$(colons "$(serial capf-a)")"
done
eq "lsc-a-sends-capf: lsc-a itself" "$(fpr lsc-a-sends-capf)" "$(fpr lsc-a)"
t "ap-expired: notAfter ~1 year ago" test "$(epoch ap-expired enddate)" -lt $((now - 360 * 86400))
# What OpenSSL concludes, with the sent chain: the standard anchors, then each CA alone.
STD=$(mktemp)
trap 'rm -f "$BOTH" "$STD"' EXIT
cat capf-a.crt capf-a-old.crt capf-b.crt ent-ca.crt mfg-int.crt >"$STD"
TWIN=$(mktemp)
trap 'rm -f "$BOTH" "$STD" "$TWIN"' EXIT
cat "$STD" atk-twin.crt >"$TWIN"
for n in "${ATK_LEAVES[@]}"; do
	case $n in ap-expired | atk-aki-dns-keyid-twin) continue ;; esac
	vok "$n vs the standard anchors (sslclient)" "${PC[@]}" -purpose sslclient -CAfile "$STD" -untrusted "$n.chain.pem" "$n.crt"
done
verr 10 "ap-expired vs mfg-int"                            "${PC[@]}" -CAfile mfg-int.crt ap-expired.crt
vok "atk-forged-int-old vs capf-a-old alone"               "${PC[@]}" -CAfile capf-a-old.crt -untrusted atk-forged-int-old.chain.pem atk-forged-int-old.crt
verr 20 "atk-forged-int-old vs capf-a alone"               "${PC[@]}" -CAfile capf-a.crt -untrusted atk-forged-int-old.chain.pem atk-forged-int-old.crt
vok "atk-forged-int-ent vs ent-ca alone"                   "${PC[@]}" -CAfile ent-ca.crt -untrusted atk-forged-int-ent.chain.pem atk-forged-int-ent.crt
verr 20 "atk-forged-int-ent vs capf-a alone"               "${PC[@]}" -CAfile capf-a.crt -untrusted atk-forged-int-ent.chain.pem atk-forged-int-ent.crt
vok "atk-lsc-as-mic vs ent-ca alone"                       "${PC[@]}" -CAfile ent-ca.crt -untrusted atk-lsc-as-mic.chain.pem atk-lsc-as-mic.crt
verr 20 "atk-lsc-as-mic vs mfg-int alone"                  "${PC[@]}" -CAfile mfg-int.crt -untrusted atk-lsc-as-mic.chain.pem atk-lsc-as-mic.crt
vok "atk-subca-named-like-parent vs ent-ca alone"          "${PC[@]}" -CAfile ent-ca.crt -untrusted atk-subca-named-like-parent.chain.pem atk-subca-named-like-parent.crt
verr 20 "atk-subca-named-like-parent, sub-CA not sent"     "${PC[@]}" -CAfile ent-ca.crt -untrusted atk-int-sub.crt atk-subca-named-like-parent.crt
vok "atk-aki-dns-keyid vs capf-a alone"                    "${PC[@]}" -purpose sslclient -CAfile capf-a.crt atk-aki-dns-keyid.crt
vok "atk-aki-dns-keyid-twin vs the standard anchors, then atk-twin" "${PC[@]}" -purpose sslclient -CAfile "$TWIN" atk-aki-dns-keyid-twin.crt
verr 20 "atk-aki-dns-keyid-twin vs capf-a alone"           "${PC[@]}" -CAfile capf-a.crt atk-aki-dns-keyid-twin.crt

echo "$PROG: $npass passed, $nfail failed, $nskip skipped"
[ "$nfail" -eq 0 ]
