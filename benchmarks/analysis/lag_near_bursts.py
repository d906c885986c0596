#!/usr/bin/env python3
"""Which slow writes of a freshness level had something else running during their lag.

A freshness trace (bench.sh -Dbench.trace=true http: target/freshness-<load>.csv) gives every write's commit time
and lag on PostgreSQL's clock. This script compares the writes slower than a threshold with the others: the share
of each whose lag window [commit, visible] overlaps
  - a burst of CPU of another process or thread, sampled while the level runs (`sample`), and
  - a stop-the-world pause of the service's G1 (a log written with -Xlog:gc*:file=<path>:utctime).
A cause of the slow writes shows up as a share far above the one of the other writes.

  lag_near_bursts.py sample PID SECONDS OUT      # CPU ticks of /proc/PID every 5 ms, wall clock, for SECONDS
  lag_near_bursts.py compare TRACE [--samples OUT] [--gc GC_LOG] [--slow-ms 30]
  lag_near_bursts.py episodes TRACE [--slow-ms 30]   # the slow writes grouped into episodes, with the gaps between
"""
import argparse
import bisect
import datetime
import re
import time


def sample(pid, seconds, out):
    stat = f"/proc/{pid}/stat"
    end = time.time() + seconds
    rows, last = [], None
    while time.time() < end:
        fields = open(stat).read().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime + stime, in 10 ms ticks
        now = time.time()
        if ticks != last:
            rows.append(f"{now:.4f} {ticks}")
            last = ticks
        time.sleep(0.005)
    open(out, "w").write("\n".join(rows) + "\n")


def read_trace(path):
    with open(path) as lines:
        next(lines)
        writes = [tuple(int(v) for v in line.split(",")[:4]) for line in lines]
    return sorted(writes)  # (committed_us, lag_us, readable_us, applied_us)


def bursts(path, gap_us=20_000):
    """Busy windows in microseconds: each tick sampled is 10 ms of CPU used just before it was seen."""
    samples = [tuple(float(v) for v in line.split()) for line in open(path) if line.strip()]
    windows = []
    for (_, before), (at, ticks) in zip(samples, samples[1:]):
        start, end = at * 1e6 - (ticks - before) * 10_000 - 5_000, at * 1e6
        if windows and start - windows[-1][1] < gap_us:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    return windows


def gc_pauses(path):
    pattern = re.compile(r"\[(\S+)\] GC\(\d+\) Pause .* (\d+)M->(\d+)M\(\d+M\) ([\d.]+)ms")
    pauses = []
    for line in open(path):
        match = pattern.match(line)
        if match:
            end = datetime.datetime.fromisoformat(match.group(1).replace("+0000", "+00:00")).timestamp() * 1e6
            pauses.append([end - float(match.group(4)) * 1000, end])
    return pauses


def share_overlapping(writes, windows):
    starts = [w[0] for w in windows]
    hits = 0
    for committed, lag, *_ in writes:
        i = bisect.bisect_left(starts, committed + lag)
        hits += any(windows[j][1] > committed for j in range(max(0, i - 3), i))
    return hits / max(1, len(writes))


def compare(args):
    writes = read_trace(args.trace)
    first, last = writes[0][0], writes[-1][0]
    slow = [w for w in writes if w[1] > args.slow_ms * 1000]
    others = [w for w in writes if w[1] <= args.slow_ms * 1000]
    print(f"{len(writes)} writes over {(last - first) / 1e6:.1f} s; {len(slow)} ({100 * len(slow) / len(writes):.1f} %) "
          f"slower than {args.slow_ms} ms")
    for name, path, read in (("CPU bursts", args.samples, bursts), ("G1 pauses", args.gc, gc_pauses)):
        if not path:
            continue
        windows = [w for w in read(path) if w[1] >= first and w[0] <= last]
        covered = sum(min(e, last) - max(s, first) for s, e in windows) / (last - first)
        print(f"{name}: {len(windows)} in the level, {100 * covered:.1f} % of its time; during the lag of "
              f"{100 * share_overlapping(slow, windows):.0f} % of the slow writes and "
              f"{100 * share_overlapping(others, windows):.0f} % of the others")


def episodes(args):
    writes = read_trace(args.trace)
    first, previous, current, found = writes[0][0], None, None, []
    for committed, lag, readable, applied in writes:
        if lag <= args.slow_ms * 1000:
            continue
        if current and committed - current["end"] < 20_000:
            current.update(end=committed, writes=current["writes"] + 1, lag=max(current["lag"], lag))
        else:
            current = dict(start=committed, end=committed, writes=1, lag=lag)
            found.append(current)
    print(f"{len(found)} episodes")
    for episode in found:
        gap = (episode["start"] - previous) / 1000 if previous else 0
        previous = episode["start"]
        print(f"{(episode['start'] - first) / 1e6:8.3f} s  +{gap:7.1f} ms  {(episode['end'] - episode['start']) / 1000:6.1f} ms "
              f"long  {episode['writes']:4d} writes  max lag {episode['lag'] / 1000:6.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    sampling = commands.add_parser("sample")
    sampling.add_argument("pid")
    sampling.add_argument("seconds", type=float)
    sampling.add_argument("out")
    comparing = commands.add_parser("compare")
    comparing.add_argument("trace")
    comparing.add_argument("--samples")
    comparing.add_argument("--gc")
    comparing.add_argument("--slow-ms", type=float, default=30)
    listing = commands.add_parser("episodes")
    listing.add_argument("trace")
    listing.add_argument("--slow-ms", type=float, default=30)
    args = parser.parse_args()
    if args.command == "sample":
        sample(args.pid, args.seconds, args.out)
    elif args.command == "compare":
        compare(args)
    else:
        episodes(args)


if __name__ == "__main__":
    main()
