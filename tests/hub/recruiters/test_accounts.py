"""Recruiters' accounts: invitations, passwords (Argon2id), sessions that expire when idle or
in any case, disabling, and sign-in attempts limited per e-mail and per client address."""

from __future__ import annotations

import logging
from typing import Any, Literal

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from hub.errors import ApiError
from hub.models import Recruiter, RecruiterSession
from hub.recruiters.accounts import (
    INVITATION_INVALID,
    SIGN_IN_REFUSED,
    AccountError,
    Accounts,
    RecruiterIdentity,
)
from hub.settings import RecruitersSection
from tests.hub.recruiters.conftest import CHEAP, PASSWORD, AccountsUnderTest, make_accounts

CLIENT = "203.0.113.7"


def _stored(under_test: AccountsUnderTest, email: str) -> Any:
    with under_test.db.read() as connection:
        return connection.execute(select(Recruiter).where(Recruiter.email == email)).one()


def test_an_invited_recruiter_chooses_a_password_and_is_signed_in(
    accounts: AccountsUnderTest,
) -> None:
    a = accounts.accounts
    organisation = a.create_organisation("boulangerie-martin", "Boulangerie Martin")
    assert a.organisation_by_slug("boulangerie-martin") == (organisation, "Boulangerie Martin")
    token = a.invite(organisation, "  Anne.Exemple@Example.ORG ", "Anne  Exemple")
    assert a.invitation(token) == ("Anne Exemple", "Boulangerie Martin")
    assert a.recipients(organisation) == []  # not before the invitation is accepted

    session = a.accept_invitation(token, PASSWORD)

    assert a.identify(session) == RecruiterIdentity(
        id=a.recruiter_by_email("anne.exemple@example.org")[0],  # type: ignore[index]
        organisation_id=organisation,
        organisation_slug="boulangerie-martin",
        organisation_name="Boulangerie Martin",
        name="Anne Exemple",
        email="anne.exemple@example.org",
    )
    stored = _stored(accounts, "anne.exemple@example.org")
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash
    assert stored.invite_hash is None
    # The link served once.
    assert a.invitation(token) is None
    with pytest.raises(AccountError) as refused:
        a.accept_invitation(token, PASSWORD)
    assert refused.value.message == INVITATION_INVALID
    assert a.recipients(organisation) == [("Anne Exemple", "anne.exemple@example.org")]
    # And the password signs in again, whatever the case of the address.
    again = a.sign_in("ANNE.exemple@example.org ", PASSWORD, CLIENT)
    assert again != session
    assert a.identify(again) is not None


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("court", "au moins 12 caractères"),
        ("aaaaaaaaaaaaaaaa", "un seul caractère répété"),
        ("Anne@Example.org", "votre adresse e-mail"),
        ("x" * 2000 + "y", "dépasser"),
    ],
)
def test_passwords_the_rule_refuses_say_why_in_french(
    sqlite_accounts: AccountsUnderTest, password: str, reason: str
) -> None:
    a = sqlite_accounts.accounts
    organisation = a.create_organisation("hotel", "Hôtel du Parc")
    token = a.invite(organisation, "anne@example.org", "Anne")
    with pytest.raises(AccountError) as refused:
        a.accept_invitation(token, password)
    assert reason in refused.value.message
    assert password not in refused.value.message
    assert a.invitation(token) is not None  # still valid: try another password


def test_an_invitation_expires(sqlite_accounts: AccountsUnderTest) -> None:
    a = sqlite_accounts.accounts
    organisation = a.create_organisation("hotel", "Hôtel du Parc")
    token = a.invite(organisation, "anne@example.org", "Anne")
    sqlite_accounts.clock.advance(sqlite_accounts.section.invitation_days * 86400 - 1)
    assert a.invitation(token) is not None
    sqlite_accounts.clock.advance(1)
    assert a.invitation(token) is None
    with pytest.raises(AccountError):
        a.accept_invitation(token, PASSWORD)
    assert a.invitation("ki_invented") is None
    assert a.invitation("kr_not-an-invitation") is None


def test_wrong_unknown_disabled_and_not_yet_active_are_refused_alike(
    accounts: AccountsUnderTest,
) -> None:
    a = accounts.accounts
    accounts.recruiter("hotel", "anne@example.org")
    organisation = a.require_organisation("hotel")
    a.invite(organisation, "paul@example.org", "Paul")  # invited, never accepted
    accounts.recruiter("hotel", "zoe@example.org")
    zoe = a.recruiter_by_email("zoe@example.org")
    assert zoe is not None
    a.disable(zoe[0])
    for email, password in [
        ("anne@example.org", PASSWORD + "!"),
        ("nobody@example.org", PASSWORD),
        ("paul@example.org", PASSWORD),
        ("zoe@example.org", PASSWORD),
        ("anne@example.org", ""),
    ]:
        with pytest.raises(AccountError) as refused:
            a.sign_in(email, password, CLIENT)
        assert refused.value.message == SIGN_IN_REFUSED


class _CountingHasher(PasswordHasher):
    def __init__(self) -> None:
        parameters = CHEAP
        super().__init__(
            parameters.time_cost,
            parameters.memory_cost,
            parameters.parallelism,
            parameters.hash_len,
            parameters.salt_len,
        )
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.verified += 1
        return super().verify(hash, password)


def test_an_unknown_address_costs_a_password_check_all_the_same(
    sqlite_accounts: AccountsUnderTest,
) -> None:
    hasher = _CountingHasher()
    a = Accounts(sqlite_accounts.db, sqlite_accounts.clock, sqlite_accounts.section, hasher)
    with pytest.raises(AccountError):
        a.sign_in("nobody@example.org", PASSWORD, CLIENT)
    with pytest.raises(AccountError):
        a.sign_in("nobody@example.org", PASSWORD, CLIENT)
    assert hasher.verified == 2


def test_a_session_ends_when_idle(accounts: AccountsUnderTest) -> None:
    a, clock = accounts.accounts, accounts.clock
    idle = accounts.section.idle_minutes * 60
    session = accounts.recruiter()

    def idle_until() -> int:
        with accounts.db.read() as connection:
            return int(connection.execute(select(RecruiterSession.idle_until)).scalar_one())

    first = idle_until()
    clock.advance(30)
    assert a.identify(session) is not None
    assert idle_until() == first  # moved by less than a minute: not written
    clock.advance(idle - 31)
    assert a.identify(session) is not None  # one second before it lapsed: pushed
    assert idle_until() == int(clock.now) + idle
    clock.advance(idle - 1)
    assert a.identify(session) is not None
    clock.advance(idle)
    assert a.identify(session) is None
    assert a.purge_sessions() == 1
    assert a.identify(session) is None


def test_a_session_ends_after_its_hours_however_busy(sqlite_accounts: AccountsUnderTest) -> None:
    a, clock = sqlite_accounts.accounts, sqlite_accounts.clock
    section = sqlite_accounts.section
    session = sqlite_accounts.recruiter()
    lifetime = int(section.session_hours * 3600)
    step = section.idle_minutes * 60 // 2
    elapsed = 0
    while elapsed + step < lifetime:
        clock.advance(step)
        elapsed += step
        assert a.identify(session) is not None
    clock.advance(lifetime - elapsed)
    assert a.identify(session) is None
    assert a.purge_sessions() == 1


def test_signing_out_and_invented_sessions(sqlite_accounts: AccountsUnderTest) -> None:
    a = sqlite_accounts.accounts
    session = sqlite_accounts.recruiter()
    other = a.sign_in("anne@example.org", PASSWORD, CLIENT)
    a.sign_out(session)
    assert a.identify(session) is None
    assert a.identify(other) is not None  # only this browser
    for invented in (None, "", "kr_invented", "ko_" + session[3:], session + "é", "kr_" * 100):
        assert a.identify(invented) is None


def test_disabling_ends_sessions_and_a_new_invitation_gives_access_back(
    accounts: AccountsUnderTest,
) -> None:
    a = accounts.accounts
    session = accounts.recruiter()
    recruiter_id, organisation = a.recruiter_by_email("anne@example.org")  # type: ignore[misc]
    pending = a.invite(organisation, "anne@example.org", "Anne Exemple")
    a.disable(recruiter_id)
    assert a.identify(session) is None
    assert a.invitation(pending) is None  # a pending link dies with the access
    assert [r.state for r in a.recruiters(organisation)] == ["disabled"]
    assert a.recipients(organisation) == []
    with pytest.raises(ApiError) as missing:
        a.disable(999_999)
    assert missing.value.status == 404

    back = a.accept_invitation(a.invite(organisation, "anne@example.org", "Anne"), PASSWORD)
    assert a.identify(back) is not None
    assert [r.state for r in a.recruiters(organisation)] == ["active"]


def test_a_new_invitation_resets_a_forgotten_password_and_ends_old_sessions(
    accounts: AccountsUnderTest,
) -> None:
    a = accounts.accounts
    old = accounts.recruiter()
    organisation = a.require_organisation("boulangerie")
    token = a.invite(organisation, "anne@example.org", "Anne Exemple")
    assert a.identify(old) is not None  # until the new link is used
    assert a.sign_in("anne@example.org", PASSWORD, CLIENT)
    new = a.accept_invitation(token, "un autre mot de passe")
    assert a.identify(old) is None
    assert a.identify(new) is not None
    with pytest.raises(AccountError):
        a.sign_in("anne@example.org", PASSWORD, CLIENT)
    assert a.sign_in("anne@example.org", "un autre mot de passe", CLIENT)


def test_what_an_operator_gets_wrong_is_refused_in_english(accounts: AccountsUnderTest) -> None:
    a = accounts.accounts
    organisation = a.create_organisation("hotel", "Hôtel du Parc")
    other = a.create_organisation("entrepot", "Entrepôt Nord")
    a.invite(organisation, "anne@example.org", "Anne")
    cases: list[tuple[Any, int]] = [
        (lambda: a.create_organisation("hotel", "Un autre"), 409),
        (lambda: a.create_organisation("Hotel Du Parc", "Hôtel"), 422),
        (lambda: a.create_organisation("-hotel", "Hôtel"), 422),
        (lambda: a.create_organisation("hotel2", "   "), 422),
        (lambda: a.invite(organisation, "not an address", "Anne"), 422),
        (lambda: a.invite(organisation, "anne@localhost", "Anne"), 422),
        (lambda: a.invite(organisation, "paul@example.org", ""), 422),
        (lambda: a.invite(other, "ANNE@example.org", "Anne"), 409),
        (lambda: a.invite(999_999, "paul@example.org", "Paul"), 404),
        (lambda: a.set_spontaneous(999_999), 404),
    ]
    for call, status in cases:
        with pytest.raises(ApiError) as refused:
            call()
        assert refused.value.status == status
        assert "anne" not in refused.value.message.lower()


def test_one_organisation_receives_spontaneous_applications(
    sqlite_accounts: AccountsUnderTest,
) -> None:
    a = sqlite_accounts.accounts
    first = a.create_organisation("agence", "Agence")
    second = a.create_organisation("hotel", "Hôtel")
    a.set_spontaneous(first)
    a.set_spontaneous(second)
    assert {o.slug: o.spontaneous for o in a.organisations()} == {"agence": False, "hotel": True}


def test_sign_in_attempts_are_limited_per_address_and_per_email(database_url: str) -> None:
    under_test = make_accounts(database_url, RecruitersSection(sign_in_per_minute=3))
    try:
        a, clock = under_test.accounts, under_test.clock
        clock.now = clock.now // 60 * 60  # the start of a minute
        under_test.recruiter()
        for _ in range(2):
            with pytest.raises(AccountError):
                a.sign_in("anne@example.org", "wrong password!", "198.51.100.1")
        assert a.sign_in("anne@example.org", PASSWORD, "198.51.100.2")
        # A fourth attempt on the address, from a fourth client: refused, right or wrong.
        with pytest.raises(ApiError) as limited:
            a.sign_in("Anne@example.org", PASSWORD, "198.51.100.3")
        assert limited.value.status == 429
        assert limited.value.headers["Retry-After"] == "60"
        assert "Réessayez" in limited.value.message
        # Another address from the same client is not limited by it...
        for _ in range(3):
            with pytest.raises(AccountError):
                a.sign_in("nobody@example.org", PASSWORD, "198.51.100.4")
        # ...until that client has had its own three.
        with pytest.raises(ApiError):
            a.sign_in("someone@example.org", PASSWORD, "198.51.100.4")
        clock.advance(45)
        with pytest.raises(ApiError) as limited:
            a.sign_in("anne@example.org", PASSWORD, "198.51.100.5")
        assert limited.value.headers["Retry-After"] == "15"
        clock.advance(15)  # the next minute
        assert a.sign_in("anne@example.org", PASSWORD, "198.51.100.4")
    finally:
        under_test.db.dispose()


def test_a_hash_of_older_parameters_is_upgraded_at_sign_in(
    sqlite_accounts: AccountsUnderTest,
) -> None:
    sqlite_accounts.recruiter()
    before = _stored(sqlite_accounts, "anne@example.org").password_hash
    stronger = PasswordHasher(time_cost=2, memory_cost=256, parallelism=1)
    upgraded = Accounts(
        sqlite_accounts.db, sqlite_accounts.clock, sqlite_accounts.section, stronger
    )
    assert stronger.check_needs_rehash(before)
    assert upgraded.sign_in("anne@example.org", PASSWORD, CLIENT)
    after = _stored(sqlite_accounts, "anne@example.org").password_hash
    assert after != before
    assert not stronger.check_needs_rehash(after)
    assert stronger.verify(after, PASSWORD)
    assert upgraded.sign_in("anne@example.org", PASSWORD, CLIENT)
    assert _stored(sqlite_accounts, "anne@example.org").password_hash == after


def test_no_address_or_password_reaches_the_log(
    sqlite_accounts: AccountsUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sqlite_accounts.recruiter()
    a = sqlite_accounts.accounts
    with pytest.raises(AccountError):
        a.sign_in("anne@example.org", "secret-mot-de-passe", CLIENT)
    a.disable(a.recruiter_by_email("anne@example.org")[0])  # type: ignore[index]
    assert caplog.records
    for text in ("anne", "example.org", "secret-mot-de-passe", PASSWORD, "Exemple"):
        assert text.lower() not in caplog.text.lower()
