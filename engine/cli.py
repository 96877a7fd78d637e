"""The `mda` command line (CONTRACT §2): thin calls into the engine, one-line errors, exit codes.
The web layer adds `serve` (web/cli.py), so the engine never imports Flask."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from config.settings import REGIONS, ROLES, Settings, from_env
from engine import accounts, clock_control, model_files, process_models, timers
from engine.demo import create_demo_cases
from engine.errors import MdaError
from engine.monitoring import notifications
from engine.monitoring.escalation import run_escalations
from engine.runtime import SYSTEM, Runtime, build_runtime
from engine.setup import prepare_database
from engine.sweep_schedule import SweepSchedule
from forms.validation import FormDefinitionInvalid

Command = Callable[[Runtime, argparse.Namespace], int]
ExtraCommand = tuple[Callable[[argparse.ArgumentParser], None], Command]


def init(rt: Runtime, args: argparse.Namespace) -> int:
    if args.demo and rt.settings.is_production:
        raise MdaError("Demodata worden niet geladen in productie (MDA_ENV=production).")
    seeded = prepare_database(rt, demo=args.demo)
    print(f"schema bijgewerkt; {sum(seeded.published.values())} modelversie(s) gepubliceerd")
    for difference in seeded.differences:
        print(f"let op: {difference}")
    if args.demo:
        rt = build_runtime(rt.settings)  # demo mode switches an 'auto' clock to simulated
        cases = create_demo_cases(rt)
        print(f"demo: gebruikers <regio>.<rol> (wachtwoord 'demo'), {cases} zaak/zaken aangemaakt")
    return 0


def run_due(rt: Runtime, args: argparse.Namespace) -> int:
    result = timers.run_due(rt)
    print(
        f"{result.cases_advanced} zaak/zaken bijgewerkt, {result.conflicts} conflict(en), "
        f"{len(result.errors)} fout(en)"
    )
    escalations = run_escalations(rt)  # coordinator monitoring: the escalation ladder and its mail
    print(
        f"escalaties: {escalations.opened} geopend, {escalations.steps} stap(pen), "
        f"{escalations.resolved} opgelost, {escalations.mails_sent} e-mail(s) verstuurd"
    )
    return 1 if result.errors or escalations.errors else 0


def worker(rt: Runtime, args: argparse.Namespace) -> int:
    schedule = start_scheduler(rt)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    every = rt.settings.sweep_seconds
    print(f"worker gestart: timers op hun moment, elke {every:g} s een blik op de eerstvolgende", flush=True)
    stop.wait()
    schedule.shutdown(wait=True)
    return 0


class _RoutineAtDebug(logging.Filter):
    """APScheduler reports every run of every job at INFO ("Running job run_due ...", every five
    seconds): routine, so DEBUG. The logs say what happened to cases (engine.timers), not that
    nothing happened."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO:
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


def quiet_scheduler_logs() -> None:
    for name in ("apscheduler.executors.default", "apscheduler.scheduler"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _RoutineAtDebug) for f in logger.filters):
            logger.addFilter(_RoutineAtDebug())


def start_scheduler(rt: Runtime) -> SweepSchedule:
    """The timer sweep's schedule (engine.sweep_schedule): now, at each next due moment, when an
    earlier timer is announced, and a regular look; `shutdown()` stops it."""
    quiet_scheduler_logs()
    return SweepSchedule(rt).start()


def clock(rt: Runtime, args: argparse.Namespace) -> int:
    if args.clock_command == "show":
        print(rt.clock.now().isoformat())
        return 0
    # The same path as POST /api/v1/clock: audited, bounded, and the timers that came due fire.
    value = {"advance": args.value} if args.clock_command == "advance" else {"moment": args.value}
    state = clock_control.move(rt, SYSTEM, **value)
    print(state.now.isoformat())
    return 0


def models(rt: Runtime, args: argparse.Namespace) -> int:
    if args.models_command == "validate":
        checked = model_files.validate_file(rt, Path(args.file), args.region)
        print(f"geldig: {checked.kind} {checked.process_id} ({checked.name})")
        return 0
    if args.models_command == "publish":
        path = Path(args.file)
        text = _read(path)
        draft = process_models.add_draft(rt, SYSTEM, args.region, text, path.name)
        version = process_models.publish(rt, SYSTEM, args.region, draft.id)
        print(f"gepubliceerd: {version.region} {version.process_id} versie {version.version}")
        return 0
    if args.models_command == "export":
        written = model_files.export_region(rt, args.region, Path(args.directory))
        for path in written:
            print(path)
        print(f"{len(written)} model(len) van {args.region} geschreven naar {args.directory}")
        return 0
    with rt.uow() as uow:
        for region in [args.region] if args.region else list(REGIONS):
            for v in process_models.list_versions(uow.session, region):
                print(f"{v.region}\t{v.process_id}\tv{v.version}\t{v.status}\t{v.kind}\t{v.file_name}")
    return 0


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise MdaError(f"kan {path} niet lezen: {error}") from error


def users(rt: Runtime, args: argparse.Namespace) -> int:
    if args.users_command == "add":
        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
        info = accounts.add_user(
            rt, args.username, role=args.role, region=args.region, organisation=args.org, password=password
        )
        print(f"{info.username}: " + ", ".join(f"{r}/{o}" for r, o in info.roles))
    elif args.users_command == "email":  # coordinator monitoring: where notifications are mailed
        notifications.set_email(rt, args.username, args.address or None)
        print(f"{args.username}: meldingen per e-mail naar {args.address}" if args.address else
              f"{args.username}: meldingen alleen in de app")  # fmt: skip
    elif args.users_command == "token":
        print(accounts.create_token(rt, args.username, args.label or ""))
    elif args.users_command == "set-password":
        accounts.set_password(rt, args.username, sys.stdin.readline().rstrip("\n"))
        print(f"{args.username}: nieuw wachtwoord; alle sessies beëindigd")
    elif args.users_command in ("deactivate", "activate"):
        accounts.set_active(rt, args.username, is_active=args.users_command == "activate")
        print(f"{args.username}: " + ("actief" if args.users_command == "activate" else "gedeactiveerd"))
    else:
        print(f"{accounts.revoke_tokens(rt, args.username)} token(s) ingetrokken; alle sessies beëindigd")
    return 0


def build_parser(extra: dict[str, ExtraCommand]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mda", description="MDA++ Flow")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("init", help="schema bijwerken en modellen laden")
    p.add_argument("--demo", action="store_true", help="ook demogebruikers en demozaken")
    p.set_defaults(handler=init)
    sub.add_parser("worker", help="alleen de planner: timers en escalaties").set_defaults(handler=worker)
    p = sub.add_parser("timers", help="timers")
    p.add_subparsers(dest="timers_command", required=True).add_parser("run-due").set_defaults(handler=run_due)
    p = sub.add_parser("clock", help="de gesimuleerde klok")
    clock_sub = p.add_subparsers(dest="clock_command", required=True)
    clock_sub.add_parser("show").set_defaults(handler=clock)
    clock_sub.add_parser("advance").add_argument("value", metavar="DURATION")
    clock_sub.add_parser("set").add_argument("value", metavar="ISO")
    for name in ("advance", "set"):
        clock_sub.choices[name].set_defaults(handler=clock)
    p = sub.add_parser("models", help="procesmodellen")
    models_sub = p.add_subparsers(dest="models_command", required=True)
    q = models_sub.add_parser("list")
    q.add_argument("--region")
    q = models_sub.add_parser("validate")
    q.add_argument("file")
    q.add_argument("--region")
    q = models_sub.add_parser("publish")
    q.add_argument("region")
    q.add_argument("file")
    q = models_sub.add_parser("export", help="de gepubliceerde modellen van een regio naar bestanden")
    q.add_argument("region")
    q.add_argument("directory")
    for q in models_sub.choices.values():
        q.set_defaults(handler=models)
    p = sub.add_parser("users", help="accounts")
    users_sub = p.add_subparsers(dest="users_command", required=True)
    q = users_sub.add_parser("add")
    q.add_argument("username")
    q.add_argument("--role", required=True, choices=ROLES)
    q.add_argument("--region", required=True)
    q.add_argument("--org")
    q.add_argument("--password-stdin", action="store_true", help="lees het wachtwoord van stdin")
    q = users_sub.add_parser("token")
    q.add_argument("username")
    q.add_argument("--label")
    q = users_sub.add_parser("email", help="e-mailadres voor meldingen (leeg: alleen in de app)")
    q.add_argument("username")
    q.add_argument("address", nargs="?", default="")
    for name, text in (
        ("revoke-tokens", "tokens intrekken en sessies beëindigen"),
        ("set-password", "nieuw wachtwoord (van stdin); sessies eindigen"),
        ("deactivate", "account uitzetten; sessies eindigen"),
        ("activate", "account weer aanzetten"),
    ):
        users_sub.add_parser(name, help=text).add_argument("username")
    for q in users_sub.choices.values():
        q.set_defaults(handler=users)
    for name, (configure, handler) in extra.items():
        q = sub.add_parser(name)
        configure(q)
        q.set_defaults(handler=handler)
    return parser


def main(argv: Sequence[str] | None = None, extra: dict[str, ExtraCommand] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("spiff").setLevel(logging.WARNING)  # it logs every task state change
    args = build_parser(extra or {}).parse_args(argv)
    try:
        settings: Settings = from_env()
        rt = build_runtime(settings)
        return int(args.handler(rt, args))
    except MdaError as error:
        print(f"mda: fout: {error.message}", file=sys.stderr)
        for problem in error.details if isinstance(error.details, list) else []:
            print(f"  - {problem.get('element_id') or '-'}: {problem.get('message')}", file=sys.stderr)
        return 2
    except (FormDefinitionInvalid, ValueError) as error:
        print(f"mda: fout: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
