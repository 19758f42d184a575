"""Runs schemathesis against a peergate server with its own /openapi.yaml.

Usage: openapi_conformance.py URL ACCESS_KEY_ID SECRET_ACCESS_KEY

Logs in through POST /v1/session (the console's cookie then authenticates every
request), then two runs: valid data only, checking that every answer is documented
(status, content type, headers, body schema) and never a 5xx; then invalid data,
checking that garbage never causes a 5xx. One JSON line per check (see kvs_peer.Checks).
"""
import json
import subprocess
import sys
import urllib.request

from kvs_peer import Checks


def main():
    url, key, secret = sys.argv[1:4]
    checks = Checks()
    login = urllib.request.Request(
        url + "/v1/session", method="POST", headers={"content-type": "application/json"},
        data=json.dumps({"accessKeyId": key, "secretAccessKey": secret}).encode())
    with urllib.request.urlopen(login) as response:
        cookie = response.headers["set-cookie"].split(";")[0]
    checks.record("login", cookie.startswith("peergate_session="), cookie[:20])
    spec = urllib.request.urlopen(url + "/openapi.yaml").read().decode()
    checks.record("spec served", spec.startswith("openapi: 3.1.0"), spec[:40])
    runs = [
        ("positive", "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance", "40"),
        ("negative", "not_a_server_error", "25"),
    ]
    for mode, selected, examples in runs:
        result = subprocess.run(
            ["schemathesis", "run", url + "/openapi.yaml", "--url", url, "-H", "Cookie: " + cookie, "--checks", selected, "--mode", mode,
             "-n", examples, "--phases", "examples,coverage,fuzzing", "--seed", "7", "--request-timeout", "30", "--no-color"],
            capture_output=True, text=True, timeout=600)
        summary = [line for line in result.stdout.splitlines() if "generated" in line or "passed" in line or "failed" in line]
        checks.record("schemathesis " + mode, result.returncode == 0, " | ".join(summary[-3:]) if result.returncode == 0 else result.stdout[-6000:])
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
