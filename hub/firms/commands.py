"""`kiosk-hub firms harvest|status`: La Bonne Boîte's firms from the command line (the
scheduled harvest runs in `kiosk-hub serve`, every `[labonneboite] refresh_hours`)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from hub.firms.store import FirmStore

if TYPE_CHECKING:
    from hub.settings import HubSettings


def _when(epoch: int | None) -> str:
    if epoch is None:
        return "never"
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M UTC")


def cmd_firms(args: argparse.Namespace, settings: HubSettings) -> int:
    """kiosk-hub firms harvest [--json] | status [--json]"""
    from hub.cli import UsageError, _print_json  # noqa: PLC0415 - hub.cli imports this module
    from hub.db import open_database  # noqa: PLC0415
    from hub.firms.harvest import harvest_firms  # noqa: PLC0415

    section = settings.config.labonneboite
    db = open_database(settings.database_url)
    try:
        store = FirmStore(db, lambda: datetime.now(UTC).timestamp())
        if args.action == "status":
            status = store.fleet_status(section is not None)
            if args.json:
                _print_json(status)
                return 0
            _print_status(status)
            return 0
        if section is None:
            raise UsageError(f"no [labonneboite] section in {settings.source}")
        report = harvest_firms(section, db)
        if args.json:
            _print_json(
                {
                    "run": report.run,
                    "complete": report.complete,
                    "areas": report.areas,
                    "queries": report.queries,
                    "calls": report.calls,
                    "firms": report.found,
                    "removed": report.removed,
                    "refused": report.refused,
                    "errors": report.errors,
                }
            )
        else:
            print(report.summary())
            for problem in report.errors + report.refused:
                print(f"  {problem}", file=sys.stderr)
        return 0 if report.complete else 1
    finally:
        db.dispose()


def _print_status(status: dict[str, Any]) -> None:
    if not status["configured"]:
        print("La Bonne Boîte is not configured (no [labonneboite] section)")
    last = status["last"]
    print(f"{status['count']} firms")
    if last is None:
        print("never harvested")
        return
    state = "complete" if last["complete"] else "incomplete (nothing removed)"
    print(
        f"last harvest {_when(last['started_at'])}: {state}, {last['firms']} firms × trades, "
        f"{last['removed']} removed, {last['queries']} queries, {last['calls']} requests, "
        f"{last['errors']} errors"
    )
    for problem in last["error_text"]:
        print(f"  {problem}")


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `firms` to kiosk-hub's command parsers."""
    firms = commands.add_parser(
        "firms", parents=[common], help="firms that hire near the terminals (La Bonne Boîte)"
    )
    actions = firms.add_subparsers(dest="action", required=True)
    for name, helped in (
        ("harvest", "harvest La Bonne Boîte now"),
        ("status", "the last harvest and how many firms"),
    ):
        sub = actions.add_parser(name, parents=[common], help=helped)
        sub.add_argument("--json", action="store_true")
    firms.set_defaults(handler=cmd_firms)
