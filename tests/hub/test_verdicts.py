"""The passer-by's verdict at the hub: the heartbeat's cumulative `verdict.*` counters become
answers per terminal and ISO week (a restart of the terminal seen by its uptime or a total that
went down), shown beside the funnel and on the terminal's page, in a real browser too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from sqlalchemy import insert

from hub.models import TerminalWeekVerdicts
from hub.verdicts import ANSWERS, KEEP_WEEKS, increase, week_of
from tests.hub.a11y import assert_accessible
from tests.hub.browsing import (
    PHONE,
    SIZES,
    chromium,
    console_errors,
    fresh,
    viewport,
    wait,
    width,
)
from tests.hub.conftest import START, RunningHub
from tests.hub.test_funnel import _signed_in, _tables

DAY = 86400
BEAT = {"version": "0.4.0", "offers": 3, "queue_depth": 0, "free_disk_mb": 9000}


def _beat(uptime_s: int, **answers: int) -> dict[str, Any]:
    counters = {f"verdict.{answer}": count for answer, count in answers.items()}
    return BEAT | {"uptime_s": uptime_s, "counters": counters | {"sessions.started": 40}}


def _weeks(hub: RunningHub) -> dict[tuple[str, str], tuple[int, ...]]:
    """{(terminal, ISO week): (helped, neutral, not_helped, skipped, unanswered)}."""
    with hub.services.db.read() as connection:
        rows = connection.execute(TerminalWeekVerdicts.__table__.select()).mappings()
        return {
            (row["terminal_id"], _iso_week(row["week"])): tuple(row[a] for a in ANSWERS)
            for row in rows
        }


def _iso_week(epoch_day: int) -> str:
    year, number, weekday = datetime.fromtimestamp(epoch_day * DAY, UTC).isocalendar()
    assert weekday == 1, "a week is stored as its Monday"
    return f"{year}-W{number:02d}"


# -- the increase between two heartbeats -------------------------------------------------------


def _totals(**answers: int) -> dict[str, int]:
    return {answer: answers.get(answer, 0) for answer in ANSWERS}


def test_the_increase_is_the_difference_unless_the_terminal_restarted() -> None:
    before = _totals(helped=3, skipped=1)
    # Running on: what it counted since.
    assert increase(before, 500, _totals(helped=5, skipped=1), 560) == _totals(helped=2)
    # Its first heartbeat (or the hub's first since this table exists): all of it.
    assert increase(None, None, _totals(helped=2), 60) == _totals(helped=2)
    # Restarted: the uptime went down, the totals start again from zero.
    assert increase(before, 500, _totals(helped=4, skipped=1), 30) == _totals(helped=4, skipped=1)
    # Restarted between two heartbeats far apart (the uptime is higher again), seen by a total
    # that went down.
    assert increase(before, 500, _totals(helped=1, neutral=2), 9000) == _totals(helped=1, neutral=2)


def test_weeks_start_on_monday() -> None:
    monday = datetime(2026, 11, 16, tzinfo=UTC).timestamp()
    for offset in (0, 3 * DAY, 6 * DAY + 86399):
        assert week_of(int(monday + offset)) == int(monday) // DAY
    assert week_of(int(monday + 7 * DAY)) == int(monday) // DAY + 7


# -- through the heartbeat ---------------------------------------------------------------------


def test_two_heartbeats_with_a_restart_between_count_each_answer_once(hub: RunningHub) -> None:
    assert datetime.fromtimestamp(START, UTC).isocalendar()[:2] == (2026, 47)
    terminal = hub.client(hub.enrol("gare-01"))

    def send(beat: dict[str, Any]) -> None:
        answer = terminal.post("/v1/heartbeat", json=beat)
        assert answer.status_code == 200, answer.text

    send(_beat(100, helped=2, skipped=1))
    assert _weeks(hub) == {("gare-01", "2026-W47"): (2, 0, 0, 1, 0)}
    hub.clock.advance(60)
    send(_beat(160, helped=2, skipped=1))  # nothing new: nothing added
    send(_beat(220, helped=3, neutral=1, skipped=1, unanswered=1))
    assert _weeks(hub) == {("gare-01", "2026-W47"): (3, 1, 0, 1, 1)}
    # The terminal restarts: its totals start again from zero (uptime 40 < 220).
    hub.clock.advance(300)
    send(_beat(40, not_helped=1))
    assert _weeks(hub) == {("gare-01", "2026-W47"): (3, 1, 1, 1, 1)}
    # Next week, another restart only the totals show (the uptime is higher than before).
    hub.clock.advance(7 * DAY)
    send(_beat(9000, helped=1))
    send(_beat(9060, helped=2))
    assert _weeks(hub) == {
        ("gare-01", "2026-W47"): (3, 1, 1, 1, 1),
        ("gare-01", "2026-W48"): (2, 0, 0, 0, 0),
    }
    # Another terminal counts for itself; a heartbeat without verdict counters adds no row.
    other = hub.client(hub.enrol("gare-02"))
    assert other.post("/v1/heartbeat", json=_beat(10)).status_code == 200
    assert other.post("/v1/heartbeat", json=_beat(70, neutral=4)).status_code == 200
    assert _weeks(hub)[("gare-02", "2026-W48")] == (0, 4, 0, 0, 0)
    assert len(_weeks(hub)) == 3


def test_weeks_are_forgotten_after_two_years(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    terminal = hub.client(hub.enrol("gare-01"))
    assert terminal.post("/v1/heartbeat", json=_beat(100, helped=2)).is_success
    assert KEEP_WEEKS == 104  # as docs/operators.md says
    hub.clock.advance((KEEP_WEEKS - 1) * 7 * DAY)
    assert terminal.post("/v1/heartbeat", json=_beat(200, helped=3)).is_success
    assert hub.services.purge()["verdict_weeks"] == 0  # this week and the 103 before are kept
    assert set(_weeks(hub)) == {("gare-01", "2026-W47"), ("gare-01", "2028-W45")}
    hub.clock.advance(7 * DAY)
    assert hub.services.purge()["verdict_weeks"] == 1
    assert _weeks(hub) == {("gare-01", "2028-W45"): (1, 0, 0, 0, 0)}


# -- the pages ---------------------------------------------------------------------------------


def _seed(hub: RunningHub) -> None:
    """gare-01 answered in two weeks, gare-02 in the last one only; gare-03 never."""
    one = hub.client(hub.enrol("gare-01"))
    two = hub.client(hub.enrol("gare-02"))
    hub.enrol("gare-03")
    assert one.post("/v1/heartbeat", json=_beat(100, helped=3, not_helped=1)).is_success
    hub.clock.advance(7 * DAY)
    assert one.post("/v1/heartbeat", json=_beat(700, helped=4, neutral=1, not_helped=1)).is_success
    beat = _beat(50, helped=1, neutral=1, not_helped=2, skipped=3, unanswered=2)
    assert two.post("/v1/heartbeat", json=beat).is_success


def test_the_verdict_table_beside_the_funnel_and_on_a_terminals_page(
    sqlite_hub: RunningHub,
) -> None:
    hub = sqlite_hub
    _seed(hub)
    browser = _signed_in(hub)
    page = browser.get("/fleet/funnel")
    assert page.status_code == 200
    assert 'href="#verdicts"' in page.text
    assert _tables(page.text)["verdict-weeks"] == [
        ["Week", "Terminal", "Helped", "So-so", "Not helped", "Skipped", "No answer",
         "Share helped"],
        ["2026-W48 23 Nov – 29 Nov", "gare-01", "1", "1", "0", "0", "0", "50 %"],
        ["2026-W48 23 Nov – 29 Nov", "gare-02", "1", "1", "2", "3", "2", "25 %"],
        ["2026-W47 16 Nov – 22 Nov", "gare-01", "3", "0", "1", "0", "0", "75 %"],
    ]  # fmt: skip
    total = re.search(r'id="verdict-total">(.*?)</dl>', page.text, re.S)
    assert total is not None
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", total.group(1))).strip()
    assert words == (
        "Helped 5 50 % of answers So-so 2 Not helped 3 Skipped 3 No answer 2"
    )  # 5 of the 10 faces chosen
    # Monday of the week after: the last 7 days overlap it and the week of both terminals.
    hub.clock.advance(3 * DAY)
    browser = _signed_in(hub)  # (the operator's session lasts hours, not days)
    week = _tables(browser.get("/fleet/funnel", params={"days": 7}).text)["verdict-weeks"]
    assert [row[:2] for row in week[1:]] == [
        ["2026-W48 23 Nov – 29 Nov", "gare-01"],
        ["2026-W48 23 Nov – 29 Nov", "gare-02"],
    ]
    assert browser.get("/fleet/funnel", params={"verdicts_page": 0}).status_code == 422

    terminal = browser.get("/fleet/terminals/gare-01")
    assert _tables(terminal.text)["verdict-weeks"][1:] == [
        ["2026-W48 23 Nov – 29 Nov", "1", "1", "0", "0", "0", "50 %"],
        ["2026-W47 16 Nov – 22 Nov", "3", "0", "1", "0", "0", "75 %"],
    ]
    never = browser.get("/fleet/terminals/gare-03")
    assert 'id="verdict-weeks"' not in never.text and "No answer yet." in never.text


def test_the_verdict_table_pages(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    rows = [
        {"terminal_id": f"gare-{n:02d}", "week": week_of(int(START)), "helped": 1, "neutral": 0,
         "not_helped": 0, "skipped": 0, "unanswered": 0}
        for n in range(55)
    ]  # fmt: skip
    with hub.services.db.write() as connection:
        connection.execute(insert(TerminalWeekVerdicts), rows)
    browser: httpx.Client = _signed_in(hub)
    first = _tables(browser.get("/fleet/funnel").text)["verdict-weeks"]
    second = _tables(browser.get("/fleet/funnel", params={"verdicts_page": 2}).text)
    assert len(first) == 51 and first[1][1] == "gare-00"
    assert [row[1] for row in second["verdict-weeks"][1:]] == [f"gare-{n}" for n in range(50, 55)]


# -- in a real browser -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    yield from chromium()


@SIZES
def test_the_verdict_tables_in_a_browser(
    driver: WebDriver, sqlite_hub: RunningHub, size: tuple[int, int]
) -> None:
    hub = sqlite_hub
    _seed(hub)
    page = fresh(driver)
    viewport(page, size)
    page.get(f"{hub.url}/fleet/login")
    page.find_element(By.ID, "token").send_keys(hub.operator_token)
    page.find_element(By.CSS_SELECTOR, "form[action='/fleet/login'] button").click()
    wait(page).until(expected_conditions.url_to_be(f"{hub.url}/fleet"))
    for path in ("/fleet/funnel#verdicts", "/fleet/terminals/gare-01"):
        page.get(f"{hub.url}{path}")
        table = page.find_element(By.ID, "verdict-weeks")
        assert table.is_displayed()
        assert "gare-01" in page.find_element(By.TAG_NAME, "main").text
        scroll, inner = width(page)
        assert scroll <= inner, f"{path} is {scroll} px wide in a {inner} px window"
        assert_accessible(page, f"{path} at {size}")
    if size == PHONE:  # the rows become cards, each figure with its label
        cell = page.find_element(By.CSS_SELECTOR, "#verdict-weeks td[data-label='Share helped']")
        assert cell.text == "50 %"
    assert console_errors(page) == []
