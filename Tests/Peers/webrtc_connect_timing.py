"""Offer -> DTLS connected on loopback, timed by aiortc: aiortc <-> aiortc (the anchor) and
aiortc offering to `peergate webrtc-probe`. Usage: webrtc_connect_timing.py RUNS PEERGATE.
Prints one JSON object: {"aiortc_aiortc_ms": [...], "aiortc_peergate_ms": [...]}."""
import asyncio
import json
import subprocess
import sys
import time

import aioice.ice
from aiortc import RTCPeerConnection, RTCSessionDescription

aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=False: ["127.0.0.1"]


async def connected(pc):
    while pc.connectionState != "connected":
        if pc.connectionState == "failed":
            raise RuntimeError("connection failed")
        await asyncio.sleep(0.001)


async def aiortc_pair():
    offerer, answerer = RTCPeerConnection(), RTCPeerConnection()
    offerer.addTransceiver("video", direction="recvonly")
    start = time.monotonic()
    await offerer.setLocalDescription(await offerer.createOffer())
    await answerer.setRemoteDescription(offerer.localDescription)
    await answerer.setLocalDescription(await answerer.createAnswer())
    await offerer.setRemoteDescription(answerer.localDescription)
    await asyncio.wait_for(asyncio.gather(connected(offerer), connected(answerer)), 20)
    elapsed = (time.monotonic() - start) * 1000
    await offerer.close()
    await answerer.close()
    return elapsed


async def aiortc_to_peergate(executable):
    probe = await asyncio.create_subprocess_exec(executable, "webrtc-probe", stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    ready = json.loads(await probe.stdout.readline())  # the probe gathered: like a constructed peer
    assert ready.get("event") == "ready", ready
    pc = RTCPeerConnection()
    pc.addTransceiver("video", direction="recvonly")
    start = time.monotonic()
    await pc.setLocalDescription(await pc.createOffer())
    probe.stdin.write((json.dumps({"type": "offer", "sdp": pc.localDescription.sdp}) + "\n").encode())
    await probe.stdin.drain()
    answer = json.loads(await probe.stdout.readline())
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type="answer"))
    await asyncio.wait_for(connected(pc), 20)
    elapsed = (time.monotonic() - start) * 1000
    await pc.close()
    probe.stdin.close()
    await probe.wait()
    return elapsed


async def main(runs, executable):
    pairs, mixed = [], []
    for _ in range(runs):  # interleaved, so both see the same machine state
        pairs.append(await aiortc_pair())
        mixed.append(await aiortc_to_peergate(executable))
    print(json.dumps({"aiortc_aiortc_ms": pairs, "aiortc_peergate_ms": mixed}))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
