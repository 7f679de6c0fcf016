#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the benchmark table(s) from bench-*.json files.

usage: table.py OUT_JSON BENCH_JSON...

Writes the combined results to OUT_JSON and the tables to stdout.
"""
import json
import sys


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def table(res):
    cols = ["job", "ktgt IOPS", "LIO IOPS", "ktgt/LIO", "ktgt MiB/s",
            "LIO MiB/s", "ktgt CPU%", "LIO CPU%", "ktgt us/IO", "LIO us/IO",
            "ktgt lat us", "LIO lat us"]
    rows = []
    for j in res["jobs"]:
        k, l = j.get("ktgt", {}), j.get("lio", {})
        ratio = (k["iops"] / l["iops"]) if k.get("iops") and l.get("iops") \
            else None
        rows.append([j["job"], fmt(k.get("iops"), ",.0f"),
                     fmt(l.get("iops"), ",.0f"), fmt(ratio, ".2f"),
                     fmt(k.get("mib_s"), ".1f"), fmt(l.get("mib_s"), ".1f"),
                     fmt(k.get("cpu_pct"), ".0f"), fmt(l.get("cpu_pct"), ".0f"),
                     fmt(k.get("cpu_us_per_io"), ".0f"),
                     fmt(l.get("cpu_us_per_io"), ".0f"),
                     fmt(k.get("clat_mean_us"), ".0f"),
                     fmt(l.get("clat_mean_us"), ".0f")])
    w = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]
    line = lambda r: "| " + " | ".join(
        (x.ljust(w[i]) if i == 0 else x.rjust(w[i])) for i, x in enumerate(r)) + " |"
    out = [line(cols), "|" + "|".join(
        "-" * (w[i] + 1) + (":" if i else "-") for i in range(len(cols))) + "|"]
    out += [line(r) for r in rows]
    return "\n".join(out)


def main():
    combined = {}
    text = []
    for p in sys.argv[2:]:
        with open(p) as f:
            res = json.load(f)
        combined[res["transport"]] = res
        text.append(f"## {res['transport']} ({res['bench_seconds']:g} s per "
                    "job and target; CPU% = guest busy share of all vCPUs; "
                    "us/IO = busy CPU time per I/O; lat = fio's mean clat, "
                    "completion latency without submission)\n")
        text.append(table(res) + "\n")
    with open(sys.argv[1], "w") as f:
        json.dump(combined, f, indent=1, sort_keys=True)
        f.write("\n")
    print("\n".join(text))


if __name__ == "__main__":
    main()
