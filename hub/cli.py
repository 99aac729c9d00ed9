"""The `kiosk-hub` command: serve, enrol-code, operator-token, ingest, purge and friends."""

from __future__ import annotations

import argparse
import gc
import logging
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson
import requests

from hub import __version__
from hub.db import Database, DatabaseError, open_database, redacted
from hub.keys import HubKeys, KeyFileError, load_or_create_keys
from hub.settings import HubSettings, SettingsError, load_hub_settings
from kiosk.logs import setup_logging

log = logging.getLogger("hub")


class _WithoutTraceback(logging.Filter):
    """uvicorn logs an unhandled error with its traceback and message, which could quote a
    value; the hub's own line already says the type and where, so drop the details."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            record.exc_info = None
            record.exc_text = None
            record.msg = f"{record.getMessage()} (see the hub's internal error line)"
            record.args = None
        return True


class UsageError(Exception):
    """A command was given something it cannot use; the message says what."""


def _print_json(value: Any) -> None:
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")
    sys.stdout.flush()


def _open(settings: HubSettings) -> tuple[Database, HubKeys, bool]:
    keys, created = load_or_create_keys(settings.key_file)
    db = open_database(settings.database_url)
    return db, keys, created


def _services(settings: HubSettings) -> Any:
    from hub.app import build_services  # noqa: PLC0415

    db, keys, _created = _open(settings)
    return build_services(settings, db, keys)


# -- serve ---------------------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace, settings: HubSettings) -> int:
    """kiosk-hub serve [--host H] [--port P] [--no-jobs]"""
    import uvicorn  # noqa: PLC0415

    from hub.app import build_services, create_app  # noqa: PLC0415
    from hub.connections import server_config, throttle_logs  # noqa: PLC0415
    from hub.ingest import ingest_source  # noqa: PLC0415
    from hub.jobs import BackgroundJobs  # noqa: PLC0415
    from hub.webhook import WebhookForwarder  # noqa: PLC0415

    config = settings.config
    logging.getLogger("uvicorn.error").addFilter(_WithoutTraceback())
    host = args.host or config.server.host
    port = config.server.port if args.port is None else args.port
    db, keys, created = _open(settings)
    jobs: BackgroundJobs | None = None

    def new_application() -> None:
        if jobs is not None:
            jobs.wake()

    services = build_services(settings, db, keys, on_application=new_application)
    out = sys.stdout
    out.write(f"kiosk-hub {__version__}: data in {settings.data_dir}\n")
    out.write(f"database: {redacted(settings.database_url)}\n")
    if created:
        out.write(
            f"created the hub's key pair in {settings.key_file} (back it up, apart from "
            "the database: without it no application can be read)\n"
        )
    out.write(
        "terminal configuration ([hub] section of kiosk.toml):\n"
        f'  url = "http://{host}:{port}"   (your public https:// address behind the proxy)\n'
        f'  public_key = "{keys.public_key}"\n'
    )
    if services.operators.count_active() == 0:
        token = services.operators.create()
        out.write(
            f"operator token (shown once; `kiosk-hub operator-token` makes another):\n  {token}\n"
        )
    out.write(
        f"enrol a terminal: kiosk-hub enrol-code --terminal-id ID, or the fleet page at "
        f"http://{host}:{port}/fleet\n"
    )
    out.flush()
    forwarder = None
    if config.webhook.url is not None:
        forwarder = WebhookForwarder(
            db,
            services.inbox,
            str(config.webhook.url),
            config.webhook.secret,
            max_attempts=config.webhook.max_attempts,
            timeout_s=config.webhook.timeout_s,
        )
    jobs = BackgroundJobs(
        services,
        forwarder,
        config.sources,
        ingest_source,
    )
    if not args.no_jobs:
        jobs.start()
    # Header and body deadlines, a connection cap below the descriptor limit, and at most
    # one line a second of each kind in the log, whatever the clients do.
    server = uvicorn.Server(server_config(create_app(services), config.server, host, port))
    throttle_logs()
    # Everything loaded so far lives as long as the process: keep it out of the garbage
    # collector's full passes, which otherwise pause every request now and then.
    gc.collect()
    gc.freeze()
    try:
        server.run()
    finally:
        jobs.stop()
        db.dispose()
    return 0


# -- operator commands ---------------------------------------------------------------------------


def cmd_enrol_code(args: argparse.Namespace, settings: HubSettings) -> int:
    """kiosk-hub enrol-code --terminal-id ID [--hours H] [--replace]"""
    from hub.schemas import TERMINAL_ID  # noqa: PLC0415
    from hub.terminals import iso  # noqa: PLC0415

    if not re.fullmatch(TERMINAL_ID, args.terminal_id):
        raise UsageError("--terminal-id: letters, digits, . _ - (64 at most)")
    services = _services(settings)
    code, expires = services.terminals.create_code(args.terminal_id, args.hours, args.replace)
    stamp = iso(expires)
    assert stamp is not None
    if args.json:
        _print_json(
            {"code": code, "terminal_id": args.terminal_id, "expires_at": stamp.isoformat()}
        )
    else:
        print(code)
        print(
            f"(for terminal {args.terminal_id}, one use, until {stamp:%Y-%m-%d %H:%M} UTC)",
            file=sys.stderr,
        )
    return 0


def cmd_operator_token(args: argparse.Namespace, settings: HubSettings) -> int:
    """kiosk-hub operator-token [--revoke-others]"""
    services = _services(settings)
    print(services.operators.create(revoke_others=args.revoke_others))
    return 0


def cmd_public_key(_args: argparse.Namespace, settings: HubSettings) -> int:
    """kiosk-hub public-key"""
    keys, _created = load_or_create_keys(settings.key_file)
    print(keys.public_key)
    return 0


def cmd_revoke(args: argparse.Namespace, settings: HubSettings) -> int:
    """kiosk-hub revoke TERMINAL_ID"""
    from hub.errors import ApiError  # noqa: PLC0415

    services = _services(settings)
    try:
        services.terminals.revoke(args.terminal_id)
    except ApiError as exc:
        raise UsageError(exc.message) from exc
    print(f"terminal {args.terminal_id} revoked")
    return 0


def cmd_terminals(args: argparse.Namespace, settings: HubSettings) -> int:
    """kiosk-hub terminals [--json]"""
    services = _services(settings)
    terminals = services.terminals.list_all()
    if args.json:
        _print_json({"terminals": terminals})
        return 0
    for t in terminals:
        seen = t["last_seen_at"].strftime("%Y-%m-%d %H:%M") if t["last_seen_at"] else "never"
        warnings = "; ".join(t["warnings"])
        print(f"{t['terminal_id']:<32} {t['status']:<8} {seen:<17} {warnings}")
    return 0


def cmd_find_reference(args: argparse.Namespace, settings: HubSettings) -> int:
    """kiosk-hub find-reference CODE [--application ID] [--erase] [--json]"""
    from hub.errors import ApiError  # noqa: PLC0415

    services = _services(settings)
    try:
        found = services.inbox.find_reference(args.code)
    except ApiError as exc:
        raise UsageError(f"{args.code!r} is not a reference code: {exc.message}") from exc
    if args.application:
        found = [view for view in found if view["application_id"] == args.application]
    if not found:
        print(f"no application has the reference code {args.code}", file=sys.stderr)
        return 1
    if args.erase:
        if len(found) > 1:
            ids = ", ".join(view["application_id"] for view in found)
            raise UsageError(
                f"{len(found)} applications have this code ({ids}): choose one with "
                "--application ID (check the name the person gives)"
            )
        found = [services.inbox.erase(found[0]["application_id"])]
    if args.json:
        _print_json({"applications": found})
        return 0
    for view in found:
        if view["purged"]:
            state = "content deleted"
        elif view["unreadable"]:
            state = f"unreadable: {view['unreadable']}"
        else:
            state = f"webhook {view['webhook']}"
        received = view["received_at"].strftime("%Y-%m-%d %H:%M UTC")
        print(f"application {view['application_id']}")
        print(f"  received  {received} from terminal {view['terminal_id']} ({state})")
        title = f" {view['offer_title']}" if view["offer_title"] else ""
        print(f"  offer     {view['offer_source']}/{view['offer_id']}{title}")
        for name, value in (view["application"] or {}).items():
            if name not in ("application_id", "offer", "reference"):
                shown = value if isinstance(value, str) else orjson.dumps(value).decode()
                print(f"  {name:<9} {shown}")
    return 0


def cmd_purge(_args: argparse.Namespace, settings: HubSettings) -> int:
    """kiosk-hub purge"""
    services = _services(settings)
    result = services.purge()
    print("purged " + ", ".join(f"{n} {_PURGED.get(k, k)}" for k, n in result.items()))
    return 0


# What `Services.purge` forgets, as `kiosk-hub purge` says it (a new kind shows by its key).
_PURGED = {
    "codes": "enrolment codes",
    "heartbeat_hours": "hours of heartbeats",
    "recruiter_sessions": "recruiter sessions",
    "offer_views": "offer views",
    "notifications": "notifications",
    "firm_harvests": "firm harvest records",
    "verdict_weeks": "weeks of verdicts",
}


def cmd_ingest(args: argparse.Namespace, settings: HubSettings) -> int:
    """kiosk-hub ingest files PATH... | sources [NAME...] | url URL --source NAME"""
    from hub.ingest import ingest_payload, ingest_source  # noqa: PLC0415
    from hub.offers import IngestReport  # noqa: PLC0415
    from kiosk.formats import FormatError  # noqa: PLC0415
    from kiosk.sources.jobposting import FeedError, fetch_feed  # noqa: PLC0415

    services = _services(settings)
    total = IngestReport()
    failed = False
    if args.what == "files":
        for path in args.paths:
            try:
                data = orjson.loads(Path(path).read_bytes())
                report = ingest_payload(services.offers, data, args.source, args.full_refresh)
            except OSError as exc:
                raise UsageError(f"{path}: cannot read: {exc.strerror}") from exc
            except (orjson.JSONDecodeError, FormatError) as exc:
                raise UsageError(f"{path}: {exc}") from exc
            services.offers.record_run(args.source or "upload", "upload", report, None)
            total.add(report)
    elif args.what == "url":
        try:
            data = fetch_feed(requests.Session(), args.url)
            report = ingest_payload(services.offers, data, args.source, args.full_refresh)
        except (FeedError, FormatError) as exc:
            raise UsageError(f"{args.url}: {exc}") from exc
        total.add(report)
    else:
        sections = settings.config.sources
        if args.names:
            unknown = sorted(set(args.names) - {s.name for s in sections})
            if unknown:
                raise UsageError(f"no source named {', '.join(unknown)} in {settings.source}")
            sections = [s for s in sections if s.name in args.names]
        if not sections:
            raise UsageError(f"no [[sources]] in {settings.source}")
        for section in sections:
            try:
                total.add(ingest_source(section, services.offers))
            except Exception as exc:
                print(f"{section.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
                failed = True
    if args.json:
        _print_json(total.as_json())
    else:
        print(total.summary())
        for rejection in total.rejected[:20]:
            print(f"  rejected {rejection.external_id or '(no id)'}: {rejection.reason}")
    return 1 if failed else 0


def cmd_rome(args: argparse.Namespace, settings: HubSettings) -> int:
    """kiosk-hub rome import FILE: the ROME list of the recruiters' trade search."""
    from hub.recruiters.rome import RomeFileError, RomeList, read_file  # noqa: PLC0415

    try:
        entries = read_file(args.file)
    except RomeFileError as exc:
        raise UsageError(str(exc)) from exc
    db = open_database(settings.database_url)
    try:
        rome = RomeList(db)
        rome.import_entries(entries)
        print(f"imported {len(entries)} ROME trades; the list now has {rome.count()}")
    finally:
        db.dispose()
    return 0


def cmd_openapi(args: argparse.Namespace, _settings: HubSettings) -> int:
    """kiosk-hub openapi [--out FILE]: the protocol's OpenAPI description."""
    text = openapi_text()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def openapi_text() -> str:
    """The OpenAPI description of the protocol, as kept in docs/protocol/openapi.json."""
    import json  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    from hub.app import build_services, create_app  # noqa: PLC0415
    from hub.settings import HubConfig, sqlite_url  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as folder:
        settings = HubSettings(
            config=HubConfig(),
            data_dir=Path(folder),
            database_url=sqlite_url(Path(folder) / "hub.sqlite"),
            source="defaults",
        )
        db, keys, _created = _open(settings)
        try:
            schema = create_app(build_services(settings, db, keys)).openapi()
        finally:
            db.dispose()
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def cmd_service(args: argparse.Namespace, settings: HubSettings) -> int:
    """kiosk-hub service add|list|remove: the services corner's entries."""
    from pydantic import ValidationError  # noqa: PLC0415

    from hub.errors import ApiError  # noqa: PLC0415
    from hub.services_corner import ServiceFields  # noqa: PLC0415

    corner = _services(settings).services_corner
    if args.action == "list":
        entries = corner.list_all()
        if args.json:
            _print_json({"services": entries})
            return 0
        for e in entries:
            where = f" [{e['area']['label']}, {e['area']['radius_km']:g} km]" if e["area"] else ""
            print(f"{e['id']:>4} {e['category']:<12} {e['title']}{where}  {e['url']}")
        return 0
    try:
        if args.action == "remove":
            corner.remove(args.id)
            print(f"service {args.id} removed")
            return 0
        area = None
        if args.place is not None or args.radius_km is not None:
            area = {
                "label": args.place or "",
                "latitude": args.latitude,
                "longitude": args.longitude,
                "radius_km": args.radius_km,
            }
        fields = ServiceFields.model_validate(
            {
                "category": args.category,
                "title": args.title,
                "text": args.text or "",
                "url": args.url,
                "languages": args.language or [],
                "area": area,
            }
        )
        entry = corner.add(fields)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise UsageError(problems) from exc
    except ApiError as exc:
        raise UsageError(exc.message) from exc
    if args.json:
        _print_json(entry)
    else:
        print(f"service {entry['id']} added")
    return 0


# -- wiring --------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    # Options every command takes, before or after its name; SUPPRESS keeps a nested
    # command's absent option from overwriting the one given before it.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--config", type=Path, help="hub.toml (default: in the data directory)")
    common.add_argument("--data-dir", type=Path, help="where the database and key live")
    common.add_argument("--database", help="postgresql://user@host/db (default: SQLite)")
    common.add_argument("--log-json", action="store_true", help="log JSON lines")
    common.add_argument("-v", "--verbose", action="store_true", help="debug logs")
    parser = argparse.ArgumentParser(prog="kiosk-hub", description="The Job Kiosk reference hub.")
    parser.add_argument("--version", action="version", version=f"kiosk-hub {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", parents=[common], help="run the hub")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8470)")
    serve.add_argument(
        "--no-jobs",
        action="store_true",
        help="no webhook, purge or harvest threads (for extra instances)",
    )
    serve.set_defaults(handler=cmd_serve)

    code = commands.add_parser("enrol-code", parents=[common], help="one-time enrolment code")
    code.add_argument("--terminal-id", required=True)
    code.add_argument("--hours", type=float, help="validity (default 24)")
    code.add_argument("--replace", action="store_true", help="may replace an enrolled terminal")
    code.add_argument("--json", action="store_true")
    code.set_defaults(handler=cmd_enrol_code)

    token = commands.add_parser("operator-token", parents=[common], help="new operator token")
    token.add_argument("--revoke-others", action="store_true", help="every other one stops working")
    token.set_defaults(handler=cmd_operator_token)

    key = commands.add_parser("public-key", parents=[common], help="print the public key")
    key.set_defaults(handler=cmd_public_key)

    revoke = commands.add_parser("revoke", parents=[common], help="revoke a terminal's token")
    revoke.add_argument("terminal_id")
    revoke.set_defaults(handler=cmd_revoke)

    terminals = commands.add_parser("terminals", parents=[common], help="terminals and health")
    terminals.add_argument("--json", action="store_true")
    terminals.set_defaults(handler=cmd_terminals)

    reference = commands.add_parser(
        "find-reference",
        parents=[common],
        help="the application given a reference code (a data-protection request)",
    )
    reference.add_argument("code", help="the code as the applicant quotes it")
    reference.add_argument("--application", metavar="ID", help="only this application id")
    reference.add_argument(
        "--erase", action="store_true", help="delete its content now (the applicant's request)"
    )
    reference.add_argument("--json", action="store_true")
    reference.set_defaults(handler=cmd_find_reference)

    purge = commands.add_parser("purge", parents=[common], help="apply retention now")
    purge.set_defaults(handler=cmd_purge)

    ingest = commands.add_parser("ingest", parents=[common], help="load offers")
    ingest.add_argument("--json", action="store_true")
    what = ingest.add_subparsers(dest="what", required=True)
    files = what.add_parser(
        "files", parents=[common], help="France Travail v2 or JobPosting JSON files"
    )
    files.add_argument("paths", nargs="+", type=Path)
    url = what.add_parser(
        "url", parents=[common], help="a JobPosting feed (JSON-LD or an HTML page)"
    )
    url.add_argument("url")
    for sub in (files, url):
        sub.add_argument("--source", help="file the offers under this source name")
        sub.add_argument(
            "--full-refresh",
            action="store_true",
            help="complete listing: withdraw what it does not list",
        )
    sources = what.add_parser(
        "sources", parents=[common], help="harvest the configured [[sources]] now"
    )
    sources.add_argument("names", nargs="*")
    ingest.set_defaults(handler=cmd_ingest)

    service = commands.add_parser("service", parents=[common], help="the services corner")
    service_actions = service.add_subparsers(dest="action", required=True)
    listed = service_actions.add_parser("list", parents=[common], help="every entry")
    listed.add_argument("--json", action="store_true")
    added = service_actions.add_parser("add", parents=[common], help="a new entry")
    added.add_argument(
        "--category",
        required=True,
        choices=["choose_trade", "train", "prepare", "digital", "agency"],
        help="the need it answers",
    )
    added.add_argument("--title", required=True)
    added.add_argument("--text", help="a few plain sentences")
    added.add_argument("--url", required=True, help="the page its QR code opens")
    added.add_argument("--language", action="append", help="a language it serves (repeat)")
    added.add_argument("--place", help="an area: only terminals near it get the entry")
    added.add_argument("--latitude", type=float)
    added.add_argument("--longitude", type=float)
    added.add_argument("--radius-km", type=float)
    added.add_argument("--json", action="store_true")
    removed = service_actions.add_parser("remove", parents=[common], help="delete an entry")
    removed.add_argument("id", type=int)
    service.set_defaults(handler=cmd_service)

    rome = commands.add_parser("rome", parents=[common], help="the ROME list of trades")
    rome_actions = rome.add_subparsers(dest="action", required=True)
    rome_import = rome_actions.add_parser(
        "import", parents=[common], help="France Travail's ROME referential (CSV or JSON)"
    )
    rome_import.add_argument("file", type=Path)
    rome.set_defaults(handler=cmd_rome)

    from hub.recruiters.commands import add_commands  # noqa: PLC0415

    add_commands(commands, common)  # organisation, recruiter, owner

    from hub.firms.commands import add_commands as add_firm_commands  # noqa: PLC0415

    add_firm_commands(commands, common)  # firms harvest|status

    openapi = commands.add_parser("openapi", parents=[common], help="the protocol description")
    openapi.add_argument("--out", type=Path)
    openapi.set_defaults(handler=cmd_openapi)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `kiosk-hub`."""
    args = build_parser().parse_args(argv)
    for name in ("config", "data_dir", "database", "log_json", "verbose"):
        if not hasattr(args, name):
            setattr(args, name, None)
    setup_logging(verbose=bool(args.verbose), json_lines=bool(args.log_json))
    logging.getLogger("uvicorn.error").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    handler: Callable[[argparse.Namespace, HubSettings], int] = args.handler
    try:
        settings = load_hub_settings(args.config, args.data_dir, args.database)
        return handler(args, settings)
    except (SettingsError, DatabaseError, KeyFileError, UsageError) as exc:
        print(f"kiosk-hub: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
