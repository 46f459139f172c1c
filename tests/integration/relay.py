#!/usr/bin/env python3
"""A UDP relay between eapol_test and radiusd that can hold the conversation still.

It forwards packets verbatim (so RADIUS authenticators stay valid).  After it has
forwarded the Nth Access-Accept to the client it creates PAUSE_FILE and holds the next
request until RESUME_FILE exists.  That makes "resume a TLS session after a policy
change" deterministic: the test changes the policy and reloads the module while the
client waits between its first authentication and its resumption.

usage: relay.py LISTEN_PORT SERVER_PORT PAUSE_FILE RESUME_FILE [ACCEPTS_BEFORE_PAUSE]
Stops by itself after 120 s.
"""
import os
import select
import socket
import sys
import time

listen_port, server_port = int(sys.argv[1]), int(sys.argv[2])
pause_file, resume_file = sys.argv[3], sys.argv[4]
accepts_before_pause = int(sys.argv[5]) if len(sys.argv) > 5 else 1

front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
front.bind(("127.0.0.1", listen_port))
back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
back.bind(("127.0.0.1", 0))
client = None
accepts = 0
deadline = time.time() + 120

while time.time() < deadline:
    ready, _, _ = select.select([front, back], [], [], 0.5)
    for sock in ready:
        data, addr = sock.recvfrom(65535)
        if sock is front:
            client = addr
            if accepts >= accepts_before_pause:
                while not os.path.exists(resume_file) and time.time() < deadline:
                    time.sleep(0.05)
            back.sendto(data, ("127.0.0.1", server_port))
        elif client is not None:
            front.sendto(data, client)
            if data and data[0] == 2:  # Access-Accept
                accepts += 1
                if accepts == accepts_before_pause:
                    open(pause_file, "w").close()
