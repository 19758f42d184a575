"""aiortc viewers of a republished channel, all joining at once: each offers to receive video
(and audio), and counts the frames its decoder produces and the time from sending its offer to
its first decoded frame, until the master ends the call or SECONDS pass. With EXTRA > 0, that
many more viewers try to join after the first COUNT and must be refused by signaling.
Prints checks "viewers" (detail: JSON {id: {"decoded": n, "firstFrameMs": t, "audio": n}}) and "refused".
Usage: republish_viewers.py URL ACCESS_KEY SECRET_KEY CHANNEL COUNT SECONDS [EXTRA]"""
import asyncio
import json
import sys
import time

import aioice.ice
from aiortc import RTCPeerConnection, RTCSessionDescription

from kvs_peer import Endpoint, Peer, count_received_frames, offer_and_wait_for_answer

aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=False: ["127.0.0.1"]


async def view(endpoint, arn, client_id, seconds, results):
    result = {"decoded": 0, "firstFrameMs": None, "audio": 0, "answered": False}
    results[client_id] = result
    peer = await Peer.connect(endpoint, arn, client_id=client_id)
    pc = RTCPeerConnection()
    pc.addTransceiver("video", direction="recvonly")
    pc.addTransceiver("audio", direction="recvonly")
    ended = asyncio.get_running_loop().create_future()
    offered = [time.monotonic()]
    count_received_frames(pc, result, offered, ended)

    offered[0] = time.monotonic()
    answer = await offer_and_wait_for_answer(peer, pc)
    if answer is not None:
        result["answered"] = True
        await pc.setRemoteDescription(RTCSessionDescription(**answer))
        try:
            await asyncio.wait_for(ended, seconds)
        except asyncio.TimeoutError:
            pass
    await pc.close()
    await peer.close()


async def refused(endpoint, arn, client_id):
    try:
        peer = await Peer.connect(endpoint, arn, client_id=client_id)
    except Exception:
        return True
    # Accepted at the HTTP level: refused if the server closes it at once.
    message = None
    try:
        message = await peer.receive(timeout=2.0)
    except Exception:
        return True
    await peer.close()
    return False


async def main(url, access_key, secret_key, channel, count, seconds, extra):
    endpoint = Endpoint(url, access_key, secret_key)
    arn = endpoint.client("kinesisvideo").describe_signaling_channel(ChannelName=channel)["ChannelInfo"]["ChannelARN"]
    results = {}
    tasks = [asyncio.ensure_future(view(endpoint, arn, f"viewer-{index}", seconds, results)) for index in range(count)]
    await asyncio.sleep(1.0)
    refusals = 0
    for index in range(extra):
        refusals += 1 if await refused(endpoint, arn, f"extra-{index}") else 0
    await asyncio.gather(*tasks)
    print(json.dumps({"check": "viewers", "ok": all(r["answered"] for r in results.values()), "detail": json.dumps(results)}))
    print(json.dumps({"check": "refused", "ok": refusals == extra, "detail": str(refusals)}))


args = sys.argv[1:]
asyncio.run(main(args[0], args[1], args[2], args[3], int(args[4]), float(args[5]), int(args[6]) if len(args) > 6 else 0))
