"""A minimal STUN/TURN client (RFC 8489 / RFC 8656) for probing peergate: raw messages, so
tests can also send what a well-behaved client never would."""
import hashlib
import hmac
import os
import socket
import struct
import zlib

COOKIE = 0x2112A442
BINDING, ALLOCATE, REFRESH, CREATE_PERMISSION, CHANNEL_BIND = 0x001, 0x003, 0x004, 0x008, 0x009
USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, LIFETIME, XOR_PEER_ADDRESS = 0x0006, 0x0008, 0x0009, 0x000D, 0x0012
REALM, NONCE, XOR_RELAYED_ADDRESS, REQUESTED_TRANSPORT, XOR_MAPPED_ADDRESS, CHANNEL_NUMBER = 0x0014, 0x0015, 0x0016, 0x0019, 0x0020, 0x000C
FINGERPRINT, SOFTWARE = 0x8028, 0x8022


def message_type(method, klass):
    return (method & 0x0F80) << 2 | (method & 0x0070) << 1 | (method & 0x000F) | (klass & 2) << 7 | (klass & 1) << 4


def attribute(kind, value):
    return struct.pack("!HH", kind, len(value)) + value + b"\0" * ((4 - len(value) % 4) % 4)


def xor_address(ip, port, txid):
    packed = socket.inet_pton(socket.AF_INET6 if ":" in ip else socket.AF_INET, ip)
    mask = struct.pack("!I", COOKIE) + txid
    family = 2 if len(packed) == 16 else 1
    return struct.pack("!BBH", 0, family, port ^ (COOKIE >> 16)) + bytes(b ^ mask[i] for i, b in enumerate(packed))


def encode(method, klass, attributes, txid=None, key=None, fingerprint=True):
    txid = txid or os.urandom(12)
    body = b"".join(attribute(kind, value) for kind, value in attributes)
    if key is not None:
        header = struct.pack("!HHI", message_type(method, klass), len(body) + 24, COOKIE) + txid
        body += attribute(MESSAGE_INTEGRITY, hmac.new(key, header + body, hashlib.sha1).digest())
    if fingerprint:
        header = struct.pack("!HHI", message_type(method, klass), len(body) + 8, COOKIE) + txid
        body += attribute(FINGERPRINT, struct.pack("!I", zlib.crc32(header + body) ^ 0x5354554E))
    return struct.pack("!HHI", message_type(method, klass), len(body), COOKIE) + txid + body


def decode(data):
    """(type, txid, {attribute type: [values]}) of a STUN message."""
    kind, length, cookie = struct.unpack("!HHI", data[:8])
    txid, attributes, offset = data[8:20], {}, 20
    while offset + 4 <= 20 + length:
        attribute_type, size = struct.unpack("!HH", data[offset:offset + 4])
        attributes.setdefault(attribute_type, []).append(data[offset + 4:offset + 4 + size])
        offset += 4 + size + (4 - size % 4) % 4
    return kind, txid, attributes


def error_code(attributes):
    value = attributes.get(ERROR_CODE, [None])[0]
    return (value[2] & 7) * 100 + value[3] if value else None


def decode_xor_address(value, txid):
    family, port = value[1], struct.unpack("!H", value[2:4])[0] ^ (COOKIE >> 16)
    mask = struct.pack("!I", COOKIE) + txid
    address = bytes(b ^ mask[i] for i, b in enumerate(value[4:]))
    return socket.inet_ntop(socket.AF_INET if family == 1 else socket.AF_INET6, address), port


class TurnClient:
    """A UDP TURN client with long-term credentials."""

    def __init__(self, host, port, username, password, timeout=2.0):
        self.server = (host, port)
        self.username, self.password = username, password
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.settimeout(timeout)
        self.realm = self.nonce = None

    def key(self):
        return hashlib.md5(f"{self.username}:{self.realm.decode()}:{self.password}".encode()).digest()

    def exchange(self, data):
        self.sock.sendto(data, self.server)
        response, _ = self.sock.recvfrom(65535)
        return decode(response)

    def request(self, method, attributes):
        """Sends an authenticated request (answering a 401/438 challenge once); returns (error code or None, attributes)."""
        for _ in range(3):
            if self.nonce is None:
                _, _, reply = self.exchange(encode(method, 0, attributes))
            else:
                credentials = [(USERNAME, self.username.encode()), (REALM, self.realm), (NONCE, self.nonce)]
                _, _, reply = self.exchange(encode(method, 0, attributes + credentials, key=self.key()))
            code = error_code(reply)
            if code in (401, 438) and REALM in reply and NONCE in reply and (self.nonce is None or code == 438):
                self.realm, self.nonce = reply[REALM][0], reply[NONCE][0]
                continue
            return code, reply
        return code, reply

    def allocate(self):
        return self.request(ALLOCATE, [(REQUESTED_TRANSPORT, bytes([17, 0, 0, 0]))])

    def create_permission(self, ip, port=9):
        # XOR addresses depend on the transaction id: encode per request.
        return self._with_txid(CREATE_PERMISSION, lambda txid: [(XOR_PEER_ADDRESS, xor_address(ip, port, txid))])

    def _with_txid(self, method, make):
        for _ in range(3):
            txid = os.urandom(12)
            credentials = [(USERNAME, self.username.encode()), (REALM, self.realm), (NONCE, self.nonce)]
            _, _, reply = self.exchange(encode(method, 0, make(txid) + credentials, txid=txid, key=self.key()))
            code = error_code(reply)
            if code == 438:
                self.realm, self.nonce = reply[REALM][0], reply[NONCE][0]
                continue
            return code, reply
        return code, reply

    def binding(self):
        txid = os.urandom(12)
        kind, _, reply = self.exchange(encode(BINDING, 0, [], txid=txid))
        return decode_xor_address(reply[XOR_MAPPED_ADDRESS][0], txid) if XOR_MAPPED_ADDRESS in reply else None
