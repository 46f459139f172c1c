#!/usr/bin/env python3
"""Judge the XML logs that valgrind wrote for radiusd (tests/integration/lib.sh, VALGRIND=TOOL).

usage: verdict.py DIR [--all]

Suppressions (TOOL.supp next to this script) are already applied by valgrind.  A report is
"ours" when rlm_phonecert.so (the adapter and the core linked into it) is involved:
  - memcheck: any frame of any of its stacks (where it happened, where the block was
    allocated or freed) lies in rlm_phonecert.so;
  - helgrind/drd: one of the two racing accesses was made by our code: the first frame of
    the access stack, or of the conflicting access's stack, that is not generic code (libc,
    talloc, valgrind's own wrappers) lies in rlm_phonecert.so.  Where the block was
    allocated does not count: FreeRADIUS hands every request from thread to thread through
    lock-free queues helgrind cannot see, so a value pair our module allocated in a request
    shows up in races between FreeRADIUS's own threads.

Exit status 1 when a log is missing or incomplete (radiusd did not exit normally, so the
leak check never ran), when memcheck reports anything at all, or when helgrind/drd report
anything of ours (--all: anything).  Reports that are not ours are listed grouped by the
function that made the access, for review.
"""
import collections
import glob
import os
import sys
import xml.etree.ElementTree as ET

OUR_OBJECT = "rlm_phonecert.so"
# Code that only carries out an access on behalf of its caller.
GENERIC_OBJECTS = ("libc.so", "libtalloc.so", "vgpreload_", "ld-linux")


def obj_name(frame):
    return os.path.basename(frame.findtext("obj") or "")


def frame_text(frame):
    where = ""
    if frame.findtext("file"):
        where = " %s:%s" % (frame.findtext("file"), frame.findtext("line") or "?")
    return "%s (%s%s)" % (frame.findtext("fn") or "???", obj_name(frame), where)


def sections(error):
    """(heading, stack) pairs in the order valgrind printed them."""
    heading = error.findtext("what") or error.findtext("xwhat/text") or ""
    out = []
    for child in error:
        if child.tag == "auxwhat":
            heading = (child.text or "").strip()
        elif child.tag == "xauxwhat":
            heading = (child.findtext("text") or "").strip()
        elif child.tag == "stack":
            out.append((heading, child.findall("frame")))
            heading = ""
    return out


def decisive(stack):
    """The first frame that is not generic code: who made the access."""
    for frame in stack:
        if not any(g in obj_name(frame) for g in GENERIC_OBJECTS):
            return frame
    return stack[0] if stack else None


def is_ours(tool, error):
    parts = sections(error)
    if tool == "memcheck":
        return any(obj_name(f) == OUR_OBJECT for _h, stack in parts for f in stack)
    access = [stack for i, (heading, stack) in enumerate(parts) if i == 0 or "conflicts with" in heading]
    return any(decisive(stack) is not None and obj_name(decisive(stack)) == OUR_OBJECT for stack in access)


def load(path):
    """The parsed log, or None if valgrind did not finish it (the process was killed)."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return None
    if "FINISHED" not in [s.findtext("state") for s in root.findall("status")]:
        return None
    return root


def show(error, path, ours):
    parts = sections(error)
    print("%s %s in %s" % ("OURS " if ours else "OTHER", error.findtext("kind"), os.path.basename(path)))
    for heading, stack in parts:
        print("    %s" % (heading or "at"))
        for frame in stack[:14]:
            print("      %s" % frame_text(frame))
        if len(stack) > 14:
            print("      ...")


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    directory = argv[1]
    strict = "--all" in argv[2:]
    paths = sorted(glob.glob(os.path.join(directory, "*.xml")))
    if not paths:
        print("valgrind verdict: no logs in %s" % directory)
        return 1

    failed = False
    tools = set()
    counts = collections.Counter()
    others = collections.Counter()
    suppressed = collections.Counter()
    for path in paths:
        root = load(path)
        if root is None:
            print("INCOMPLETE %s: radiusd did not exit normally, its report is missing" % path)
            failed = True
            continue
        tool = root.findtext("protocoltool") or "?"
        tools.add(tool)
        for pair in root.findall("suppcounts/pair"):
            suppressed[pair.findtext("name")] += int(pair.findtext("count") or 0)
        for error in root.findall("error"):
            kind = error.findtext("kind") or "?"
            ours = is_ours(tool, error)
            counts["errors"] += 1
            counts["ours"] += ours
            if kind == "Leak_DefinitelyLost":
                counts["leaks"] += 1
                counts["leak_bytes"] += int(error.findtext("xwhat/leakedbytes") or 0)
            if tool == "memcheck" or strict or ours:
                failed = True
                show(error, path, ours)
            else:
                parts = sections(error)
                frame = decisive(parts[0][1]) if parts else None
                others["%s in %s" % (kind, frame_text(frame) if frame is not None else "?")] += 1
    if others:
        print("not ours (%d reports), by the function that made the access:" % sum(others.values()))
        for text, count in others.most_common():
            print("  %5d  %s" % (count, text))
    for name, count in sorted(suppressed.items()):
        print("suppressed %6d x %s" % (count, name))
    print("valgrind verdict (%s): %d logs, %d reports (%d ours), %d definite leaks (%d bytes), %d suppressed: %s"
          % ("/".join(sorted(tools)) or "?", len(paths), counts["errors"], counts["ours"], counts["leaks"],
             counts["leak_bytes"], sum(suppressed.values()), "FAIL" if failed else "ok"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
