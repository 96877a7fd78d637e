"""HTTP throughput of `mda serve`: 50 clients without think time (keep-alive connections, asyncio
in the bench process) against a server of one process and a server of two, on the same database.
Both servers run side by side and take the load in turn, in short windows round after round, so a
slower spell of a shared machine falls on both alike; the scaling is the median of each round's
ratio. Each client asks in turn for the inbox, the case list and one case of Utrecht's
coordinator. The servers' start-up catch-up (the escalation sweep over freshly filled cases) is
done before, and beside requests per second the CPU time per request of the server, of
PostgreSQL's backends for this database, of the clients and of the whole machine (all cores, all
processes) is noted (see `_settle`, `_load`, `_DatabaseWork`)."""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from bench.stats import p95
from config.settings import PROJECT_ROOT
from engine import accounts, timers
from engine.monitoring.escalation import run_escalations

MDA = PROJECT_ROOT / ".venv" / "bin" / "mda"
CLIENTS = 50
ROUNDS = 3  # windows per server, taken in turn
WARMUP_S = 1.0  # of each window, not counted
MEASURE_S = 5.0


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


def _stat_fields(stat: Path) -> list[str] | None:
    """The fields of a /proc/<pid>/stat after the command name (None when the process is gone)."""
    try:
        return stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children, from /proc (0 where there is none)."""
    total = 0
    for entry in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat_fields(entry)
        if fields and (entry.parent.name == str(pid) or fields[1] == str(pid)):  # [1]: parent's pid
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _machine_busy_seconds() -> float:
    """CPU time the whole machine spent on anything but idling, over all cores (/proc/stat):
    beside the parts measured by process, what went to the kernel's own threads and interrupts,
    PostgreSQL's background processes, and whatever else runs on the machine."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle, iowait = fields[3], fields[4]
    return (sum(fields[:8]) - idle - iowait) / os.sysconf("SC_CLK_TCK")  # up to steal, no guests


class _DatabaseWork:
    """What PostgreSQL did for this database over a window: the CPU time of the backends serving
    its clients (from /proc, so only on this machine; not autovacuum nor the server's background
    processes; a backend that ended within the window is missed, hence the count of sessions
    opened beside it), transactions (a statement in autocommit is one) and sessions opened
    (pg_stat_database, which backends report with up to a second's delay)."""

    def __init__(self, db: Engine) -> None:
        self.db = db

    def sample(self) -> dict[str, Any]:
        with self.db.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            pids = connection.scalars(
                text(
                    "SELECT pid FROM pg_stat_activity"
                    " WHERE datname = current_database() AND backend_type = 'client backend'"
                )
            ).all()
            counts = connection.execute(
                text(
                    "SELECT xact_commit + xact_rollback, sessions FROM pg_stat_database"
                    " WHERE datname = current_database()"
                )
            ).one()
        cpu = {}
        for pid in pids:
            fields = _stat_fields(Path(f"/proc/{pid}/stat"))
            if fields:
                cpu[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return {"cpu": cpu, "transactions": counts[0], "sessions": counts[1]}

    @staticmethod
    def between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, float]:
        cpu = sum(seconds - before["cpu"].get(pid, 0.0) for pid, seconds in after["cpu"].items())
        return {
            "db_cpu_s": cpu,
            "db_transactions": after["transactions"] - before["transactions"],
            "db_sessions": after["sessions"] - before["sessions"],
        }


async def _cpu_while_recording(
    server_pid: int, database: _DatabaseWork | None, record_from: float, stop_at: float, out: dict[str, Any]
) -> None:
    """The server's, the database's and this client's CPU time over the recorded window: per
    request, figures the other work on a shared machine disturbs far less than requests per second."""
    await asyncio.sleep(max(0.0, record_from - time.perf_counter()))
    db_before = await asyncio.to_thread(database.sample) if database else None
    server, client, machine = _cpu_seconds(server_pid), time.process_time(), _machine_busy_seconds()
    await asyncio.sleep(max(0.0, stop_at - time.perf_counter()))
    out["server_cpu_s"] = _cpu_seconds(server_pid) - server
    out["client_cpu_s"] = time.process_time() - client
    out["machine_cpu_s"] = _machine_busy_seconds() - machine
    if database and db_before:
        out.update(_DatabaseWork.between(db_before, await asyncio.to_thread(database.sample)))


async def _load(port: int, token: str, paths: list[str], server_pid: int, db: Engine) -> dict[str, Any]:
    out: dict[str, Any] = {"latencies": [], "errors": 0}
    start = time.perf_counter()
    record_from, stop_at = start + WARMUP_S, start + WARMUP_S + MEASURE_S
    database = _DatabaseWork(db) if db.dialect.name == "postgresql" else None
    await asyncio.gather(
        _cpu_while_recording(server_pid, database, record_from, stop_at, out),
        *(_client(port, token, paths, stop_at, record_from, out) for _ in range(CLIENTS)),
    )
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


def _settle(rt: Any) -> dict[str, Any]:
    """Each server process starts its schedule with the sweeps. On a freshly bulk-filled database
    the escalation sweep first opens an escalation for every stuck case (about 1,800 here: 20 s of
    CPU and 40,000 statements), which would run inside the measured window and hold up the graceful
    stop. Done here first, so the figures are those of serving, not of a one-off catch-up."""
    started = time.perf_counter()
    escalations = run_escalations(rt)
    timers.run_due(rt)
    return {
        "http_settled_escalations": escalations.opened,
        "http_settle_s": round(time.perf_counter() - started, 1),
    }


def measure(rt: Any, env: dict[str, str], case_id: int, tmp: Path) -> dict[str, Any]:
    token = accounts.create_token(rt, "utrecht.coordinator", "bench")
    paths = ["/api/v1/tasks?limit=20", "/api/v1/cases?limit=20", f"/api/v1/cases/{case_id}"]
    out: dict[str, Any] = _settle(rt)
    servers: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    windows: dict[str, list[dict[str, Any]]] = {}
    try:
        for processes in (1, 2):
            key = f"{processes}proc"
            try:
                servers[key] = _serve(env, processes, tmp / f"serve-{key}.log")
            except RuntimeError as error:
                out[f"http_req_per_s_{key}"] = None
                out[f"http_note_{key}"] = str(error)
        out["http_loadavg"] = round(os.getloadavg()[0], 2)  # others' work on the machine
        for _ in range(ROUNDS):
            for key, (server, port) in servers.items():
                windows.setdefault(key, []).append(asyncio.run(_load(port, token, paths, server.pid, rt.db)))
    finally:
        for server, _ in servers.values():
            _stop(server)
    for key, results in windows.items():
        out.update(_figures(key, results))
    best = "2proc" if out.get("http_req_per_s_2proc") else "1proc"
    out["http_p95_ms"] = out.get(f"http_p95_ms_{best}")
    out["http_errors"] = sum(v for k, v in out.items() if k.startswith("http_errors_"))
    if out.get("http_req_per_s_2proc"):
        ratios = [
            len(two["latencies"]) / len(one["latencies"])
            for one, two in zip(windows["1proc"], windows["2proc"], strict=True)
            if one["latencies"]
        ]
        out["http_scaling_2proc_vs_1proc"] = round(statistics.median(ratios), 2)
        out["http_scaling_per_round"] = [round(ratio, 2) for ratio in ratios]
        out.update(_machine_limits(out))
    return out


def _machine_limits(out: dict[str, Any]) -> dict[str, Any]:
    """How busy the machine was with two server processes, and the best scaling it allows: with
    the database and the clients on the same cores, two processes can at most do `cores / machine
    CPU per request` requests a second, and one process at least `1 / its own CPU per request`."""
    server_1proc = out.get("http_server_cpu_ms_per_req_1proc")
    machine_2proc = out.get("http_machine_cpu_ms_per_req_2proc")
    if not server_1proc or not machine_2proc:
        return {}
    cores = os.cpu_count() or 1
    return {
        "http_machine_busy_2proc": round(out["http_req_per_s_2proc"] * machine_2proc / 1000 / cores, 2),
        "http_scaling_ceiling": round(cores * server_1proc / machine_2proc, 2),
    }


def _figures(key: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    """Requests per second (the median window), p95 and errors over all windows, and CPU time per
    request over all windows together."""
    latencies = [latency for result in results for latency in result["latencies"]]
    requests = len(latencies)
    per_window = [len(result["latencies"]) for result in results]
    out: dict[str, Any] = {
        f"http_req_per_s_{key}": round(statistics.median(per_window) / MEASURE_S, 1),
        f"http_p95_ms_{key}": p95(latencies) if latencies else None,
        f"http_errors_{key}": sum(result["errors"] for result in results),
    }
    if not requests:
        return out
    for side in ("server", "db", "client", "machine"):
        if f"{side}_cpu_s" in results[0]:
            seconds = sum(result[f"{side}_cpu_s"] for result in results)
            out[f"http_{side}_cpu_ms_per_req_{key}"] = round(1000 * seconds / requests, 2)
    if "db_transactions" in results[0]:
        transactions = sum(result["db_transactions"] for result in results)
        out[f"http_db_transactions_per_req_{key}"] = round(transactions / requests, 2)
        out[f"http_db_sessions_opened_{key}"] = sum(result["db_sessions"] for result in results)
    return out
