"""The static site in Chromium, as a student without a kernel meets it: both editions'
indexes and a notebook page each, screenshotted to artifacts/screenshots/site/, the
Chinese drawn in a CJK font (not as boxes), and the language switch leading to the same
page of the other edition."""

from __future__ import annotations

import subprocess
import sys

import pytest
from labdriver import ARTIFACTS, ROOT

SHOTS = ARTIFACTS / "screenshots" / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_site.py"), "--out", str(out)],
                   check=True, capture_output=True, cwd=ROOT)
    return out


def _fonts_used(page, selector):
    """The font families Chromium actually used to draw the text of ``selector``."""
    client = page.context.new_cdp_session(page)
    client.send("DOM.enable")
    client.send("CSS.enable")
    root = client.send("DOM.getDocument")["root"]["nodeId"]
    node = client.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = client.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {f["familyName"] for f in fonts}


@pytest.mark.parametrize("page_name", ["index.html", "03_three_stage_computation.html"])
def test_both_editions_and_the_switch(browser, site, page_name):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("http*://**", lambda route: route.abort())  # nothing from the network
    try:
        page = context.new_page()
        page.goto((site / page_name).as_uri())
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"en-{page_name}.png"))
        switch = page.get_by_role("link", name="中文", exact=True)
        switch.click()
        page.wait_for_load_state()
        assert page.url == (site / "zh-CN" / page_name).as_uri()
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        page.screenshot(path=str(SHOTS / f"zh-CN-{page_name}.png"))
        heading = "h1"
        assert any(c >= "\u4e00" for c in page.locator(heading).first.inner_text())
        used = _fonts_used(page, heading)
        assert any("CJK" in f or "Han" in f for f in used), (
            f"the Chinese heading was drawn with {used}, not a CJK font")
        page.get_by_role("link", name="English", exact=True).click()
        page.wait_for_load_state()
        assert page.url == (site / page_name).as_uri()
    finally:
        context.close()

