"""A KVS WebRTC signaling peer for peergate's end-to-end tests.

URLs are presigned with botocore's SigV4 query signer (service "kinesisvideo"), as the
KVS SDKs do; messages follow the KVS signaling WebSocket protocol.
"""
import asyncio
import base64
import json
import ssl
import time

import boto3
import websockets
from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


class Endpoint:
    """Where and how to reach a peergate server."""

    def __init__(self, url, access_key, secret_key, region="us-east-1", ca_file=None):
        self.url = url  # http(s)://host:port
        self.credentials = Credentials(access_key, secret_key)
        self.region = region
        self.ca_file = ca_file

    def client(self, service):
        return boto3.client(
            service, endpoint_url=self.url, region_name=self.region,
            aws_access_key_id=self.credentials.access_key, aws_secret_access_key=self.credentials.secret_key,
            verify=self.ca_file if self.ca_file else True)

    def channel_arn(self, channel):
        return self.client("kinesisvideo").describe_signaling_channel(ChannelName=channel)["ChannelInfo"]["ChannelARN"]

    def ssl_context(self):
        if not self.url.startswith("https://"):
            return None
        context = ssl.create_default_context(cafile=self.ca_file)
        return context

    def presigned_url(self, channel_arn, client_id=None, expires=300, credentials=None):
        ws_base = self.url.replace("https://", "wss://").replace("http://", "ws://")
        query = f"X-Amz-ChannelARN={channel_arn}"
        if client_id is not None:
            query += f"&X-Amz-ClientId={client_id}"
        request = AWSRequest(method="GET", url=f"{ws_base}/?{query}")
        SigV4QueryAuth(credentials or self.credentials, "kinesisvideo", self.region, expires=expires).add_auth(request)
        return request.url


def payload(obj):
    return base64.b64encode(json.dumps(obj).encode()).decode()


def decode(message):
    return json.loads(base64.b64decode(message["messagePayload"])) if message.get("messagePayload") else None


class Peer:
    """One signaling WebSocket connection (master or viewer)."""

    def __init__(self, websocket, client_id):
        self.ws = websocket
        self.client_id = client_id

    @classmethod
    async def connect(cls, endpoint, channel_arn, client_id=None, url=None):
        url = url or endpoint.presigned_url(channel_arn, client_id)
        websocket = await websockets.connect(url, ssl=endpoint.ssl_context(), open_timeout=10, max_size=2**20)
        return cls(websocket, client_id)

    async def send(self, action, body, recipient=None, correlation_id=None, raw_payload=None):
        message = {"action": action, "messagePayload": raw_payload if raw_payload is not None else payload(body)}
        if recipient is not None:
            message["recipientClientId"] = recipient
        if correlation_id is not None:
            message["correlationId"] = correlation_id
        await self.ws.send(json.dumps(message))

    async def receive(self, timeout=5.0):
        """The next message as a dict; None on timeout; raises ConnectionClosed when closed."""
        try:
            return json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
        except asyncio.TimeoutError:
            return None

    async def close(self):
        await self.ws.close()


class Checks:
    """Results reported to the Swift test as one JSON line per check."""

    def __init__(self):
        self.failed = 0

    def record(self, name, ok, detail=""):
        if not ok:
            self.failed += 1
        print(json.dumps({"check": name, "ok": bool(ok), "detail": str(detail)}), flush=True)

    def timed(self):
        return time.monotonic()


async def offer_and_wait_for_answer(viewer, pc, seconds=30):
    """Sends `pc`'s offer through the viewer connection; the master's answer (a dict), or None."""
    await pc.setLocalDescription(await pc.createOffer())
    await viewer.send("SDP_OFFER", {"type": "offer", "sdp": pc.localDescription.sdp})
    for _ in range(seconds):
        message = await viewer.receive(timeout=1.0)
        if message and message.get("messageType") == "SDP_ANSWER":
            return decode(message)
    return None


async def send_for(pc, video, seconds, checks):
    """Waits (10 s at most) for `pc` to connect, then lets it send for `seconds`, counting
    the video frames from the connection on (checks "connected", "video frames sent")."""
    for _ in range(200):
        if pc.connectionState in ("connected", "failed"):
            break
        await asyncio.sleep(0.05)
    checks.record("connected", pc.connectionState == "connected", pc.connectionState)
    video.frames = 0
    await asyncio.sleep(seconds)
    checks.record("video frames sent", video.frames > 0, video.frames)


def count_received_frames(pc, result, started, ended=None):
    """Counts what `pc`'s tracks decode into `result`: "decoded" video frames, "audio" frames
    and "firstFrameMs", the time from `started[0]` (time.monotonic()) to the first video frame;
    sets the `ended` future when the video track ends."""
    from aiortc.mediastreams import MediaStreamError

    @pc.on("track")
    def on_track(track):
        async def consume():
            while True:
                try:
                    await track.recv()
                except MediaStreamError:
                    break
                if track.kind == "video":
                    if result.get("firstFrameMs") is None:
                        result["firstFrameMs"] = round((time.monotonic() - started[0]) * 1000, 1)
                    result["decoded"] = result.get("decoded", 0) + 1
                else:
                    result["audio"] = result.get("audio", 0) + 1
            if track.kind == "video" and ended is not None and not ended.done():
                ended.set_result(True)
        asyncio.ensure_future(consume())
