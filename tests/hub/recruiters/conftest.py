"""Accounts and ownership over a real database file (or PostgreSQL), with a fake clock and a
cheap Argon2 profile so that hashing does not dominate the tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher, profiles

from hub.db import Database, open_database
from hub.recruiters.accounts import Accounts
from hub.settings import RecruitersSection
from tests.hub.conftest import FakeClock

CHEAP = PasswordHasher.from_parameters(profiles.CHEAPEST)
PASSWORD = "pain au levain 7h"


@dataclass
class AccountsUnderTest:
    """Accounts over one database, and the clock that drives them."""

    accounts: Accounts
    db: Database
    clock: FakeClock
    section: RecruitersSection

    def recruiter(self, slug: str = "boulangerie", email: str = "Anne@Example.org") -> str:
        """An organisation (if new) and an active recruiter of it; their session token."""
        found = self.accounts.organisation_by_slug(slug)
        organisation = found[0] if found else self.accounts.create_organisation(slug, f"Org {slug}")
        token = self.accounts.invite(organisation, email, "Anne Exemple")
        return self.accounts.accept_invitation(token, PASSWORD)


def make_accounts(url: str, section: RecruitersSection | None = None) -> AccountsUnderTest:
    section = section or RecruitersSection(sign_in_per_minute=1000)
    clock = FakeClock()
    db = open_database(url)
    return AccountsUnderTest(Accounts(db, clock, section, hasher=CHEAP), db, clock, section)


@pytest.fixture
def accounts(database_url: str) -> Iterator[AccountsUnderTest]:
    """Accounts on SQLite and on PostgreSQL."""
    under_test = make_accounts(database_url)
    yield under_test
    under_test.db.dispose()


@pytest.fixture
def sqlite_accounts(sqlite_database: str) -> Iterator[AccountsUnderTest]:
    """Accounts on SQLite only (for tests whose subject is not the database)."""
    under_test = make_accounts(sqlite_database)
    yield under_test
    under_test.db.dispose()
