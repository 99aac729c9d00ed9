"""`kiosk-hub organisation|recruiter|owner`: the operator sets up organisations, invites their
recruiters and gives them offers, from the command line."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from hub.errors import ApiError
from hub.recruiters.accounts import invitation_url

if TYPE_CHECKING:
    from hub.app import Services
    from hub.settings import HubSettings

RULE_OPTIONS = (
    ("offer", "SOURCE/ID", "one offer"),
    ("siret", "N", "every offer of this SIRET (14 digits)"),
    ("company", "NAME", "every offer of this company (case and accents ignored)"),
    ("source", "S", "every offer of this source"),
)


def _when(epoch: int | None) -> str:
    if epoch is None:
        return "never"
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _organisation(services: Services, slug: str) -> int:
    found = services.accounts.organisation_by_slug(slug)
    if found is None:
        raise _usage(f"no organisation {slug} (kiosk-hub organisation list)")
    return found[0]


def _usage(message: str) -> Exception:
    from hub.cli import UsageError  # noqa: PLC0415 - hub.cli imports this module

    return UsageError(message)


def _services(settings: HubSettings) -> Services:
    from hub.cli import _services as build  # noqa: PLC0415

    services: Services = build(settings)
    return services


def _print_json(value: Any) -> None:
    from hub.cli import _print_json as show  # noqa: PLC0415

    show(value)


def cmd_organisation(args: argparse.Namespace, settings: HubSettings) -> int:
    """kiosk-hub organisation add SLUG NAME | list | spontaneous SLUG"""
    services = _services(settings)
    accounts = services.accounts
    try:
        if args.action == "add":
            organisation = accounts.create_organisation(args.slug, args.name)
            print(f"organisation {args.slug} added (id {organisation})")
        elif args.action == "spontaneous":
            accounts.set_spontaneous(_organisation(services, args.slug))
            print(f"organisation {args.slug} now receives the spontaneous applications")
        else:
            rows = accounts.organisations()
            if args.json:
                _print_json({"organisations": [_organisation_json(row) for row in rows]})
                return 0
            if not rows:
                print("no organisation yet: kiosk-hub organisation add SLUG NAME")
            for row in rows:
                mark = "  (spontaneous applications)" if row.spontaneous else ""
                print(
                    f"{row.slug:<24} {row.recruiters:>4} recruiters {row.offers:>7} offers  "
                    f"{row.name}{mark}"
                )
    except ApiError as exc:
        raise _usage(exc.message) from exc
    return 0


def _organisation_json(row: Any) -> dict[str, Any]:
    return {
        "slug": row.slug,
        "name": row.name,
        "recruiters": row.recruiters,
        "offers": row.offers,
        "spontaneous": row.spontaneous,
    }


def cmd_recruiter(args: argparse.Namespace, settings: HubSettings) -> int:
    """kiosk-hub recruiter invite SLUG EMAIL NAME [--base-url URL] | list SLUG | disable EMAIL"""
    services = _services(settings)
    accounts = services.accounts
    try:
        if args.action == "invite":
            configured = settings.config.recruiters.public_url
            base = args.base_url or (str(configured) if configured else None)
            if not base:
                raise _usage(
                    "no address for the link: set public_url in [recruiters] of hub.toml, "
                    "or give --base-url https://hub.example.org"
                )
            if not base.startswith(("https://", "http://")):
                raise _usage("--base-url: an http:// or https:// address")
            organisation = _organisation(services, args.slug)
            token = accounts.invite(organisation, args.email, args.name)
            days = settings.config.recruiters.invitation_days
            print(invitation_url(base, token))
            print(
                f"(the invitation link, shown once: send it to the recruiter; it works once, "
                f"for {days} days; inviting them again makes a new one)",
                file=sys.stderr,
            )
        elif args.action == "list":
            rows = accounts.recruiters(_organisation(services, args.slug))
            if args.json:
                _print_json(
                    {
                        "recruiters": [
                            {
                                "email": r.email,
                                "name": r.name,
                                "state": r.state,
                                "last_sign_in_at": r.last_sign_in_at,
                            }
                            for r in rows
                        ]
                    }
                )
                return 0
            if not rows:
                print(f"no recruiter in {args.slug} yet: kiosk-hub recruiter invite")
            for r in rows:
                print(f"{r.email:<40} {r.state:<9} {_when(r.last_sign_in_at):<21} {r.name}")
        else:
            found = accounts.recruiter_by_email(args.email)
            if found is None:
                raise _usage("no recruiter has this address")
            accounts.disable(found[0])
            print("recruiter disabled: their sessions ended; inviting them again lets them back")
    except ApiError as exc:
        raise _usage(exc.message) from exc
    return 0


def _rule(args: argparse.Namespace) -> tuple[str, str]:
    for kind, _metavar, _help in RULE_OPTIONS:
        value = getattr(args, kind, None)
        if value is not None:
            return kind, value
    raise _usage("say which offers: --source, --company, --siret or --offer")


def cmd_owner(args: argparse.Namespace, settings: HubSettings) -> int:
    """kiosk-hub owner add SLUG --source S|--company NAME|--siret N|--offer SOURCE/ID
    | remove [SLUG] (the same) | list [SLUG]"""
    services = _services(settings)
    ownership = services.ownership
    try:
        if args.action == "list":
            organisation = _organisation(services, args.slug) if args.slug else None
            rules = ownership.rules(organisation)
            if args.json:
                _print_json(
                    {
                        "rules": [
                            {"organisation": r.organisation_slug, "kind": r.kind, "value": r.value}
                            for r in rules
                        ]
                    }
                )
                return 0
            if not rules:
                print("no ownership rule: kiosk-hub owner add SLUG --source S")
            for r in rules:
                print(f"{r.organisation_slug:<24} --{r.kind:<8} {r.value}")
            return 0
        kind, value = _rule(args)
        if args.action == "add":
            change = ownership.add(_organisation(services, args.slug), kind, value)
            print(
                f"{change.offers} offers and {change.applications} applications moved to "
                f"{args.slug} ({change.rule.label})"
            )
            return 0
        if args.slug:
            _organisation(services, args.slug)
            mine = [r for r in ownership.rules() if r.kind == kind]
            normalised = {r.value: r.organisation_slug for r in mine}
            from hub.recruiters.ownership import normalise  # noqa: PLC0415

            if normalised.get(normalise(kind, value), args.slug) != args.slug:
                raise _usage(f"this rule is not {args.slug}'s (kiosk-hub owner list)")
        change = ownership.remove(kind, value)
        print(
            f"rule {change.rule.label} of {change.rule.organisation_slug} removed: "
            f"{change.offers} offers and {change.applications} applications changed hands"
        )
    except ApiError as exc:
        raise _usage(exc.message) from exc
    return 0


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `organisation`, `recruiter` and `owner` to kiosk-hub's command parsers."""
    organisation = commands.add_parser(
        "organisation", parents=[common], help="organisations whose recruiters read applications"
    )
    actions = organisation.add_subparsers(dest="action", required=True)
    added = actions.add_parser("add", parents=[common], help="a new organisation")
    added.add_argument("slug", help="short name in links: lower-case letters, digits, -")
    added.add_argument("name", help="as its recruiters see it")
    listed = actions.add_parser("list", parents=[common], help="every organisation")
    listed.add_argument("--json", action="store_true")
    spontaneous = actions.add_parser(
        "spontaneous", parents=[common], help="the one receiving spontaneous applications"
    )
    spontaneous.add_argument("slug")
    organisation.set_defaults(handler=cmd_organisation)

    recruiter = commands.add_parser(
        "recruiter", parents=[common], help="an organisation's recruiters"
    )
    actions = recruiter.add_subparsers(dest="action", required=True)
    invite = actions.add_parser(
        "invite", parents=[common], help="print a one-time invitation link (also to reset)"
    )
    invite.add_argument("slug")
    invite.add_argument("email")
    invite.add_argument("name")
    invite.add_argument(
        "--base-url", help="the hub's address for recruiters (default: [recruiters] public_url)"
    )
    listed = actions.add_parser("list", parents=[common], help="an organisation's recruiters")
    listed.add_argument("slug")
    listed.add_argument("--json", action="store_true")
    disable = actions.add_parser(
        "disable", parents=[common], help="no more signing in; their sessions end"
    )
    disable.add_argument("email")
    recruiter.set_defaults(handler=cmd_recruiter)

    owner = commands.add_parser(
        "owner", parents=[common], help="which offers belong to which organisation"
    )
    actions = owner.add_subparsers(dest="action", required=True)
    for name, helped in (("add", "give offers to SLUG"), ("remove", "take a rule back")):
        sub = actions.add_parser(name, parents=[common], help=helped)
        if name == "add":
            sub.add_argument("slug")
        else:
            sub.add_argument("slug", nargs="?", help="checked to own the rule, when given")
        choice = sub.add_mutually_exclusive_group(required=True)
        for kind, metavar, text in RULE_OPTIONS:
            choice.add_argument(f"--{kind}", metavar=metavar, help=text)
    listed = actions.add_parser("list", parents=[common], help="the rules")
    listed.add_argument("slug", nargs="?")
    listed.add_argument("--json", action="store_true")
    owner.set_defaults(handler=cmd_owner)
