"""Probes peergate's TURN server with what must be refused: peers on the default deny-list
in every encoding, and malformed input. Usage: turn_probe.py TURN_PORT HTTP_URL USERNAME PASSWORD"""
import json
import os
import random
import socket
import struct
import sys
import time
import urllib.request

from kvs_peer import Checks
from stun_client import ALLOCATE, CHANNEL_BIND, CHANNEL_NUMBER, REFRESH, LIFETIME, SOFTWARE, XOR_PEER_ADDRESS, TurnClient, encode, xor_address

checks = Checks()
port, http_url, username, password = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]

client = TurnClient("127.0.0.1", port, username, password)
code, _ = client.allocate()
checks.record("allocation with REST credentials", code is None, code)

# Every spelling of a denied address: plain IPv4, IPv4-mapped, IPv4-compatible, 6to4, NAT64.
probes = {
    "loopback": ["127.0.0.1", "::ffff:127.0.0.1", "::127.0.0.1", "2002:7f00:1::1", "64:ff9b::7f00:1", "::1"],
    "this network 0.0.0.0": ["0.0.0.0", "::ffff:0.0.0.0", "2002::1", "64:ff9b::", "::"],
    "metadata 169.254.169.254": ["169.254.169.254", "::ffff:169.254.169.254", "::169.254.169.254", "2002:a9fe:a9fe::1", "64:ff9b::a9fe:a9fe"],
    "RFC 1918": ["10.0.0.1", "172.16.0.1", "192.168.1.1", "::ffff:10.0.0.1", "::ffff:192.168.1.1", "2002:c0a8:101::1", "64:ff9b::a00:1", "64:ff9b::c0a8:101"],
}
for name, addresses in probes.items():
    results = {}
    for address in addresses:
        code, _ = client.create_permission(address)
        results[address] = code
        code, _ = client._with_txid(CHANNEL_BIND, lambda txid, a=address: [(CHANNEL_NUMBER, bytes([0x40, 0x01, 0, 0])), (XOR_PEER_ADDRESS, xor_address(a, 9, txid))])
        results[address + " (ChannelBind)"] = code
    checks.record(f"deny-list refuses {name} in every encoding (403)", all(code == 403 for code in results.values()), results)
code, _ = client.create_permission("192.0.2.10")
checks.record("a public peer is permitted", code is None, code)

# Malformed input over UDP: none of it may crash the server or break the allocation.
raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
garbage = [
    b"\x00\x01\x00",                                         # truncated header
    b"\x00\x01\x00\x40" + struct.pack("!I", 0x2112A442) + os.urandom(12),   # length past the end
    b"\x00\x01\x00\x08" + struct.pack("!I", 0x2112A442) + os.urandom(12) + b"\x00\x06\x00\x40abcd",  # attribute past the end
    encode(ALLOCATE, 0, [(SOFTWARE, b"x")] * 100),           # attribute flood
    b"\x40\x01\x05\x00" + b"short",                          # ChannelData claiming 1280 bytes
    b"\x40\x01\x00",                                         # ChannelData header cut short
    b"\x7f\xff\x00\x04abcd",                                 # ChannelData on an unbound channel
    b"\xff" * 50,                                            # neither STUN nor ChannelData
] + [bytes(random.getrandbits(8) for _ in range(random.randint(1, 200))) for _ in range(200)]
for datagram in garbage:
    raw.sendto(datagram, ("127.0.0.1", port))
# And over TCP: a stream of nonsense is cut off.
stream = socket.create_connection(("127.0.0.1", port), timeout=3)
stream.sendall(b"\x00\x01\x00\x04\x21\x12\xa4\x42" + os.urandom(40) + b"\xc0" * 100)
try:
    closed = stream.recv(100) == b""
except (ConnectionResetError, socket.timeout):
    closed = True
checks.record("a TCP stream of garbage is closed", closed)
time.sleep(0.5)
checks.record("the server still answers STUN Binding after malformed input", client.binding() is not None)
code, reply = client._with_txid(REFRESH, lambda txid: [(LIFETIME, struct.pack("!I", 600))])
checks.record("the allocation still refreshes after malformed input (not stuck)", code is None, code)
time.sleep(1.2)  # metrics are exported once a second
metrics = urllib.request.urlopen(http_url + "/metrics").read().decode()
malformed = next((float(line.split()[-1]) for line in metrics.splitlines() if line.startswith('peergate_turn_dropped_total{reason="malformed"}')), 0)
denied = next((float(line.split()[-1]) for line in metrics.splitlines() if line.startswith("peergate_turn_denied_peers_total")), 0)
checks.record("malformed input and denied peers are counted", malformed >= 5 and denied >= 48, (malformed, denied))
sys.exit(1 if checks.failed else 0)
