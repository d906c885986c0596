#!/usr/bin/env python3
"""Context switches, CPU and waits for a CPU during a benchmark level, by who switched, ran or waited.

Reads the voluntary and involuntary switches and the time on a CPU (schedstat) of every thread of the service's
JVM (grouped by thread name), of PostgreSQL's processes (by process title, or by the application name of their
session when PGPORT is set: psql asks pg_stat_activity) and of wrk from /proc, twice, SECONDS apart, and divides
the difference by the writes of that time (the level's rate times SECONDS). The time each group spent runnable
but waiting for a CPU (schedstat's run-queue delay) is shown per second of the measurement and per time slice.

  context_switches.py SECONDS WRITES_PER_SECOND     # e.g. 25 s into a level: context_switches.py 20 1591
  PGPORT=5433 PGUSER=postgres context_switches.py 20 1591
"""
import collections
import os
import re
import subprocess
import sys
import time

SWITCHES = re.compile(r"^(voluntary|nonvoluntary)_ctxt_switches:\s+(\d+)", re.MULTILINE)


def read(path):
    try:
        with open(path) as file:
            return file.read()
    except OSError:
        return ""


def sessions():
    """Backend pid -> application name (or backend type), when PGPORT says where PostgreSQL listens."""
    if "PGPORT" not in os.environ:
        return {}
    query = "SELECT pid, coalesce(nullif(application_name, ''), backend_type) FROM pg_stat_activity"
    out = subprocess.run(["psql", "-h", os.environ.get("PGHOST", "localhost"), "-d", "postgres", "-AtF", "\t",
                          "-c", query], capture_output=True, text=True).stdout
    return dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)


def group(pid, comm, command, named):
    if comm == "java" and "onepg" in command and "dev.onepg.benchmarks" not in command:
        return lambda tid: "service " + re.sub(r"\d+", "#", read(f"/proc/{pid}/task/{tid}/comm").strip())
    if comm == "postgres":
        if pid in named:
            return lambda tid: "postgres " + named[pid]
        # "postgres: user database host(port) state": the state changes from one read to the next
        title = " ".join(command.split()[:3]) if "(" in command else command.strip()
        return lambda tid: title
    if comm == "wrk":
        return lambda tid: "wrk"
    return None


def snapshot(named):
    """Per thread id: its group's name, its switches of each kind and its nanoseconds on a CPU."""
    threads = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        name_of = group(pid, read(f"/proc/{pid}/comm").strip(), read(f"/proc/{pid}/cmdline").replace("\0", " "),
                        named)
        if name_of is None:
            continue
        for tid in os.listdir(f"/proc/{pid}/task") if os.path.isdir(f"/proc/{pid}/task") else []:
            counts = {kind: int(value) for kind, value in SWITCHES.findall(read(f"/proc/{pid}/task/{tid}/status"))}
            schedstat = read(f"/proc/{pid}/task/{tid}/schedstat").split()
            counts["cpu_ns"] = int(schedstat[0]) if schedstat else 0
            counts["wait_ns"] = int(schedstat[1]) if schedstat else 0
            counts["slices"] = int(schedstat[2]) if schedstat else 0
            threads[tid] = (name_of(tid), counts)
    return threads


def main():
    seconds, rate = float(sys.argv[1]), float(sys.argv[2])
    named = sessions()
    before, started = snapshot(named), time.time()
    time.sleep(seconds)
    after, elapsed = snapshot(named), time.time() - started
    writes = rate * elapsed
    moved = collections.Counter()
    for tid, (name, counts) in after.items():
        earlier = before.get(tid, (name, {}))[1]
        for kind, count in counts.items():
            moved[(name, kind)] += count - earlier.get(kind, 0)
    switches = {key: count for key, count in moved.items()
                if key[1] in ("voluntary", "nonvoluntary") and count > 0}
    total = sum(switches.values())
    print(f"{total / elapsed:.0f} context switches a second, {total / writes:.1f} per write")
    for (name, kind), count in sorted(switches.items(), key=lambda item: -item[1])[:20]:
        print(f"{count / writes:6.2f} per write  {kind:13s} {name}")
    cpu = {name: ns for (name, kind), ns in moved.items() if kind == "cpu_ns" and ns > 0}
    busy = sum(cpu.values())
    print(f"\n{busy / 1e9 / elapsed:.2f} cores busy, {busy / 1e3 / writes:.0f} µs of CPU per write")
    for name, ns in sorted(cpu.items(), key=lambda item: -item[1])[:20]:
        print(f"{ns / 1e3 / writes:7.1f} µs per write  {name}")
    waits = {name: ns for (name, kind), ns in moved.items() if kind == "wait_ns" and ns > 0}
    print(f"\n{sum(waits.values()) / 1e9 / elapsed:.2f} s a second runnable but waiting for a CPU")
    for name, ns in sorted(waits.items(), key=lambda item: -item[1])[:20]:
        slices = max(1, moved[(name, "slices")])
        print(f"{ns / 1e9 / elapsed:6.3f} s/s  {ns / 1e3 / slices:7.1f} µs per slice  {name}")


if __name__ == "__main__":
    main()
