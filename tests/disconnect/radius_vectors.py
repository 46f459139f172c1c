#!/usr/bin/env python3
"""RFC 5176 packets computed independently of the C code (hashlib, hmac), for its unit tests.

    radius_vectors.py request CODE ID SECRET TYPE=HEX...
        the signed request: Message-Authenticator (HMAC-MD5 with a zero authenticator)
        appended after the attributes, then the Request Authenticator
        MD5(code, id, length, 16 zero octets, attributes, secret) (RFC 5176 2.3, 3.1)

    radius_vectors.py answer CODE ID REQUEST_AUTH SECRET MA_FORM [TYPE=HEX...]
        an answer to a request with authenticator REQUEST_AUTH (hex); MA_FORM says how its
        Message-Authenticator is made: none, request (HMAC over the answer holding the request
        authenticator, RFC 5176 3.1), zero (holding 16 zero octets, as FreeRADIUS 3 does),
        bad:KEY (keyed with another secret).  The Response Authenticator is
        MD5(code, id, length, request authenticator, attributes, secret).

Attributes are TYPE=HEX; TYPE=raw:HEX appends HEX as is (for malformed attributes).
Prints the packet as lower-case hex.
"""
import hashlib
import hmac
import struct
import sys


def attributes(specs):
    out = b""
    for spec in specs:
        kind, value = spec.split("=", 1)
        if value.startswith("raw:"):
            out += bytes.fromhex(value[4:])
        else:
            data = bytes.fromhex(value)
            out += bytes([int(kind), len(data) + 2]) + data
    return out


def request(code, ident, secret, specs):
    attrs = attributes(specs) + bytes([80, 18]) + bytes(16)
    length = 20 + len(attrs)
    pkt = bytearray(struct.pack("!BBH", code, ident, length) + bytes(16) + attrs)
    mac = hmac.new(secret, bytes(pkt), hashlib.md5).digest()
    pkt[length - 16:length] = mac
    pkt[4:20] = hashlib.md5(bytes(pkt) + secret).digest()
    return bytes(pkt)


def answer(code, ident, req_auth, secret, form, specs):
    attrs = attributes(specs)
    if form != "none":
        attrs += bytes([80, 18]) + bytes(16)
    length = 20 + len(attrs)
    pkt = bytearray(struct.pack("!BBH", code, ident, length) + bytes(16) + attrs)
    if form != "none":
        key = secret
        vector = req_auth
        if form == "zero":
            vector = bytes(16)
        elif form.startswith("bad:"):
            key = form[4:].encode()
        pkt[4:20] = vector
        pkt[length - 16:length] = hmac.new(key, bytes(pkt), hashlib.md5).digest()
    pkt[4:20] = req_auth
    pkt[4:20] = hashlib.md5(bytes(pkt) + secret).digest()
    return bytes(pkt)


def main(argv):
    if len(argv) >= 4 and argv[0] == "request":
        print(request(int(argv[1]), int(argv[2]), argv[3].encode(), argv[4:]).hex())
        return 0
    if len(argv) >= 6 and argv[0] == "answer":
        print(answer(int(argv[1]), int(argv[2]), bytes.fromhex(argv[3]), argv[4].encode(), argv[5], argv[6:]).hex())
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
