"""aiortc sends H.264 video and Opus audio to peergate's PeerConnection for SECONDS.
Usage: media_aiortc_sender.py WORKDIR SECONDS
aiortc offers (WORKDIR/offer.sdp, H.264 preferred) and applies peergate's answer
(WORKDIR/answer.sdp); prints checks, the last one with the number of video frames sent."""
import asyncio
import fractions
import os
import sys

import aioice.ice
from aiortc import RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack

from kvs_peer import Checks
from webrtc_transport_peer import wait_for_file, write_atomically

aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=False: ["127.0.0.1"]
checks = Checks()


class CountingVideo(VideoStreamTrack):
    """aiortc's test video (a changing pattern would do as well), counting frames sent."""

    def __init__(self):
        super().__init__()
        self.frames = 0

    async def recv(self):
        frame = await super().recv()
        self.frames += 1
        return frame


async def main(workdir, seconds):
    pc = RTCPeerConnection()
    video = CountingVideo()
    video_transceiver = pc.addTransceiver(video, direction="sendonly")
    video_transceiver.setCodecPreferences([c for c in RTCRtpSender.getCapabilities("video").codecs if c.mimeType in ("video/H264", "video/rtx")])
    pc.addTransceiver(AudioStreamTrack(), direction="sendonly")
    connected = asyncio.get_running_loop().create_future()

    @pc.on("connectionstatechange")
    def on_state():
        if pc.connectionState in ("connected", "failed") and not connected.done():
            connected.set_result(pc.connectionState)

    await pc.setLocalDescription(await pc.createOffer())
    write_atomically(os.path.join(workdir, "offer.sdp"), pc.localDescription.sdp)
    answer = await wait_for_file(os.path.join(workdir, "answer.sdp"))
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    try:
        state = await asyncio.wait_for(connected, 20)
    except asyncio.TimeoutError:
        state = "timeout"
    checks.record("connected", state == "connected", state)
    if state == "connected":
        video.frames = 0  # count from the connection on, as peergate sees them
        await asyncio.sleep(seconds)
    sent = video.frames
    encoder = type(getattr(video_transceiver.sender, "_RTCRtpSender__encoder", None)).__name__
    checks.record("video encoder", encoder == "H264Encoder", encoder)
    checks.record("video frames sent", sent > 0, sent)
    await pc.close()
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2])))
