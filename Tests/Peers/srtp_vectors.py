"""SRTP packets protected by pylibsrtp (libsrtp's own build, independent of the gateway's):
for a profile and a master key + salt given in hex, protects RTP packets of several sizes
and one RTCP receiver report, and prints each plain/protected pair as a check line
(`detail`: "rtp|rtcp <plain hex> <protected hex>") for the gateway's SRTP to match."""
import json
import sys

import pylibsrtp

PROFILES = {
    "aead-aes128-gcm": pylibsrtp.Policy.SRTP_PROFILE_AEAD_AES_128_GCM,
    "aes128-cm-hmac-sha1-80": pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_80,
}


def rtp_packet(sequence, length):
    header = bytes([0x80, 0x60, sequence >> 8, sequence & 0xFF, 0, 0, 0x0B, 0xB8, 0x11, 0x22, 0x33, 0x44])
    return header + bytes((index * 31 + sequence) & 0xFF for index in range(length))


def check(kind, plain, protected):
    print(json.dumps({"check": kind, "ok": True, "detail": f"{kind} {plain.hex()} {protected.hex()}"}))


def main():
    profile, master = sys.argv[1], bytes.fromhex(sys.argv[2])
    policy = pylibsrtp.Policy(key=master, ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND, srtp_profile=PROFILES[profile])
    session = pylibsrtp.Session(policy=policy)
    # Payload lengths around AES's 16-byte blocks and a full-size video packet.
    for sequence, length in enumerate([0, 1, 15, 16, 17, 100, 1187, 1200], start=1):
        plain = rtp_packet(sequence, length)
        check("rtp", plain, session.protect(plain))
    report = bytes([0x80, 201, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44])
    check("rtcp", report, session.protect_rtcp(report))


main()
