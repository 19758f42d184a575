"""End-to-end test of peergate's KVS control plane with boto3 and the AWS CLI.

Usage: control_plane_e2e.py URL ACCESS_KEY SECRET_KEY TURN_SECRET [CA_FILE]
Prints one JSON line per check; exits 1 if any check failed.
"""
import asyncio
import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time

from botocore.config import Config
from botocore.exceptions import ClientError

from kvs_peer import Checks, Endpoint, Peer, payload

checks = Checks()
url, access_key, secret_key, turn_secret = sys.argv[1:5]
ca_file = sys.argv[5] if len(sys.argv) > 5 else None
endpoint = Endpoint(url, access_key, secret_key, ca_file=ca_file)
kv = endpoint.client("kinesisvideo")
signaling = endpoint.client("kinesis-video-signaling")
raw = endpoint.client("kinesisvideo")
raw.meta.config.parameter_validation = False  # let the server validate


def error_of(call, **arguments):
    """(HTTP status, error code, message) of a call expected to fail; None if it succeeded."""
    try:
        call(**arguments)
    except ClientError as error:
        return error.response["ResponseMetadata"]["HTTPStatusCode"], error.response["Error"]["Code"], error.response["Error"]["Message"]
    return None


def aws(*arguments):
    """Runs the AWS CLI against the server; returns the parsed JSON output (or the error text)."""
    environment = dict(os.environ, AWS_ACCESS_KEY_ID=access_key, AWS_SECRET_ACCESS_KEY=secret_key, AWS_DEFAULT_REGION="us-east-1")
    command = [os.path.join(os.path.dirname(sys.executable), "aws"), *arguments, "--endpoint-url", url, "--region", "us-east-1", "--output", "json"]
    if ca_file:
        command += ["--ca-bundle", ca_file]
    result = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=60)
    if result.returncode != 0:
        return {"error": result.stderr.strip()}
    return json.loads(result.stdout) if result.stdout.strip() else {}


# Create (AWS CLI), describe by name and by ARN.
created = aws("kinesisvideo", "create-signaling-channel", "--channel-name", "cp-front-door",
              "--single-master-configuration", "MessageTtlSeconds=30", "--tags", "Key=site,Value=hq")
arn = created.get("ChannelARN", "")
checks.record("aws CLI creates a channel and gets its ARN", arn.startswith("arn:aws:kinesisvideo:us-east-1:") and ":channel/cp-front-door/" in arn, created)
by_name = aws("kinesisvideo", "describe-signaling-channel", "--channel-name", "cp-front-door").get("ChannelInfo", {})
by_arn = kv.describe_signaling_channel(ChannelARN=arn)["ChannelInfo"]
checks.record("describe by name (CLI) and by ARN (boto3) agree",
              by_name.get("ChannelARN") == arn and by_arn["ChannelName"] == "cp-front-door" and by_arn["SingleMasterConfiguration"]["MessageTtlSeconds"] == 30
              and by_arn["ChannelStatus"] == "ACTIVE" and by_arn["ChannelType"] == "SINGLE_MASTER" and abs(by_arn["CreationTime"].timestamp() - time.time()) < 120, by_arn)
checks.record("creating an existing name is ResourceInUseException",
              error_of(kv.create_signaling_channel, ChannelName="cp-front-door")[:2] == (400, "ResourceInUseException"))
checks.record("an unknown channel is ResourceNotFoundException (404)",
              error_of(kv.describe_signaling_channel, ChannelName="cp-nothing")[:2] == (404, "ResourceNotFoundException"))
checks.record("a bad name is InvalidArgumentException", (error_of(raw.create_signaling_channel, ChannelName="bad name!") or (0, ""))[:2] == (400, "InvalidArgumentException"))
checks.record("MessageTtlSeconds outside 5-120 is InvalidArgumentException",
              (error_of(raw.create_signaling_channel, ChannelName="cp-ttl", SingleMasterConfiguration={"MessageTtlSeconds": 121}) or (0, ""))[:2] == (400, "InvalidArgumentException"))

# List with a prefix, page by page.
for index in range(5):
    kv.create_signaling_channel(ChannelName=f"cp-page-{index}")
names, token, pages = [], None, 0
while True:
    arguments = {"MaxResults": 2, "ChannelNameCondition": {"ComparisonOperator": "BEGINS_WITH", "ComparisonValue": "cp-page-"}}
    if token:
        arguments["NextToken"] = token
    page = kv.list_signaling_channels(**arguments)
    names += [channel["ChannelName"] for channel in page["ChannelInfoList"]]
    pages += 1
    token = page.get("NextToken")
    if not token:
        break
checks.record("list with BEGINS_WITH pages 2 at a time through exactly the 5 matches", names == [f"cp-page-{i}" for i in range(5)] and pages == 3, (names, pages))
listed = aws("kinesisvideo", "list-signaling-channels", "--channel-name-condition", "ComparisonOperator=BEGINS_WITH,ComparisonValue=cp-page-3")
checks.record("aws CLI lists with a prefix", [c["ChannelName"] for c in listed.get("ChannelInfoList", [])] == ["cp-page-3"], listed)

# Update with the current and with a stale version.
version = by_arn["Version"]
kv.update_signaling_channel(ChannelARN=arn, CurrentVersion=version, SingleMasterConfiguration={"MessageTtlSeconds": 90})
updated = kv.describe_signaling_channel(ChannelARN=arn)["ChannelInfo"]
checks.record("update with the current version sets the TTL and changes the version",
              updated["SingleMasterConfiguration"]["MessageTtlSeconds"] == 90 and updated["Version"] != version, updated)
checks.record("update with a stale version is VersionMismatchException",
              error_of(kv.update_signaling_channel, ChannelARN=arn, CurrentVersion=version, SingleMasterConfiguration={"MessageTtlSeconds": 10})[:2] == (400, "VersionMismatchException"))

# Tags.
kv.tag_resource(ResourceARN=arn, Tags=[{"Key": "floor", "Value": "2"}, {"Key": "site", "Value": "annex"}])
tags = kv.list_tags_for_resource(ResourceARN=arn)["Tags"]
kv.untag_resource(ResourceARN=arn, TagKeyList=["floor"])
after = aws("kinesisvideo", "list-tags-for-resource", "--resource-arn", arn).get("Tags")
checks.record("tag, list tags, untag", tags == {"site": "annex", "floor": "2"} and after == {"site": "annex"}, (tags, after))
too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(50)]
checks.record("more than 50 tags is TagsPerResourceExceededLimitException",
              error_of(kv.tag_resource, ResourceARN=arn, Tags=too_many)[:2] == (400, "TagsPerResourceExceededLimitException"))

# Endpoints of both roles.
for role in ("MASTER", "VIEWER"):
    endpoints = kv.get_signaling_channel_endpoint(ChannelARN=arn, SingleMasterChannelEndpointConfiguration={"Protocols": ["WSS", "HTTPS"], "Role": role})["ResourceEndpointList"]
    by_protocol = {item["Protocol"]: item["ResourceEndpoint"] for item in endpoints}
    expected_wss = url.replace("https://", "wss://").replace("http://", "ws://")
    checks.record(f"get-signaling-channel-endpoint ({role}) gives this server's WSS and HTTPS URLs",
                  by_protocol == {"WSS": expected_wss, "HTTPS": url}, by_protocol)

# ICE servers with TURN REST credentials.
ice = aws("kinesis-video-signaling", "get-ice-server-config", "--channel-arn", arn, "--client-id", "viewer-7").get("IceServerList", [])
server = ice[0] if ice else {}
username = server.get("Username", "")
expected_password = base64.b64encode(hmac.new(turn_secret.encode(), username.encode(), hashlib.sha1).digest()).decode()
expiry = int(username.split(":")[0]) if ":" in username else 0
checks.record("get-ice-server-config issues TURN REST credentials for the client id",
              username.endswith(":viewer-7") and server.get("Password") == expected_password and server.get("Ttl") == 300
              and abs(expiry - (time.time() + 300)) < 30, server)
uris = server.get("Uris", [])
checks.record("ICE servers list STUN and TURN over UDP and TCP",
              any(u.startswith("stun:") for u in uris) and any(u.endswith("?transport=udp") for u in uris) and any(u.endswith("?transport=tcp") for u in uris), uris)


# send-alexa-offer-to-master: a master answers through the WebSocket.
async def alexa():
    master = await Peer.connect(endpoint, arn)

    async def answer():
        message = await master.receive(timeout=10)
        if message and message["messageType"] == "SDP_OFFER":
            await master.send("SDP_ANSWER", {"type": "answer", "sdp": "v=0 answer"}, recipient=message["senderClientId"])

    task = asyncio.create_task(answer())
    result = await asyncio.to_thread(signaling.send_alexa_offer_to_master, ChannelARN=arn, SenderClientId="alexa-1",
                                     MessagePayload=payload({"type": "offer", "sdp": "v=0 offer"}))
    await task
    await master.close()
    return result


result = asyncio.run(alexa())
answer = json.loads(base64.b64decode(result.get("Answer", "")) or b"{}")
checks.record("send-alexa-offer-to-master returns the master's answer", answer.get("sdp") == "v=0 answer", result)
start = time.monotonic()
timed_out = error_of(signaling.send_alexa_offer_to_master, ChannelARN=arn, SenderClientId="alexa-2", MessagePayload=payload({"sdp": "x"}))
checks.record("send-alexa-offer-to-master without a master times out cleanly",
              timed_out is not None and timed_out[1] == "TimeoutException" and time.monotonic() - start < 15, timed_out)

# Delete: stale version refused, then deleted.
current = kv.describe_signaling_channel(ChannelARN=arn)["ChannelInfo"]["Version"]
checks.record("delete with a stale version is VersionMismatchException",
              error_of(kv.delete_signaling_channel, ChannelARN=arn, CurrentVersion=version)[:2] == (400, "VersionMismatchException"))
kv.delete_signaling_channel(ChannelARN=arn, CurrentVersion=current)
checks.record("a deleted channel is gone", error_of(kv.describe_signaling_channel, ChannelARN=arn)[:2] == (404, "ResourceNotFoundException"))

# Authentication.
stranger = Endpoint(url, "AKIDNOTKNOWN0000", "x" * 40, ca_file=ca_file).client("kinesisvideo")
denied = error_of(stranger.list_signaling_channels)
checks.record("an unknown access key is AccessDeniedException (403)", denied is not None and denied[:2] == (403, "AccessDeniedException") and "not known" in denied[2], denied)
wrong = Endpoint(url, access_key, "y" * 40, ca_file=ca_file).client("kinesisvideo")
denied = error_of(wrong.list_signaling_channels)
checks.record("a wrong secret is AccessDeniedException (403) saying the signature does not match",
              denied is not None and denied[:2] == (403, "AccessDeniedException") and "signature does not match" in denied[2], denied)

sys.exit(1 if checks.failed else 0)
