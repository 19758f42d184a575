"""End-to-end test of peergate's KVS signaling WebSocket with independent clients.

Usage: signaling_e2e.py URL ACCESS_KEY SECRET_KEY [CA_FILE]
Prints one JSON line per check; exits 1 if any check failed.
"""
import asyncio
import json
import sys
import time

import websockets

from kvs_peer import Checks, Endpoint, Peer, decode

checks = Checks()


def make_channel(endpoint, name, ttl=60):
    kv = endpoint.client("kinesisvideo")
    arn = kv.create_signaling_channel(ChannelName=name, SingleMasterConfiguration={"MessageTtlSeconds": ttl})["ChannelARN"]
    return kv, arn


async def refused(endpoint, url):
    """(HTTP status, x-amzn-ErrorType) of a refused WebSocket upgrade; None if it connected."""
    try:
        ws = await websockets.connect(url, ssl=endpoint.ssl_context(), open_timeout=10)
    except websockets.exceptions.InvalidStatus as error:
        return error.response.status_code, error.response.headers.get("x-amzn-ErrorType")
    await ws.close()
    return None


async def master_and_ten_viewers(endpoint):
    _, arn = make_channel(endpoint, "e2e-fanout")
    master = await Peer.connect(endpoint, arn)
    viewers = [await Peer.connect(endpoint, arn, f"viewer-{i}") for i in range(10)]
    for viewer in viewers:
        await viewer.send("SDP_OFFER", {"type": "offer", "sdp": f"v=0 from {viewer.client_id}"})
        await viewer.send("ICE_CANDIDATE", {"candidate": f"candidate:1 1 udp 1 127.0.0.1 9 typ host", "sdpMid": "0"})
    offers, candidates = set(), set()
    while len(offers) < 10 or len(candidates) < 10:
        message = await master.receive()
        if message is None:
            break
        if message["messageType"] == "SDP_OFFER" and decode(message)["sdp"].endswith(message["senderClientId"]):
            offers.add(message["senderClientId"])
        elif message["messageType"] == "ICE_CANDIDATE":
            candidates.add(message["senderClientId"])
    checks.record("master receives an offer and a candidate from each of 10 viewers", len(offers) == 10 and len(candidates) == 10, f"{len(offers)} offers, {len(candidates)} candidates")
    for viewer in viewers:
        await master.send("SDP_ANSWER", {"type": "answer", "sdp": f"v=0 for {viewer.client_id}"}, recipient=viewer.client_id)
        await master.send("ICE_CANDIDATE", {"candidate": "candidate:2 1 udp 1 127.0.0.1 10 typ host"}, recipient=viewer.client_id)
    answered = 0
    for viewer in viewers:
        answer, candidate = await viewer.receive(), await viewer.receive()
        if answer and answer["messageType"] == "SDP_ANSWER" and decode(answer)["sdp"].endswith(viewer.client_id) and candidate and candidate["messageType"] == "ICE_CANDIDATE":
            answered += 1
    checks.record("each viewer receives only its own answer and candidate", answered == 10, f"{answered}/10")
    status = await refused(endpoint, endpoint.presigned_url(arn, "viewer-10"))
    checks.record("the 11th viewer is refused with ClientLimitExceededException", status == (400, "ClientLimitExceededException"), status)
    # A viewer reconnecting with its client id replaces its old connection, so it is admitted.
    again = await Peer.connect(endpoint, arn, "viewer-3")
    old = await viewers[3].receive()
    checks.record("a reconnecting viewer replaces its old connection (GO_AWAY)", old is not None and old["messageType"] == "GO_AWAY", old)
    # Viewers never reach each other: a viewer's recipientClientId is ignored, the master gets it.
    await viewers[0].send("ICE_CANDIDATE", {"candidate": "x"}, recipient="viewer-1")
    to_master = await master.receive()
    to_viewer = await viewers[1].receive(timeout=0.5)
    checks.record("viewers only reach the master", to_master is not None and to_master["senderClientId"] == "viewer-0" and to_viewer is None)
    for peer in viewers + [master, again]:
        await peer.close()


async def second_master_replaces_first(endpoint):
    _, arn = make_channel(endpoint, "e2e-masters")
    first = await Peer.connect(endpoint, arn)
    second = await Peer.connect(endpoint, arn)
    go_away = await first.receive()
    closed = False
    try:
        await asyncio.wait_for(first.ws.recv(), 5)
    except websockets.exceptions.ConnectionClosed:
        closed = True
    checks.record("the first master gets GO_AWAY and is closed when a second connects", go_away and go_away["messageType"] == "GO_AWAY" and closed, go_away)
    viewer = await Peer.connect(endpoint, arn, "v")
    await viewer.send("SDP_OFFER", {"sdp": "x"})
    message = await second.receive()
    checks.record("messages go to the newest master", message is not None and message["messageType"] == "SDP_OFFER")
    await viewer.close()
    await second.close()


async def bad_urls_are_refused(endpoint):
    _, arn = make_channel(endpoint, "e2e-auth")
    good = endpoint.presigned_url(arn, "viewer-a")
    tampered = good.replace("viewer-a", "viewer-b")
    result = await refused(endpoint, tampered)
    checks.record("a tampered presigned URL is refused (403)", result == (403, "AccessDeniedException"), result)
    unsigned = good.split("&X-Amz-Algorithm")[0]
    checks.record("an unsigned URL is refused (403)", await refused(endpoint, unsigned) == (403, "AccessDeniedException"))
    expiring = endpoint.presigned_url(arn, "viewer-a", expires=1)
    await asyncio.sleep(2.2)
    checks.record("an expired presigned URL is refused (403)", await refused(endpoint, expiring) == (403, "AccessDeniedException"))
    missing = endpoint.presigned_url(arn.replace("e2e-auth", "no-such-channel"), "viewer-a")
    checks.record("an unknown channel is refused (404)", await refused(endpoint, missing) == (404, "ResourceNotFoundException"))


async def bad_messages_do_not_disturb(endpoint):
    _, arn = make_channel(endpoint, "e2e-bad-messages")
    master = await Peer.connect(endpoint, arn)
    viewer = await Peer.connect(endpoint, arn, "noisy")
    bystander = await Peer.connect(endpoint, arn, "quiet")
    await viewer.send("SDP_OFFER", None, correlation_id="big-1", raw_payload="A" * 20000)
    status = await viewer.receive()
    checks.record("an oversized payload is answered with STATUS_RESPONSE", status is not None and status["messageType"] == "STATUS_RESPONSE" and status["statusResponse"]["correlationId"] == "big-1", status)
    await viewer.ws.send("this is not json")
    await viewer.ws.send('{"action": "DANCE", "messagePayload": "YQ==", "correlationId": "c-2"}')
    status = await viewer.receive()
    checks.record("a bad action is answered with STATUS_RESPONSE", status is not None and status.get("statusResponse", {}).get("correlationId") == "c-2", status)
    await master.send("SDP_ANSWER", {"sdp": "x"}, recipient="nobody", correlation_id="c-3")
    status = await master.receive()
    checks.record("an unknown recipient is answered with STATUS_RESPONSE", status is not None and status.get("statusResponse", {}).get("errorType") == "ResourceNotFoundException", status)
    await viewer.send("SDP_OFFER", {"sdp": "still here"})
    await bystander.send("SDP_OFFER", {"sdp": "me too"})
    received = {(await master.receive() or {}).get("senderClientId") for _ in range(2)}
    checks.record("after bad messages the sender and the others still relay", received == {"noisy", "quiet"}, received)
    for peer in (master, viewer, bystander):
        await peer.close()


async def offline_master_delivery(endpoint):
    _, arn = make_channel(endpoint, "e2e-offline", ttl=5)
    viewer = await Peer.connect(endpoint, arn, "early")
    await viewer.send("SDP_OFFER", {"sdp": "held"})
    await asyncio.sleep(1)
    master = await Peer.connect(endpoint, arn)
    message = await master.receive()
    checks.record("an offer to an absent master is delivered when it connects within the TTL", message is not None and decode(message)["sdp"] == "held", message)
    await master.close()
    await viewer.send("SDP_OFFER", {"sdp": "too late"})
    await asyncio.sleep(6.5)
    late = await Peer.connect(endpoint, arn)
    message = await late.receive(timeout=1.5)
    checks.record("an offer held longer than the TTL is not delivered", message is None, message)
    for peer in (viewer, late):
        await peer.close()


async def delete_sends_go_away(endpoint):
    kv, arn = make_channel(endpoint, "e2e-delete")
    master = await Peer.connect(endpoint, arn)
    kv.delete_signaling_channel(ChannelARN=arn)
    message = await master.receive()
    checks.record("deleting a channel sends GO_AWAY to its connections", message is not None and message["messageType"] == "GO_AWAY", message)


async def main():
    url, access_key, secret_key = sys.argv[1:4]
    endpoint = Endpoint(url, access_key, secret_key, ca_file=sys.argv[4] if len(sys.argv) > 4 else None)
    await asyncio.gather(
        master_and_ten_viewers(endpoint), second_master_replaces_first(endpoint), bad_urls_are_refused(endpoint),
        bad_messages_do_not_disturb(endpoint), offline_master_delivery(endpoint), delete_sends_go_away(endpoint))


asyncio.run(main())
sys.exit(1 if checks.failed else 0)
