"""Republishing benchmark, one gateway per run (`peergate bench republish` runs both in one
network namespace with 127.0.0.1 on a bridge, one after the other): GStreamer's RTSP server
(a 2 s GOP; with `ignore-pli` keyframe requests are dropped) is republished by
  peergate: `peergate serve` + `peergate publish` (always on), viewers through KVS signaling;
  janus / janus-bufferkf: Janus's streaming plugin (an rtsp mountpoint, its keyframe buffer off/on).
Then JOINS aiortc viewers join one at a time (at random points of the GOP) and each reports the
time from its first request (offer, or Janus's `watch`) to its first decoded frame; then VIEWERS
watch together for SECONDS while the gateway process's CPU time is sampled.
Prints one JSON line: {"first_frame_ms": [...], "cpu": s, "window": s, "viewers": n, "idle_cpu_per_s": s, "decoded": [...]}.
Usage: republish_bench.py MODE PEERGATE_EXECUTABLE JOINS VIEWERS SECONDS [ignore-pli]"""
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

import aioice.ice
from aiortc import RTCPeerConnection, RTCSessionDescription

from ingest_publishers import Janus, cpu_seconds
from kvs_peer import count_received_frames

aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=False: ["127.0.0.1"]
HERE = os.path.dirname(os.path.abspath(__file__))
RTSP_PORT = 8554


class PeergateSide:
    def __init__(self, executable):
        self.executable = executable
        self.data = tempfile.mkdtemp(prefix="peergate-bench-republish-")
        self.processes = []

    async def start(self):
        serve = subprocess.Popen([self.executable, "serve", "--data-dir", self.data, "--set", "http.port=0", "--set", "turn.port=0",
                                  "--set", "turn.tlsPort=0", "--create-channel", "bench", "--log-level", "error"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.processes.append(serve)
        for _ in range(100):
            if os.path.exists(self.data + "/ports.json"):
                break
            await asyncio.sleep(0.1)
        self.url = f"http://127.0.0.1:{json.load(open(self.data + '/ports.json'))['http']}"
        publish = subprocess.Popen([self.executable, "publish", "--channel", "bench", "--source", f"rtsp://127.0.0.1:{RTSP_PORT}/test",
                                    "--data-dir", self.data], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.processes.append(publish)
        self.pid = publish.pid
        from kvs_peer import Endpoint
        credentials = dict(line.split(" = ") for line in open(self.data + "/credentials").read().splitlines() if " = " in line)
        self.endpoint = Endpoint(self.url, credentials["aws_access_key_id"], credentials["aws_secret_access_key"])
        self.arn = self.endpoint.client("kinesisvideo").describe_signaling_channel(ChannelName="bench")["ChannelInfo"]["ChannelARN"]

    async def view(self, client_id, seconds, result):
        from kvs_peer import Peer, offer_and_wait_for_answer
        peer = await Peer.connect(self.endpoint, self.arn, client_id=client_id)
        pc = RTCPeerConnection()
        pc.addTransceiver("video", direction="recvonly")
        pc.addTransceiver("audio", direction="recvonly")
        started = [time.monotonic()]
        count_received_frames(pc, result, started)
        answer = await offer_and_wait_for_answer(peer, pc)
        if answer:
            await pc.setRemoteDescription(RTCSessionDescription(**answer))
            await asyncio.sleep(seconds)
        await pc.close()
        await peer.close()

    def stop(self):
        for process in reversed(self.processes):
            process.terminate()
            process.wait()
        shutil.rmtree(self.data, ignore_errors=True)


class JanusSide:
    def __init__(self, bufferkf):
        self.config = tempfile.mkdtemp(prefix="janus-config-")
        self.bufferkf = bufferkf

    async def start(self):
        for name in ("janus.jcfg", "janus.transport.http.jcfg"):
            shutil.copy(f"/etc/janus/{name}", self.config)
        with open(self.config + "/janus.plugin.streaming.jcfg", "w") as config:
            config.write(f"""general: {{
}}
bench: {{
  type = "rtsp"
  id = 1
  description = "bench"
  audio = true
  video = true
  url = "rtsp://127.0.0.1:{RTSP_PORT}/test"
  rtsp_reconnect_delay = 2
  audiopt = 111
  audiortpmap = "opus/48000/2"
  videopt = 96
  videortpmap = "H264/90000"
  videofmtp = "profile-level-id=42e01f;packetization-mode=1"
  videobufferkf = {"true" if self.bufferkf else "false"}
}}
""")
        self.process = subprocess.Popen(["janus", "-F", self.config, "-o", "-d", "3"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.pid = self.process.pid
        self.janus = Janus("http://127.0.0.1:8088/janus")
        for _ in range(50):
            try:
                self.janus.post("", {"janus": "info"})
                break
            except OSError:
                await asyncio.sleep(0.2)

    async def view(self, client_id, seconds, result):
        janus = self.janus
        session = (await asyncio.to_thread(janus.post, "", {"janus": "create"}))["data"]["id"]
        handle = (await asyncio.to_thread(janus.post, f"/{session}", {"janus": "attach", "plugin": "janus.plugin.streaming"}))["data"]["id"]
        pc = RTCPeerConnection()
        started = [time.monotonic()]
        count_received_frames(pc, result, started)
        await asyncio.to_thread(janus.post, f"/{session}/{handle}", {"janus": "message", "body": {"request": "watch", "id": 1}})
        offer = None
        while offer is None and time.monotonic() - started[0] < 10:
            for event in await asyncio.to_thread(janus.poll, session):
                offer = offer or event.get("jsep")
        if offer:
            await pc.setRemoteDescription(RTCSessionDescription(**offer))
            await pc.setLocalDescription(await pc.createAnswer())
            await asyncio.to_thread(janus.post, f"/{session}/{handle}", {
                "janus": "message", "body": {"request": "start"}, "jsep": {"type": "answer", "sdp": pc.localDescription.sdp}})
            await asyncio.sleep(seconds)
        await pc.close()
        await asyncio.to_thread(janus.post, f"/{session}", {"janus": "destroy"})

    def stop(self):
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.config, ignore_errors=True)


async def main(mode, executable, joins, viewers, seconds, ignore_pli):
    camera = subprocess.Popen(["/usr/bin/python3", HERE + "/rtsp_test_server.py", str(RTSP_PORT), "60"] + (["ignore-pli"] if ignore_pli else []),
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    camera.stdout.readline()
    side = PeergateSide(executable) if mode == "peergate" else JanusSide(mode == "janus-bufferkf")
    try:
        await side.start()
        await asyncio.sleep(3)  # the source flows
        before = cpu_seconds(side.pid)
        await asyncio.sleep(5)
        idle = (cpu_seconds(side.pid) - before) / 5
        firsts = []
        for index in range(joins):
            result = {}
            await side.view(f"join-{index}", 1.5, result)
            firsts.append(result.get("firstFrameMs"))
            await asyncio.sleep(random.uniform(0, 2))
        results = [{} for _ in range(viewers)]
        watchers = [asyncio.ensure_future(side.view(f"viewer-{index}", seconds, results[index])) for index in range(viewers)]
        await asyncio.sleep(5)  # all connected
        window = max(seconds - 8, 2)
        before = cpu_seconds(side.pid)
        await asyncio.sleep(window)
        cpu = cpu_seconds(side.pid) - before
        await asyncio.gather(*watchers)
        print(json.dumps({"first_frame_ms": firsts, "cpu": cpu, "window": window, "viewers": viewers, "idle_cpu_per_s": idle,
                          "decoded": [result.get("decoded", 0) for result in results]}), flush=True)
    finally:
        side.stop()
        camera.kill()


args = sys.argv[1:]
asyncio.run(main(args[0], args[1], int(args[2]), int(args[3]), float(args[4]), "ignore-pli" in args[5:]))
