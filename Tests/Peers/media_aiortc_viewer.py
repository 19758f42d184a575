"""An aiortc viewer on a peergate signaling channel: offers to receive video (and audio with
`audio`), applies the master's answer and counts the frames its H.264 (and Opus) decoder
produces until the master ends the call (or SECONDS pass).
With `relay` it uses relayed candidates only, through the TURN servers of get-ice-server-config.
Usage: media_aiortc_viewer.py URL ACCESS_KEY SECRET_KEY CHANNEL SECONDS [audio] [relay]"""
import asyncio
import sys

import aioice.ice
from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.rtcconfiguration import RTCIceTransportPolicy
from aiortc.mediastreams import MediaStreamError

from kvs_peer import Checks, Endpoint, Peer, offer_and_wait_for_answer

aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=False: ["127.0.0.1"]
checks = Checks()


async def main(url, access_key, secret_key, channel, seconds, audio, relay):
    endpoint = Endpoint(url, access_key, secret_key)
    arn = endpoint.client("kinesisvideo").describe_signaling_channel(ChannelName=channel)["ChannelInfo"]["ChannelARN"]
    viewer = await Peer.connect(endpoint, arn, client_id="aiortc-viewer")
    configuration = RTCConfiguration()
    if relay:
        ice = endpoint.client("kinesis-video-signaling").get_ice_server_config(ChannelARN=arn, ClientId="aiortc-viewer")["IceServerList"][0]
        uris = [uri for uri in ice["Uris"] if uri.startswith("turn:") and uri.endswith("transport=udp")]
        configuration = RTCConfiguration(
            iceServers=[RTCIceServer(urls=uris, username=ice["Username"], credential=ice["Password"])], iceTransportPolicy=RTCIceTransportPolicy.RELAY)
    pc = RTCPeerConnection(configuration)
    pc.addTransceiver("video", direction="recvonly")
    if audio:
        pc.addTransceiver("audio", direction="recvonly")
    decoded = []
    audio_frames = []
    ended = asyncio.get_running_loop().create_future()

    @pc.on("track")
    def on_track(track):
        async def consume_audio():
            while True:
                try:
                    frame = await track.recv()
                except MediaStreamError:
                    break
                audio_frames.append(frame.sample_rate)

        async def consume():
            while True:
                try:
                    frame = await track.recv()
                except MediaStreamError:
                    break
                decoded.append((frame.width, frame.height))
            if not ended.done():
                ended.set_result(True)
        asyncio.ensure_future(consume() if track.kind == "video" else consume_audio())

    answer = await offer_and_wait_for_answer(viewer, pc)
    checks.record("answer received", answer is not None)
    if answer is None:
        return
    await pc.setRemoteDescription(RTCSessionDescription(**answer))
    try:
        await asyncio.wait_for(ended, seconds)
    except asyncio.TimeoutError:
        pass
    checks.record("connected", pc.connectionState in ("connected", "closed"), pc.connectionState)
    checks.record("frame size", set(decoded) == {(320, 240)}, set(decoded))
    checks.record("video frames decoded", len(decoded) > 0, len(decoded))
    if audio:
        checks.record("audio frames decoded", len(audio_frames) > 0, len(audio_frames))
    await pc.close()
    await viewer.close()
    sys.exit(1 if checks.failed else 0)


args = sys.argv[1:]
asyncio.run(main(args[0], args[1], args[2], args[3], float(args[4]), "audio" in args[5:], "relay" in args[5:]))
