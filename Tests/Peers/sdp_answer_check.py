"""aiortc offers audio (recvonly) and video (sendrecv) and applies the answer peergate's
SDPAnswerer writes: the offer goes to argv[1], the answer is read from argv[2] once it
appears. Prints one JSON check per line."""
import asyncio
import json
import os
import sys

from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaBlackhole  # noqa: F401  (aiortc's media module loads codecs)


def check(name, ok, detail=""):
    print(json.dumps({"check": name, "ok": bool(ok), "detail": str(detail)}), flush=True)


async def main(offer_path, answer_path):
    pc = RTCPeerConnection()
    pc.addTransceiver("audio", direction="recvonly")
    pc.addTransceiver("video", direction="sendrecv")
    await pc.setLocalDescription(await pc.createOffer())
    with open(offer_path + ".tmp", "w") as f:
        f.write(pc.localDescription.sdp)
    os.rename(offer_path + ".tmp", offer_path)
    for _ in range(600):
        if os.path.exists(answer_path):
            break
        await asyncio.sleep(0.05)
    with open(answer_path) as f:
        answer = f.read()
    try:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        check("answer accepted", True)
    except Exception as error:  # aiortc raises ValueError and friends for a bad answer
        check("answer accepted", False, repr(error))
        await pc.close()
        return
    audio, video = pc.getTransceivers()
    check("audio direction", audio.currentDirection == "inactive", audio.currentDirection)
    check("video direction", video.currentDirection == "sendonly", video.currentDirection)
    codecs = [c.mimeType for c in getattr(video, "_codecs", [])]
    check("video codecs", codecs[:2] == ["video/VP8", "video/H264"], codecs)
    check("signaling stable", pc.signalingState == "stable", pc.signalingState)
    await pc.close()


asyncio.run(main(sys.argv[1], sys.argv[2]))
