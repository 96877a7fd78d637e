"""HTTP throughput of `mda serve`: 50 clients without think time (keep-alive connections, asyncio
in the bench process) against one server process and then against two, on the same database.
Each client asks in turn for the inbox, the case list and one case of Utrecht's coordinator."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.stats import p95
from config.settings import PROJECT_ROOT
from engine import accounts

MDA = PROJECT_ROOT / ".venv" / "bin" / "mda"
CLIENTS = 50
WARMUP_S = 2.0
MEASURE_S = 10.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _supports_processes() -> bool:
    out = subprocess.run([str(MDA), "serve", "--help"], capture_output=True, text=True, check=False)
    return "--processes" in out.stdout


async def _client(
    port: int, token: str, paths: list[str], stop_at: float, record_from: float, out: dict[str, Any]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    n = 0
    try:
        while time.perf_counter() < stop_at:
            path = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
            )
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
            await reader.readexactly(length)
            ended = time.perf_counter()
            if started >= record_from:
                out["latencies"].append((ended - started) * 1000)
                if not status_line.startswith(b"HTTP/1.1 200"):
                    out["errors"] += 1
    except (ConnectionError, asyncio.IncompleteReadError, ValueError):
        out["errors"] += 1
    finally:
        writer.close()


async def _load(port: int, token: str, paths: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"latencies": [], "errors": 0}
    start = time.perf_counter()
    record_from, stop_at = start + WARMUP_S, start + WARMUP_S + MEASURE_S
    await asyncio.gather(*(_client(port, token, paths, stop_at, record_from, out) for _ in range(CLIENTS)))
    return out


def _serve(env: dict[str, str], processes: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    args = [str(MDA), "serve", "--port", str(port)]
    if _supports_processes():
        args += ["--processes", str(processes)]
    elif processes > 1:
        raise RuntimeError("mda serve runs a single process")
    with log.open("wb") as out:
        server = subprocess.Popen(args, env=env, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:  # wait for the port to accept
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    time.sleep(1.0 * processes)  # every worker up
    return server, port


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server as an operator would (SIGTERM: a graceful stop); kill it if it lingers, so
    a slow stop never loses the figures just measured."""
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)


def measure(rt: Any, env: dict[str, str], case_id: int, tmp: Path) -> dict[str, Any]:
    token = accounts.create_token(rt, "utrecht.coordinator", "bench")
    paths = ["/api/v1/tasks?limit=20", "/api/v1/cases?limit=20", f"/api/v1/cases/{case_id}"]
    out: dict[str, Any] = {}
    for processes in (1, 2):
        key = f"{processes}proc"
        try:
            server, port = _serve(env, processes, tmp / f"serve-{key}.log")
        except RuntimeError as error:
            out[f"http_req_per_s_{key}"] = None
            out[f"http_note_{key}"] = str(error)
            continue
        try:
            result = asyncio.run(_load(port, token, paths))
        finally:
            _stop(server)
        latencies = result["latencies"]
        out[f"http_req_per_s_{key}"] = round(len(latencies) / MEASURE_S, 1)
        out[f"http_p95_ms_{key}"] = p95(latencies) if latencies else None
        out[f"http_errors_{key}"] = result["errors"]
    best = "2proc" if out.get("http_req_per_s_2proc") else "1proc"
    out["http_p95_ms"] = out.get(f"http_p95_ms_{best}")
    out["http_errors"] = sum(v for k, v in out.items() if k.startswith("http_errors_"))
    if out.get("http_req_per_s_2proc"):
        out["http_scaling_2proc_vs_1proc"] = round(
            out["http_req_per_s_2proc"] / out["http_req_per_s_1proc"], 2
        )
    return out
