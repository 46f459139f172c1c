#!/usr/bin/env bash
# tests/ledger/pki.sh PKI OUT: the phones of the ledger tests, issued by the CAs of the test PKI
# (tests/pki/gen.sh made PKI, with its CA keys in PKI/private): a CAPF rollover in progress.
#
#   old-N   LSC from capf-a-old (the retiring CAPF), device SEP0A00000000NN
#   new-N   LSC from capf-a (the new CAPF) for the same device: the phone re-enrolled
#   mic-N   MIC only (Cisco manufacturing CA), device SEP0B00000000NN
#   moved-N LSC from capf-c (a cluster whose CAPF is not uploaded) for the device of new-N
#
# Each as OUT/NAME.key, OUT/NAME.crt and OUT/NAME.chain.pem (what the phone sends), like gen.sh.
# Keys are P-256, generated here, never stored anywhere else.  PHONES (default 4): phones of
# each kind.
set -euo pipefail
PKI=${1:?usage: pki.sh PKI OUT}
OUT=${2:?usage: pki.sh PKI OUT}
PHONES=${PHONES:-4}
OPENSSL=${OPENSSL:-openssl}
mkdir -p "$OUT"
# eapol_test checks radiusd against it (lib.sh, eapol_conf).
cp "$PKI/server-ca.crt" "$OUT/"
cnf=$OUT/openssl.cnf
cat >"$cnf" <<EOC
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
[ leaf ]
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth, serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
EOC
export OPENSSL_CONF=$cnf

# A random 15-byte serial whose first nibble is 1..7: positive without a sign byte and without
# a leading zero, so that every tool prints it the same way.
serial() {
	local h
	h=$(od -An -tx1 -N15 /dev/urandom | tr -d ' \n')
	printf '0x%x%s' $((0x${h:0:1} % 7 + 1)) "${h:1}"
}

# leaf NAME ISSUER SUBJECT: a phone certificate, valid from now for two years.
leaf() {
	local n=$1 iss=$2 subj=$3
	"$OPENSSL" genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$OUT/$n.key"
	"$OPENSSL" req -new -key "$OUT/$n.key" -subj "$subj" -out "$OUT/$n.csr"
	"$OPENSSL" x509 -req -in "$OUT/$n.csr" -CA "$PKI/$iss.crt" -CAkey "$PKI/private/$iss.key" \
		-set_serial "$(serial)" -days 730 -sha256 \
		-extfile "$cnf" -extensions leaf -out "$OUT/$n.crt" 2>/dev/null
	cp "$OUT/$n.crt" "$OUT/$n.chain.pem"
	rm -f "$OUT/$n.csr"
}

for i in $(seq 1 "$PHONES"); do
	nn=$(printf '%02X' "$i")
	leaf "old-$i" capf-a-old "/CN=CP-8861-SEP0A00000000$nn/O=Example Corp"
	leaf "new-$i" capf-a "/serialNumber=PID:CP-8861 SN:FCH00000$nn/O=Example Corp/CN=CP-8861-SEP0A00000000$nn"
	leaf "mic-$i" mfg-int "/serialNumber=PID:CP-8845 SN:FCH11111$nn/O=Cisco Systems Inc./CN=CP-8845-SEP0B00000000$nn"
	leaf "moved-$i" capf-c "/CN=CP-8861-SEP0A00000000$nn"
done
