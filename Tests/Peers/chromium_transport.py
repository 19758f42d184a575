"""Headless Chromium's RTCPeerConnection connects to peergate's WebRTC transport
(`peergate webrtc-probe`). Runs inside a network namespace of its own with only `lo`
(the Swift test starts it under `unshare -n`). Usage:
chromium_transport.py PEERGATE_EXECUTABLE chromium-offers|peergate-offers"""
import json
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from kvs_peer import Checks

FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]

GATHERED = """
const done = arguments[arguments.length - 1];
const pc = window.pc;
if (pc.iceGatheringState === 'complete') { done(pc.localDescription.sdp); }
else { pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') done(pc.localDescription.sdp); }); }
"""

STATS = """
const done = arguments[arguments.length - 1];
window.pc.getStats().then(report => {
  const out = {ice: window.pc.iceConnectionState, connection: window.pc.connectionState};
  report.forEach(s => {
    if (s.type === 'transport') { out.dtls = s.dtlsState; out.srtp = s.srtpCipher; out.role = s.dtlsRole; out.pair = s.selectedCandidatePairId; }
  });
  report.forEach(s => { if (s.type === 'candidate-pair' && s.id === out.pair) { out.pairState = s.state; out.rtt = s.currentRoundTripTime; } });
  done(out);
});
"""

checks = Checks()
executable, mode = sys.argv[1], sys.argv[2]
arguments = [executable, "webrtc-probe", "--send-rtp", "--timeout", "20"] + (["--offer"] if mode == "peergate-offers" else [])
probe = subprocess.Popen(arguments, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def probe_line():
    line = probe.stdout.readline()
    return json.loads(line) if line else None


ready = probe_line()  # {"event": "ready"} once peergate gathered its candidates


options = Options()
options.binary_location = "/usr/bin/chromium"
for flag in FLAGS:
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.set_script_timeout(30)
    driver.get("about:blank")
    driver.execute_script("window.pc = new RTCPeerConnection();")
    if mode == "chromium-offers":
        driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            window.pc.addTransceiver('video', {direction: 'recvonly'});
            window.pc.createOffer().then(o => window.pc.setLocalDescription(o)).then(() => done());""")
        offer = driver.execute_async_script(GATHERED)
        probe.stdin.write(json.dumps({"type": "offer", "sdp": offer}) + "\n")
        probe.stdin.flush()
        answer = probe_line()
        checks.record("peergate answered", answer and answer.get("type") == "answer", answer)
        driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            window.pc.setRemoteDescription({type: 'answer', sdp: arguments[0]}).then(() => done(null), e => done(String(e)));""", answer["sdp"])
    else:
        offer = probe_line()
        checks.record("peergate offered", offer and offer.get("type") == "offer", offer)
        error = driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            window.pc.setRemoteDescription({type: 'offer', sdp: arguments[0]})
              .then(() => window.pc.createAnswer()).then(a => window.pc.setLocalDescription(a)).then(() => done(null), e => done(String(e)));""", offer["sdp"])
        checks.record("Chromium accepted peergate's offer", error is None, error)
        answer = driver.execute_async_script(GATHERED)
        probe.stdin.write(json.dumps({"type": "answer", "sdp": answer}) + "\n")
        probe.stdin.flush()

    stats = {}
    for _ in range(150):
        stats = driver.execute_async_script(STATS)
        if stats.get("dtls") == "connected" and stats.get("ice") in ("connected", "completed"):
            break
        time.sleep(0.1)
    checks.record("Chromium: ICE connected", stats.get("ice") in ("connected", "completed"), stats)
    checks.record("Chromium: DTLS connected", stats.get("dtls") == "connected", stats)
    # A selected pair shows "in-progress" while a consent check is in flight; its measured
    # round-trip time shows that checks on it succeeded.
    checks.record("Chromium: selected pair answered checks", stats.get("rtt") is not None, stats)
    checks.record("Chromium DTLS role", True, stats.get("role"))
    checks.record("Chromium SRTP cipher", True, stats.get("srtp"))
finally:
    driver.quit()
events = []
probe.stdin.close()
while (event := probe_line()) is not None:
    events.append(event)
probe.wait(timeout=30)
connected = [event for event in events if event.get("event") == "connected"]
checks.record("peergate: DTLS connected and SRTP keyed", connected, events)
checks.record("peergate probe exited cleanly", probe.returncode == 0, probe.returncode)
sys.exit(1 if checks.failed else 0)
