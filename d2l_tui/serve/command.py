"""`d2l-tui serve [--host 127.0.0.1] [--port 8000]`: options, the remote-host guard, the token, the address."""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import socket
import sys
from pathlib import Path

SESSION_MB = 300
"""About what one learner's tutor with its MXNet kernel holds."""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add serve's options."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument("--allow-remote", action="store_true",
                        help="needed to listen on an address other machines reach; the URL then needs a token")
    parser.add_argument("--token", help="the token the URL needs (default: a new random one when remote)")
    parser.add_argument("--max-sessions", type=int, default=None,
                        help=f"most learners at once, each about {SESSION_MB} MB (default: half the memory's worth)")
    parser.add_argument("--data-dir", type=Path, help="where each learner's progress is kept (learners/<id>/ inside)")
    parser.add_argument("--lessons", type=Path, help="a folder of lessons to use instead of the shipped course")


def is_local(host: str) -> bool:
    """Whether only this machine can reach `host`."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def default_max_sessions() -> int:
    """As many sessions as half of this machine's memory holds, at least one."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 4
    return max(1, total // 2 // (SESSION_MB * 1024 * 1024))


def run(args: argparse.Namespace) -> int:
    """Serve the tutor until Ctrl+C."""

    from d2l_tui.paths import data_dir

    try:
        from d2l_tui.serve.server import TutorServer
    except ImportError as error:
        print(f"d2l-tui serve: needs textual-serve ({error}); install d2l-tui with its dependencies", file=sys.stderr)
        return 2
    local = is_local(args.host)
    if not local and not args.allow_remote:
        print(f"d2l-tui serve: {args.host} can be reached from other machines; add --allow-remote to serve there "
              "(the URL then needs a token)", file=sys.stderr)
        return 2
    token = args.token or (None if local else secrets.token_urlsafe(18))
    limit = args.max_sessions if args.max_sessions is not None else default_max_sessions()
    if limit < 1:
        print("d2l-tui serve: --max-sessions must be at least 1", file=sys.stderr)
        return 2
    data = data_dir(args.data_dir)
    lessons = args.lessons
    server = TutorServer(data, host=args.host, port=args.port, token=token, max_sessions=limit, lessons=lessons)
    # A browser cannot open "any address": name this machine instead.
    shown = socket.gethostname() if args.host in ("0.0.0.0", "::", "") else args.host
    url = f"http://{shown}:{args.port}/" + (f"?token={token}" if token else "")

    def announce() -> None:
        if not local:
            print(f"warning: serving on {args.host}: anyone who has the link below can use the tutor", file=sys.stderr)
        print(f"d2l-tui: serving the tutor on {url}", flush=True)
        print(f"learners' progress: {data / 'learners'} (at most {limit} at once); Ctrl+C stops", flush=True)

    server.announce = announce
    server.serve()
    return 0
