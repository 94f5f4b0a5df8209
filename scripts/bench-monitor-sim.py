#!/usr/bin/env python3
"""Receiver fleet simulator and freshness poller for scripts/bench-monitor (issue 6's benchmark).

  bench-monitor-sim.py fleet  HOST PORT SITE COUNT INTERVAL CHURN DURATION OUT   # simulated receivers
  bench-monitor-sim.py poll   URL DURATION OUT [PERIOD]                          # polls GET /api/v1/receivers
  bench-monitor-sim.py report FLEET_OUT POLL_OUT                                 # joins both: lag percentiles

The fleet speaks MQTT 3.1.1 over asyncio sockets (no client library needed): each receiver connects with a
retained `offline` will on rx/{id}/status, publishes a retained `online` birth, then telemetry (QoS 0) every
INTERVAL seconds at a random phase, with `uptime` carrying a per-receiver sequence number. CHURN is the share
of connections dropped uncleanly (socket closed, no DISCONNECT: the broker publishes the will) per
INTERVAL; a dropped receiver reconnects 1-3 s later. Publish times are logged for the lag join.
"""
import asyncio, json, os, random, struct, sys, time, urllib.request


def varlen(n):
    out = bytearray()
    while True:
        byte, n = n % 128, n // 128
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def string(s):
    b = s.encode()
    return struct.pack("!H", len(b)) + b


def packet(kind, body):
    return bytes([kind]) + varlen(len(body)) + body


def connect(client_id, will_topic, will_payload, keepalive=30):
    flags = 0x02 | 0x04 | 0x08 | 0x20  # clean session, will, will QoS 1, will retain
    body = string("MQTT") + bytes([4, flags]) + struct.pack("!H", keepalive)
    body += string(client_id) + string(will_topic) + struct.pack("!H", len(will_payload)) + will_payload
    return packet(0x10, body)


def publish(topic, payload, qos=0, retain=False, mid=1):
    body = string(topic) + (struct.pack("!H", mid) if qos else b"") + payload
    return packet(0x30 | (qos << 1) | (1 if retain else 0), body)


class Fleet:
    def __init__(self, host, port, site, count, interval, churn, duration, out):
        self.host, self.port, self.site = host, int(port), site
        self.count, self.interval, self.churn = int(count), float(interval), float(churn)
        self.duration, self.out = float(duration), out
        self.root = f"loa/v1/{site}/rx"
        self.writers = {}
        self.published = 0
        self.connects = 0
        self.drops = 0
        self.log = open(out, "w")

    async def drain(self, reader):
        try:
            while await reader.read(65536):
                pass
        except Exception:
            pass

    async def receiver(self, index, start_at, stop_at):
        rid = f"rx-{index:05d}"
        will = json.dumps({"v": 1, "state": "offline"}).encode()
        birth = json.dumps({"v": 1, "state": "online", "version": "bench"}).encode()
        seq = 0
        await asyncio.sleep(max(0, start_at - time.time()))
        while time.time() < stop_at:
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port)
            except OSError:
                await asyncio.sleep(1 + random.random())
                continue
            writer.write(connect(rid, f"{self.root}/{rid}/status", will))
            try:
                ack = await reader.readexactly(4)
            except Exception:
                writer.close()
                await asyncio.sleep(1)
                continue
            if ack[3] != 0:
                writer.close()
                await asyncio.sleep(1)
                continue
            self.connects += 1
            drainer = asyncio.ensure_future(self.drain(reader))
            writer.write(publish(f"{self.root}/{rid}/status", birth, qos=1, retain=True, mid=1))
            self.writers[rid] = writer
            await asyncio.sleep(random.random() * self.interval)
            dropped = False
            while time.time() < stop_at and not writer.is_closing():
                seq += 1
                telemetry = {"v": 1, "interval": int(self.interval), "uptime": seq, "signal": {"rssi": -70 - index % 25, "network": "4g"},
                             "volume": 80, "amplifier": "ok", "temperature": 40.5, "clockOffsetMs": 1.2, "underruns": 0}
                writer.write(publish(f"{self.root}/{rid}/telemetry", json.dumps(telemetry, separators=(",", ":")).encode()))
                self.log.write(f"{rid} {seq} {time.time():.6f}\n")
                self.published += 1
                await asyncio.sleep(self.interval)
                if random.random() < self.churn:
                    dropped = True
                    break
            self.writers.pop(rid, None)
            if dropped:
                self.drops += 1
                writer.transport.abort()  # no DISCONNECT: the broker publishes the will
                drainer.cancel()
                await asyncio.sleep(1 + 2 * random.random())
            else:
                writer.close()
                drainer.cancel()

    async def run(self):
        now = time.time()
        ramp = self.count / 500.0  # connect 500 receivers a second
        stop_at = now + self.duration
        tasks = [asyncio.ensure_future(self.receiver(i, now + ramp * i / self.count, stop_at)) for i in range(self.count)]
        last = 0
        while time.time() < stop_at:
            await asyncio.sleep(5)
            print(f"fleet: connected {len(self.writers)} published {self.published} (+{self.published - last}) drops {self.drops}",
                  file=sys.stderr, flush=True)
            last = self.published
        await asyncio.gather(*tasks, return_exceptions=True)
        self.log.close()


def poll(url, duration, out, period="0.25"):
    """Polls every PERIOD seconds. The first poll is the baseline (what was already there is not a sample)."""
    stop_at = time.time() + float(duration)
    period = float(period)
    seen = {}
    polls = []
    first = True
    with open(out, "w") as log:
        while time.time() < stop_at:
            t0 = time.time()
            try:
                body = urllib.request.urlopen(url, timeout=10).read()
            except Exception as error:
                print(f"poll: {error}", file=sys.stderr)
                time.sleep(0.5)
                continue
            t1 = time.time()
            statuses = json.loads(body)
            polls.append(t1 - t0)
            if first:
                log.write(f"# baseline {t1:.6f}\n")
            for status in statuses:
                telemetry = status.get("telemetry") or {}
                seq = telemetry.get("uptime")
                if seq is None or seen.get(status["id"]) == seq:
                    continue
                seen[status["id"]] = seq
                if not first:
                    log.write(f'{status["id"]} {seq} {t1:.6f} {status.get("lastTelemetry", "")}\n')
            first = False
            time.sleep(max(0, period - (time.time() - t0)))
    polls.sort()
    print(json.dumps({"polls": len(polls), "poll_p50_ms": 1000 * polls[len(polls) // 2] if polls else None,
                      "poll_max_ms": 1000 * polls[-1] if polls else None, "bytes": len(body) if polls else 0}))


def report(fleet_out, poll_out):
    from datetime import datetime
    published = {}
    for line in open(fleet_out):
        rid, seq, t = line.split()
        published[(rid, int(seq))] = float(t)
    visible, ingest = [], []
    baseline = 0.0
    for line in open(poll_out):
        if line.startswith("# baseline"):
            baseline = float(line.split()[2])
            continue
        parts = line.split()
        rid, seq, t1 = parts[0], int(parts[1]), float(parts[2])
        sent = published.get((rid, seq))
        if sent is None or sent < baseline:
            continue
        visible.append(t1 - sent)
        if len(parts) > 3 and parts[3]:
            received = datetime.fromisoformat(parts[3].replace("Z", "+00:00")).timestamp()
            ingest.append(received - sent)

    def pct(values, p):
        values = sorted(values)
        return 1000 * values[min(len(values) - 1, int(p / 100 * len(values)))] if values else None

    print(json.dumps({
        "samples": len(visible), "published": len(published),
        "visible_p50_ms": pct(visible, 50), "visible_p99_ms": pct(visible, 99), "visible_max_ms": pct(visible, 100),
        "ingest_p50_ms": pct(ingest, 50), "ingest_p99_ms": pct(ingest, 99), "ingest_max_ms": pct(ingest, 100),
    }))


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "fleet":
        asyncio.run(Fleet(*args).run())
    elif mode == "poll":
        poll(*args)
    elif mode == "report":
        report(*args)
