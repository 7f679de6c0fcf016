#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Aggregate the runs of one benchmark guest into JSON (stdout).

usage: aggregate.py TRANSPORT RUNS_DIR BENCH_SECONDS

RUNS_DIR holds, per run, JOB.TARGET.SEQ.fio.json (fio --output-format=json)
and JOB.TARGET.SEQ.stat0/.stat1 (a timestamp and the "cpu" line of
/proc/stat, sampled inside the run after the ramp). The runs of one job
and target (the ktgt, LIO, LIO, ktgt halves) are summed: IOPS and MiB/s
are total I/Os and bytes over total runtime; CPU is the guest's busy share
of all vCPUs over the sampled windows; cpu_us_per_io is busy CPU time
divided by the I/Os done in those windows.
"""
import glob
import json
import os
import re
import sys

JOB_ORDER = ["randread-4k-qd1", "randread-4k-qd32", "randwrite-4k-qd1",
             "randwrite-4k-qd32", "read-1m-qd8", "write-1m-qd8"]
USER_HZ = os.sysconf("SC_CLK_TCK")


def read_stat(path):
    with open(path) as f:
        ts = float(f.readline())
        v = [int(x) for x in f.readline().split()[1:]]
    v += [0] * (10 - len(v))
    user, nice, system, idle, iowait, irq, softirq, steal = v[:8]
    return ts, {"user": user + nice, "system": system, "irq": irq,
                "softirq": softirq, "steal": steal, "idle": idle + iowait}


def main():
    transport, runs, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
    acc = {}
    for fj in sorted(glob.glob(os.path.join(runs, "*.fio.json"))):
        m = re.match(r"(.+)\.(ktgt|lio)\.(\d+)\.fio\.json$",
                     os.path.basename(fj))
        if not m:
            continue
        job, target = m.group(1), m.group(2)
        base = fj[:-len(".fio.json")]
        with open(fj) as f:
            j = json.load(f)["jobs"][0]
        a = acc.setdefault((job, target), {
            "ios": 0, "bytes": 0, "runtime_ms": 0, "lat_ns_sum": 0.0,
            "p99_ns": [], "busy": 0, "total": 0, "split": {},
            "win_ios": 0.0, "runs": 0, "fio_usr": 0.0, "fio_sys": 0.0})
        a["runs"] += 1
        run_ios = 0
        run_ms = 0
        for d in ("read", "write"):
            s = j[d]
            if not s["total_ios"]:
                continue
            run_ios += s["total_ios"]
            a["bytes"] += s["io_bytes"]
            run_ms = max(run_ms, s["runtime"])
            a["lat_ns_sum"] += s["clat_ns"]["mean"] * s["total_ios"]
            p = s["clat_ns"].get("percentile", {}).get("99.000000")
            if p:
                a["p99_ns"].append(p)
        a["ios"] += run_ios
        a["runtime_ms"] += run_ms
        a["fio_usr"] += j.get("usr_cpu", 0.0)
        a["fio_sys"] += j.get("sys_cpu", 0.0)
        try:
            t0, s0 = read_stat(base + ".stat0")
            t1, s1 = read_stat(base + ".stat1")
        except (OSError, ValueError):
            continue
        d = {k: s1[k] - s0[k] for k in s0}
        busy = sum(v for k, v in d.items() if k != "idle")
        a["busy"] += busy
        a["total"] += busy + d["idle"]
        for k, v in d.items():
            a["split"][k] = a["split"].get(k, 0) + v
        if run_ms:
            a["win_ios"] += run_ios / (run_ms / 1000.0) * (t1 - t0)

    results = {}
    for (job, target), a in acc.items():
        rt = a["runtime_ms"] / 1000.0 or 1.0
        r = {
            "iops": a["ios"] / rt,
            "mib_s": a["bytes"] / rt / 1048576.0,
            "ios": a["ios"],
            "runtime_s": rt,
            "runs": a["runs"],
            "clat_mean_us": a["lat_ns_sum"] / a["ios"] / 1000.0
            if a["ios"] else None,
            "clat_p99_us": max(a["p99_ns"]) / 1000.0 if a["p99_ns"] else None,
            "fio_usr_pct": a["fio_usr"] / a["runs"],
            "fio_sys_pct": a["fio_sys"] / a["runs"],
        }
        if a["total"]:
            r["cpu_pct"] = 100.0 * a["busy"] / a["total"]
            r["cpu_split_pct"] = {k: 100.0 * v / a["total"]
                                  for k, v in a["split"].items()}
            if a["win_ios"]:
                r["cpu_us_per_io"] = (a["busy"] / USER_HZ) / a["win_ios"] * 1e6
        results.setdefault(job, {})[target] = r
    jobs = [j for j in JOB_ORDER if j in results] + \
        sorted(j for j in results if j not in JOB_ORDER)
    out = {"transport": transport, "bench_seconds": secs,
           "jobs": [dict(job=j, **results[j]) for j in jobs]}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
