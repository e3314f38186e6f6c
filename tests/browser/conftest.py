"""Fixtures for the browser tests: one JupyterLab server and one Chromium for the session.

Without Chromium (or playwright) the tests are skipped on a developer's machine, but
under CI (CI=true) they fail: .ci/run installs both, so a skip there would hide a
broken install.
"""

from __future__ import annotations

import os

import pytest
from labdriver import (
    ZH_NOTEBOOKS,
    LabServer,
    chromium_missing_message,
    launch_chromium,
    notebook_paths,
)


def _require_browser() -> None:
    missing = chromium_missing_message()
    if missing is None:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests cannot run under CI: {missing}", pytrace=False)
    pytest.skip(missing)


@pytest.fixture(scope="session")
def lab_server():
    _require_browser()
    server = LabServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def lab_server_zh():
    """A second server, serving a copy of the Chinese edition (notebooks/zh-CN/); the pages
    open it through the ``lab-zh`` link, so its interface is Chinese and the English
    server's settings stay as they are."""
    _require_browser()
    server = LabServer(notebooks=notebook_paths(ZH_NOTEBOOKS))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = launch_chromium(pw)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, lab_server):
    """A fresh browser page; every kernel is shut down after the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()
        lab_server.shutdown_kernels()
