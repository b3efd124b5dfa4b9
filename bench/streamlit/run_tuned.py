"""Start Streamlit *tuned*: TCP_NODELAY forced on every WebSocket, no post-script GC.

Usage (same arguments as ``streamlit run``, script first):

    bench/.venv/bin/python bench/streamlit/run_tuned.py APP.py [streamlit run flags...]

What it does, then hands over to Streamlit's own CLI exactly as ``streamlit run``
would (same process, same click entry point):

1. Patches the WebSocket protocol classes of uvicorn so that each WebSocket
   connection's socket gets ``TCP_NODELAY`` set when the connection is handed
   to the protocol. Streamlit 1.67 no longer runs on Tornado: its server is
   Starlette on uvicorn, and uvicorn gives an upgraded connection's transport
   to the WebSocket protocol through ``connection_made(transport)``
   (``websockets-sansio`` by default in Streamlit 1.67, the others patched too
   in case a config picks them). The first patched connection is logged once
   on stderr as ``run_tuned: TCP_NODELAY ...`` with the option's value before
   and after, so a run can prove that the patch applied.
2. Appends ``--runner.postScriptGC false`` to the command line.
"""

from __future__ import annotations

import importlib
import socket
import sys
import threading
import warnings

_logged = threading.Event()
_patched: list[str] = []


def _log(message: str) -> None:
    print(f"run_tuned: {message}", file=sys.stderr, flush=True)


def _force_nodelay(transport: object, where: str) -> None:
    get_extra_info = getattr(transport, "get_extra_info", None)
    sock = get_extra_info("socket") if get_extra_info else None
    if sock is None:
        if not _logged.is_set():
            _logged.set()
            _log(f"TCP_NODELAY NOT set: no socket on the transport ({where})")
        return
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    try:
        before = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        after = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    except OSError as err:
        if not _logged.is_set():
            _logged.set()
            _log(f"TCP_NODELAY NOT set: {err} ({where})")
        return
    if not _logged.is_set():
        _logged.set()
        _log(
            f"TCP_NODELAY set on WebSocket socket via {where} "
            f"(before={int(bool(before))}, after={int(bool(after))})"
        )


def _patch_protocol(module_name: str, class_name: str) -> None:
    try:
        with warnings.catch_warnings():
            # uvicorn warns on import of its deprecated legacy implementation.
            warnings.simplefilter("ignore")
            module = importlib.import_module(module_name)
    except ImportError:
        return  # that implementation's library is not installed
    cls = getattr(module, class_name, None)
    if cls is None or getattr(cls, "_brooklet_bench_nodelay", False):
        return
    original = cls.connection_made
    where = f"{class_name}.connection_made"

    def connection_made(self, transport, *args, **kwargs):  # type: ignore[no-untyped-def]
        _force_nodelay(transport, where)
        return original(self, transport, *args, **kwargs)

    cls.connection_made = connection_made
    cls._brooklet_bench_nodelay = True
    _patched.append(f"{module_name}.{class_name}")


def patch_uvicorn_websockets() -> list[str]:
    _patch_protocol(
        "uvicorn.protocols.websockets.websockets_sansio_impl",
        "WebSocketsSansIOProtocol",
    )
    _patch_protocol("uvicorn.protocols.websockets.websockets_impl", "WebSocketProtocol")
    _patch_protocol("uvicorn.protocols.websockets.wsproto_impl", "WSProtocol")
    return _patched


def main() -> int:
    if len(sys.argv) < 2:
        _log("usage: run_tuned.py APP.py [streamlit run flags...]")
        return 2
    patched = patch_uvicorn_websockets()
    if not patched:
        _log("no uvicorn WebSocket protocol class found to patch")
        return 1
    _log("patched " + ", ".join(patched))

    from streamlit.web import cli

    sys.argv = [
        "streamlit",
        "run",
        *sys.argv[1:],
        "--runner.postScriptGC",
        "false",
    ]
    return cli.main()  # a click command: exits the process itself


if __name__ == "__main__":
    sys.exit(main())
