"""Two aiortc peers with iceTransportPolicy=relay connect through peergate's TURN server,
with TURN credentials from get-ice-server-config. Usage: turn_aiortc_relay.py URL AK SK"""
import asyncio
import sys

import aioice.ice
from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection
from aiortc.rtcconfiguration import RTCIceTransportPolicy

from kvs_peer import Checks, Endpoint

# aioice skips loopback when gathering host candidates; the relay candidates come from TURN.
aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=False: ["127.0.0.1"]

checks = Checks()


async def main():
    url, access_key, secret_key = sys.argv[1:4]
    endpoint = Endpoint(url, access_key, secret_key)
    arn = endpoint.client("kinesisvideo").create_signaling_channel(ChannelName="turn-relay")["ChannelARN"]
    ice = endpoint.client("kinesis-video-signaling").get_ice_server_config(ChannelARN=arn, ClientId="aiortc")["IceServerList"][0]
    turn_urls = [uri for uri in ice["Uris"] if uri.startswith("turn:") and uri.endswith("transport=udp")]
    configuration = RTCConfiguration(
        iceServers=[RTCIceServer(urls=turn_urls, username=ice["Username"], credential=ice["Password"])], iceTransportPolicy=RTCIceTransportPolicy.RELAY)
    offerer, answerer = RTCPeerConnection(configuration), RTCPeerConnection(configuration)
    channel = offerer.createDataChannel("probe")
    echoed = asyncio.get_running_loop().create_future()

    @answerer.on("datachannel")
    def on_datachannel(remote):
        @remote.on("message")
        def on_message(message):
            remote.send("echo:" + message)

    @channel.on("message")
    def on_reply(message):
        if not echoed.done():
            echoed.set_result(message)

    opened = asyncio.get_running_loop().create_future()
    channel.on("open", lambda: opened.done() or opened.set_result(True))
    await offerer.setLocalDescription(await offerer.createOffer())
    await answerer.setRemoteDescription(offerer.localDescription)
    await answerer.setLocalDescription(await answerer.createAnswer())
    await offerer.setRemoteDescription(answerer.localDescription)
    candidates = [line for line in offerer.localDescription.sdp.splitlines() + answerer.localDescription.sdp.splitlines() if line.startswith("a=candidate")]
    checks.record("both peers gathered only relay candidates from peergate", candidates and all(" typ relay" in line for line in candidates), candidates)
    await asyncio.wait_for(opened, 20)
    channel.send("hello through TURN")
    reply = await asyncio.wait_for(echoed, 10)
    checks.record("a data channel message goes through the relays and back", reply == "echo:hello through TURN", reply)
    checks.record("ICE completed", offerer.iceConnectionState == "completed" and answerer.iceConnectionState == "completed",
                  (offerer.iceConnectionState, answerer.iceConnectionState))
    await offerer.close()
    await answerer.close()


try:
    asyncio.run(main())
except Exception as error:  # a failure to connect is a failed check, with the reason
    checks.record("the relay-only connection completed", False, repr(error))
sys.exit(1 if checks.failed else 0)
