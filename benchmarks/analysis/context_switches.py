#!/usr/bin/env python3
"""Context switches per write during a benchmark level, by who switched.

Reads the voluntary and involuntary switches of every thread of the service's JVM (grouped by thread name), of
PostgreSQL's processes (by process title) and of wrk from /proc, twice, SECONDS apart, and divides the difference
by the writes of that time (the level's rate times SECONDS).

  context_switches.py SECONDS WRITES_PER_SECOND     # e.g. 25 s into a level: context_switches.py 20 1591
"""
import collections
import os
import re
import sys
import time

SWITCHES = re.compile(r"^(voluntary|nonvoluntary)_ctxt_switches:\s+(\d+)", re.MULTILINE)


def read(path):
    try:
        with open(path) as file:
            return file.read()
    except OSError:
        return ""


def group(pid, comm, command):
    if comm == "java" and "onepg" in command and "dev.onepg.benchmarks" not in command:
        return lambda tid: "service " + re.sub(r"\d+", "#", read(f"/proc/{pid}/task/{tid}/comm").strip())
    if comm == "postgres":
        # "postgres: user database host(port) state": the state changes from one read to the next
        title = " ".join(command.split()[:3]) if "(" in command else command.strip()
        return lambda tid: title
    if comm == "wrk":
        return lambda tid: "wrk"
    return None


def snapshot():
    """Per thread id: its group's name and its switches of each kind."""
    threads = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        name_of = group(pid, read(f"/proc/{pid}/comm").strip(), read(f"/proc/{pid}/cmdline").replace("\0", " "))
        if name_of is None:
            continue
        for tid in os.listdir(f"/proc/{pid}/task") if os.path.isdir(f"/proc/{pid}/task") else []:
            switches = {kind: int(value) for kind, value in SWITCHES.findall(read(f"/proc/{pid}/task/{tid}/status"))}
            threads[tid] = (name_of(tid), switches)
    return threads


def main():
    seconds, rate = float(sys.argv[1]), float(sys.argv[2])
    before, started = snapshot(), time.time()
    time.sleep(seconds)
    after, elapsed = snapshot(), time.time() - started
    writes = rate * elapsed
    moved = collections.Counter()
    for tid, (name, switches) in after.items():
        earlier = before.get(tid, (name, {}))[1]
        for kind, count in switches.items():
            moved[(name, kind)] += count - earlier.get(kind, 0)
    moved = {key: count for key, count in moved.items() if count > 0}
    total = sum(moved.values())
    print(f"{total / elapsed:.0f} context switches a second, {total / writes:.1f} per write")
    for (name, kind), count in sorted(moved.items(), key=lambda item: -item[1])[:20]:
        print(f"{count / writes:6.2f} per write  {kind:13s} {name}")


if __name__ == "__main__":
    main()
