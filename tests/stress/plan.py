#!/usr/bin/env python3
"""The reload-under-load plan: trust-store states, what each phone must get, and the verdict.

One table drives both the configuration files the driver writes and the judgement of the
results, so the two cannot disagree.

  plan.py schedule                 the reload cycle, one "STATE BROKEN(0|1)" line per reload
  plan.py final                    the state of the last reload of a run (broken, by SIGHUP)
  plan.py phones                   "PHONE MAC" lines, the phones the clients present
  plan.py conf STATE PKI_DIR       phonecert.conf for STATE on stdout
  plan.py judge WORK_DIR           read WORK_DIR/reloads.tsv and WORK_DIR/clients/*.tsv,
                                   print the verdict, exit 1 on any failure

reloads.tsv: INDEX MECHANISM STATE BROKEN BEGIN CONFIRM OUTCOME [WHY]  (times: epoch seconds)
  OUTCOME: reloaded | refused (radiusd said "HUP failed") | unconfirmed (neither, in time)
clients/*.tsv: CLIENT PHONE START END RC  (RC: eapol_test's status, 0 = Access-Accept)
"""
import glob
import os
import sys
import time

# Anchors the states are made of: role and file in the test PKI (tests/pki/README.md).
# Their subjects are all different on purpose: OpenSSL caches trusted CAs by subject, so an
# anchor added by a reload is only found by the handshake if no CA of the same subject was
# loaded before (see README.md next to this file).
ANCHORS = {
    "capf-a": ("lsc", "capf-a.crt"),
    "manufacturing": ("mic", "mfg-int.crt"),
    "capf-b": ("lsc", "capf-b.crt"),
    "capf-c": ("lsc", "capf-c.crt"),
    "enterprise-ca": ("lsc", "ent-ca.crt"),
}

# Phones: MAC, issuing anchor, and whether the phone must be accepted in every state.
PHONES = {
    "lsc-a": ("b0:00:b4:ba:0a:ee", "capf-a", True),
    "mic-8861": ("2c:31:24:c9:f8:e1", "manufacturing", True),
    "lsc-b": ("b0:00:b4:ba:0a:ef", "capf-b", False),
    "lsc-c": ("00:11:22:33:44:c0", "capf-c", False),
    "lsc-ent": ("00:11:22:33:44:e0", "enterprise-ca", False),
}

DAY = 86400
# A state: anchor name -> (state, trust_until offset in seconds from the writing, or None).
ALWAYS = {"capf-a": ("active", None), "manufacturing": ("active", None)}


def state(**extra):
    anchors = dict(ALWAYS)
    anchors.update(extra)
    return anchors


STATES = {
    "base": state(),
    "add-b": state(**{"capf-b": ("active", None)}),
    "add-c-retiring": state(**{"capf-b": ("active", None), "capf-c": ("retiring", DAY)}),
    "remove-b": state(**{"capf-c": ("retiring", DAY)}),
    "close-c-add-ent": state(**{"capf-c": ("retiring", -3600), "enterprise-ca": ("active", None)}),
    "disable-ent-readd-b": state(**{"capf-c": ("retiring", -3600), "enterprise-ca": ("disabled", None),
                                    "capf-b": ("active", None)}),
}

# Broken variants: another state's anchors plus one fault, so that a reload wrongly (or
# partly) applied would change what the phones get, and be seen.
BROKEN = {
    "broken-missing-file": ("close-c-add-ent", "[anchor capf-x]\nrole = lsc\nfile = @PKI@/missing.crt\n"),
    "broken-syntax": ("base", "[anchor capf-y]\nrole = lsc\nfile = @PKI@/capf-b.crt\ncolour = blue\n"),
    "broken-not-a-ca": ("add-b", "[anchor capf-z]\nrole = lsc\nfile = @PKI@/notca.crt\n"),
}

# The cycle of reloads, repeated for as long as the test runs.  The driver alternates radmin
# (even positions) and SIGHUP (odd ones); the broken ones sit at even positions (radmin): see
# README.md for what a broken SIGHUP reload does to later SIGHUPs in FreeRADIUS 3.2.1.
SCHEDULE = ["add-b", "add-c-retiring", "broken-missing-file", "remove-b", "close-c-add-ent",
            "disable-ent-readd-b", "broken-syntax", "base"]
# The last reload of a run: broken, by SIGHUP.
FINAL = "broken-not-a-ca"


def expected(state_name, phone):
    """True if PHONE must be accepted while STATE is in force."""
    _mac, anchor, always = PHONES[phone]
    if always:
        return True
    entry = STATES[state_name].get(anchor)
    if entry is None:
        return False
    anchor_state, until = entry
    return anchor_state == "active" or (anchor_state == "retiring" and until is not None and until > 0)


def conf_text(name, pki):
    broken = ""
    if name in BROKEN:
        name, broken = BROKEN[name]
    now = int(time.time())
    out = ["# reload-under-load: state %s%s" % (name, " (broken)" if broken else ""), ""]
    for anchor, (anchor_state, until) in STATES[name].items():
        role, path = ANCHORS[anchor]
        out += ["[anchor %s]" % anchor, "role = %s" % role, "file = %s/%s" % (pki, path)]
        if anchor_state != "active":
            out.append("state = %s" % anchor_state)
        if until is not None:
            out.append("trust_until = %s" % time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + until)))
        out.append("")
    return "\n".join(out) + broken.replace("@PKI@", pki)


def read_tsv(path):
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def judge(work):
    reloads = read_tsv(os.path.join(work, "reloads.tsv"))
    results = []
    for path in sorted(glob.glob(os.path.join(work, "clients", "*.tsv"))):
        results += read_tsv(path)
    end_of_test = float(open(os.path.join(work, "end")).read())
    alive = open(os.path.join(work, "alive")).read().strip()

    # Boundaries: every reload except a refused broken one (which must change nothing, so the
    # windows run across it).  After a boundary the state is known only if the reload was
    # confirmed; a window ends when the next boundary's reload begins.
    problems = []
    bounds = []
    broken_count = 0
    for row in reloads:
        index, mechanism, name, broken, begin, confirm, outcome = row[:7]
        why = row[7] if len(row) > 7 else ""
        broken = broken == "1"
        broken_count += broken and index != "0"
        if broken and outcome == "refused":
            if "phonecert.conf:" not in why:
                problems.append("reload %s (%s, %s): refused without naming FILE:LINE: %r" % (index, mechanism, name, why))
            continue
        if broken:
            problems.append("reload %s (%s, %s): broken configuration was %s" % (index, mechanism, name, outcome))
        elif outcome != "reloaded":
            problems.append("reload %s (%s, %s): %s %s" % (index, mechanism, name, outcome, why))
        known = name if (outcome == "reloaded" and not broken) else None
        bounds.append((float(begin), float(confirm), known))
    windows = []
    for i, (_begin, confirm, known) in enumerate(bounds):
        until = bounds[i + 1][0] if i + 1 < len(bounds) else end_of_test
        windows.append((confirm, until, known))

    failures, wrong, judged, unjudged = [], [], 0, 0
    per_phone = {}
    for client, phone, start, end, rc in results:
        start, end, accepted = float(start), float(end), rc == "0"
        stats = per_phone.setdefault(phone, [0, 0])
        stats[0 if accepted else 1] += 1
        if PHONES[phone][2]:
            judged += 1
            if not accepted:
                failures.append((start, client, phone, "always-accept phone refused (rc %s)" % rc))
            continue
        window = next((w for w in windows if w[0] <= start and end <= w[1]), None)
        if window is None or window[2] is None:
            unjudged += 1
            continue
        judged += 1
        want = expected(window[2], phone)
        if want and not accepted:
            failures.append((start, client, phone, "refused in state %s (rc %s)" % (window[2], rc)))
        elif accepted and not want:
            wrong.append((start, client, phone, "accepted in state %s" % window[2]))

    t0 = float(reloads[0][5]) if reloads else 0.0
    for start, client, phone, text in sorted(failures + wrong)[:20]:
        print("  at +%.2fs client %s %s: %s" % (start - t0, client, phone, text))
    for text in problems:
        print("  %s" % text)
    for phone in sorted(per_phone):
        print("  %-9s %5d accepted %5d refused%s" % (phone, per_phone[phone][0], per_phone[phone][1],
                                                      "  (must always be accepted)" if PHONES[phone][2] else ""))
    print("  %d results judged, %d around a reload not judged; %d windows" % (judged, unjudged, len(windows)))
    reload_count = len(reloads) - 1  # row 0 is the start
    ok = not failures and not wrong and not problems and alive == "alive"
    print("reload-under-load: %d auths, %d unexpected failures, %d wrong accepts, %d reloads (%d broken), radiusd %s%s"
          % (len(results), len(failures), len(wrong), reload_count, broken_count, alive,
             "" if not problems else ", %d reload problems" % len(problems)))
    return 0 if ok else 1


def main(argv):
    if len(argv) >= 2 and argv[1] == "schedule":
        for name in SCHEDULE:
            print(name, 1 if name in BROKEN else 0)
        return 0
    if len(argv) >= 2 and argv[1] == "final":
        print(FINAL)
        return 0
    if len(argv) >= 2 and argv[1] == "phones":
        for phone, (mac, _anchor, _always) in PHONES.items():
            print(phone, mac)
        return 0
    if len(argv) == 4 and argv[1] == "conf":
        sys.stdout.write(conf_text(argv[2], argv[3]))
        return 0
    if len(argv) == 3 and argv[1] == "judge":
        return judge(argv[2])
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
