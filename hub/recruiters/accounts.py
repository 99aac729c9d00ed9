"""Organisations and their recruiters' accounts: invitations, Argon2id passwords, sessions that
expire, and sign-in attempts limited per e-mail and per client address.

Two audiences, two kinds of error: what a recruiter does (accept an invitation, sign in)
fails with `AccountError`, whose French message is shown to them as it is; what an operator
does (create an organisation, invite, disable) fails with `ApiError` in English, like the
rest of the operator's API. Neither message ever carries a password, an e-mail or a name.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from hub import Clock
from hub.attempts import Attempts
from hub.auth import new_token, same, token_hash
from hub.db import Database
from hub.errors import ApiError
from hub.firms.spontaneous import SOURCE as SPONTANEOUS
from hub.models import Application, OfferRecord, Organisation, Recruiter, RecruiterSession
from hub.settings import RecruitersSection

log = logging.getLogger("hub.recruiters")

SESSION_PREFIX = "kr_"
INVITATION_PREFIX = "ki_"
SLUG = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # hashing a megabyte of "password" is a way to keep a hub busy
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")
_IDLE_STEP_S = 60  # identify() writes the idle deadline only when it moved by more than this

SIGN_IN_REFUSED = "Adresse e-mail ou mot de passe incorrect."
INVITATION_INVALID = (
    "Ce lien d'invitation n'est plus valable : il a déjà servi ou il a expiré. "
    "Demandez-en un nouveau à la personne qui vous l'a envoyé."
)
TOO_MANY = "Trop de tentatives de connexion. Réessayez dans une minute."


@dataclass(frozen=True, slots=True)
class RecruiterIdentity:
    """The signed-in recruiter of a valid session, with their organisation."""

    id: int
    organisation_id: int
    organisation_slug: str
    organisation_name: str
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class OrganisationRow:
    """One organisation as the operator lists them."""

    id: int
    slug: str
    name: str
    spontaneous: bool
    created_at: int
    recruiters: int  # not disabled
    offers: int  # current (not withdrawn) offers it owns


@dataclass(frozen=True, slots=True)
class RecruiterRow:
    """One recruiter as the operator lists them."""

    id: int
    email: str
    name: str
    state: str  # invited | active | disabled
    invited_at: int
    invite_expires_at: int | None
    last_sign_in_at: int | None


class AccountError(Exception):
    """A recruiter's action refused; the message (French) is safe to show to the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def invitation_url(base: str, token: str) -> str:
    """The link a recruiter opens to accept an invitation (the hub's page for it)."""
    return f"{base.rstrip('/')}/recruiters/invitation/{token}"


def normalise_email(email: str) -> str:
    """An e-mail address as stored and compared: trimmed, lower case."""
    return email.strip().lower()


def valid_email(email: str) -> bool:
    """A minimal check of a normalised address: something@domain.tld, no spaces."""
    return len(email) <= 254 and _EMAIL.fullmatch(email) is not None


def password_problem(password: str, email: str) -> str | None:
    """Why a password is refused (in French), or None when it is acceptable."""
    if len(password) < MIN_PASSWORD:
        return f"Le mot de passe doit compter au moins {MIN_PASSWORD} caractères."
    if len(password) > MAX_PASSWORD:
        return f"Le mot de passe ne peut pas dépasser {MAX_PASSWORD} caractères."
    if len(set(password)) == 1:
        return "Le mot de passe ne peut pas être un seul caractère répété."
    if normalise_email(password) == normalise_email(email):
        return "Le mot de passe ne peut pas être votre adresse e-mail."
    return None


class Accounts:
    """Organisations, recruiters, their invitations, passwords and sessions."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        section: RecruitersSection,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._section = section
        self._hasher = hasher or PasswordHasher()  # Argon2id, RFC 9106 low-memory profile
        self._attempts = Attempts(db, clock, section.sign_in_per_minute)
        self._dummy: str | None = None
        self._dummy_lock = threading.Lock()
        # Told, in the same transaction, of the unread applications an organisation receives
        # when it is designated for spontaneous ones: (connection, organisation, {"source/id": n}).
        self.on_arrivals: list[Callable[[Connection, int, dict[str, int]], None]] = []

    # -- organisations (operator) -------------------------------------------------------------

    def create_organisation(self, slug: str, name: str) -> int:
        """A new organisation; ApiError 422 for a bad slug or name, 409 if the slug is taken."""
        slug = slug.strip()
        name = " ".join(name.split())
        if re.fullmatch(SLUG, slug) is None:
            raise ApiError(
                422,
                "invalid_request",
                "slug: 1 to 64 lower-case letters, digits or dashes, not starting or "
                "ending with a dash",
            )
        if not 1 <= len(name) <= 200:
            raise ApiError(422, "invalid_request", "name: 1 to 200 characters")
        try:
            with self._db.write() as connection:
                return int(
                    connection.execute(
                        insert(Organisation)
                        .values(
                            slug=slug,
                            name=name,
                            created_at=int(self._clock()),
                            spontaneous=False,
                        )
                        .returning(Organisation.id)
                    ).scalar_one()
                )
        except IntegrityError as exc:
            raise ApiError(409, "conflict", f"an organisation {slug} exists already") from exc

    def organisation_by_slug(self, slug: str) -> tuple[int, str] | None:
        """(id, name) of the organisation `slug`, or None."""
        with self._db.read() as connection:
            row = connection.execute(
                select(Organisation.id, Organisation.name).where(Organisation.slug == slug)
            ).first()
        return None if row is None else (int(row.id), str(row.name))

    def require_organisation(self, slug: str) -> int:
        """The id of the organisation `slug`; ApiError 404 when there is none."""
        found = self.organisation_by_slug(slug)
        if found is None:
            raise ApiError(404, "unknown_organisation", f"no organisation {slug}")
        return found[0]

    def organisations(self) -> list[OrganisationRow]:
        """Every organisation, by slug, with its recruiters and current offers counted."""
        recruiters = (
            select(Recruiter.organisation_id, func.count().label("n"))
            .where(Recruiter.disabled_at.is_(None))
            .group_by(Recruiter.organisation_id)
            .subquery()
        )
        offers = (
            select(OfferRecord.organisation_id, func.count().label("n"))
            .where(OfferRecord.organisation_id.is_not(None), OfferRecord.withdrawn.is_(False))
            .group_by(OfferRecord.organisation_id)
            .subquery()
        )
        query = (
            select(
                Organisation,
                func.coalesce(recruiters.c.n, 0).label("recruiters"),
                func.coalesce(offers.c.n, 0).label("offers"),
            )
            .outerjoin(recruiters, recruiters.c.organisation_id == Organisation.id)
            .outerjoin(offers, offers.c.organisation_id == Organisation.id)
            .order_by(Organisation.slug)
        )
        with self._db.read() as connection:
            rows = connection.execute(query).all()
        return [
            OrganisationRow(
                id=row.id,
                slug=row.slug,
                name=row.name,
                spontaneous=bool(row.spontaneous),
                created_at=row.created_at,
                recruiters=int(row.recruiters),
                offers=int(row.offers),
            )
            for row in rows
        ]

    def set_spontaneous(self, organisation_id: int) -> None:
        """Make this organisation the one receiving spontaneous applications (only it); those
        that arrived while none did (unassigned) become its too. Those another organisation
        already has stay with it."""
        with self._db.write() as connection:
            connection.execute(
                update(Organisation)
                .where(Organisation.spontaneous.is_(True), Organisation.id != organisation_id)
                .values(spontaneous=False)
            )
            found = connection.execute(
                update(Organisation)
                .where(Organisation.id == organisation_id)
                .values(spontaneous=True)
                .returning(Organisation.id)
            ).first()
            if found is None:
                raise ApiError(404, "unknown_organisation", "no such organisation")
            waiting = (
                Application.offer_source == SPONTANEOUS,
                Application.organisation_id.is_(None),
            )
            unread: dict[str, int] = {}
            for (offer_id,) in connection.execute(
                select(Application.offer_id).where(
                    *waiting, Application.status == "new", Application.purged_at.is_(None)
                )
            ):
                key = f"{SPONTANEOUS}/{offer_id}"
                unread[key] = unread.get(key, 0) + 1
            connection.execute(
                update(Application).where(*waiting).values(organisation_id=organisation_id)
            )
            for hook in self.on_arrivals:  # its recruiters hear of those nobody has read
                hook(connection, organisation_id, unread)

    # -- recruiters (operator) ----------------------------------------------------------------

    def invite(self, organisation_id: int, email: str, name: str) -> str:
        """A one-time invitation token for a new recruiter, or for an existing one of this
        organisation (a forgotten password: accepting it ends their sessions).

        ApiError 422 for an invalid address or name, 404 for an unknown organisation, 409 when
        the address is a recruiter's of another organisation."""
        email = normalise_email(email)
        name = " ".join(name.split())
        if not valid_email(email):
            raise ApiError(422, "invalid_request", "email: not an e-mail address")
        if not 1 <= len(name) <= 120:
            raise ApiError(422, "invalid_request", "name: 1 to 120 characters")
        token = new_token(INVITATION_PREFIX)
        now = int(self._clock())
        invitation = {
            "invite_hash": token_hash(token),
            "invite_expires_at": now + self._section.invitation_days * 86400,
        }
        try:
            with self._db.write() as connection:
                if (
                    connection.scalar(
                        select(Organisation.id).where(Organisation.id == organisation_id)
                    )
                    is None
                ):
                    raise ApiError(404, "unknown_organisation", "no such organisation")
                existing = connection.execute(
                    select(Recruiter.id, Recruiter.organisation_id).where(Recruiter.email == email)
                ).first()
                if existing is None:
                    connection.execute(
                        insert(Recruiter).values(
                            organisation_id=organisation_id,
                            email=email,
                            name=name,
                            invited_at=now,
                            notify=True,
                            **invitation,
                        )
                    )
                elif existing.organisation_id != organisation_id:
                    raise ApiError(
                        409, "conflict", "this address is a recruiter's of another organisation"
                    )
                else:
                    connection.execute(
                        update(Recruiter)
                        .where(Recruiter.id == existing.id)
                        .values(name=name, invited_at=now, **invitation)
                    )
        except IntegrityError as exc:  # the same address invited twice at once
            raise ApiError(409, "conflict", "this address was invited meanwhile") from exc
        log.info("recruiter invited to organisation %d", organisation_id)
        return token

    def recruiters(self, organisation_id: int) -> list[RecruiterRow]:
        """The organisation's recruiters, by name."""
        with self._db.read() as connection:
            rows = connection.execute(
                select(Recruiter)
                .where(Recruiter.organisation_id == organisation_id)
                .order_by(Recruiter.name, Recruiter.id)
            ).all()
        return [
            RecruiterRow(
                id=row.id,
                email=row.email,
                name=row.name,
                state="disabled"
                if row.disabled_at is not None
                else "active"
                if row.password_hash is not None
                else "invited",
                invited_at=row.invited_at,
                invite_expires_at=row.invite_expires_at,
                last_sign_in_at=row.last_sign_in_at,
            )
            for row in rows
        ]

    def recruiter_by_email(self, email: str) -> tuple[int, int] | None:
        """(recruiter id, organisation id) of the recruiter with this address, or None."""
        with self._db.read() as connection:
            row = connection.execute(
                select(Recruiter.id, Recruiter.organisation_id).where(
                    Recruiter.email == normalise_email(email)
                )
            ).first()
        return None if row is None else (int(row.id), int(row.organisation_id))

    def disable(self, recruiter_id: int) -> None:
        """No more signing in: their sessions end and a pending invitation is void.
        ApiError 404 for an unknown recruiter. Inviting them again gives access back."""
        with self._db.write() as connection:
            found = connection.execute(
                update(Recruiter)
                .where(Recruiter.id == recruiter_id)
                .values(
                    disabled_at=func.coalesce(Recruiter.disabled_at, int(self._clock())),
                    invite_hash=None,
                    invite_expires_at=None,
                )
                .returning(Recruiter.id)
            ).first()
            if found is None:
                raise ApiError(404, "unknown_recruiter", "no such recruiter")
            connection.execute(
                delete(RecruiterSession).where(RecruiterSession.recruiter_id == recruiter_id)
            )
        log.info("recruiter %d disabled", recruiter_id)

    def recipients(self, organisation_id: int) -> list[tuple[str, str]]:
        """(name, e-mail) of the organisation's active recruiters who want mail."""
        with self._db.read() as connection:
            rows = connection.execute(
                select(Recruiter.name, Recruiter.email)
                .where(
                    Recruiter.organisation_id == organisation_id,
                    Recruiter.disabled_at.is_(None),
                    Recruiter.password_hash.is_not(None),
                    Recruiter.notify.is_(True),
                )
                .order_by(Recruiter.id)
            ).all()
        return [(str(row.name), str(row.email)) for row in rows]

    # -- invitations (recruiter) --------------------------------------------------------------

    def _invited(self, connection: Connection, token: str) -> tuple[int, str, str, str] | None:
        """(recruiter id, e-mail, name, organisation name) of a valid invitation token."""
        if not token.startswith(INVITATION_PREFIX) or len(token) > 200:
            return None
        digest = token_hash(token)
        row = connection.execute(
            select(
                Recruiter.id,
                Recruiter.email,
                Recruiter.name,
                Recruiter.invite_hash,
                Organisation.name.label("organisation"),
            )
            .join(Organisation, Organisation.id == Recruiter.organisation_id)
            .where(
                Recruiter.invite_hash == digest,
                Recruiter.invite_expires_at > int(self._clock()),
            )
        ).first()
        if row is None or row.invite_hash is None or not same(row.invite_hash, digest):
            return None
        return int(row.id), str(row.email), str(row.name), str(row.organisation)

    def invitation(self, token: str) -> tuple[str, str] | None:
        """(name, organisation name) of a valid invitation, else None."""
        with self._db.read() as connection:
            found = self._invited(connection, token)
        return None if found is None else (found[2], found[3])

    def accept_invitation(self, token: str, password: str) -> str:
        """Set the password of an invited recruiter and sign them in: a session token.

        AccountError for a used or expired invitation, or a password the rule refuses.
        Accepting ends the recruiter's other sessions (a reset after a forgotten password)."""
        with self._db.read() as connection:
            found = self._invited(connection, token)
        if found is None:
            raise AccountError(INVITATION_INVALID)
        recruiter_id, email, _name, _organisation = found
        problem = password_problem(password, email)
        if problem is not None:
            raise AccountError(problem)
        hashed = self._hasher.hash(password)  # outside any transaction: it takes a while
        now = int(self._clock())
        with self._db.write() as connection:
            accepted = connection.execute(
                update(Recruiter)
                .where(
                    Recruiter.id == recruiter_id,
                    Recruiter.invite_hash == token_hash(token),
                    Recruiter.invite_expires_at > now,
                )
                .values(
                    password_hash=hashed,
                    invite_hash=None,
                    invite_expires_at=None,
                    activated_at=func.coalesce(Recruiter.activated_at, now),
                    disabled_at=None,
                    last_sign_in_at=now,
                )
                .returning(Recruiter.id)
            ).first()
            if accepted is None:  # the same link used twice at once
                raise AccountError(INVITATION_INVALID)
            connection.execute(
                delete(RecruiterSession).where(RecruiterSession.recruiter_id == recruiter_id)
            )
            session = self._new_session(connection, recruiter_id, now)
        log.info("recruiter %d accepted an invitation", recruiter_id)
        return session

    # -- signing in (recruiter) ---------------------------------------------------------------

    def _dummy_hash(self) -> str:
        with self._dummy_lock:
            if self._dummy is None:
                self._dummy = self._hasher.hash(secrets.token_urlsafe(16))
            return self._dummy

    def _verify(self, hashed: str, password: str) -> bool:
        try:
            return self._hasher.verify(hashed, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _limit(self, email: str, client: str) -> None:
        """Count the attempt per address and per e-mail (its digest: no address is kept)."""
        waits = [
            self._attempts.take("recruiter-sign-in", "e" + token_hash(email)[:40]),
            self._attempts.take("recruiter-sign-in", "a" + client[:80]),
        ]
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            log.warning("recruiters: sign-in attempts over the limit (per e-mail or address)")
            raise ApiError(429, "rate_limited", TOO_MANY, {"Retry-After": str(int(wait + 0.999))})

    def sign_in(self, email: str, password: str, client: str) -> str:
        """A session token for the right address and password of an active recruiter.

        AccountError (one same message) when the address is unknown, the password wrong or
        the account disabled or not yet activated; ApiError 429 past `sign_in_per_minute`
        attempts per e-mail or per client address. Blocking: call it off the event loop."""
        email = normalise_email(email)
        self._limit(email, client)
        with self._db.read() as connection:
            row = connection.execute(
                select(Recruiter.id, Recruiter.password_hash, Recruiter.disabled_at).where(
                    Recruiter.email == email
                )
            ).first()
        if row is None or row.password_hash is None or len(password) > MAX_PASSWORD:
            self._verify(self._dummy_hash(), password[:MAX_PASSWORD])  # the same time spent
            raise AccountError(SIGN_IN_REFUSED)
        if not self._verify(row.password_hash, password) or row.disabled_at is not None:
            raise AccountError(SIGN_IN_REFUSED)
        rehashed = (
            self._hasher.hash(password)
            if self._hasher.check_needs_rehash(row.password_hash)
            else None
        )
        now = int(self._clock())
        with self._db.write() as connection:
            values: dict[str, object] = {"last_sign_in_at": now}
            if rehashed is not None:
                values["password_hash"] = rehashed
            connection.execute(
                update(Recruiter)
                .where(Recruiter.id == row.id, Recruiter.password_hash == row.password_hash)
                .values(**values)
            )
            session = self._new_session(connection, int(row.id), now)
        if rehashed is not None:
            log.info("recruiter %d: password hash upgraded to the current parameters", row.id)
        return session

    # -- sessions -----------------------------------------------------------------------------

    def _new_session(self, connection: Connection, recruiter_id: int, now: int) -> str:
        token = new_token(SESSION_PREFIX)
        expires = now + int(self._section.session_hours * 3600)
        connection.execute(
            insert(RecruiterSession).values(
                token_hash=token_hash(token),
                recruiter_id=recruiter_id,
                created_at=now,
                expires_at=expires,
                idle_until=min(expires, now + self._section.idle_minutes * 60),
            )
        )
        return token

    def identify(self, session_token: str | None) -> RecruiterIdentity | None:
        """The recruiter of a live session (and its idle deadline pushed), else None."""
        if (
            not session_token
            or not session_token.startswith(SESSION_PREFIX)
            or len(session_token) > 200
            or not session_token.isascii()
        ):
            return None
        digest = token_hash(session_token)
        now = int(self._clock())
        with self._db.read() as connection:
            row = connection.execute(
                select(
                    RecruiterSession.token_hash,
                    RecruiterSession.expires_at,
                    RecruiterSession.idle_until,
                    Recruiter.id,
                    Recruiter.organisation_id,
                    Recruiter.name,
                    Recruiter.email,
                    Organisation.slug,
                    Organisation.name.label("organisation_name"),
                )
                .join(Recruiter, Recruiter.id == RecruiterSession.recruiter_id)
                .join(Organisation, Organisation.id == Recruiter.organisation_id)
                .where(
                    RecruiterSession.token_hash == digest,
                    RecruiterSession.expires_at > now,
                    RecruiterSession.idle_until > now,
                    Recruiter.disabled_at.is_(None),
                )
            ).first()
        if row is None or not same(row.token_hash, digest):
            return None
        idle_until = min(int(row.expires_at), now + self._section.idle_minutes * 60)
        if idle_until - int(row.idle_until) > _IDLE_STEP_S:
            with self._db.write() as connection:
                connection.execute(
                    update(RecruiterSession)
                    .where(
                        RecruiterSession.token_hash == digest,
                        RecruiterSession.idle_until < idle_until,
                    )
                    .values(idle_until=idle_until)
                )
        return RecruiterIdentity(
            id=int(row.id),
            organisation_id=int(row.organisation_id),
            organisation_slug=str(row.slug),
            organisation_name=str(row.organisation_name),
            name=str(row.name),
            email=str(row.email),
        )

    def sign_out(self, session_token: str) -> None:
        """End this session (nothing happens for an unknown token)."""
        with self._db.write() as connection:
            connection.execute(
                delete(RecruiterSession).where(
                    RecruiterSession.token_hash == token_hash(session_token)
                )
            )

    def purge_sessions(self) -> int:
        """Forget the sessions that expired (absolute or idle); how many."""
        now = int(self._clock())
        with self._db.write() as connection:
            result = connection.execute(
                delete(RecruiterSession).where(
                    or_(RecruiterSession.expires_at <= now, RecruiterSession.idle_until <= now)
                )
            )
        return int(result.rowcount or 0)
