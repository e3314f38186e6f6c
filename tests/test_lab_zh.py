"""tools/lab_zh.py (`make lab-zh`): JupyterLab in Chinese from a settings folder of its own,
the kernels told to speak Chinese; the user's own settings untouched. The menus' Chinese
(文件 编辑 查看 运行 内核) is checked in Chromium by tests/browser/test_chinese_interface.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import lab_zh  # noqa: E402
import present  # noqa: E402


def test_the_locale_goes_into_a_settings_folder_of_its_own(tmp_path):
    user = tmp_path / "user"
    theme = present.settings_file(user, "@jupyterlab/apputils-extension:themes")
    theme.parent.mkdir(parents=True)
    theme.write_text('{"theme": "JupyterLab Dark"}', encoding="utf-8")
    target = tmp_path / "zh"
    written = present.write_settings(target, user, lab_zh.CHINESE)
    assert written == present.settings_file(target, "@jupyterlab/translation-extension:plugin")
    assert json.loads(written.read_text(encoding="utf-8")) == {"locale": "zh_CN"}
    copied = present.settings_file(target, "@jupyterlab/apputils-extension:themes")
    assert json.loads(copied.read_text(encoding="utf-8")) == {"theme": "JupyterLab Dark"}
    assert not present.settings_file(user, "@jupyterlab/translation-extension:plugin").exists()


def test_the_command_line(capsys):
    argv = lab_zh.build_argv(Path("/s"), no_browser=True, port=8899, is_root=True)
    assert argv[1:] == ["lab", "notebooks/zh-CN", "--LabApp.user_settings_dir=/s", "--no-browser",
                        "--ServerApp.ip=127.0.0.1", "--port=8899", "--allow-root"]
    assert lab_zh.main(["--dry-run"]) == 0
    assert capsys.readouterr().out.startswith("ATTENTION_LIB_LANGUAGE=zh-CN ")


def test_the_language_pack_is_pinned_where_binder_reads_it():
    pins = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    assert "jupyterlab-language-pack-zh-CN==" in pins
