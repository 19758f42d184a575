"""aiortc's H.264 and VP8 RTP code against peergate's (RFC 6184, RFC 7741).
Usage: rtp_codec_check.py IN.json OUT.json

IN holds frames and the payloads peergate's payloaders made of them; aiortc's
depacketizers must rebuild each frame. OUT receives aiortc's payloads of the same frames,
for peergate's depacketizers. One JSON check per line on stdout."""
import json
import sys

from aiortc.codecs.h264 import H264Encoder, H264PayloadDescriptor
from aiortc.codecs.vpx import Vp8Encoder, VpxPayloadDescriptor

from kvs_peer import Checks

checks = Checks()
with open(sys.argv[1]) as f:
    given = json.load(f)
out = {}
for name, frame_hex in given["h264"].items():
    frame = bytes.fromhex(frame_hex["frame"])
    rebuilt = b"".join(H264PayloadDescriptor.parse(bytes.fromhex(p))[1] for p in frame_hex["payloads"])
    checks.record(f"aiortc rebuilds peergate's H.264 {name}", rebuilt == frame, f"{len(rebuilt)} vs {len(frame)} bytes")
    units = [unit for unit in H264Encoder._split_bitstream(frame)]
    out.setdefault("h264", {})[name] = [p.hex() for p in H264Encoder._packetize(units)]
for name, frame_hex in given["vp8"].items():
    frame = bytes.fromhex(frame_hex["frame"])
    rebuilt = b"".join(VpxPayloadDescriptor.parse(bytes.fromhex(p))[1] for p in frame_hex["payloads"])
    checks.record(f"aiortc rebuilds peergate's VP8 {name}", rebuilt == frame, f"{len(rebuilt)} vs {len(frame)} bytes")
    out.setdefault("vp8", {})[name] = [p.hex() for p in Vp8Encoder._packetize(frame, 1234)]
with open(sys.argv[2], "w") as f:
    json.dump(out, f)
sys.exit(1 if checks.failed else 0)
