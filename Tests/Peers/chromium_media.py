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
  chromium-views-publish-impaired: as chromium-views-publish, but Chromium is relay-only through
    peergate's TURN server reached over an impaired link (Tests/Peers/impair_relay.py: 5 % loss,
    100 ms ± 30 ms each way) and watches a 20 s file (keyframe each second): it must decode
    ≥ 75 % of the frames sent to it, counting resent frames as not decoded (a lower bound).
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
const [url, configuration] = args;
const pc = new RTCPeerConnection(configuration || {});
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
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
      Object.assign(out, {framesDecoded: s.framesDecoded, framesReceived: s.framesReceived, framesDropped: s.framesDropped, keyFramesDecoded: s.keyFramesDecoded, packetsReceived: s.packetsReceived, packetsLost: s.packetsLost, nack: s.nackCount, pli: s.pliCount, freezes: s.freezeCount, codecId: s.codecId});
    }
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


def view_impaired(driver, endpoint, arn, data, executable, client):
    """Chromium views a republished file through TURN over an impaired link."""
    turn = json.load(open(data + "/ports.json"))["turn"]
    relay = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "impair_relay.py"), "127.0.0.1", str(turn), "0.05", "0.1", "0.03"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    relay_port = int(relay.stdout.readline().split()[1])
    source = data + "/source.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-t", "20", "-c:v", "libx264",
                    "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-bf", "0", "-g", "30", source], check=True)
    # The file ends after 20 s; the publisher stays 4 s more, so late retransmissions still come.
    master = subprocess.Popen([executable, "publish", "--channel", "chromium", "--source", source, "--duration", "24"] + client,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)  # the master connects first
    ice = endpoint.client("kinesis-video-signaling").get_ice_server_config(ChannelARN=arn, ClientId="chromium-viewer")["IceServerList"][0]
    configuration = {"iceServers": [{"urls": f"turn:127.0.0.1:{relay_port}?transport=udp", "username": ice["Username"], "credential": ice["Password"]}],
                     "iceTransportPolicy": "relay"}
    error = run_async(driver, VIEWER_JS, endpoint.presigned_url(arn, "chromium-viewer"), configuration)
    checks.record("Chromium viewer offered", error is None, error)
    stats = {}
    while master.poll() is None:  # the last statistics while the publisher is still up
        stats = driver.execute_async_script(STATS_JS)
        time.sleep(0.5)
    out, err = master.communicate(timeout=60)
    relay.stdin.close()
    counts = json.loads(relay.stdout.read().strip().splitlines()[-1])
    relay.wait(timeout=10)
    total = counts["forwarded"] + counts["dropped"]
    checks.record("link dropped about 5 %", total > 1000 and abs(counts["dropped"] / total - 0.05) < 0.015, counts)
    checks.record("peergate publish exited cleanly", master.returncode == 0, err[-800:])
    summary = json.loads(out) if master.returncode == 0 else {}
    sent = (summary.get("framesSent") or {}).get("chromium-viewer", 0)
    resent = (summary.get("framesResent") or {}).get("chromium-viewer", 0)
    decoded = stats.get("framesDecoded") or 0
    # Chromium asks for a keyframe 200 ms after a keyframe it could not use (its first one
    # when the parameter-set packet arrives after the picture's: libwebrtc then has no SPS/PPS)
    # and the publisher answers with the cached group of pictures: frames it may decode twice.
    # Counting every resent frame as decoded gives a lower bound on the source's frames
    # decoded. Without NACK the same link costs about half of them.
    checks.record("Chromium decoded ≥ 75 % of the source's frames (lower bound)", sent > 500 and 0.75 * sent <= decoded - resent <= sent,
                  {"sent": sent, "resent": resent, "lowerBound": round((decoded - resent) / max(sent, 1), 3), **stats})



checks = Checks()
executable, mode = sys.argv[1], sys.argv[2]
data = tempfile.mkdtemp(prefix="peergate-chromium-")
server = subprocess.Popen([executable, "serve", "--http-port", "0", "--data-dir", data, "--set", "turn.port=0"]
                          + (["--set", "turn.allowLoopbackPeers=true"] if mode.endswith("-impaired") else []),
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
    elif mode == "chromium-views-publish-impaired":
        view_impaired(driver, endpoint, arn, data, executable, client)
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
