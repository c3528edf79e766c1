"""``kg serve``: a SPARQL endpoint on a built graph, with the Oxigraph server.

The graph a build wrote (graph.trig) is bulk-loaded into an on-disk Oxigraph store with
``oxigraph load`` (``<build>/oxigraph/db``, reused while graph.trig is unchanged), then
``oxigraph serve-read-only --location … --bind 127.0.0.1:PORT --union-default-graph``
answers SPARQL at ``http://127.0.0.1:PORT/query`` (GET or POST, the SPARQL 1.1
protocol; the root page is a query editor). The union default graph makes queries see
every graph, as ``kg query`` does, so the files of queries/ run unchanged once their
prefixes are declared.

Loopback only unless ``host`` says otherwise, and read-only unless ``writable``: then
``oxigraph serve`` also accepts SPARQL UPDATE at ``/update`` and the Graph Store
Protocol at ``/store``. Changes made that way live in the store until the next
``kg serve`` reloads it from graph.trig (a writable run marks the store stale).

The oxigraph binary is the one the ``oxigraph`` package installs next to Python.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from kg.errors import KgError
from kg.graph.namespaces import PREFIXES

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
STORE_DIR = "oxigraph"
_SOURCE = "source.json"
#: How long a server may take to answer its first request.
START_TIMEOUT = 30.0


class ServeError(KgError):
    """The Oxigraph server could not be prepared or started."""


def oxigraph_binary() -> str:
    """The ``oxigraph`` command: beside this Python (the oxigraph package), else on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.is_file() and os.access(here, os.X_OK):
        return str(here)
    found = shutil.which("oxigraph")
    if found is None:
        raise ServeError("the oxigraph command is not installed (pip install oxigraph)")
    return found


def sparql_prefixes() -> str:
    """PREFIX lines for kg's prefixes (the endpoint does not predeclare them)."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def _signature(source: Path) -> dict[str, object]:
    stat = source.stat()
    return {"source": str(source.resolve()), "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns}


def prepare_store(location: str | Path, store: str | Path | None = None,
                  reload: bool = False) -> Path:
    """The Oxigraph store holding the graph of ``location`` (a build folder or a graph
    file), loaded with ``oxigraph load`` unless it already holds this very file."""
    from kg.graph.store import graph_file

    source = graph_file(location)
    base = Path(store) if store is not None else \
        (source.parent if Path(location).is_file() else Path(location)) / STORE_DIR
    db, stamp = base / "db", base / _SOURCE
    signature = _signature(source)
    if not reload and db.is_dir() and stamp.is_file():
        try:
            if json.loads(stamp.read_text("utf-8")) == signature:
                return db
        except ValueError:
            pass
    base.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    fresh = base / f"db.loading-{os.getpid()}"
    shutil.rmtree(fresh, ignore_errors=True)
    command = [oxigraph_binary(), "load", "--location", str(fresh), "--file", str(source)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        message = (done.stderr or done.stdout).strip().splitlines()
        raise ServeError(f"oxigraph load {source}: {message[-1] if message else done.returncode}")
    if db.exists():
        shutil.rmtree(db)
    os.replace(fresh, db)
    stamp.write_text(json.dumps(signature) + "\n", encoding="utf-8")
    return db


def start_server(db: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 writable: bool = False, union: bool = True, **popen: object
                 ) -> subprocess.Popen:
    """Start ``oxigraph serve-read-only`` (or ``serve`` when writable) on ``db``."""
    command = [oxigraph_binary(), "serve" if writable else "serve-read-only",
               "--location", str(db), "--bind", f"{_host(host)}:{port}"]
    if union:
        command.append("--union-default-graph")
    return subprocess.Popen(command, **popen)  # type: ignore[call-overload]


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def base_url(host: str, port: int) -> str:
    return f"http://{_host(host)}:{port}"


def wait_until_up(url: str, process: subprocess.Popen | None = None,
                  timeout: float = START_TIMEOUT) -> None:
    """Wait until ``url``/query answers a query; raise if the process ends or time is
    up."""
    deadline = time.monotonic() + timeout
    probe = f"{url}/query?" + urllib.parse.urlencode({"query": "ASK {}"})
    while True:
        if process is not None and process.poll() is not None:
            raise ServeError(f"oxigraph stopped with status {process.returncode}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            raise ServeError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.1)


def stop(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """Stop a server started here: terminate, then kill if it does not end."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout)


def port_in_use(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host.strip("[]"), port)) == 0


def serve(location: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          writable: bool = False, store: str | Path | None = None, reload: bool = False,
          echo: Callable[[str], None] | None = None) -> int:
    """Load and serve until interrupted (Ctrl-C or SIGTERM); returns the server's exit
    status (0 when stopped here)."""
    echo = echo or (lambda line: print(line, flush=True))
    if port_in_use(host, port):
        raise ServeError(f"{host}:{port} is already in use (choose another with --port)")
    db = prepare_store(location, store, reload)
    if writable:  # changes go into the store: reload it from the graph next time
        (db.parent / _SOURCE).unlink(missing_ok=True)
    process = start_server(db, host, port, writable)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, _interrupt)
    except ValueError:  # not the main thread: leave SIGTERM alone
        previous = None
    try:
        url = base_url(host, port)
        wait_until_up(url, process)
        mode = "read-write" if writable else "read-only"
        echo(f"kg: SPARQL endpoint ({mode}) at {url}/query — query editor at {url}/")
        if writable:
            echo(f"kg: SPARQL update at {url}/update, Graph Store Protocol at {url}/store")
        if host not in ("127.0.0.1", "localhost", "::1"):
            echo(f"kg: warning: listening on {host}, not only on this machine")
        echo("kg: press Ctrl-C to stop")
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop(process)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "ServeError", "base_url", "oxigraph_binary",
           "port_in_use", "prepare_store", "serve", "sparql_prefixes", "start_server",
           "stop", "wait_until_up"]
