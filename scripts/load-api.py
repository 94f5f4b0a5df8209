#!/usr/bin/env python3
"""Many API clients at once against a running `loa serve` (issue 12's "200 API clients" case).

CLIENTS threads, each with its own keep-alive HTTP connection: ADDERS of them add schedules
(POST /api/v1/schedules, each a weekly slot at a minute no other request uses, so none clashes), the rest
list them (GET /api/v1/schedules, the first page; with --follow every page through the `Link: rel="next"`
header). Bounded in count (--requests per client) and in time (--duration seconds: clients stop starting
requests then). Prints one line of figures, `key=value`, and with --json a JSON object instead.

    scripts/load-api.py --url http://127.0.0.1:8080 [--clients 200] [--adders 50] [--requests 10]
                        [--duration 120] [--pid PID] [--offset N] [--follow] [--json]

LOA_TOKEN in the environment is the API token it sends (`loa tokens add --scope full --label load`).

--pid samples the daemon's VmRSS every 0.2 s while the load runs (rss_before, rss_peak, rss_after 5 s later).
--offset shifts the slots used, so that a second run against the same daemon adds no clashing schedule.
Only the standard library: threads and http.client.
"""
import argparse
import http.client
import json
import os
import re
import statistics
import sys
import threading
import time
import urllib.parse

def draft(slot):
    day = slot % 7 + 1  # Monday is 1
    minute = (slot // 7) % 1440
    return {
        "announcement": {
            "title": f"Tin thử tải {slot}",
            "content": {"tts": {"text": f"Thông báo số {slot}.", "voice": "vi"}},
            "chime": False,
        },
        "recurrence": {"weekly": {"days": [day], "times": [f"{minute // 60:02d}:{minute % 60:02d}"]}},
        "skipDates": [],
        "targets": "all",
        "priority": "normal",
        "repeatCount": 1,
        "repeatGapSeconds": 0,
    }


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--adders", type=int, default=50)
    parser.add_argument("--requests", type=int, default=10, help="requests per client")
    parser.add_argument("--duration", type=float, default=120, help="no request starts after this many seconds")
    parser.add_argument("--timeout", type=float, default=120, help="per request")
    parser.add_argument("--pid", type=int)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--follow", action="store_true", help="listers follow every page")
    parser.add_argument("--json", action="store_true")
    # The API token (`loa tokens add`) comes from the environment, never the command line: ps shows argv.
    options = parser.parse_args()
    token = os.environ.get("LOA_TOKEN")

    target = urllib.parse.urlsplit(options.url)
    lock = threading.Lock()
    latencies = {"add": [], "list": []}
    statuses = {}
    listed = []
    deadline = time.monotonic() + options.duration
    start_gate = threading.Barrier(options.clients)

    def record(kind, seconds, status):
        with lock:
            latencies[kind].append(seconds)
            statuses[f"{kind}_{status}"] = statuses.get(f"{kind}_{status}", 0) + 1

    def request(connection, method, path, body=None):
        headers = {"Authorization": "Bearer " + token} if token else {}
        if body is not None:
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, response.getheader("Link"), data

    def client(index):
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=options.timeout)
        adder = index < options.adders
        try:
            start_gate.wait()
        except threading.BrokenBarrierError:
            pass
        for number in range(options.requests):
            if time.monotonic() > deadline:
                break
            began = time.monotonic()
            try:
                if adder:
                    slot = options.offset + number * options.adders + index
                    status, _, _ = request(
                        connection, "POST", "/api/v1/schedules", json.dumps(draft(slot)).encode()
                    )
                    record("add", time.monotonic() - began, status)
                else:
                    path, count = "/api/v1/schedules", 0
                    while path:
                        status, link, data = request(connection, "GET", path)
                        if status != 200:
                            break
                        count += len(json.loads(data))
                        match = re.search(r'<([^>]*)>\s*;\s*rel="next"', link or "")
                        path = match.group(1) if match and options.follow else None
                    record("list", time.monotonic() - began, status)
                    with lock:
                        listed.append(count)
            except (OSError, http.client.HTTPException) as error:
                record("add" if adder else "list", time.monotonic() - began, type(error).__name__)
                connection.close()
                connection = http.client.HTTPConnection(target.hostname, target.port, timeout=options.timeout)
        connection.close()

    rss = {"before": rss_kb(options.pid) if options.pid else None, "peak": 0}
    done = threading.Event()

    def sample():
        while not done.wait(0.2):
            value = rss_kb(options.pid)
            if value:
                rss["peak"] = max(rss["peak"], value)

    sampler = threading.Thread(target=sample, daemon=True) if options.pid else None
    if sampler:
        sampler.start()
    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(index,), daemon=True) for index in range(options.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    done.set()
    if options.pid:
        time.sleep(5)
        rss["after"] = rss_kb(options.pid)

    def ms(value):
        return None if value is None else round(value * 1000, 1)

    figures = {
        "clients": options.clients,
        "adders": options.adders,
        "seconds": round(elapsed, 1),
        "adds": len(latencies["add"]),
        "lists": len(latencies["list"]),
        "add_median_ms": ms(statistics.median(latencies["add"]) if latencies["add"] else None),
        "add_p99_ms": ms(percentile(latencies["add"], 0.99)),
        "add_max_ms": ms(max(latencies["add"], default=None)),
        "list_median_ms": ms(statistics.median(latencies["list"]) if latencies["list"] else None),
        "list_p99_ms": ms(percentile(latencies["list"], 0.99)),
        "listed_items_max": max(listed, default=0),
        **dict(sorted(statuses.items())),
    }
    if options.pid:
        figures.update(rss_before_kb=rss["before"], rss_peak_kb=rss["peak"], rss_after_kb=rss.get("after"))
    if options.json:
        print(json.dumps(figures))
    else:
        print(" ".join(f"{key}={value}" for key, value in figures.items()))
    failed = sum(count for key, count in statuses.items() if not key.endswith(("_200", "_201")))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
