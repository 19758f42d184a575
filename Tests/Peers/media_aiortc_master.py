"""An aiortc master on a peergate signaling channel: answers the first viewer's offer with
H.264 video and Opus audio and sends for SECONDS. Usage:
media_aiortc_master.py URL ACCESS_KEY SECRET_KEY CHANNEL SECONDS [relay [via=PORT]] [jump=SECONDS@AFTER]
relay: TURN candidates only; via=PORT: reach the TURN server at 127.0.0.1:PORT instead (an
impairing relay in front of it); jump: AFTER seconds in, the wall clock of the sender
reports (RTCP SR NTP time) steps by SECONDS, as a camera's clock does when NTP steps it.
After SECONDS it stops its video and stays connected a moment (retransmissions for the last
frames' lost packets), then hangs up. Prints checks; "video frames sent" carries the count."""
import asyncio
import sys
import time

import aioice.ice
import aiortc.clock
from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack
from aiortc.rtcconfiguration import RTCIceTransportPolicy
from aiortc.sdp import candidate_from_sdp

from kvs_peer import Checks, Endpoint, Peer, decode, payload, send_for
from media_aiortc_sender import CountingVideo

aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=False: ["127.0.0.1"]
checks = Checks()


async def main(url, access_key, secret_key, channel, seconds, relay, via):
    endpoint = Endpoint(url, access_key, secret_key)
    arn = endpoint.client("kinesisvideo").describe_signaling_channel(ChannelName=channel)["ChannelInfo"]["ChannelARN"]
    servers = []
    policy = RTCIceTransportPolicy.ALL
    if relay:
        ice = endpoint.client("kinesis-video-signaling").get_ice_server_config(ChannelARN=arn, ClientId="aiortc-master")["IceServerList"][0]
        uris = [uri for uri in ice["Uris"] if uri.startswith("turn:") and uri.endswith("transport=udp")]
        if via:
            uris = [f"turn:127.0.0.1:{via}?transport=udp"]
        servers = [RTCIceServer(urls=uris, username=ice["Username"], credential=ice["Password"])]
        policy = RTCIceTransportPolicy.RELAY
    master = await Peer.connect(endpoint, arn)
    print('{"check": "master connected", "ok": true, "detail": ""}', flush=True)
    offer_message = None
    for _ in range(60):
        message = await master.receive(timeout=1.0)
        if message and message.get("messageType") == "SDP_OFFER":
            offer_message = message
            break
    checks.record("offer received", offer_message is not None)
    if offer_message is None:
        return
    viewer = offer_message["senderClientId"]
    pc = RTCPeerConnection(RTCConfiguration(iceServers=servers, iceTransportPolicy=policy))
    video = CountingVideo()
    await pc.setRemoteDescription(RTCSessionDescription(**decode(offer_message)))
    for transceiver in pc.getTransceivers():
        if transceiver.kind == "video":
            transceiver.sender.replaceTrack(video)
        else:
            transceiver.sender.replaceTrack(AudioStreamTrack())
        transceiver.direction = "sendonly"
    await pc.setLocalDescription(await pc.createAnswer())
    await master.send("SDP_ANSWER", {"type": "answer", "sdp": pc.localDescription.sdp}, recipient=viewer)

    async def trickled():  # candidates the viewer trickles after its offer (RFC 8838)
        while True:
            message = await master.receive(timeout=60)
            if message and message.get("messageType") == "ICE_CANDIDATE":
                body = decode(message)
                if body and body.get("candidate"):
                    candidate = candidate_from_sdp(body["candidate"].split(":", 1)[1])
                    candidate.sdpMid, candidate.sdpMLineIndex = body.get("sdpMid"), body.get("sdpMLineIndex")
                    await pc.addIceCandidate(candidate)

    listener = asyncio.ensure_future(trickled())
    await send_for(pc, video, seconds, checks)
    # The last frames' lost packets come back only while the connection stays: stop the video
    # (a stopped camera) and answer NACKs a moment — over the impaired link a retransmission
    # takes a round trip of 200 ms or more, and a lost one another — before hanging up.
    for transceiver in pc.getTransceivers():
        if transceiver.kind == "video":
            transceiver.sender.replaceTrack(None)
    await asyncio.sleep(2.0 if via else 0.5)
    listener.cancel()
    await pc.close()
    await master.close()
    sys.exit(1 if checks.failed else 0)


args = sys.argv[1:]
via = next((arg.split("=", 1)[1] for arg in args[6:] if arg.startswith("via=")), None)
jump = next((arg.split("=", 1)[1] for arg in args[5:] if arg.startswith("jump=")), None)
if jump:
    step, after = (float(part) for part in jump.split("@"))
    started, unshifted = time.monotonic(), aiortc.clock.current_ntp_time

    def stepped_ntp_time():  # 64-bit NTP time (RFC 3550 §4), stepped `step` seconds after `after`
        shift = int(step * (1 << 32)) if time.monotonic() - started >= after else 0
        return (unshifted() + shift) & 0xFFFFFFFFFFFFFFFF

    aiortc.clock.current_ntp_time = stepped_ntp_time
asyncio.run(main(args[0], args[1], args[2], args[3], float(args[4]), len(args) > 5 and args[5] == "relay", via))
