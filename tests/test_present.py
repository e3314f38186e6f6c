"""tools/present.py (``make present NB=03``): which notebook, which settings, which command.

No server and no browser here: the argv is built and checked, never run.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import json5
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("present", ROOT / "tools" / "present.py")
assert _spec is not None and _spec.loader is not None
present = importlib.util.module_from_spec(_spec)
sys.modules["present"] = present
_spec.loader.exec_module(present)

NB03 = (ROOT / "notebooks" / "03_three_stage_computation.ipynb").resolve()


@pytest.mark.parametrize("nb", ["03", "3", " 3 ", "notebooks/03_three_stage_computation.ipynb",
                                str(NB03)])
def test_resolves_a_number_or_a_path(nb, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert present.resolve_notebook(nb) == NB03


@pytest.mark.parametrize("nb", ["42", "x", "notebooks/", "README.md", "03_missing.ipynb"])
def test_a_bad_nb_is_named_with_the_valid_numbers(nb, monkeypatch):
    monkeypatch.chdir(ROOT)
    with pytest.raises(present.NotebookNotFound) as error:
        present.resolve_notebook(nb)
    message = str(error.value)
    assert f"NB={nb}:" in message
    assert "00, 01, 02, 03" in message


def test_two_notebooks_with_one_number_are_an_error(tmp_path):
    for name in ("04_a.ipynb", "04_b.ipynb", "05_c.ipynb"):
        (tmp_path / name).write_text("{}")
    with pytest.raises(present.NotebookNotFound, match=r"NB=4: 2 notebooks .*numbered 04, 05"):
        present.resolve_notebook("4", notebooks=tmp_path)
    assert present.resolve_notebook("5", notebooks=tmp_path) == (tmp_path / "05_c.ipynb").resolve()


def test_the_command_line_exits_2_naming_nb(capsys):
    with pytest.raises(SystemExit) as stop:
        present.main(["99"])
    assert stop.value.code == 2
    assert "NB=99" in capsys.readouterr().err


def test_settings_turn_deck_mode_on(tmp_path):
    path = present.write_settings(tmp_path / "settings")
    # jupyterlab_server reads <dir>/<package>/<plugin>.jupyterlab-settings, in JSON5
    assert path == tmp_path / "settings" / "jupyterlab-slideshow" / "plugin.jupyterlab-settings"
    assert json5.loads(path.read_text()) == {"active": True}
    news = tmp_path / "settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"
    assert json.loads(news.read_text()) == {"fetchNews": "false"}


def test_settings_copy_the_users_own_and_keep_their_other_keys(tmp_path):
    user = tmp_path / "user"
    (user / "jupyterlab-slideshow").mkdir(parents=True)
    (user / "jupyterlab-slideshow" / "plugin.jupyterlab-settings").write_text(
        '{\n  // a comment, as JupyterLab writes them\n  "active": false,\n'
        '  "showCodeCellPrompt": true,\n}\n')
    theme = user / "@jupyterlab" / "apputils-extension" / "themes.jupyterlab-settings"
    theme.parent.mkdir(parents=True)
    theme.write_text('{"theme": "JupyterLab Dark"}')
    target = tmp_path / "present"
    (target / "stale").mkdir(parents=True)  # left from the last time: removed

    path = present.write_settings(target, user)

    assert json5.loads(path.read_text()) == {"active": True, "showCodeCellPrompt": True}
    copied = target / theme.relative_to(user)
    assert copied.read_text() == '{"theme": "JupyterLab Dark"}'
    assert not (target / "stale").exists()
    # the user's own settings, which `make lab` reads, are untouched
    assert "false" in (user / "jupyterlab-slideshow" / "plugin.jupyterlab-settings").read_text()


def test_argv_opens_the_notebook_relative_to_the_repository(tmp_path):
    argv = present.build_argv(NB03, tmp_path, is_root=False)
    assert Path(argv[0]).name == "jupyter"
    assert argv[1:] == ["lab", "notebooks/03_three_stage_computation.ipynb",
                        f"--LabApp.user_settings_dir={tmp_path}"]


def test_argv_as_root_and_headless(tmp_path):
    argv = present.build_argv(NB03, tmp_path, no_browser=True, port=8899, is_root=True)
    assert argv[-4:] == ["--no-browser", "--ServerApp.ip=127.0.0.1", "--port=8899",
                         "--allow-root"]


def test_dry_run_prints_and_runs_nothing(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(present, "SETTINGS_DIR", tmp_path / "never")
    assert present.main(["3", "--dry-run", "--port", "8899"]) == 0
    out = capsys.readouterr().out
    assert "lab notebooks/03_three_stage_computation.ipynb" in out and "--port=8899" in out
    assert not (tmp_path / "never").exists()
