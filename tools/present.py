"""Open one notebook in JupyterLab, in jupyterlab-slideshow's deck mode, ready to present.

    make present NB=03                      # the same as:
    python tools/present.py 03              # or 3, or notebooks/03_three_stage_computation.ipynb
    python tools/present.py 03 --no-browser --port 8899     # print the URL, open nothing

It runs ``jupyter lab notebooks/NN_….ipynb`` (with ``--allow-root`` as root, like
``make lab``), so the file browser shows notebooks/ and the notebook opens with a live
kernel and its explorers. Deck mode is jupyterlab-slideshow's setting
``jupyterlab-slideshow:plugin`` ``active``: true starts the deck as the page loads. To
leave ``make lab`` as it is, that setting goes into a settings folder of its own,
``.venv/present/user-settings`` (``--LabApp.user_settings_dir``), which holds a fresh
copy of your own JupyterLab settings (theme, font size, ...) each time, with
``active: true`` added and Jupyter's news prompt off (:data:`PRESENTING`). Whatever you
change in JupyterLab while presenting stays in that copy and is gone the next time.
docs/teaching.md, "Presenting", is the teacher's guide.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from attention_lib.lab_server import settings_file, update_settings

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SETTINGS_DIR = ROOT / ".venv" / "present" / "user-settings"

#: The settings ``make present`` sets on top of the user's own, by plugin: deck mode on at
#: startup, and no "Would you like to get notified about official Jupyter news?" toast on
#: the projector (nor the news and update requests to the internet that "Always" makes).
PRESENTING: dict[str, dict[str, object]] = {
    "jupyterlab-slideshow:plugin": {"active": True},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false"},
}


class NotebookNotFound(ValueError):
    """``NB`` names no notebook, or more than one."""


def notebook_numbers(notebooks: Path = NOTEBOOKS) -> list[str]:
    """The two-digit numbers of the notebooks, sorted: ['00', '01', ...]."""
    return sorted({p.name[:2] for p in notebooks.glob("[0-9][0-9]_*.ipynb")})


def resolve_notebook(nb: str, notebooks: Path = NOTEBOOKS) -> Path:
    """The notebook that ``nb`` names: a number (``03`` or ``3``) or a path to an .ipynb."""
    numbers = ", ".join(notebook_numbers(notebooks)) or "none found"
    if re.fullmatch(r"\d{1,2}", nb.strip()):
        matches = sorted(notebooks.glob(f"{int(nb):02d}_*.ipynb"))
        if len(matches) == 1:
            return matches[0].resolve()
        what = "no notebook" if not matches else f"{len(matches)} notebooks"
        raise NotebookNotFound(f"NB={nb}: {what} in {notebooks} match {int(nb):02d}_*.ipynb "
                               f"(the notebooks are numbered {numbers})")
    path = Path(nb).expanduser()
    if path.suffix == ".ipynb" and path.is_file():
        return path.resolve()
    raise NotebookNotFound(f"NB={nb}: not a notebook number or an .ipynb file "
                           f"(the notebooks are numbered {numbers}, for example NB=03)")


def default_user_settings() -> Path:
    """The settings folder a plain ``jupyter lab`` uses (honours JUPYTERLAB_SETTINGS_DIR)."""
    from jupyterlab.commands import get_user_settings_dir  # type: ignore[import-untyped]

    return Path(get_user_settings_dir())


def write_settings(settings_dir: Path = SETTINGS_DIR,
                   user_settings: Path | None = None,
                   overrides: dict[str, dict[str, object]] | None = None) -> Path:
    """Fill ``settings_dir`` with a copy of ``user_settings`` plus ``overrides`` (by
    plugin id; :data:`PRESENTING` by default).

    Returns the settings file of the first plugin overridden. The user's other settings in
    the same files (the deck's style presets, ...) are kept.
    """
    overrides = PRESENTING if overrides is None else overrides
    if settings_dir.exists():
        shutil.rmtree(settings_dir)
    if user_settings is not None and user_settings.is_dir():
        shutil.copytree(user_settings, settings_dir)
    for plugin, values in overrides.items():
        update_settings(settings_dir, plugin, values)
    return settings_file(settings_dir, next(iter(overrides)))


def build_argv(notebook: Path, settings_dir: Path = SETTINGS_DIR, *,
               no_browser: bool = False, port: int | None = None,
               root: Path = ROOT, is_root: bool | None = None) -> list[str]:
    """The ``jupyter lab`` command line, to run from ``root``: ``notebook`` is the notebook
    (or the folder) JupyterLab opens."""
    if is_root is None:
        is_root = getattr(os, "getuid", lambda: 1)() == 0
    try:
        shown = notebook.resolve().relative_to(root.resolve())
    except ValueError:  # a notebook outside the repository
        shown = notebook.resolve()
    jupyter = Path(sys.executable).with_name("jupyter")
    argv = [str(jupyter), "lab", shown.as_posix(),
            f"--LabApp.user_settings_dir={settings_dir}"]
    if no_browser:
        argv += ["--no-browser", "--ServerApp.ip=127.0.0.1"]
    if port is not None:
        argv.append(f"--port={port}")
    if is_root:  # as root (a container, CI) Jupyter refuses to start without it
        argv.append("--allow-root")
    return argv


def add_server_options(parser: argparse.ArgumentParser) -> None:
    """--no-browser, --port and --dry-run, for this tool and tools/lab_zh.py."""
    parser.add_argument("--no-browser", action="store_true",
                        help="start the server on 127.0.0.1 without opening a browser")
    parser.add_argument("--port", type=int, help="the server's port (default: 8888 or next)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the command line instead of running it")


def main(args: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Open a notebook in JupyterLab in deck mode (jupyterlab-slideshow).")
    parser.add_argument("nb", metavar="NB",
                        help="a notebook number (03 or 3) or the path to a notebook")
    add_server_options(parser)
    options = parser.parse_args(args)
    try:
        notebook = resolve_notebook(options.nb)
    except NotebookNotFound as error:
        parser.exit(2, f"{parser.prog}: error: {error}\n")
    argv = build_argv(notebook, SETTINGS_DIR, no_browser=options.no_browser,
                      port=options.port)
    if options.dry_run:
        print(" ".join(argv))
        return 0
    write_settings(SETTINGS_DIR, default_user_settings())
    print("Deck mode: <- -> up down, Space, Shift+Enter runs a cell and advances;"
          " the toolbar's deck icon or the palette's Stop Deck leaves it.", flush=True)
    return run(argv)


def run(argv: list[str]) -> int:
    """Run ``argv`` from the repository's root, in place of this process where it can."""
    os.chdir(ROOT)
    if os.name == "posix":
        os.execv(argv[0], argv)
    import subprocess

    return subprocess.call(argv)


if __name__ == "__main__":
    sys.exit(main())
