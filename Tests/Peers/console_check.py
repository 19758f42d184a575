"""The web console in headless Chromium (Selenium), end to end, inside a network namespace
with only `lo` (the Swift test starts this script under `unshare -n`).

`peergate serve` runs the `make run` demo setup: a test clip (ffmpeg CLI) republished into
channel `demo` (publishers:) and recorded (recorders:). Chromium logs in, sees the channel
with its master connected and recording on, watches it live (framesDecoded > 0), opens the
day timeline and plays a recording from a click (currentTime advances), checks the span
download link, and uses peergate-signaling.js's WebCrypto presigning to open a signaling
connection. Screenshots go to SCREENSHOT_DIR.

Usage: console_check.py PEERGATE_EXECUTABLE SCREENSHOT_DIR"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from kvs_peer import Checks

FLAGS = ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required",
         "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns", "--window-size=1280,1000"]


def wait_for(predicate, seconds, step=0.25):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception:
            pass
        time.sleep(step)
    return None


def run_async(driver, body, *args):
    """Runs an async JS function body; its result, or {'error': text}."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; const args = Array.from(arguments).slice(0, -1);"
        "(async () => { " + body + " })().then(done, e => done({error: String(e)}));", *args)


checks = Checks()
executable, shots = sys.argv[1], sys.argv[2]
os.makedirs(shots, exist_ok=True)
data = tempfile.mkdtemp(prefix="peergate-console-")
clip = data + "/demo.mp4"
subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "6", "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-bf", "0", "-g", "30", "-c:a", "libopus", clip], check=True)
server = subprocess.Popen([executable, "serve", "--http-port", "0", "--data-dir", data, "--set", "turn.port=0", "--set", "turn.tlsPort=0",
                           "--create-channel", "demo", "--set", "recording.segmentSeconds=2",
                           "--set", "publishers.0.channel=demo", "--set", f"publishers.0.source={clip}", "--set", "publishers.0.loop=true",
                           "--set", "publishers.0.onDemand=false", "--set", "recorders.0.channel=demo"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
driver = None
try:
    wait_for(lambda: os.path.exists(data + "/ports.json"), 30)
    port = json.load(open(data + "/ports.json"))["http"]
    credentials = dict(line.split(" = ", 1) for line in open(data + "/credentials").read().splitlines() if " = " in line)
    key, secret = credentials["aws_access_key_id"], credentials["aws_secret_access_key"]
    url = f"http://127.0.0.1:{port}"
    # Wait for a few recorded segments (2 s each).
    recorded = wait_for(lambda: subprocess.run([executable, "recordings", "show", "--channel", "demo", "--json", "--data-dir", data],
                                               capture_output=True, text=True).stdout.count('"state" : "complete"') >= 3, 40, 1)
    checks.record("demo channel recorded by serve", recorded is not None, "")

    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(30)
    driver.get(url + "/console/")
    checks.record("login form shown", wait_for(lambda: driver.find_element(By.ID, "login").is_displayed(), 10) is not None, "")
    driver.save_screenshot(shots + "/1-login.png")
    driver.find_element(By.ID, "access-key").send_keys(key)
    driver.find_element(By.ID, "secret-key").send_keys("wrong-secret-000000")
    driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
    refused = wait_for(lambda: "wrong" in driver.find_element(By.ID, "status").text, 10)
    checks.record("a wrong secret is refused in words", refused is not None, driver.find_element(By.ID, "status").text)
    driver.find_element(By.ID, "secret-key").clear()
    driver.find_element(By.ID, "secret-key").send_keys(secret)
    driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
    row = wait_for(lambda: driver.find_element(By.CSS_SELECTOR, "tr[data-channel='demo']"), 15)
    checks.record("logged in: channel demo listed", row is not None, driver.find_element(By.ID, "status").text)
    live_state = wait_for(lambda: (lambda t: t if "connected" in t and "on (viewer)" in t else None)(
        driver.find_element(By.CSS_SELECTOR, "tr[data-channel='demo']").text), 15, 0.5)
    checks.record("demo shows its master connected and recording on", live_state is not None,
                  driver.find_element(By.CSS_SELECTOR, "tr[data-channel='demo']").text)
    cookies = {c["name"]: c for c in driver.get_cookies()}
    session = cookies.get("peergate_session", {})
    checks.record("session cookie is HttpOnly and SameSite=Strict", session.get("httpOnly") is True and session.get("sameSite") == "Strict", session)
    driver.save_screenshot(shots + "/2-channels.png")

    driver.find_element(By.CSS_SELECTOR, "tr[data-channel='demo'] button.watch").click()
    decoded = wait_for(lambda: run_async(driver, """
        const pc = window.peergateConsole.livePeerConnection();
        if (!pc) return 0;
        let frames = 0;
        (await pc.getStats()).forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded || 0; });
        return frames;"""), 20, 0.5)
    checks.record("live view decodes video (framesDecoded > 0)", bool(decoded), f"framesDecoded={decoded} state={driver.find_element(By.ID, 'live-state').text}")
    time.sleep(1)
    driver.save_screenshot(shots + "/3-live.png")

    driver.find_element(By.CSS_SELECTOR, "tr[data-channel='demo'] button.recordings").click()
    blocks = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#timeline .segment"), 15)
    checks.record("timeline shows recorded segments", bool(blocks) and len(blocks) >= 3, f"{len(blocks or [])} blocks: {driver.find_element(By.ID, 'rec-summary').text}")
    if blocks:
        # Click where the first block is (a user clicks the timeline; the click bubbles to it),
        # with the timeline scrolled into the middle of the window first.
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", driver.find_element(By.ID, "timeline"))
        time.sleep(0.5)
        ActionChains(driver).move_to_element(blocks[0]).click().perform()
    playing = wait_for(lambda: driver.execute_script("return document.getElementById('rec-video').currentTime") > 1.0, 20, 0.5)
    position = driver.execute_script("return document.getElementById('rec-video').currentTime")
    checks.record("a click on the timeline plays the recording (currentTime advances)", playing is not None,
                  f"currentTime={position} status={driver.find_element(By.ID, 'status').text}")
    driver.save_screenshot(shots + "/4-recording.png")
    download = run_async(driver, """
        const response = await fetch(document.getElementById('download').href);
        const body = await response.arrayBuffer();
        return {status: response.status, type: response.headers.get('content-type'), bytes: body.byteLength};""")
    checks.record("the span download link answers an MP4", isinstance(download, dict) and download.get("status") == 200
                  and download.get("type") == "video/mp4" and download.get("bytes", 0) > 10000, download)

    arn = json.loads(subprocess.run([executable, "channels", "describe", "demo", "--data-dir", data], capture_output=True, text=True).stdout)["ChannelInfo"]["ChannelARN"]
    opened = run_async(driver, """
        const [endpoint, arn, key, secret] = args;
        const { SignalingClient, presignSignalingURL } = await import('/console/peergate-signaling.js');
        const url = await presignSignalingURL({endpoint, region: 'us-east-1', accessKeyId: key, secretAccessKey: secret, channelARN: arn, clientId: 'js-module-check'});
        const client = new SignalingClient({url});
        await client.open();
        client.close();
        const bad = new SignalingClient({url: url.replace(/X-Amz-Signature=[0-9a-f]/, 'X-Amz-Signature=z')});
        let refused = false;
        try { await bad.open(); } catch (e) { refused = true; }
        return {opened: true, refused};""", url.replace("http://", "ws://"), arn, key, secret)
    checks.record("peergate-signaling.js presigns with WebCrypto and connects; a bad signature is refused",
                  isinstance(opened, dict) and opened.get("opened") is True and opened.get("refused") is True, opened)
    # Script errors only: refused requests (before login, the wrong secret, the bad signature) are expected.
    browser_errors = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE" and entry.get("source") != "network"]
    checks.record("no script errors", not browser_errors, browser_errors[:5])
finally:
    if driver:
        driver.quit()
    server.terminate()
    try:
        _, errors = server.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        _, errors = server.communicate()
    checks.record("server stopped cleanly", "Fatal error" not in (errors or ""), (errors or "")[-1500:])
    shutil.rmtree(data, ignore_errors=True)
sys.exit(1 if checks.failed else 0)
