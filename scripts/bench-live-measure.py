#!/usr/bin/env python3
"""The measuring half of scripts/bench-live: run by it, not by hand.

  bench-live-measure.py poll LOG PATH...       stamps every growth of the files (until SIGTERM)
  bench-live-measure.py feed FIFO RAW T0FILE   writes RAW into a FIFO in real time, as a sound card delivers it
  bench-live-measure.py report SETUP.json      the figures

Every instant is this host's wall clock (CLOCK_REALTIME, µs), the clock Loa stamps capture and presentation with.

Why the file sizes: an output file is written as it is played (Loa's paced output writes each 20 ms packet at its
presentation instant; snapclient's file player writes 50 ms every 50 ms, 10 ms before its own presentation
instant), so the instant a file grows past a sample is when that sample left the player. Each 100 ms of the
speech is its own marker: it is found in each output by cross-correlation, and its delay is the instant its
output sample was written less the instant it was captured. The same measure for Loa and for Snapcast.
"""
import json
import os
import signal
import statistics
import struct
import sys
import time

RATE = 48_000


def now_us():
    return time.time_ns() // 1000


def poll(log, paths):
    """Stats PATHs every ~2 ms; on each change of size, one line: index, last poll before, this poll (µs), size."""
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    sizes = [-1] * len(paths)
    previous = now_us()
    records = []
    gaps = []
    while not stop:
        stamp = now_us()
        for i, path in enumerate(paths):
            try:
                size = os.stat(path).st_size
            except FileNotFoundError:
                continue
            if size != sizes[i]:
                records.append(f"{i} {previous} {stamp} {size}\n")
                sizes[i] = size
        gaps.append(stamp - previous)
        previous = stamp
        time.sleep(0.002)
    with open(log, "w") as out:
        out.writelines(records)
    gaps.sort()
    with open(log + ".interval", "w") as out:
        out.write(f"{gaps[len(gaps) // 2]} {gaps[int(0.99 * (len(gaps) - 1))]} {gaps[-1]}\n")


def feed(fifo, raw, t0_file):
    """Writes 20 ms blocks of RAW (S16_LE mono) into FIFO, block j at T0 + (j+1)·20 ms: delivered when its last
    sample is captured, as a card delivers a period, so sample i is captured at T0 + i/48 kHz (as Loa's
    `live.captured.at` is its first block's first sample). Then 2 s of silence."""
    data = open(raw, "rb").read()
    block = 960 * 2
    data += b"\0" * (2 * RATE * 2)
    out = os.open(fifo, os.O_WRONLY)
    t0 = now_us() + 100_000
    late = []
    for j in range(0, len(data) // block):
        due = t0 + (j + 1) * 20_000
        wait = due - now_us()
        if wait > 0:
            time.sleep(wait / 1e6)
        late.append(now_us() - due)
        os.write(out, data[j * block:(j + 1) * block])
    os.close(out)
    late.sort()
    with open(t0_file, "w") as f:
        f.write(f"{t0} {late[len(late) // 2]} {late[int(0.99 * (len(late) - 1))]} {late[-1]}\n")


# MARK: report

def wav_data_offset(path):
    """Where the samples start in a WAV file (the `data` chunk), or 0 for raw."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if head[:4] != b"RIFF":
        return 0
    at = 12
    while at + 8 <= len(head):
        kind, size = head[at:at + 4], struct.unpack("<I", head[at + 4:at + 8])[0]
        if kind == b"data":
            return at + 8
        at += 8 + size
    raise SystemExit(f"{path}: no data chunk")


def samples(path, offset):
    import numpy as np
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read()
    return np.frombuffer(data[:len(data) // 2 * 2], dtype="<i2").astype(np.float64) / 32768


def growth(log, index, offset):
    """The growths of file `index`: (instant written, first sample index, end sample index) per growth. The
    instant is the middle of the poll gap in which it happened."""
    out = []
    size_before = None
    for line in open(log):
        i, before, seen, size = (int(x) for x in line.split())
        if i != index:
            continue
        if size_before is not None and size > size_before:
            first = max(0, (size_before - offset) // 2)
            end = max(0, (size - offset) // 2)
            if end > first:
                out.append(((before + seen) / 2, first, end))
        size_before = size
    return out


def best_lag(reference, output, low, high):
    """The lag (output index − reference index) in [low, high) at which they correlate most, by FFT."""
    import numpy as np
    n = 1
    while n < len(reference) + len(output):
        n *= 2
    corr = np.fft.irfft(np.fft.rfft(output, n) * np.conj(np.fft.rfft(reference, n)), n)
    lags = np.arange(n)
    lags[lags >= n // 2] -= n
    mask = (lags >= low) & (lags < high)
    return int(lags[mask][np.argmax(corr[mask])])


def markers(reference, output, window=4_800, search=960, threshold=0.8):
    """Each 100 ms of speech (windows within 30 dB of the loudest) located in `output`: (reference index, output
    index, NCC) for those that correlate ≥ `threshold`. The search is ±20 ms around the whole signals' lag."""
    import numpy as np
    lag = best_lag(reference, output, -RATE, len(output))
    rms = [float(np.sqrt(np.mean(reference[r:r + window] ** 2))) for r in range(0, len(reference) - window, window)]
    loud = max(rms)
    found = []
    for k, level in enumerate(rms):
        if level < loud * 10 ** (-30 / 20):
            continue
        r = k * window
        segment = reference[r:r + window]
        start = r + lag - search
        if start < 0 or start + 2 * search + window > len(output):
            continue
        region = output[start:start + 2 * search + window]
        dots = np.correlate(region, segment, mode="valid")
        energy = np.convolve(region ** 2, np.ones(window), mode="valid")
        ncc = dots / np.sqrt(np.maximum(energy, 1e-12) * float(np.sum(segment ** 2)))
        best = int(np.argmax(ncc))
        if ncc[best] >= threshold:
            found.append((r, start + best, float(ncc[best])))
    return lag, found


def written_at(growths, index):
    """When output sample `index` was written: its growth's instant plus its place in that growth."""
    lo, hi = 0, len(growths)
    while lo < hi:
        mid = (lo + hi) // 2
        if growths[mid][2] <= index:
            lo = mid + 1
        else:
            hi = mid
    if lo == len(growths) or growths[lo][1] > index:
        return None
    instant, first, _ = growths[lo]
    return instant + (index - first) * 1e6 / RATE


def quantiles(values):
    values = sorted(values)
    if not values:
        return None
    q = lambda f: values[min(len(values) - 1, int(round(f * (len(values) - 1))))]
    return {"n": len(values), "p50": q(0.5), "p99": q(0.99), "max": values[-1], "min": values[0]}


def ms(stats, key):
    return f"{stats[key] / 1000:.1f}" if stats else "—"


def report(setup_path):
    setup = json.load(open(setup_path))
    reference = samples(setup["reference"], 0)
    captured = setup["capturedAt"]
    lead = setup["leadUs"]
    session = setup["session"]
    lines = []
    say = lines.append

    # The journals: every message, every player.
    journals = {}
    for player in setup["players"]:
        entries = [json.loads(l) for l in open(player["journal"]) if l.strip()] if os.path.exists(player["journal"]) else []
        journals[player["name"]] = {e["sequence"]: e for e in entries if e["session"] == session}
    gateway = journals.get("gateway", {})
    first_due = min((e["due"] for j in journals.values() for s, e in j.items() if s == 0), default=None)
    lookahead = captured + lead - first_due if first_due is not None else 0
    say(f"session {session}: first sample captured at {captured} µs; lead {lead / 1000:.0f} ms; Opus look-ahead"
        f" {lookahead / 1000:.1f} ms (captured.at + lead − due of message 0)")

    m2s = {}
    for name, entries in journals.items():
        m2s[name] = [e["presented"] + lookahead - (captured + seq * 40_000) for seq, e in entries.items()]
    receivers = [p["name"] for p in setup["players"] if p["name"] != "gateway"]
    pooled = [v for name in receivers for v in m2s[name]]
    late = [e["presented"] - e["due"] for name in receivers for e in journals[name].values()]
    say("")
    say("MOUTH TO SPEAKER, from the journals: presented + look-ahead − (captured.at + seq × 40 ms), every 40 ms message")
    for label, values in [(f"receivers ({len(receivers)}, pooled)", pooled)] + [(n, m2s[n]) for n in receivers] + [
            ("gateway (--live-monitor on)", m2s.get("gateway", []))]:
        s = quantiles(values)
        presented = f"{s['n'] if s else 0} of {setup['messages'] * (len(receivers) if label.startswith('receivers (') else 1)}"
        say(f"  {label}: {presented} messages presented, p50 {ms(s, 'p50')} / p99 {ms(s, 'p99')} / max {ms(s, 'max')} ms")
    s = quantiles(late)
    say(f"  receivers' presented − due (their own slip): p50 {ms(s, 'p50')} / p99 {ms(s, 'p99')} / max {ms(s, 'max')} ms")

    deltas = []
    for name in receivers:
        for seq, e in journals[name].items():
            if seq in gateway:
                deltas.append(abs(e["presented"] - gateway[seq]["presented"]))
    s = quantiles(deltas)
    say("")
    say(f"SYNC, |presented − gateway's presented| per message: n {s['n'] if s else 0}, p50 {s['p50'] if s else '—'} µs,"
        f" p99 {s['p99'] if s else '—'} µs, max {s['max'] if s else '—'} µs")
    interval = open(setup["growthLog"] + ".interval").read().split()
    say("")
    say(f"MOUTH TO SPEAKER, from the output files (poll every ~2 ms: median gap {int(interval[0]) / 1000:.1f} ms,"
        f" p99 {int(interval[1]) / 1000:.1f} ms, max {int(interval[2]) / 1000:.1f} ms): each 100 ms of speech found in"
        f" the output, the instant the file grew past it − its capture instant")
    results, values = {}, {}
    for index, player in enumerate(setup["files"]):
        offset = wav_data_offset(player["path"])
        output = samples(player["path"], offset)
        growths = growth(setup["growthLog"], index, offset)
        origin = player["origin"]
        lag, found = markers(reference, output)
        delays, corrected = [], []
        holdback = 0
        if player.get("holdback") and growths:
            # ALSA's `file` plugin keeps one buffer of what it is given and writes only what is beyond it, so a
            # sample reaches the file when the one a buffer later is written; that buffer comes out last, at close.
            holdback = growths[-1][2] - growths[-1][1]
        for r, o, _ in found:
            at = written_at(growths, o)
            if at is None:
                continue
            delays.append(at - (origin + r * 1e6 / RATE))
            corrected.append(at - holdback * 1e6 / RATE - (origin + r * 1e6 / RATE))
        values[player["name"]] = corrected
        entry = {"markers": len(found), "timed": len(delays), "lag": lag, "holdback": holdback,
                 "raw": quantiles(delays), "delay": quantiles(corrected),
                 "ncc": statistics.median(n for _, _, n in found) if found else 0}
        results[player["name"]] = entry
        s = entry["delay"]
        note = (f"; less the file plugin's hold-back of {holdback} frames ({holdback / 48:.1f} ms; raw p50"
                f" {ms(entry['raw'], 'p50')} ms)" if holdback else "")
        say(f"  {player['name']}: {entry['timed']} of {entry['markers']} windows timed (median NCC {entry['ncc']:.3f}),"
            f" p50 {ms(s, 'p50')} / p99 {ms(s, 'p99')} / max {ms(s, 'max')} ms{note}")
    files_pooled = quantiles([v for name in receivers if name in values for v in values[name]])
    if files_pooled:
        say(f"  receivers pooled: p50 {ms(files_pooled, 'p50')} / p99 {ms(files_pooled, 'p99')} /"
            f" max {ms(files_pooled, 'max')} ms")
    snap = results.get("snapclient", {}).get("delay")
    journal_stats = quantiles(pooled)
    if snap and files_pooled and journal_stats:
        say("")
        say(f"RATIO, Snapcast ÷ Loa's receivers at p50 / p99: by the files {snap['p50'] / files_pooled['p50']:.1f}× /"
            f" {snap['p99'] / files_pooled['p99']:.1f}×; Snapcast's file ÷ Loa's journals"
            f" {snap['p50'] / journal_stats['p50']:.1f}× / {snap['p99'] / journal_stats['p99']:.1f}×")
    print("\n".join(lines))
    with open(setup_path.replace(".json", "-results.json"), "w") as out:
        json.dump({"lookahead": lookahead, "journal": {n: quantiles(v) for n, v in m2s.items()},
                   "journalPooled": journal_stats, "sync": quantiles(deltas), "files": results,
                   "filesPooled": files_pooled}, out, indent=1)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "poll":
        poll(sys.argv[2], sys.argv[3:])
    elif command == "feed":
        feed(sys.argv[2], sys.argv[3], sys.argv[4])
    elif command == "report":
        report(sys.argv[2])
    else:
        raise SystemExit(f"unknown command {command}")
