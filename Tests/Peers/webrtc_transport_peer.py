"""An aiortc peer for peergate's WebRTC transport. Usage:
webrtc_transport_peer.py offer|answer WORKDIR [TURN_HOST:PORT USER PASSWORD]

offer: aiortc offers (WORKDIR/offer.sdp) and applies peergate's answer (WORKDIR/answer.sdp).
answer: aiortc answers peergate's offer. Then both check ICE + DTLS connect, and that SRTP
keys agree: aiortc sends FROM_AIORTC through its SRTP session, and must decrypt
FROM_PEERGATE (sent by peergate with a rising sequence number). With a TURN server both
sides use relay candidates only. One JSON check per line on stdout."""
import asyncio
import json
import os
import sys

import aioice.ice
from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.rtcconfiguration import RTCIceTransportPolicy

aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=False: ["127.0.0.1"]

# RTP (RFC 3550): V=2, PT 96, sequence 7, timestamp 9000, SSRC 0x0A0B0C0D, then a marker payload.
FROM_AIORTC = bytes([0x80, 96, 0, 7, 0, 0, 0x23, 0x28, 0x0A, 0x0B, 0x0C, 0x0D]) + b"sent-by-aiortc" * 4
FROM_PEERGATE_PAYLOAD = b"sent-by-peergate" * 4


def check(name, ok, detail=""):
    print(json.dumps({"check": name, "ok": bool(ok), "detail": str(detail)}), flush=True)


async def wait_for_file(path, timeout=30):
    for _ in range(int(timeout / 0.02)):
        if os.path.exists(path) and os.path.getsize(path) > 0:
            await asyncio.sleep(0.02)  # the writer renames it into place; this is belt and braces
            with open(path) as f:
                return f.read()
        await asyncio.sleep(0.02)
    raise TimeoutError(path)


def write_atomically(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.rename(path + ".tmp", path)


class RecordingSession:
    """Wraps aiortc's inbound SRTP session and keeps every packet it decrypts."""

    def __init__(self, session):
        self.session = session
        self.plain = []

    def unprotect(self, data):
        plain = self.session.unprotect(data)
        self.plain.append(plain)
        return plain

    def unprotect_rtcp(self, data):
        return self.session.unprotect_rtcp(data)


async def main(mode, workdir, turn=None):
    servers = []
    policy = RTCIceTransportPolicy.ALL
    if turn:
        address, user, password = turn
        servers = [RTCIceServer(urls=[f"turn:{address}?transport=udp"], username=user, credential=password)]
        policy = RTCIceTransportPolicy.RELAY
    pc = RTCPeerConnection(RTCConfiguration(iceServers=servers, iceTransportPolicy=policy))
    connected = asyncio.get_running_loop().create_future()

    @pc.on("connectionstatechange")
    def on_state():
        if pc.connectionState in ("connected", "failed") and not connected.done():
            connected.set_result(pc.connectionState)

    if mode == "offer":
        pc.addTransceiver("video", direction="recvonly")
        await pc.setLocalDescription(await pc.createOffer())
        write_atomically(os.path.join(workdir, "offer.sdp"), pc.localDescription.sdp)
        answer = await wait_for_file(os.path.join(workdir, "answer.sdp"))
        await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    else:
        offer = await wait_for_file(os.path.join(workdir, "offer.sdp"))
        await pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
        for transceiver in pc.getTransceivers():
            transceiver.direction = "recvonly"
        await pc.setLocalDescription(await pc.createAnswer())
        write_atomically(os.path.join(workdir, "answer.sdp"), pc.localDescription.sdp)

    local = [line for line in pc.localDescription.sdp.splitlines() if line.startswith("a=candidate")]
    if turn:
        check("aiortc uses relay candidates only", local and all(" typ relay" in line for line in local), local)
    try:
        state = await asyncio.wait_for(connected, 20)
    except asyncio.TimeoutError:
        state = "timeout"
    check("ICE and DTLS connected", state == "connected", state)
    if state != "connected":
        await pc.close()
        return
    dtls = pc.getTransceivers()[0].receiver.transport
    check("aiortc DTLS role", True, dtls._role)
    pair = dtls.transport._connection._nominated.get(1)
    if pair is not None:
        check("selected pair", True, f"{pair.local_candidate.type} -> {pair.remote_candidate.type}")
        if turn:
            check("aiortc's selected pair is relayed", pair.local_candidate.type == "relay", pair.local_candidate.type)
    recorder = RecordingSession(dtls._rx_srtp)
    dtls._rx_srtp = recorder
    for _ in range(20):
        await dtls._send_rtp(FROM_AIORTC)
        await asyncio.sleep(0.05)
        if any(packet.endswith(FROM_PEERGATE_PAYLOAD) for packet in recorder.plain):
            break
    matched = [packet for packet in recorder.plain if packet.endswith(FROM_PEERGATE_PAYLOAD)]
    check("aiortc decrypted peergate's SRTP", matched, f"{len(recorder.plain)} packets")
    await asyncio.sleep(0.3)  # let the last packets reach peergate before closing
    await pc.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    asyncio.run(main(args[0], args[1], tuple(args[2:5]) if len(args) >= 5 else None))
