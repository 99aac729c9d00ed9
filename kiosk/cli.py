"""The `kiosk` command: import, search and demo data from the shell; the UI commands join later."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson

from kiosk import __version__, sealing_key
from kiosk.config import ConfigError, Settings, load_settings
from kiosk.domain import Offer, WorkingTime
from kiosk.formats import FormatError, pages, parse_payload
from kiosk.formats.common import Rejection
from kiosk.geo import Point, parse_point
from kiosk.logs import setup_logging
from kiosk.offline.bulk import PoolFactory, import_bytes, parser_pool
from kiosk.offline.db import StorageError, open_offers_database, verify_offers_database
from kiosk.offline.offers import ImportReport, OfferStore
from kiosk.offline.outbox import Outbox, open_outbox_database
from kiosk.offline.search import Order, Searcher, SearchPage, SearchQuery
from kiosk.release.cli import register as register_release_commands
from kiosk.status import describe_terminal
from kiosk.sync import enrolment, pushed

log = logging.getLogger("kiosk")

DEMO_SOURCE = "demo"


class UsageError(Exception):
    """A command was given something it cannot use; the message says what."""


def open_store(settings: Settings, origin: Point | None = None) -> OfferStore:
    """The offers cache of this terminal, with distances from `origin` (default: the terminal)."""
    engine = open_offers_database(settings.offers_db)
    store = OfferStore(engine, origin or settings.config.origin)
    store.ensure_origin()
    return store


def _print_json(value: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


# -- import -------------------------------------------------------------------------------------


def _import_page(
    store: OfferStore, data: bytes, name: str, source: str | None, notes: list[str]
) -> ImportReport:
    """An HTML page's JSON-LD postings, or JSON that needed repairs (kiosk.formats.pages)."""
    page = pages.read_page(data, name)
    records = list(pages.parse_page(page, source))
    notes.extend(f"{name}: {note}" for note in page.notes)
    notes.extend(
        f"{name}: {record.external_id}: {note}"
        for record in records
        if isinstance(record, Offer)
        for note in record.notes
    )
    return store.import_records(records, source=source)


def import_files(
    store: OfferStore,
    paths: Sequence[Path],
    source: str | None,
    pool: PoolFactory | None = None,
    notes: list[str] | None = None,
) -> ImportReport:
    """Import each file; a file that cannot be read is reported as a rejection and skipped.
    `pool` starts worker processes to parse large files (kiosk.offline.bulk); what was
    repaired or skipped without refusing a record is added to `notes`."""
    notes = [] if notes is None else notes
    total = ImportReport()
    for path in paths:
        try:
            data = path.read_bytes()
            if pages.wanted(data):
                report = _import_page(store, data, path.name, source, notes)
            else:
                try:
                    report = import_bytes(store, data, source, pool=pool)
                except orjson.JSONDecodeError:  # trailing commas and the like: repaired or refused
                    report = _import_page(store, data, path.name, source, notes)
        except OSError as exc:
            total.rejected.append(Rejection(None, f"{path}: cannot read: {exc.strerror}"))
            continue
        except orjson.JSONDecodeError as exc:
            total.rejected.append(Rejection(None, f"{path}: not valid JSON: {exc}"))
            continue
        except FormatError as exc:
            total.rejected.append(Rejection(None, f"{path}: {exc}"))
            continue
        total.inserted += report.inserted
        total.updated += report.updated
        total.unchanged += report.unchanged
        total.withdrawn += report.withdrawn
        total.rejected.extend(report.rejected)
    return total


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk import FILE... [--source NAME] [--json]"""
    store = open_store(settings)
    notes: list[str] = []
    report = import_files(store, args.files, args.source, pool=parser_pool, notes=notes)
    if args.json:
        _print_json({**report.as_json(), "notes": notes})
    else:
        print(report.summary())
        for rejection in report.rejected:
            print(f"  rejected {rejection.external_id or '(no id)'}: {rejection.reason}")
        for note in notes:
            print(f"  note: {note}")
    return 0


# -- search -------------------------------------------------------------------------------------


def _result_json(page: SearchPage) -> dict[str, Any]:
    return {
        "total": page.total,
        "results": [
            {
                "source": r.source,
                "id": r.external_id,
                "title": r.title,
                "trade": r.trade,
                "company": r.company,
                "place": r.place_label,
                "distance_km": r.distance_km,
                "contract": r.contract_label,
                "contract_code": r.contract_code,
                "working_time": r.working_time,
                "apprenticeship": r.apprenticeship,
                "accessible_disabled": r.accessible_disabled,
                "posted_at": r.posted_at.isoformat(),
            }
            for r in page.results
        ],
        "facets": {
            "contracts": page.facets.contracts,
            "working_time": page.facets.working_time,
            "apprenticeship": page.facets.apprenticeship,
            "within_km": {str(k): v for k, v in page.facets.within_km.items()},
            "posted_within_days": {str(k): v for k, v in page.facets.posted_within_days.items()},
            "accessible": page.facets.accessible,
        },
    }


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk search [TEXT] [--near LAT,LON] [--max-km N] [--contract CODE]... [--json]"""
    store = open_store(settings, args.near)
    searcher = Searcher(store.engine)
    try:
        page = searcher.search(
            SearchQuery(
                text=" ".join(args.text),
                contracts=frozenset(code.upper() for code in args.contract),
                working_time=args.working_time,
                apprenticeship=args.apprenticeship,
                max_km=args.max_km,
                posted_within_days=args.within_days,
                accessible_only=args.accessible,
                order=args.order,
                offset=args.offset,
                limit=args.limit,
            )
        )
    finally:
        searcher.close()
    if args.json:
        _print_json(_result_json(page))
        return 0
    print(f"{page.total} offers")
    for r in page.results:
        distance = f"{r.distance_km:.1f} km" if r.distance_km is not None else "—"
        company = r.company or "Entreprise non communiquée"
        print(f"{distance:>9}  {r.contract_label:<16} {r.title} — {company}, {r.place_label}")
    return 0


# -- status -------------------------------------------------------------------------------------


def terminal_status(settings: Settings) -> dict[str, Any]:
    """What an operator wants to know about this terminal, without personal data."""
    return describe_terminal(settings, open_store(settings), _outbox(settings))


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk status [--json]"""
    status = terminal_status(settings)
    if args.json:
        _print_json(status)
    else:
        for key, value in status.items():
            if key != "alerts":
                print(f"{key.replace('_', ' '):>20}: {value}")
        for alert in status["alerts"]:
            print(f"{'ALERT':>20}: {alert}")
    return 1 if status["alerts"] else 0


# -- check --------------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk check: read every page of the offers cache; a damaged cache is rebuilt at start."""
    path = settings.offers_db
    if not path.exists():
        print(f"{path}: no offers cache yet")
        return 0
    problem = verify_offers_database(path)
    if problem is None:
        print(f"{path}: ok")
        return 0
    print(f"{path}: damaged ({problem}); it will be moved aside and rebuilt at the next start")
    return 1


# -- demo data ----------------------------------------------------------------------------------


def cmd_demo_data(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk demo-data --offers N [--near LAT,LON] [--out FILE]"""
    from kiosk import demo  # noqa: PLC0415 (only this command needs the generator)

    near = args.near or settings.config.origin
    seed = demo.DEFAULT_SEED if args.seed is None else args.seed
    if args.out:
        count = demo.write_demo_file(args.out, args.offers, near, seed=seed)
        print(f"wrote {count} synthetic offers to {args.out}")
        return 0
    report = load_demo(open_store(settings), args.offers, near, seed)
    print(f"{demo.DEMO_NOTICE} {report.summary()}")
    return 0 if not report.rejected else 1


def load_demo(store: OfferStore, count: int, near: Point, seed: int | None = None) -> ImportReport:
    """Generate `count` synthetic offers around `near` and import them through the real path,
    replacing the demo offers already there (the demo source is refreshed in full)."""
    from kiosk import demo  # noqa: PLC0415 (only the demo needs the generator)

    records = demo.generate_offers(count, near, seed=demo.DEFAULT_SEED if seed is None else seed)
    return store.import_records(
        parse_payload({"resultats": records}, DEMO_SOURCE, cards=True), full_refresh=True
    )


def seed_demo_if_empty(store: OfferStore, settings: Settings, count: int = 2000) -> int:
    """Load the synthetic demo offers when the cache is empty (first start of a demo terminal),
    and the demo's services corner and firms when no hub ever sent them; how many offers were
    loaded."""
    from kiosk.offline.firms import FirmsCache  # noqa: PLC0415
    from kiosk.offline.services import ServicesCache  # noqa: PLC0415

    ServicesCache(store.engine).seed_demo()
    FirmsCache(store.engine, store.origin).seed_demo()
    if store.count():
        return 0
    report = load_demo(store, count, settings.config.origin)
    log.info("offers cache was empty: loaded %d synthetic demo offers", report.inserted)
    return report.inserted


# -- the kiosk window (kiosk.ui is imported only by these commands) ---------------------------


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from exc
    if not (200 <= width <= 10000 and 200 <= height <= 10000):
        raise argparse.ArgumentTypeError(f"size out of range: {text}")
    return width, height


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk run [--windowed] [--size WxH]"""
    from kiosk.ui.app import run_kiosk  # noqa: PLC0415

    return run_kiosk(settings, windowed=args.windowed, size=args.size)


def cmd_selftest(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk --selftest: the window renders, and applications can be taken and delivered."""
    from kiosk.ui.app import selftest  # noqa: PLC0415

    rendered = selftest(settings)
    problem = sealing_key.resolve(settings).current_problem()
    if problem is not None:
        print(f"kiosk: selftest: applications are refused: {problem}", file=sys.stderr)
        return 1
    return rendered


def cmd_screenshot(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk screenshot SCREEN --out FILE.png [--lang fr|en|ar] [--size WxH] [--offer ID]
    [--keyboard] [--high-contrast] [--large-text] [--audio-focus NAME]"""
    from kiosk.ui.app import take_screenshot  # noqa: PLC0415

    take_screenshot(
        settings,
        args.screen,
        args.out,
        lang=args.lang,
        size=args.size,
        offer_id=args.offer,
        offline_hours=args.offline_hours,
        keyboard=args.keyboard,
        high_contrast=args.high_contrast,
        large_text=args.large_text,
        audio_focus=args.audio_focus,
    )
    print(f"wrote {args.out}")
    return 0


# -- sync ---------------------------------------------------------------------------------------


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk sync [--once]: deliver queued applications, pull the offers, send a heartbeat;
    without --once, again every `[hub] heartbeat_s` until stopped (SIGTERM, Ctrl-C)."""
    import signal  # noqa: PLC0415 (only this command needs these)
    import threading  # noqa: PLC0415

    from kiosk.sync.engine import SyncLoop  # noqa: PLC0415
    from kiosk.sync.runner import SyncBusyError, SyncLock, build_engine  # noqa: PLC0415

    outbox = Outbox(
        open_outbox_database(settings.outbox_db),
        backlog_limit=settings.config.outbox.backlog_limit,
    )
    engine = build_engine(settings, open_store(settings), outbox)
    if engine.client is None:
        raise UsageError("no hub is configured: set [hub] url and token in the configuration")
    try:
        with SyncLock(settings.data_dir):
            if args.once:
                report = engine.run_once()
                print(report.summary())
                unauthorised = report.unauthorised
            else:
                loop = SyncLoop(engine, settings.config.hub.heartbeat_s)
                for number in (signal.SIGTERM, signal.SIGINT):
                    signal.signal(number, lambda *_: loop.stop())
                worker = threading.Thread(target=loop.run, name="sync")
                worker.start()
                while worker.is_alive():  # the main thread stays free for the signals
                    worker.join(0.5)
                unauthorised = loop.status().unauthorised
    except SyncBusyError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        engine.close()
    if unauthorised:
        print("kiosk: the hub refused this terminal's token: re-enrol it", file=sys.stderr)
        return 1
    return 0


def _outbox(settings: Settings) -> Outbox:
    return Outbox(
        open_outbox_database(settings.outbox_db),
        backlog_limit=settings.config.outbox.backlog_limit,
    )


def cmd_enrol(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk enrol URL CODE [--demo-applications deliver|discard]: enrol this terminal with a
    hub (the code an operator gave); what a demo terminal took is never stranded."""
    outbox = _outbox(settings)
    try:
        path = enrolment.enrol(
            settings,
            args.url,
            args.code,
            outbox=outbox,
            demo_applications=args.demo_applications,
        )
    except enrolment.EnrolmentError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        outbox.engine.dispose()
    print(f"enrolled with {args.url} as {settings.config.terminal.id}; credential in {path}")
    if settings.config.hub.token:
        print("note: [hub] token in the configuration file wins over this enrolment")
    return 0


def cmd_outbox_salvage(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk outbox salvage FILE: queue again what can be read of a damaged outbox file."""
    from kiosk.offline.outbox import salvage  # noqa: PLC0415

    damaged: Path = args.file
    if not damaged.is_file():
        raise UsageError(f"{damaged}: no such file")
    if damaged.resolve() == settings.outbox_db.resolve():
        raise UsageError(f"{damaged} is the outbox in use: salvage a file moved aside from it")
    outbox = _outbox(settings)
    try:
        report = salvage(outbox, damaged)
    finally:
        outbox.engine.dispose()
    print(report.summary())
    if report.added:
        print("they leave at the next sync (the running kiosk, or `kiosk sync --once`)")
    return 1 if report.problem is not None else 0


def cmd_outbox_demo(args: argparse.Namespace, settings: Settings) -> int:
    """kiosk outbox demo-applications deliver|discard: what becomes of the applications an
    enrolled terminal took while it was a demo (sealed to the demo key)."""
    sealing = sealing_key.resolve(settings)
    if settings.demo or sealing.key is None:
        raise UsageError(
            "this terminal has no hub key to seal them to: enrol it first "
            f"(kiosk enrol URL CODE --demo-applications {args.choice})"
        )
    outbox = _outbox(settings)
    try:
        count = enrolment.hand_over_demo_applications(
            outbox, settings.data_dir, sealing.key, args.choice
        )
        if not enrolment.demo_sealed(outbox, settings.data_dir):
            sealing_key.retire_demo_key(settings.data_dir)
    finally:
        outbox.engine.dispose()
    verb = "queued for the hub" if args.choice is enrolment.DemoChoice.DELIVER else "discarded"
    print(f"{count} applications taken as a demo {verb}")
    return 0


# -- the parser ---------------------------------------------------------------------------------


def _point(text: str) -> Point:
    try:
        return parse_point(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    # Accepted before and after the command name; SUPPRESS keeps the sub-command's absent
    # option from overwriting the value given before it.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--config", type=Path, help="the terminal's TOML file ($KIOSK_CONFIG)")
    common.add_argument("--data-dir", type=Path, help="where data is kept ($KIOSK_DATA_DIR)")
    common.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    common.add_argument("--log-json", action="store_true", help="log JSON lines")

    parser = argparse.ArgumentParser(
        prog="kiosk", description="Job Kiosk terminal", parents=[common]
    )
    parser.add_argument("--version", action="version", version=f"job-kiosk {__version__}")
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="start offscreen, open the store, render the attract screen, exit 0 if it works",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    imp = commands.add_parser("import", parents=[common], help="import offer files (JSON)")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument("--source", help="file the offers under this source name")
    imp.add_argument("--json", action="store_true", help="print one JSON object")
    imp.set_defaults(handler=cmd_import)

    search = commands.add_parser("search", parents=[common], help="search the offers cache")
    search.add_argument("text", nargs="*", help="words to look for (prefixes from 2 letters)")
    search.add_argument(
        "--near",
        type=_point,
        metavar="LAT,LON",
        help="distances from here (the cache keeps them until the kiosk starts again)",
    )
    search.add_argument("--max-km", type=float, metavar="N")
    search.add_argument("--contract", action="append", default=[], metavar="CODE")
    search.add_argument("--working-time", type=WorkingTime, choices=list(WorkingTime))
    search.add_argument("--apprenticeship", action="store_true")
    search.add_argument("--within-days", type=_positive_int, metavar="N")
    search.add_argument("--accessible", action="store_true", help="open to disabled workers")
    search.add_argument("--order", type=Order, choices=list(Order), default=Order.DISTANCE)
    search.add_argument("--offset", type=int, default=0)
    search.add_argument("--limit", type=_positive_int, default=20)
    search.add_argument("--json", action="store_true", help="print one JSON object")
    search.set_defaults(handler=cmd_search)

    demo = commands.add_parser("demo-data", parents=[common], help="load synthetic demo offers")
    demo.add_argument("--offers", type=_positive_int, default=2000, metavar="N")
    demo.add_argument("--near", type=_point, metavar="LAT,LON", help="default: the terminal")
    demo.add_argument("--seed", type=int, help="another data set (default: the fixed demo seed)")
    demo.add_argument("--out", type=Path, help="write the France Travail JSON file instead")
    demo.set_defaults(handler=cmd_demo_data)

    status = commands.add_parser("status", parents=[common], help="terminal health")
    status.add_argument("--json", action="store_true", help="print one JSON object")
    status.set_defaults(handler=cmd_status)

    check = commands.add_parser("check", parents=[common], help="check the offers cache")
    check.set_defaults(handler=cmd_check)

    run = commands.add_parser("run", parents=[common], help="open the kiosk window")
    run.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    run.add_argument("--size", type=_size, metavar="WxH", help="window size, e.g. 1080x1920")
    run.set_defaults(handler=cmd_run)

    shot = commands.add_parser("screenshot", parents=[common], help="render a screen to PNG")
    shot.add_argument(
        "screen",
        choices=[
            "attract",
            "browse",
            "filters",
            "detail",
            "apply",
            "confirmation",
            "idle",
            "operator",
            "operator-status",
            "services",
            "service",
            "firms",
            "firm",
            "firm-apply",
            "verdict",
        ],
    )
    shot.add_argument("--out", type=Path, required=True, metavar="FILE.png")
    shot.add_argument("--lang", choices=["fr", "en", "ar"], default="fr")
    shot.add_argument("--size", type=_size, default=(1080, 1920), metavar="WxH")
    shot.add_argument("--offer", metavar="ID", help="the offer's source id (detail screen)")
    shot.add_argument(
        "--offline-hours",
        type=float,
        metavar="H",
        help="show the offline banner, the offers last updated H hours ago",
    )
    shot.add_argument("--keyboard", action="store_true", help="with the on-screen keyboard up")
    shot.add_argument("--high-contrast", action="store_true", help="in high-contrast mode")
    shot.add_argument("--large-text", action="store_true", help="in large-text mode")
    shot.add_argument(
        "--audio-focus",
        metavar="NAME",
        help="in audio mode, the focus ring on the item called NAME (e.g. offerCard-0)",
    )
    shot.set_defaults(handler=cmd_screenshot)

    voice = commands.add_parser("voice")  # started by the kiosk itself (kiosk.ui.speech)
    voice.add_argument("engine")

    enrol_cmd = commands.add_parser(
        "enrol", parents=[common], help="enrol this terminal with a hub (a one-time code)"
    )
    enrol_cmd.add_argument("url", help="the hub, e.g. https://hub.example.org")
    enrol_cmd.add_argument("code", help="the one-time code, e.g. K7QM-3XPA-WB9D")
    enrol_cmd.add_argument(
        "--demo-applications",
        type=enrolment.DemoChoice,
        choices=list(enrolment.DemoChoice),
        help="applications this terminal took as a demo: deliver them to the hub, or discard "
        "them (asked only when there are some)",
    )
    enrol_cmd.set_defaults(handler=cmd_enrol)

    outbox_cmd = commands.add_parser(
        "outbox", parents=[common], help="applications a damaged outbox or a demo left behind"
    )
    outbox_commands = outbox_cmd.add_subparsers(dest="outbox_command", required=True)
    salvage_cmd = outbox_commands.add_parser(
        "salvage",
        parents=[common],
        help="queue again what can be read of a damaged outbox file (outbox.sqlite.damaged-…)",
    )
    salvage_cmd.add_argument("file", type=Path, metavar="FILE")
    salvage_cmd.set_defaults(handler=cmd_outbox_salvage)
    demo_cmd = outbox_commands.add_parser(
        "demo-applications",
        parents=[common],
        help="deliver to the hub, or discard, what this terminal took as a demo",
    )
    demo_cmd.add_argument("choice", type=enrolment.DemoChoice, choices=list(enrolment.DemoChoice))
    demo_cmd.set_defaults(handler=cmd_outbox_demo)

    sync = commands.add_parser(
        "sync", parents=[common], help="sync with the hub until stopped (the kiosk does it too)"
    )
    sync.add_argument("--once", action="store_true", help="one round, then exit")
    sync.set_defaults(handler=cmd_sync)

    register_release_commands(commands, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `kiosk` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(getattr(args, "verbose", False), getattr(args, "log_json", False))
    if args.command == "voice":  # the running kiosk's speech process: no configuration
        from kiosk.ui.speech import run_voice  # noqa: PLC0415

        return run_voice(args.engine)
    if args.selftest:
        handler: Callable[[argparse.Namespace, Settings], int] = cmd_selftest
    elif args.command is None:
        parser.error("a command is needed (or --selftest)")
    else:
        handler = args.handler
    try:
        settings = load_settings(getattr(args, "config", None), getattr(args, "data_dir", None))
        settings = enrolment.overlay(settings)  # the hub this terminal enrolled with, if any
        settings = pushed.overlay(settings)  # what the hub's operators set, if any
        return handler(args, settings)
    except ConfigError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    except (StorageError, UsageError) as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
