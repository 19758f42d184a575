"""A UDP relay that impairs what it forwards, as netem would on a link: each datagram, in
each direction, is dropped with probability LOSS, else delayed DELAY ± JITTER seconds
(uniform, so datagrams reorder as they do under netem's jitter). Put in front of a TURN
server, it impairs a relay-only peer's whole path: media, RTCP and ICE checks.

Usage: impair_relay.py UPSTREAM_HOST UPSTREAM_PORT LOSS DELAY JITTER [SEED]
Prints "port N" once listening on 127.0.0.1; when its standard input closes, prints one JSON
line of counts and exits."""
import asyncio
import json
import random
import sys


class Impairment:
    def __init__(self, loss, delay, jitter, seed):
        self.loss, self.delay, self.jitter = loss, delay, jitter
        self.random = random.Random(seed)
        self.counts = {"forwarded": 0, "dropped": 0}

    def schedule(self, loop, send):
        """Drops, or sends later."""
        if self.random.random() < self.loss:
            self.counts["dropped"] += 1
            return
        self.counts["forwarded"] += 1
        loop.call_later(max(0.0, self.delay + self.random.uniform(-self.jitter, self.jitter)), send)


class Upstream(asyncio.DatagramProtocol):
    """The relay's socket towards the server for one client address."""

    def __init__(self, relay, client):
        self.relay, self.client, self.transport = relay, client, None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.relay.impairment.schedule(self.relay.loop, lambda: self.relay.transport.sendto(data, self.client))


class Relay(asyncio.DatagramProtocol):
    def __init__(self, loop, upstream, impairment):
        self.loop, self.upstream, self.impairment = loop, upstream, impairment
        self.transport = None
        self.clients = {}

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.loop.create_task(self.forward(data, addr))

    async def forward(self, data, addr):
        if addr not in self.clients:
            self.clients[addr] = asyncio.ensure_future(
                self.loop.create_datagram_endpoint(lambda: Upstream(self, addr), remote_addr=self.upstream))
        _, upstream = await self.clients[addr]
        self.impairment.schedule(self.loop, lambda: upstream.transport.sendto(data))


async def main(host, port, loss, delay, jitter, seed):
    loop = asyncio.get_running_loop()
    impairment = Impairment(loss, delay, jitter, seed)
    transport, _ = await loop.create_datagram_endpoint(lambda: Relay(loop, (host, port), impairment), local_addr=("127.0.0.1", 0))
    print(f"port {transport.get_extra_info('sockname')[1]}", flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    print(json.dumps(impairment.counts), flush=True)


args = sys.argv[1:]
asyncio.run(main(args[0], int(args[1]), float(args[2]), float(args[3]), float(args[4]), int(args[5]) if len(args) > 5 else 1))
