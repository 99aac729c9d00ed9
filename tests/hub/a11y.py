"""The accessibility check of the hub's pages: axe-core's WCAG 2.1 A and AA rules (those RGAA 4
maps to) run inside the page shown in the test browser, and phone-sized tap targets.

axe.min.js is installed by scripts/setup --browser (pinned version and checksum) into the
virtual environment's share/axe-core/. It is injected through WebDriver, which the pages'
Content-Security-Policy (no script at all) does not govern: the pages themselves stay
script-free.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver

AXE = Path(sys.prefix) / "share" / "axe-core" / "axe.min.js"
# The rules of WCAG 2.0 and 2.1, levels A and AA (axe-core's tags for them).
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BLOCKING = ("serious", "critical")
TAP_TARGET_PX = 44  # WCAG 2.5.5 (AAA) and the project's rule for pages used on a phone

_RUN = """
const [tags, done] = [arguments[0], arguments[arguments.length - 1]];
axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then((results) => done({version: axe.version, violations: results.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary}))}))}))
  .catch((error) => done({error: String(error)}));
"""

# Interactive elements smaller than the minimum on either side, except links inside running
# text (WCAG's "inline" exception); hidden ones do not count.
_SMALL_TARGETS = """
const minimum = arguments[0];
const found = [];
const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
for (const element of document.querySelectorAll(selector)) {
  const box = element.getBoundingClientRect();
  if (box.width === 0 || box.height === 0 || box.right <= 0) continue;  // hidden, or a skip link
  if (element.tagName === "A" && element.closest("p")
      && getComputedStyle(element).display === "inline") continue;
  let width = box.width, height = box.height;
  // A checkbox or radio button counts with its label, which takes the taps too.
  if (element.labels && element.labels.length && ["checkbox", "radio"].includes(element.type)) {
    const label = element.labels[0].getBoundingClientRect();
    width = Math.max(width, label.right - Math.min(label.left, box.left));
    height = Math.max(height, label.height);
  }
  if (width < minimum || height < minimum) {
    const name = element.id ? "#" + element.id
      : element.tagName.toLowerCase() + (element.name ? `[name=${element.name}]` : "")
        + (element.getAttribute("href") ? `[href="${element.getAttribute("href")}"]` : "");
    found.push(`${name} ${Math.round(width)}×${Math.round(height)}`);
  }
}
return found;
"""


@cache
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed ({AXE}): scripts/setup --browser installs it")
    return AXE.read_text(encoding="utf-8")


def axe_violations(driver: WebDriver) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page the browser shows now, all impacts."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(axe_source())
    outcome: dict[str, Any] = driver.execute_async_script(_RUN, list(WCAG_TAGS))
    if "error" in outcome:
        raise AssertionError(f"axe-core could not check {driver.current_url}: {outcome['error']}")
    violations: list[dict[str, Any]] = outcome["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """One readable paragraph per violation: rule, impact, what it asks, where."""
    lines = []
    for violation in violations:
        targets = [" ".join(node["target"]) for node in violation["nodes"]]
        more = f" (+{len(targets) - 8} more)" if len(targets) > 8 else ""
        shown = ", ".join(targets[:8]) + more
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    at {shown}")
        summary = (violation["nodes"][0].get("summary") or "").replace("\n", " ")
        if summary:
            lines.append(f"    {summary}")
    return "\n".join(lines)


def assert_accessible(driver: WebDriver, what: str = "") -> None:
    """No serious or critical WCAG 2.1 A/AA violation on the page the browser shows now."""
    blocking = [v for v in axe_violations(driver) if v["impact"] in BLOCKING]
    if blocking:
        page = what or driver.current_url
        raise AssertionError(
            f"{page}: {len(blocking)} serious or critical accessibility violations "
            f"(axe-core, WCAG 2.1 A/AA):\n{describe(blocking)}"
        )


def small_targets(driver: WebDriver, minimum: int = TAP_TARGET_PX) -> list[str]:
    """The visible links, buttons and fields smaller than `minimum` CSS pixels on a side."""
    found: list[str] = driver.execute_script(_SMALL_TARGETS, minimum)
    return found
