"""aiortc answers the offer peergate's SDPOfferer wrote (argv[1]) as a camera would:
sending video and receiving nothing back. Writes its answer to argv[2]; prints one JSON
check per line."""
import asyncio
import json
import sys

from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import VideoStreamTrack


def check(name, ok, detail=""):
    print(json.dumps({"check": name, "ok": bool(ok), "detail": str(detail)}), flush=True)


async def main(offer_path, answer_path):
    pc = RTCPeerConnection()
    with open(offer_path) as f:
        offer = f.read()
    try:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
        check("offer accepted", True)
    except Exception as error:  # aiortc raises ValueError and friends for a bad offer
        check("offer accepted", False, repr(error))
        await pc.close()
        return
    kinds = [t.kind for t in pc.getTransceivers()]
    check("sections", kinds == ["video", "audio"], kinds)
    for transceiver in pc.getTransceivers():
        if transceiver.kind == "video":
            transceiver.sender.replaceTrack(VideoStreamTrack())
            transceiver.direction = "sendonly"
    await pc.setLocalDescription(await pc.createAnswer())
    with open(answer_path, "w") as f:
        f.write(pc.localDescription.sdp)
    check("answer written", True)
    await pc.close()


asyncio.run(main(sys.argv[1], sys.argv[2]))
