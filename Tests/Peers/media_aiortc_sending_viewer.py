"""An aiortc viewer on a peergate signaling channel that sends instead of receiving: offers
H.264 video and Opus audio (send-only) to the channel's master, applies its answer and
sends for SECONDS. Usage:
media_aiortc_sending_viewer.py URL ACCESS_KEY SECRET_KEY CHANNEL CLIENT_ID SECONDS
Prints checks; "video frames sent" carries the count."""
import asyncio
import sys

from aiortc import RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack

from kvs_peer import Checks, Endpoint, Peer, offer_and_wait_for_answer, send_for
from media_aiortc_sender import CountingVideo

checks = Checks()  # (importing media_aiortc_sender limits aiortc to 127.0.0.1)


async def main(url, access_key, secret_key, channel, client_id, seconds):
    endpoint = Endpoint(url, access_key, secret_key)
    viewer = await Peer.connect(endpoint, endpoint.channel_arn(channel), client_id=client_id)
    pc = RTCPeerConnection()
    video = CountingVideo()
    transceiver = pc.addTransceiver(video, direction="sendonly")
    h264 = [codec for codec in RTCRtpSender.getCapabilities("video").codecs if codec.mimeType == "video/H264"]
    transceiver.setCodecPreferences(h264)
    pc.addTransceiver(AudioStreamTrack(), direction="sendonly")
    answer = await offer_and_wait_for_answer(viewer, pc)
    checks.record("answer received", answer is not None)
    if answer is None:
        return
    await pc.setRemoteDescription(RTCSessionDescription(**answer))
    await send_for(pc, video, seconds, checks)
    await pc.close()
    await viewer.close()


args = sys.argv[1:]
asyncio.run(main(args[0], args[1], args[2], args[3], args[4], float(args[5])))
sys.exit(1 if checks.failed else 0)
