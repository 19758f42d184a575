"""A GStreamer RTSP server (gst-rtsp-server) for republishing tests: one shared pipeline
(videotestsrc → x264enc, and Opus audio) served at rtsp://127.0.0.1:PORT/test to every client,
over TCP or UDP. Keyframes every GOP frames; with `ignore-pli` the encoder makes none on
request (a camera that ignores keyframe requests). Prints "ready PORT" once listening, runs
until killed. Run with /usr/bin/python3 (it needs the system's gi bindings).
Usage: rtsp_test_server.py PORT [GOP]"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)
port = sys.argv[1]
gop = int(sys.argv[2]) if len(sys.argv) > 2 else 30
pipeline = (
    "( videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=30/1 ! "
    f"x264enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} bframes=0 sliced-threads=false bitrate=800 ! "
    "video/x-h264,profile=constrained-baseline ! rtph264pay name=pay0 pt=96 config-interval=-1 "
    "audiotestsrc is-live=true wave=sine ! audio/x-raw,rate=48000,channels=2 ! opusenc ! rtpopuspay name=pay1 pt=111 )"
)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(pipeline)
factory.set_shared(True)
server.get_mount_points().add_factory("/test", factory)
server.attach(None)
print(f"ready {server.get_bound_port()}", flush=True)
GLib.MainLoop().run()
