#!/usr/bin/env python3
"""Write the SQL of a test ledger (the RADIUS servers' upsert, once per decision, so that the
schema's triggers fill phonecert_history) to standard output.

    ledger.py SCENARIO AT FP_OLD FP_NEW FP_MIC FP_REGEN

AT is the report's time (Unix seconds); every time is relative to it.  The SQL runs unchanged
on SQLite and PostgreSQL.  The expected numbers are in run.sh, next to the checks, with the
reasoning; this file says what each device is.

Scenarios:
  rollover   capf-old retiring: phones still on it, phones moved to capf-new on known days,
             MIC-only phones, refusals of several reasons, hostile strings
  boundary   one phone on capf-old, last seen exactly 30 days before AT
  switch     a switch's MIC refused as not-a-phone (no MIC-only phone)
  empty      no device at all
  demo       a clean, larger rollover for the README's picture (160 phones, a month of re-enrolment)
"""
import sys

DAY = 86400
ESC = "\x1b"


def q(text):
    """An SQL string literal (both dialects: '' doubles a quote; control bytes go in raw)."""
    return "'" + text.replace("'", "''") + "'"


COLUMNS = ("device", "mac", "model", "kind", "anchor", "anchor_fp", "anchor_state", "reason", "reason_code",
           "accepted", "nas_ip", "nas_id", "nas_port_id", "calling_station_id", "server", "first_seen",
           "last_seen", "count")

# The writer's upsert (raddb/mods-config/sql/phonecert/*/queries.conf), in SQL both dialects run:
# kind, model, mac and the anchor only change when the decision has them; the switch and port,
# the reason and the server always; first_seen is the earliest, last_seen the latest, count + 1.
UPSERT_SET = (
    " ON CONFLICT (device) DO UPDATE SET"
    " mac = CASE WHEN excluded.mac <> '' THEN excluded.mac ELSE phonecert_device.mac END,"
    " model = CASE WHEN excluded.model <> '' THEN excluded.model ELSE phonecert_device.model END,"
    " kind = CASE WHEN excluded.kind <> '' THEN excluded.kind ELSE phonecert_device.kind END,"
    " anchor = CASE WHEN excluded.anchor_fp <> '' THEN excluded.anchor ELSE phonecert_device.anchor END,"
    " anchor_state = CASE WHEN excluded.anchor_fp <> '' THEN excluded.anchor_state"
    " ELSE phonecert_device.anchor_state END,"
    " anchor_fp = CASE WHEN excluded.anchor_fp <> '' THEN excluded.anchor_fp ELSE phonecert_device.anchor_fp END,"
    " reason = excluded.reason, reason_code = excluded.reason_code, accepted = excluded.accepted,"
    " nas_ip = excluded.nas_ip, nas_id = excluded.nas_id, nas_port_id = excluded.nas_port_id,"
    " calling_station_id = excluded.calling_station_id, server = excluded.server,"
    " first_seen = CASE WHEN excluded.first_seen < phonecert_device.first_seen THEN excluded.first_seen"
    " ELSE phonecert_device.first_seen END,"
    " last_seen = CASE WHEN excluded.last_seen > phonecert_device.last_seen THEN excluded.last_seen"
    " ELSE phonecert_device.last_seen END,"
    " count = phonecert_device.count + 1;")


class Ledger:
    """Each decision is the writer's upsert; the schema's triggers write phonecert_history."""

    def __init__(self, at, fps):
        self.at = at
        self.fp = fps
        self.sql = []
        self.where = {}		# device -> its switch, port, Calling-Station-Id, mac and model

    def anchor(self, name):
        # The ledger row's name for an anchor key (the regenerated CAPF reuses "capf-old").
        return {"old": "capf-old", "new": "capf-new", "mic": "cisco-mfg", "regen": "capf-old"}[name]

    def upsert(self, device, when, kind, anchor, state, reason, code, accepted, server):
        w = self.where[device]
        w.update(reason=reason, code=code, accepted=accepted, server=server)
        fp = self.fp[anchor] if anchor else ""
        values = (q(device), q(w["mac"]), q(w["model"]), q(kind), q(self.anchor(anchor) if anchor else ""), q(fp),
                  q(state if anchor else ""), q(reason), str(code), str(accepted), q(w["nas_ip"]), q(w["nas_id"]),
                  q(w["port"]), q(w["csid"]), q(server), str(when), str(when), "1")
        self.sql.append("INSERT INTO phonecert_device (%s) VALUES (%s)%s"
                        % (", ".join(COLUMNS), ", ".join(values), UPSERT_SET))

    def first(self, device, when, kind="lsc", anchor="old", reason="lsc-accepted", code=0, accepted=1,
              state="active", mac="", model="CP-8845", nas_ip="10.0.0.1", nas_id="sw-floor1",
              port="GigabitEthernet1/0/1", csid="", server="radius-a"):
        """First sighting (the trigger writes the history's first row)."""
        if not mac and device.startswith("SEP"):
            hexmac = device[3:].lower()
            mac = ":".join(hexmac[i:i + 2] for i in range(0, 12, 2))
        self.where[device] = dict(mac=mac, model=model, nas_ip=nas_ip, nas_id=nas_id, port=port, csid=csid or mac)
        self.upsert(device, when, kind, anchor, state, reason, code, accepted, server)

    def change(self, device, when, kind, anchor, reason="lsc-accepted", code=0, accepted=1, state="active",
               server="radius-b"):
        """A later decision with another anchor or kind (a history row)."""
        self.upsert(device, when, kind, anchor, state, reason, code, accepted, server)

    def seen(self, device, when, reason=None, code=None, accepted=None):
        """Seen again: the device's last decision (or the one given) from the same server; it
        names no anchor or kind, so it changes neither (no history row)."""
        w = self.where[device]
        if reason is None:
            reason, code, accepted = w["reason"], w["code"], w["accepted"]
        self.upsert(device, when, "", None, "", reason, code, accepted, w["server"])


def rollover(lg, at):
    retiring = dict(reason="lsc-retiring-accepted", code=1, state="retiring")
    # Still on capf-old: SEP00AA00000001..5 seen 1..5 days ago, first seen 60 days ago.
    for i in range(1, 6):
        dev = "SEP00AA0000000%d" % i
        lg.first(dev, at - 60 * DAY, nas_ip="10.0.1.%d" % i, port="Gi1/0/%d" % i, **retiring)
        lg.seen(dev, at - i * DAY)
    # Hostile strings from the switch and the certificate: a port that closes an attribute and
    # opens a script, a NAS-Identifier with a terminal escape, a model with markup.
    lg.first("SEP00AA00000006", at - 60 * DAY, port='Gi1/0/6"><script>alert(1)</script>',
             nas_id="sw" + ESC + "[31mred", model="<b>CP-8845</b>", **retiring)
    lg.seen("SEP00AA00000006", at - 2 * DAY)
    # A device name that is markup (the key of a phone without a proper SEP name would be csid:...,
    # but the ledger is written from request data: the reader must not trust it).
    lg.first("SEP<img src=x onerror=alert(1)>", at - 3 * DAY, mac="00:aa:00:00:00:07", **retiring)
    # Refused at its latest decision (mac-mismatch): the refusal has no anchor, the phone keeps capf-old.
    lg.first("SEP00AA00000008", at - 60 * DAY, **retiring)
    lg.seen("SEP00AA00000008", at - 2 * DAY, reason="mac-mismatch", code=30, accepted=0)
    # Boundaries: last seen exactly 30 days ago (inside a 30-day window), and one second earlier.
    lg.first("SEP00AA00000009", at - 60 * DAY, **retiring)
    lg.seen("SEP00AA00000009", at - 30 * DAY)
    lg.first("SEP00AA00000010", at - 60 * DAY, **retiring)
    lg.seen("SEP00AA00000010", at - 30 * DAY - 1)

    # Moved to capf-new: two phones each 25, 20, 15, 10 and 5 days ago; all seen yesterday.
    for i in range(1, 11):
        dev = "SEP00BB000000%02d" % i
        moved = at - (25 - 5 * ((i - 1) // 2)) * DAY
        lg.first(dev, at - 60 * DAY, nas_ip="10.0.2.%d" % i, **retiring)
        lg.change(dev, moved, "lsc", "new")
        lg.seen(dev, at - DAY)
    # Moved 45 days ago and not seen since: moved, but outside the window.
    lg.first("SEP00BB00000011", at - 60 * DAY, **retiring)
    lg.change("SEP00BB00000011", at - 45 * DAY, "lsc", "new")

    # New phones, enrolled from capf-new three days ago.
    for i in range(1, 5):
        lg.first("SEP00CC0000000%d" % i, at - 3 * DAY, anchor="new", server="radius-b")

    # MIC-only phones (never an LSC), seen two days ago.
    mic = dict(kind="mic", anchor="mic", reason="mic-accepted", code=2)
    for i in range(1, 4):
        lg.first("SEP00DD0000000%d" % i, at - 2 * DAY, model="CP-7841", **mic)
    # A MIC phone that got an LSC from capf-new 12 days ago: not MIC-only.
    lg.first("SEP00DD00000004", at - 40 * DAY, **mic)
    lg.change("SEP00DD00000004", at - 12 * DAY, "lsc", "new")
    # An LSC phone (capf-new) seen with its MIC since 8 days ago: kind mic now, but it had an LSC.
    lg.first("SEP00DD00000005", at - 40 * DAY, anchor="new")
    lg.change("SEP00DD00000005", at - 8 * DAY, "mic", "mic", reason="mic-accepted", code=2)
    # MIC-only, but last seen 40 days ago: outside the window.
    lg.first("SEP00DD00000006", at - 40 * DAY, **mic)

    # Refusals of other reasons.
    lg.first("csid:aa-bb-cc-dd-ee-01", at - DAY, kind="", anchor=None, reason="no-client-cert", code=49,
             accepted=0, csid="AA-BB-CC-DD-EE-01")
    lg.first("csid:aa-bb-cc-dd-ee-02", at - 2 * DAY, kind="", anchor=None, reason="no-client-cert", code=49,
             accepted=0, csid="AA-BB-CC-DD-EE-02")
    lg.first("SEP00EE00000001", at - DAY, anchor=None, reason="capf-not-uploaded", code=12, accepted=0)
    lg.first("SEP00EE00000002", at - DAY, anchor="new", reason="cert-expired", code=40, accepted=0)
    # Another server's configuration calls a regenerated CAPF "capf-old": same name, other fingerprint.
    lg.first("SEP00EE00000003", at - DAY, anchor="regen", server="radius-c")


def boundary(lg, at):
    lg.first("SEP00AA00000009", at - 60 * DAY, reason="lsc-retiring-accepted", code=1, state="retiring")
    lg.seen("SEP00AA00000009", at - 30 * DAY)


def switch(lg, at):
    """A Cisco switch's manufacturing certificate (a genuine Cisco device, not a phone): refused
    as not-a-phone, keyed by its Calling-Station-Id, kind mic under the manufacturing CA; and one
    phone whose MAC is stored as the module writes it (upper case)."""
    lg.first("csid:00-11-22-33-44-55", at - DAY, kind="mic", anchor="mic", reason="not-a-phone", code=23,
             accepted=0, csid="00-11-22-33-44-55", model="")
    # A phone as the module writes it: the certificate's MAC in pc_mac_format's upper case, a
    # switch port whose Calling-Station-Id is another device's (found by its own MAC all the same).
    lg.first("SEP00FF00000001", at - DAY, anchor="new", mac="00:FF:00:00:00:01", csid="00-FF-00-00-00-99")


def demo(lg, at):
    """160 LSC phones on capf-old; re-enrolled from capf-new over four weeks, a few a day, the
    pace a CUCM admin's bulk Install/Upgrade reaches; 9 stragglers; MIC-only phones; refusals."""
    models = ["CP-8845", "CP-8865", "CP-7841", "CP-8851", "CP-7821"]
    retiring = dict(reason="lsc-retiring-accepted", code=1, state="retiring")
    for i in range(160):
        dev = "SEP70F0960A%04X" % i
        where = dict(model=models[i % 5], nas_ip="10.20.%d.2" % (i // 48), nas_id="sw-b%d-f%d" % (i // 48, i % 3),
                     port="GigabitEthernet1/0/%d" % (i % 48 + 1), server="radius-%s" % "ab"[i % 2])
        lg.first(dev, at - 45 * DAY, **retiring, **where)
        if i < 151:
            lg.change(dev, at - (29 - (i * 7) // 40) * DAY + (i % 8) * 3600, "lsc", "new",
                      server="radius-%s" % "ab"[i % 2])
        lg.seen(dev, at - (i % 3) * DAY - 3600)
    for i in range(12):
        lg.first("SEP00EBD5C3%04X" % i, at - (i % 6) * DAY - 7200, kind="mic", anchor="mic", reason="mic-accepted",
                 code=2, model="CP-7811", nas_ip="10.20.9.2", nas_id="sw-lobby", port="Gi1/0/%d" % (i + 1))
    lg.first("csid:3c-52-82-11-22-33", at - DAY, kind="", anchor=None, reason="no-client-cert", code=49,
             accepted=0, csid="3C-52-82-11-22-33", nas_ip="10.20.1.2", nas_id="sw-b1-f0", port="Gi1/0/40")
    lg.first("SEP0022905C1A2B", at - 2 * DAY, anchor=None, reason="capf-not-uploaded", code=12, accepted=0,
             nas_ip="10.20.2.2", nas_id="sw-b2-f1", port="Gi1/0/17")


def main():
    scenario, at = sys.argv[1], int(sys.argv[2])
    fps = dict(zip(("old", "new", "mic", "regen"), sys.argv[3:7]))
    lg = Ledger(at, fps)
    {"rollover": rollover, "boundary": boundary, "switch": switch, "demo": demo, "empty": lambda lg, at: None}[scenario](lg, at)
    sys.stdout.write("\n".join(lg.sql) + "\n")


if __name__ == "__main__":
    main()
