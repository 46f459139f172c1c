#!/usr/bin/env python3
"""Summarise the CSV files of tests/bench/run.sh into BUILD/bench/table.md (and stdout).

usage: report.py BENCH_DIR

Every figure is a median over the runs.  A stock/module ratio is computed within each run
(the two servers were measured back to back) and the median of those ratios is reported,
so that a slow minute on a shared machine weighs on both sides of a ratio.
"""
import csv
import os
import statistics
import sys

CASE_LABELS = {
    "lsc-active": "LSC, active CAPF",
    "lsc-retiring": "LSC, retiring CAPF",
    "mic": "MIC",
    "reject-other-cluster": "reject: CAPF not uploaded",
    "reject-mac-mismatch": "reject: MAC mismatch",
}
DECIDE_TARGET_NS = 2000
THROUGHPUT_TARGET = 0.98
FEATURE_TARGET = 1.05
FEATURE_LABELS = {
    "stock": "stock FreeRADIUS",
    "module": "rlm_phonecert",
    "ledger-sqlite": "+ ledger, SQLite",
    "ledger-pg": "+ ledger, PostgreSQL",
    "revocation": "+ 10,000-entry deny-list and CRL",
}


def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, spec):
    return "-" if value is None else format(value, spec)


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def decide_section(rows):
    if not rows:
        return None, []
    counts = sorted({int(r["anchors"]) for r in rows})
    cases = list(dict.fromkeys(r["case"] for r in rows))
    ns = {(r["case"], int(r["anchors"])): float(r["ns_median"]) for r in rows}
    cpu = {(r["case"], int(r["anchors"])): float(r["cpu_ns_median"]) for r in rows}
    load = {int(r["anchors"]): float(r["load_ms"]) for r in rows if r["case"] == cases[0]}
    first = rows[0]
    out = [f"Decision cost: ns per decision, wall-clock (thread CPU time), median of {first['repetitions']} "
           f"batches of {first['iterations']}, by number of uploaded anchors. Target < {DECIDE_TARGET_NS} ns.", ""]
    body = [[CASE_LABELS.get(c, c)] + [f"{ns[(c, n)]:.0f} ({cpu[(c, n)]:.0f})" for n in counts] for c in cases]
    body.append(["(loading the anchors, ms)"] + [f"{load[n]:.1f}" for n in counts])
    out.append(table(["case"] + [f"{n} anchor{'s' if n > 1 else ''}" for n in counts], body))
    worst = max(ns.values())
    worst_cpu = max(cpu.values())
    over = sum(1 for v in ns.values() if v >= DECIDE_TARGET_NS)
    verdict = [f"decision: slowest median {worst:.0f} ns wall-clock ({worst_cpu:.0f} ns of thread CPU time); "
               f"target < {DECIDE_TARGET_NS} ns "
               + ("met at every anchor count" if not over else f"missed in {over} of {len(ns)} cells (wall-clock)")]
    return "\n".join(out), verdict


def verify_section(rows):
    if not rows:
        return None, []
    counts = sorted({int(r["anchors"]) for r in rows})
    cases = list(dict.fromkeys(r["case"] for r in rows))
    cell = {(r["case"], int(r["anchors"])): r for r in rows}
    first = rows[0]
    out = [f"Chain verification per handshake: ns, wall-clock, median of {first['repetitions']} batches of "
           f"{first['iterations']}: the module's hook (pc_verify_chain: its trust set as OpenSSL's trusted "
           "stack, X509_verify_cert, the record) / stock (X509_verify_cert against the same anchors in an "
           "X509_STORE, as with ca_path) / added (median of the per-batch differences). OpenSSL's own "
           "verification is in both.", ""]
    body = []
    for c in cases:
        body.append([c] + [f"{float(cell[(c, n)]['hook_ns_median']):.0f} / {float(cell[(c, n)]['stock_ns_median']):.0f}"
                           f" / {float(cell[(c, n)]['added_ns_median']):.0f}" for n in counts])
    out.append(table(["phone key"] + [f"{n} anchor{'s' if n > 1 else ''}" for n in counts], body))
    worst = max(float(r["added_ns_median"]) for r in rows)
    worst_share = max(float(r["added_ns_median"]) / float(r["stock_ns_median"]) for r in rows)
    verdict = [f"chain verification: the hook adds at most {worst:.0f} ns per handshake "
               f"({100 * worst_share:.1f} % of OpenSSL's own verification)"]
    return "\n".join(out), verdict


def per_run(row, clk_tck):
    auths = int(row["auths"])
    if auths == 0:
        return None
    cpu = int(row["radiusd_ticks"]) / clk_tck
    client = float(row["client_user_s"]) + float(row["client_sys_s"])
    return {
        "cpu_per_1000": cpu * 1000 / auths,
        "cpu_ns_per_1000": int(row["radiusd_ns"]) / 1e9 * 1000 / auths,
        "rate": auths / float(row["wall_s"]),
        "client_per_1000": client * 1000 / auths,
        "failed": int(row["failed"]),
    }


def e2e_section(rows, clk_tck, out_dir):
    if not rows:
        return None, []
    cells = {}
    for r in rows:
        cell = (r["key"], r["mode"], int(r["parallel"]))
        cells.setdefault(cell, {}).setdefault(int(r["run"]), {})[r["config"]] = per_run(r, clk_tck)
    body, summary, verdict = [], [], []
    failed = sum(int(r["failed"]) for r in rows)
    worst = None
    for (key, mode, parallel), runs in cells.items():
        pairs = [v for v in runs.values() if v.get("stock") and v.get("module")]
        if not pairs:
            continue

        def med(config, field):
            return median([p[config][field] for p in pairs])

        def ratio(field):
            return median([p["module"][field] / p["stock"][field] for p in pairs if p["stock"][field] > 0])

        cpu_ratio, ns_ratio, rate_ratio = ratio("cpu_per_1000"), ratio("cpu_ns_per_1000"), ratio("rate")
        client = median([p[c]["client_per_1000"] for p in pairs for c in ("stock", "module")])
        server = median([p[c]["cpu_per_1000"] for p in pairs for c in ("stock", "module")])
        share = server / (server + client) if server is not None and client else None
        body.append([key, mode, str(parallel),
                     fmt(med("stock", "cpu_per_1000"), ".2f"), fmt(med("module", "cpu_per_1000"), ".2f"),
                     fmt(cpu_ratio, ".3f"), fmt(ns_ratio, ".3f"),
                     fmt(med("stock", "rate"), ".0f"), fmt(med("module", "rate"), ".0f"), fmt(rate_ratio, ".3f"),
                     fmt(client, ".1f"), fmt(share * 100 if share is not None else None, ".0f") + "%",
                     str(len(pairs))])
        summary.append({"key": key, "mode": mode, "parallel": parallel, "runs": len(pairs),
                         "stock_cpu_s_per_1000": med("stock", "cpu_per_1000"),
                         "module_cpu_s_per_1000": med("module", "cpu_per_1000"),
                         "cpu_ratio_ticks": cpu_ratio, "cpu_ratio_schedstat": ns_ratio,
                         "stock_auths_per_s": med("stock", "rate"), "module_auths_per_s": med("module", "rate"),
                         "throughput_ratio": rate_ratio, "client_cpu_s_per_1000": client})
        if rate_ratio is not None and (worst is None or rate_ratio < worst[0]):
            worst = (rate_ratio, f"{key} {mode} x{parallel}")
    with open(os.path.join(out_dir, "e2e-summary.csv"), "w", newline="") as f:
        if summary:
            writer = csv.DictWriter(f, fieldnames=list(summary[0]))
            writer.writeheader()
            writer.writerows(summary)
    header = ["phone key", "handshake", "clients",
              "radiusd CPU s/1000 stock", "module", "module/stock", "(schedstat)",
              "auths/s stock", "module", "module/stock",
              "client CPU s/1000", "radiusd share", "runs"]
    out = ["End to end: EAP-TLS with eapol_test. radiusd CPU (utime+stime, /proc/PID/stat) per 1000 "
           "authentications is the primary figure; \"(schedstat)\" is the same ratio from per-thread ns "
           "counters. Ratios are medians of per-run module/stock ratios. \"resumed\" runs are "
           "1 full + N resumed handshakes per client process. \"radiusd share\" = radiusd CPU / "
           "(radiusd + eapol_test CPU).", "", table(header, body)]
    if failed:
        out.append(f"\n**{failed} client processes failed** (see the failed/ directory).")
    if worst:
        verdict.append(f"e2e: lowest module/stock throughput {worst[0]:.3f} ({worst[1]}); target >= "
                       f"{THROUGHPUT_TARGET} {'met' if worst[0] >= THROUGHPUT_TARGET else 'missed'}. Where the "
                       "eapol_test clients take most of the CPU (radiusd share well under 50%), throughput measures "
                       "the clients and the machine's noise; the CPU and instruction ratios measure the module")
    return "\n".join(out), verdict


def storm_section(rows, clk_tck):
    if not rows:
        return None, []
    body = []
    for config in ("stock", "module"):
        runs = [r for r in rows if r["config"] == config]
        if not runs:
            continue
        wall = median([float(r["wall_s"]) for r in runs])
        admitted = median([int(r["auths"]) for r in runs])
        cpu = median([int(r["radiusd_ticks"]) / clk_tck for r in runs])
        client = median([float(r["client_user_s"]) + float(r["client_sys_s"]) for r in runs])
        p95 = median([float(r["job_p95_ms"]) / 1000 for r in runs])
        worst = max(float(r["job_max_ms"]) / 1000 for r in runs)
        body.append([config, f"{admitted:.0f}/{runs[0]['phones']}", f"{wall:.1f}", f"{admitted / wall:.0f}",
                     f"{cpu:.2f}", fmt(admitted / cpu if cpu else None, ".0f"), f"{client:.1f}",
                     f"{p95:.2f}", f"{worst:.2f}", str(len(runs))])
    first = rows[0]
    out = [f"Boot storm: {first['phones']} distinct phones (P-256 LSCs, distinct MACs) arriving at once, "
           f"{first['parallel']} in flight at a time. Medians over the runs. \"phones per radiusd CPU s\" "
           "is what one core would admit if the clients ran elsewhere.", "",
           table(["server", "admitted", "wall s", "phones/s", "radiusd CPU s", "phones per radiusd CPU s",
                  "client CPU s", "p95 per phone s", "slowest phone s", "runs"], body)]
    return "\n".join(out), []


def instr_section(rows):
    if not rows:
        return None, []
    per_auth = {}
    for config in ("stock", "module"):
        for key in dict.fromkeys(r["key"] for r in rows):
            got = {r["mode"]: r for r in rows if r["config"] == config and r["key"] == key}
            if "full" not in got:
                continue
            full = got["full"]
            fields = ("instructions", "check_eap_tls_instructions", "module_instructions")
            one = {f: int(full[f]) / int(full["auths"]) for f in fields}
            per_auth[(config, key, "full")] = one
            if "resumed" in got:
                # A resumed batch is one client: 1 full handshake, then the resumed ones.
                res = got["resumed"]
                n = int(res["auths"]) - 1
                per_auth[(config, key, "resumed")] = {f: (int(res[f]) - one[f]) / n for f in fields}
    body, verdict, worst = [], [], None
    for (config, key, mode) in per_auth:
        if config != "module" or ("stock", key, mode) not in per_auth:
            continue
        stock, module = per_auth[("stock", key, mode)], per_auth[("module", key, mode)]
        ratio = module["instructions"] / stock["instructions"]
        worst = ratio if worst is None else max(worst, ratio)
        body.append([key, mode, f"{stock['instructions'] / 1e6:.3f}", f"{module['instructions'] / 1e6:.3f}",
                     f"{ratio:.4f}", f"{stock['check_eap_tls_instructions'] / 1e3:.1f}",
                     f"{module['check_eap_tls_instructions'] / 1e3:.1f}", f"{module['module_instructions'] / 1e3:.1f}"])
    first = rows[0]
    out = ["Instructions per authentication (callgrind, radiusd single-threaded, "
           f"batches of {int(first['auths'])}): deterministic, unaffected by other load on the machine. "
           "check-eap-tls = the virtual server that decides (stock: unlang issuer check; module: phonecert), "
           "mod_authorize = rlm_phonecert's own hook (the record, the strings it cross-checks, pc_decide, reply attributes).", "",
           table(["phone key", "handshake", "stock M instr", "module M instr", "module/stock",
                  "check-eap-tls stock k", "module k", "mod_authorize k"], body)]
    if worst is not None:
        verdict.append(f"instructions: module/stock at most {worst:.4f} per authentication "
                       f"(a throughput ratio of about {1 / worst:.3f} when radiusd's CPU is the limit)")
    return "\n".join(out), verdict


def feature_section(rows, storm_rows, instr_rows, clk_tck):
    """Each optional feature against the plain module and stock, measured in the same run."""
    if not rows:
        return None, []
    runs = {}
    for r in rows:
        one = per_run(r, clk_tck)
        if one:
            one["pg_per_1000"] = int(r["pg_ticks"]) / clk_tck * 1000 / int(r["auths"])
            runs.setdefault(int(r["run"]), {})[r["config"]] = one
    configs = list(dict.fromkeys(r["config"] for r in rows))
    body, verdict = [], []

    def ratio(config, base, field):
        return median([v[config][field] / v[base][field] for v in runs.values()
                       if config in v and base in v and v[base][field] > 0])

    instr = {}
    for r in instr_rows:
        instr[r["config"]] = int(r["instructions"]) / int(r["auths"])
    for config in configs:
        cpu = median([v[config]["cpu_per_1000"] for v in runs.values() if config in v])
        pg = median([v[config]["pg_per_1000"] for v in runs.values() if config in v])
        rate = median([v[config]["rate"] for v in runs.values() if config in v])
        i_ratio = instr[config] / instr["module"] if config in instr and "module" in instr else None
        body.append([FEATURE_LABELS.get(config, config), fmt(cpu, ".2f"),
                     fmt(ratio(config, "module", "cpu_per_1000"), ".3f"),
                     fmt(ratio(config, "stock", "cpu_per_1000"), ".3f"),
                     fmt(ratio(config, "module", "cpu_ns_per_1000"), ".3f"),
                     fmt(instr.get(config, 0) / 1e6 if config in instr else None, ".3f"), fmt(i_ratio, ".4f"),
                     fmt(rate, ".0f"), fmt(pg if pg else None, ".2f")])
        if config not in ("stock", "module"):
            worst = [x for x in (ratio(config, "module", "cpu_per_1000"), i_ratio) if x is not None]
            if worst:
                verdict.append(f"{FEATURE_LABELS.get(config, config)}: radiusd CPU {fmt(worst[0], '.3f')}x the module"
                               + (f", instructions {i_ratio:.4f}x" if i_ratio is not None else "")
                               + f"; target <= {FEATURE_TARGET} {'met' if max(worst) <= FEATURE_TARGET else 'missed'}")
    first = rows[0]
    out = [f"Features on the authentication path: full EAP-TLS handshakes (RSA-2048 LSC, {first['parallel']} "
           "clients), every server up at once and measured in each run (order rotated by run). CPU ratios are "
           "medians of per-run ratios; \"instructions\" are per authentication under callgrind (radiusd "
           "single-threaded), which the machine's load does not change; \"PostgreSQL CPU\" is the database "
           "server's own (not in radiusd's).", "",
           table(["server", "radiusd CPU s/1000", "/module", "/stock", "/module (schedstat)", "M instr/auth",
                  "instr /module", "auths/s", "PostgreSQL CPU s/1000"], body)]
    if storm_rows:
        sbody = []
        base = median([int(r["radiusd_ticks"]) / clk_tck for r in storm_rows if r["config"] == "module"])
        for config in dict.fromkeys(r["config"] for r in storm_rows):
            got = [r for r in storm_rows if r["config"] == config]
            wall = median([float(r["wall_s"]) for r in got])
            admitted = median([int(r["auths"]) for r in got])
            cpu = median([int(r["radiusd_ticks"]) / clk_tck for r in got])
            pg = median([int(r["pg_ticks"]) / clk_tck for r in got])
            p95 = median([float(r["job_p95_ms"]) / 1000 for r in got])
            sbody.append([FEATURE_LABELS.get(config, config), f"{admitted:.0f}/{got[0]['phones']}", f"{wall:.1f}",
                          f"{cpu:.2f}", fmt(cpu / base if base else None, ".3f"), fmt(pg if pg else None, ".2f"),
                          f"{p95:.2f}", str(len(got))])
        out += ["", f"Boot storm with the ledger on: {storm_rows[0]['phones']} distinct phones at once "
                f"({storm_rows[0]['parallel']} in flight), each a new ledger row and history row.", "",
                table(["server", "admitted", "wall s", "radiusd CPU s", "/module", "PostgreSQL CPU s",
                       "p95 per phone s", "runs"], sbody)]
    return "\n".join(out), verdict


def main():
    out_dir = sys.argv[1]
    clk_tck = os.sysconf("SC_CLK_TCK")
    sections, verdicts = [], []
    for section, verdict in (decide_section(read_csv(os.path.join(out_dir, "decide.csv"))),
                             verify_section(read_csv(os.path.join(out_dir, "verify.csv"))),
                             e2e_section(read_csv(os.path.join(out_dir, "e2e.csv")), clk_tck, out_dir),
                             storm_section(read_csv(os.path.join(out_dir, "storm.csv")), clk_tck),
                             instr_section(read_csv(os.path.join(out_dir, "instr.csv"))),
                             feature_section(read_csv(os.path.join(out_dir, "feature.csv")),
                                             read_csv(os.path.join(out_dir, "feature-storm.csv")),
                                             read_csv(os.path.join(out_dir, "feature-instr.csv")), clk_tck)):
        if section:
            sections.append(section)
        verdicts += verdict
    with open(os.path.join(out_dir, "machine.txt")) as f:
        machine = f.read().strip()
    text = "\n\n".join(sections + ["Targets (reported, not asserted):\n\n" + "\n".join(f"- {v}" for v in verdicts),
                                   "Machine:\n\n```\n" + machine + "\n```"]) + "\n"
    with open(os.path.join(out_dir, "table.md"), "w") as f:
        f.write(text)
    print(text, end="")


if __name__ == "__main__":
    main()
