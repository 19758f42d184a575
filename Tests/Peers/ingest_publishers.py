"""Cheap aiortc publishers for the ingest benchmark: N publishers send one pre-encoded clip
(H.264 + Opus in MPEG-TS, no re-encoding) for SECONDS. The clip must last that long:
aiortc's player does not pace a looped file.

  ingest_publishers.py peergate CLIP N SECONDS URL ACCESS_KEY SECRET_KEY CHANNEL_PREFIX
      each publisher is the master of channel CHANNEL_PREFIX<i> and answers the recorder's offer.
  ingest_publishers.py janus CLIP N SECONDS REC_DIR
      starts Janus (run this inside `unshare -n`; see DESIGN.md §4), creates a VideoRoom with
      `record: true` into REC_DIR, publishes into it, and measures Janus's CPU seconds over the
      window once every publisher is up.

Prints JSON lines: {"up": i} per publisher, then {"janus_cpu": s, "window": s, "up": n} (janus mode).
"""
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

import aioice.ice
from aiortc import RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc.contrib.media import MediaPlayer

aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=False: ["127.0.0.1"]


def prefer_h264(pc):
    """The clip is H.264 and sent as is: negotiate nothing else for video."""
    h264 = [codec for codec in RTCRtpSender.getCapabilities("video").codecs if codec.mimeType in ("video/H264", "video/rtx")]
    for transceiver in pc.getTransceivers():
        if transceiver.kind == "video":
            transceiver.setCodecPreferences(h264)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def peergate_publisher(index, clip, seconds, endpoint, prefix):
    from kvs_peer import Peer, decode

    arn = endpoint.channel_arn(f"{prefix}{index}")
    master = await Peer.connect(endpoint, arn)
    deadline = time.monotonic() + seconds
    pc = None
    while time.monotonic() < deadline:
        message = await master.receive(timeout=1.0)
        if not message or message.get("messageType") != "SDP_OFFER":
            continue
        # The recorder rejoins after a failure: answer every offer with a fresh connection.
        if pc:
            await pc.close()
        player = MediaPlayer(clip, decode=False)
        pc = RTCPeerConnection()
        await pc.setRemoteDescription(RTCSessionDescription(**decode(message)))
        for transceiver in pc.getTransceivers():
            transceiver.sender.replaceTrack(player.video if transceiver.kind == "video" else player.audio)
            transceiver.direction = "sendonly"
        prefer_h264(pc)
        await pc.setLocalDescription(await pc.createAnswer())
        await master.send("SDP_ANSWER", {"type": "answer", "sdp": pc.localDescription.sdp}, recipient=message["senderClientId"])
        print(json.dumps({"up": index}), flush=True)
    if pc:
        await pc.close()
    await master.close()


class Janus:
    """The parts of Janus's HTTP API a VideoRoom publisher needs."""

    def __init__(self, url):
        self.url = url

    def post(self, path, body):
        body = dict(body, transaction=uuid.uuid4().hex)
        request = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def poll(self, session):
        with urllib.request.urlopen(f"{self.url}/{session}?maxev=10", timeout=40) as response:
            events = json.load(response)
        return events if isinstance(events, list) else [events]

    async def handle(self):
        session = (await asyncio.to_thread(self.post, "", {"janus": "create"}))["data"]["id"]
        handle = (await asyncio.to_thread(self.post, f"/{session}", {"janus": "attach", "plugin": "janus.plugin.videoroom"}))["data"]["id"]
        return session, handle

    async def message(self, session, handle, body, jsep=None):
        request = {"janus": "message", "body": body}
        if jsep:
            request["jsep"] = jsep
        return await asyncio.to_thread(self.post, f"/{session}/{handle}", request)


async def janus_publisher(index, clip, seconds, janus, room, up):
    session, handle = await janus.handle()
    await janus.message(session, handle, {"request": "join", "room": room, "ptype": "publisher", "display": f"publisher-{index}"})
    player = MediaPlayer(clip, decode=False)
    pc = RTCPeerConnection()
    pc.addTrack(player.video)
    pc.addTrack(player.audio)
    prefer_h264(pc)
    await pc.setLocalDescription(await pc.createOffer())
    offer = {"type": "offer", "sdp": pc.localDescription.sdp}
    await janus.message(session, handle, {"request": "publish", "audio": True, "video": True, "record": True}, jsep=offer)
    deadline = time.monotonic() + seconds
    answered = False
    while time.monotonic() < deadline:  # long polls: the answer, then keepalive
        for event in await asyncio.to_thread(janus.poll, session):
            if "jsep" in event and not answered:
                await pc.setRemoteDescription(RTCSessionDescription(**event["jsep"]))
                answered = True
            if event.get("janus") == "webrtcup":
                up.add(index)
                print(json.dumps({"up": index}), flush=True)
    await pc.close()


async def janus_mode(clip, count, seconds, rec_dir):
    config = tempfile.mkdtemp(prefix="janus-config-")
    for name in ("janus.jcfg", "janus.plugin.videoroom.jcfg", "janus.transport.http.jcfg"):
        shutil.copy(f"/etc/janus/{name}", config)
    process = subprocess.Popen(["janus", "-F", config, "-o", "-d", "3"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    janus = Janus("http://127.0.0.1:8088/janus")
    try:
        for _ in range(50):
            try:
                janus.post("", {"janus": "info"})
                break
            except OSError:
                await asyncio.sleep(0.2)
        session, handle = await janus.handle()
        room = 4242
        await janus.message(session, handle, {
            "request": "create", "room": room, "publishers": count + 1, "record": True, "rec_dir": rec_dir,
            "videocodec": "h264", "audiocodec": "opus", "bitrate": 0,
        })
        up = set()
        window = max(seconds - 30, 5)
        publishers = [asyncio.ensure_future(janus_publisher(i, clip, seconds, janus, room, up)) for i in range(count)]
        started = time.monotonic()
        while len(up) < count and time.monotonic() - started < 25:
            await asyncio.sleep(0.5)
        await asyncio.sleep(2)
        before = cpu_seconds(process.pid)
        await asyncio.sleep(window)
        cpu = cpu_seconds(process.pid) - before
        recorded = sum(os.path.getsize(os.path.join(rec_dir, name)) for name in os.listdir(rec_dir))
        print(json.dumps({"janus_cpu": cpu, "window": window, "up": len(up), "recorded_bytes": recorded}), flush=True)
        for publisher in publishers:
            publisher.cancel()
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(config, ignore_errors=True)


async def main(args):
    mode, clip, count, seconds = args[0], args[1], int(args[2]), float(args[3])
    if mode == "peergate":
        from kvs_peer import Endpoint

        endpoint = Endpoint(args[4], args[5], args[6])
        await asyncio.gather(*(peergate_publisher(i, clip, seconds, endpoint, args[7]) for i in range(count)))
    else:
        await janus_mode(clip, count, seconds, args[4])


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
