"""aiortc receives and decodes the H.264 that peergate's PeerConnection sends.
Usage: media_aiortc_receiver.py WORKDIR SECONDS
peergate offers (WORKDIR/offer.sdp); aiortc answers recvonly (WORKDIR/answer.sdp), then
counts the video frames its decoder produces for SECONDS after connecting."""
import asyncio
import os
import sys

import aioice.ice
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

from kvs_peer import Checks
from webrtc_transport_peer import wait_for_file, write_atomically

aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=False: ["127.0.0.1"]
checks = Checks()


async def main(workdir, seconds):
    pc = RTCPeerConnection()
    decoded = []
    sizes = set()

    @pc.on("track")
    def on_track(track):
        async def consume():
            while True:
                try:
                    frame = await track.recv()
                except MediaStreamError:
                    return
                if track.kind == "video":
                    decoded.append(frame.pts)
                    sizes.add((frame.width, frame.height))
        asyncio.ensure_future(consume())

    offer = await wait_for_file(os.path.join(workdir, "offer.sdp"))
    await pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
    for transceiver in pc.getTransceivers():
        transceiver.direction = "recvonly"
    await pc.setLocalDescription(await pc.createAnswer())
    write_atomically(os.path.join(workdir, "answer.sdp"), pc.localDescription.sdp)
    for _ in range(400):
        if pc.connectionState in ("connected", "failed"):
            break
        await asyncio.sleep(0.05)
    checks.record("connected", pc.connectionState == "connected", pc.connectionState)
    await asyncio.sleep(seconds)
    checks.record("frame size", sizes == {(320, 240)}, sizes)
    checks.record("video frames decoded", len(decoded) > 0, len(decoded))
    await pc.close()
    sys.exit(1 if checks.failed else 0)


asyncio.run(main(sys.argv[1], float(sys.argv[2])))
