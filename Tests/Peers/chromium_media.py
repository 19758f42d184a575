"""Headless Chromium exchanges media with `peergate join` through peergate's own signaling,
all inside a network namespace with only `lo` (the Swift test starts it under `unshare -n`).
The page speaks the KVS signaling WebSocket protocol on a URL this script presigns.

Modes:
  chromium-sends-vp8 / chromium-sends-h264: Chromium is the channel's master and sends its
    fake camera with that codec preferred; `peergate join` (viewer) writes what it receives,
    which must decode with no ffmpeg errors.
  chromium-receives-h264: `peergate join --role master` sends an H.264 MP4; Chromium (viewer)
    must decode frames (`framesDecoded` > 0 in getStats).
  chromium-views-publish: `peergate publish` republishes a looped H.264 file (keyframe every
    2 s); Chromium (viewer) must decode its first frame within 1 s of its offer (the GOP cache)
    and keep decoding.
  chromium-recorded-vp8 / chromium-recorded-h264: Chromium is the master as above and
    `peergate record` records the channel into segments (3 s each, keyframes by PLI; WebM for
    VP8, MP4 for H.264): every indexed segment carries that codec and decodes with no ffmpeg errors.
Usage: chromium_media.py PEERGATE_EXECUTABLE MODE"""
import json
import sqlite3
import os
import shutil
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from kvs_peer import Checks, Endpoint

FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]

SIGNALING_JS = """
window.signal = (url, onMessage) => new Promise((resolve, reject) => {
  const ws = new WebSocket(url);
  ws.onopen = () => resolve(ws);
  ws.onerror = () => reject(new Error('signaling WebSocket failed'));
  ws.onmessage = event => {
    if (!event.data) return;
    const message = JSON.parse(event.data);
    const payload = message.messagePayload ? JSON.parse(atob(message.messagePayload)) : null;
    onMessage(message, payload).catch(e => window.errors.push(String(e)));
  };
});
window.sendMessage = (ws, action, body, recipient) => {
  const message = {action, messagePayload: btoa(JSON.stringify(body))};
  if (recipient) message.recipientClientId = recipient;
  ws.send(JSON.stringify(message));
};
window.errors = [];
"""

MASTER_JS = """
const [url, codec] = args;
const stream = await navigator.mediaDevices.getUserMedia({video: {width: 320, height: 240, frameRate: 30}});
let ws;
ws = await window.signal(url, async (message, payload) => {
  if (message.messageType === 'SDP_OFFER') {
    const pc = new RTCPeerConnection();
    window.pc = pc;
    const viewer = message.senderClientId;
    pc.onicecandidate = e => { if (e.candidate) window.sendMessage(ws, 'ICE_CANDIDATE', e.candidate.toJSON(), viewer); };
    await pc.setRemoteDescription(payload);
    const transceiver = pc.getTransceivers().find(t => t.receiver.track.kind === 'video');
    transceiver.direction = 'sendonly';
    await transceiver.sender.replaceTrack(stream.getVideoTracks()[0]);
    const wanted = RTCRtpSender.getCapabilities('video').codecs.filter(c => c.mimeType === 'video/' + codec || c.mimeType === 'video/rtx');
    transceiver.setCodecPreferences(wanted);
    await pc.setLocalDescription(await pc.createAnswer());
    window.sendMessage(ws, 'SDP_ANSWER', {type: 'answer', sdp: pc.localDescription.sdp}, viewer);
  } else if (message.messageType === 'ICE_CANDIDATE' && payload && payload.candidate) {
    await window.pc.addIceCandidate(payload);
  }
});
"""

VIEWER_JS = """
const [url] = args;
const pc = new RTCPeerConnection();
window.pc = pc;
pc.addTransceiver('video', {direction: 'recvonly'});
const ws = await window.signal(url, async (message, payload) => {
  if (message.messageType === 'SDP_ANSWER') await pc.setRemoteDescription(payload);
  else if (message.messageType === 'ICE_CANDIDATE' && payload && payload.candidate) await pc.addIceCandidate(payload);
});
pc.onicecandidate = e => { if (e.candidate) window.sendMessage(ws, 'ICE_CANDIDATE', e.candidate.toJSON()); };
await pc.setLocalDescription(await pc.createOffer());
window.sendMessage(ws, 'SDP_OFFER', {type: 'offer', sdp: pc.localDescription.sdp});
"""

STATS_JS = """
const done = arguments[arguments.length - 1];
if (!window.pc) { done({errors: window.errors}); return; }
window.pc.getStats().then(report => {
  const out = {connection: window.pc.connectionState, errors: window.errors};
  report.forEach(s => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') { out.framesDecoded = s.framesDecoded; out.codecId = s.codecId; }
    if (s.type === 'outbound-rtp' && s.kind === 'video') { out.framesSent = s.framesSent; out.codecId = s.codecId; out.nack = s.nackCount; }
  });
  report.forEach(s => { if (s.type === 'codec' && s.id === out.codecId) out.codec = s.mimeType; });
  done(out);
});
"""


def run_async(driver, body, *args):
    """Runs an async JS function body (its arguments in `args`); None, or the error's text."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; const args = Array.from(arguments).slice(0, -1);"
        "(async () => { " + body + " })().then(() => done(null), e => done(String(e)));", *args)


checks = Checks()
executable, mode = sys.argv[1], sys.argv[2]
data = tempfile.mkdtemp(prefix="peergate-chromium-")
server = subprocess.Popen([executable, "serve", "--http-port", "0", "--data-dir", data, "--set", "turn.port=0"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
processes = [server]
driver = None
try:
    for _ in range(600):
        if os.path.exists(data + "/ports.json"):
            break
        time.sleep(0.05)
    port = json.load(open(data + "/ports.json"))["http"]
    credentials = dict(line.split(" = ", 1) for line in open(data + "/credentials").read().splitlines() if " = " in line)
    url = f"http://127.0.0.1:{port}"
    endpoint = Endpoint(url, credentials["aws_access_key_id"], credentials["aws_secret_access_key"])
    client = ["--data-dir", data]
    subprocess.run([executable, "channels", "create", "chromium"] + client, check=True, capture_output=True)
    arn = endpoint.client("kinesisvideo").describe_signaling_channel(ChannelName="chromium")["ChannelInfo"]["ChannelARN"]

    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(30)
    driver.get(url + "/healthz")  # a loopback origin is a secure context: getUserMedia works there
    driver.execute_script(SIGNALING_JS)

    if mode.startswith("chromium-recorded-"):
        codec = "VP8" if mode.endswith("vp8") else "H264"
        error = run_async(driver, MASTER_JS, endpoint.presigned_url(arn), codec)
        checks.record("Chromium master connected to signaling", error is None, error)
        record = subprocess.run([executable, "record", "--channel", "chromium", "--duration", "10", "--segment-seconds", "3", "--video-codec", codec.lower()] + client,
                                capture_output=True, text=True, timeout=60)
        checks.record("peergate record exited cleanly", record.returncode == 0, record.stderr[-1500:])
        database = sqlite3.connect(data + "/peergate.sqlite")
        rows = database.execute("SELECT path, video_codec, state FROM segments WHERE channel = 'chromium' ORDER BY start_us").fetchall()
        checks.record("segments recorded", len(rows) >= 2, rows)
        extension = ".webm" if codec == "VP8" else ".mp4"
        checks.record("segments carry the codec", all(row[1] == codec and row[2] == "complete" and row[0].endswith(extension) for row in rows), rows)
        total = 0
        for path, _, _ in rows:
            decode = subprocess.run(["ffmpeg", "-v", "error", "-i", data + "/" + path, "-f", "null", "-"], capture_output=True, text=True)
            checks.record(f"{os.path.basename(path)} decodes", decode.returncode == 0 and decode.stderr == "", decode.stderr[-800:])
            frames = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                                     "stream=nb_read_frames", "-of", "csv=p=0", data + "/" + path], capture_output=True, text=True).stdout.strip()
            total += int(frames) if frames.isdigit() else 0
        checks.record("recorded video frames", total > 100, total)
    elif mode.startswith("chromium-sends-"):
        codec = "VP8" if mode.endswith("vp8") else "H264"
        error = run_async(driver, MASTER_JS, endpoint.presigned_url(arn), codec)
        checks.record("Chromium master connected to signaling", error is None, error)
        output = data + "/received"
        join = subprocess.run([executable, "join", "--channel", "chromium", "--output", output, "--duration", "8", "--video-codec", codec.lower()] + client,
                              capture_output=True, text=True, timeout=60)
        stats = driver.execute_async_script(STATS_JS)
        if os.environ.get("DEBUG_SDP"):
            print(driver.execute_script("return window.pc.localDescription.sdp + '\\n----\\n' + window.pc.remoteDescription.sdp"), file=sys.stderr)
        checks.record("peergate join exited cleanly", join.returncode == 0, join.stderr[-1500:])
        summary = json.loads(join.stdout) if join.returncode == 0 else {}
        checks.record("peergate connected", summary.get("connected") is True, summary)
        checks.record("received codec", summary.get("videoCodec") == codec, summary.get("videoCodec"))
        checks.record("Chromium frames sent", (stats.get("framesSent") or 0) > 0, stats)
        checks.record("video frames received", summary.get("videoFrames", 0) > 100, summary.get("videoFrames"))
        for path in summary.get("files", []):
            decode = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "null", "-"], capture_output=True, text=True)
            checks.record(f"{os.path.basename(path)} decodes", decode.returncode == 0 and decode.stderr == "", decode.stderr[-800:])
            frames = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                                     "stream=nb_read_frames", "-of", "csv=p=0", path], capture_output=True, text=True).stdout.strip()
            checks.record("decoded frames", frames.isdigit() and int(frames) >= 0.98 * summary.get("videoFrames", 0), frames)
    else:
        publish = mode == "chromium-views-publish"
        source = data + "/source.mp4"
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-t", "4" if publish else "2", "-c:v", "libx264",
                        "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-bf", "0", "-g", "60" if publish else "30", source], check=True)
        command = ["publish", "--loop"] if publish else ["join", "--role", "master"]
        master = subprocess.Popen([executable] + command + ["--channel", "chromium", "--source", source, "--duration", "10"] + client,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        processes.append(master)
        time.sleep(1.5)  # the master connects first
        started = time.monotonic()
        error = run_async(driver, VIEWER_JS, endpoint.presigned_url(arn, "chromium-viewer"))
        checks.record("Chromium viewer offered", error is None, error)
        stats = {}
        first_frame = None
        for _ in range(100):
            stats = driver.execute_async_script(STATS_JS)
            if (stats.get("framesDecoded") or 0) > 0 and first_frame is None:
                first_frame = time.monotonic() - started
            if (stats.get("framesDecoded") or 0) > 60:
                break
            time.sleep(0.1)
        checks.record("Chromium decoded frames", (stats.get("framesDecoded") or 0) > 60, stats)
        checks.record("Chromium codec", stats.get("codec") == "video/H264", stats.get("codec"))
        limit = 1.0 if publish else 10.0
        checks.record("first frame after offer (s)", first_frame is not None and first_frame <= limit, f"{first_frame:.3f}" if first_frame else None)
        out, err = master.communicate(timeout=30)
        checks.record("peergate master sent frames", master.returncode == 0 and '"chromium-viewer"' in out, out + err[-800:])
finally:
    if driver:
        driver.quit()
    for process in processes:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
    shutil.rmtree(data, ignore_errors=True)
sys.exit(1 if checks.failed else 0)
