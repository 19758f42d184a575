"""A GStreamer RTSP server (gst-rtsp-server) for republishing tests: one shared pipeline
(videotestsrc → x264enc, and Opus audio) served at rtsp://127.0.0.1:PORT/test to every client,
over TCP or UDP. Keyframes every GOP frames; with `ignore-pli` the encoder makes none on
request (a camera that ignores keyframe requests). Prints "ready PORT" once listening, runs
until killed. Run with /usr/bin/python3 (it needs the system's gi bindings).
Usage: rtsp_test_server.py PORT [GOP] [ignore-pli]"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)
port = sys.argv[1]
gop = int(sys.argv[2]) if len(sys.argv) > 2 else 30
ignore_pli = "ignore-pli" in sys.argv[3:]
pipeline = (
    "( videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=30/1 ! "
    f"x264enc name=enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} bframes=0 sliced-threads=false bitrate=800 ! "
    "video/x-h264,profile=constrained-baseline ! rtph264pay name=pay0 pt=96 config-interval=-1 "
    "audiotestsrc is-live=true wave=sine ! audio/x-raw,rate=48000,channels=2 ! opusenc ! rtpopuspay name=pay1 pt=111 )"
)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(pipeline)
factory.set_shared(True)


def drop_keyframe_requests(pad, info):
    """A camera that ignores keyframe requests: RTCP PLI/FIR reach the encoder as upstream
    force-key-unit events; they are dropped here."""
    event = info.get_event()
    structure = event.get_structure() if event else None
    if structure is not None and structure.get_name() == "GstForceKeyUnit":
        return Gst.PadProbeReturn.DROP
    return Gst.PadProbeReturn.OK


def configure(factory, media):
    encoder = media.get_element().get_by_name("enc")
    encoder.get_static_pad("src").add_probe(Gst.PadProbeType.EVENT_UPSTREAM, drop_keyframe_requests)


if ignore_pli:
    factory.connect("media-configure", configure)
server.get_mount_points().add_factory("/test", factory)
server.attach(None)
print(f"ready {server.get_bound_port()}", flush=True)
GLib.MainLoop().run()
