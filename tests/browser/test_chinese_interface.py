"""JupyterLab's interface in Chinese (issue 15): with the translation plugin's locale set to
zh_CN, as `make lab-zh` (tools/lab_zh.py) sets it, the menus read 文件 编辑 查看 运行 内核
(jupyterlab-language-pack-zh-CN); set back to English, they read File Edit View Run
Kernel again."""

from __future__ import annotations

import json
import sys

from labdriver import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import lab_zh  # noqa: E402

PLUGIN = "@jupyterlab/translation-extension:plugin"


def _menus(page, lab_server):
    page.goto(lab_server.notebook_url("00_start_here.ipynb"), wait_until="domcontentloaded",
              timeout=90_000)
    page.wait_for_selector(".lm-MenuBar-itemLabel", timeout=90_000)
    page.wait_for_timeout(1500)
    return [e.inner_text() for e in page.locator(".lm-MenuBar-itemLabel").all()]


def test_the_menus_in_chinese_then_english(page, lab_server):
    locale = lab_zh.CHINESE[PLUGIN]
    try:
        lab_server.api("PUT", f"/lab/api/settings/{PLUGIN}", body={"raw": json.dumps(locale)})
        menus = _menus(page, lab_server)
        assert menus[:5] == ["文件", "编辑", "查看", "运行", "内核"], menus
    finally:
        lab_server.api("PUT", f"/lab/api/settings/{PLUGIN}",
                       body={"raw": json.dumps({"locale": "en"})})
    menus = _menus(page, lab_server)
    assert menus[:5] == ["File", "Edit", "View", "Run", "Kernel"], menus


def test_the_language_links_switch_the_interface(page, lab_server):
    """What a Chinese Binder link does: <server>/lab-zh/tree/<notebook> (attention_lib.
    lab_server) opens the notebook with Chinese menus; lab-en/tree/<notebook> switches back."""
    def menus_at(prefix):
        page.goto(f"{lab_server.url}/{prefix}/tree/00_start_here.ipynb?reset&token="
                  f"{lab_server.token}", wait_until="domcontentloaded", timeout=90_000)
        page.wait_for_selector(".lm-MenuBar-itemLabel", timeout=90_000)
        page.wait_for_timeout(1500)
        assert page.url.split("?")[0].endswith("/lab/tree/00_start_here.ipynb"), page.url
        return [e.inner_text() for e in page.locator(".lm-MenuBar-itemLabel").all()]

    try:
        assert menus_at("lab-zh")[:5] == ["文件", "编辑", "查看", "运行", "内核"]
    finally:
        assert menus_at("lab-en")[:5] == ["File", "Edit", "View", "Run", "Kernel"]
