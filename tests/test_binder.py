"""Binder's configuration, checked two ways.

1. ``jupyter-repo2docker --no-build .`` prints the Dockerfile mybinder.org would build
   (no Docker needed): it must use the Python of binder/runtime.txt, install
   binder/requirements.txt and run binder/postBuild.
2. A fresh virtual environment built from the binder/ files alone (the Python that
   runtime.txt pins, ``pip install -r binder/requirements.txt``, then postBuild) runs
   every notebook top to bottom without an error, in a copy of the repository. This takes
   about two minutes (pip installs from its cache); it is part of `make test` so the
   Binder claim is checked on every run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from attention_lib import tensorflow_env

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def runtime_python() -> str:
    text = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    m = re.fullmatch(r"python-(3\.\d+)", text)
    assert m, f"binder/runtime.txt must pin python-3.X; it says {text!r}"
    return m.group(1)


def requirement_lines(path: Path) -> list[str]:
    lines = (line.split("#")[0].strip() for line in path.read_text(encoding="utf-8")
             .splitlines())
    return [line for line in lines if line]


def test_runtime_pins_python_311():
    assert runtime_python() == "3.11"


def test_binder_requirements_are_exact_pins():
    for line in requirement_lines(BINDER / "requirements.txt"):
        assert not line.startswith("-r"), "binder/ must stand alone (repo2docker reads it)"
        assert re.match(r"^[A-Za-z0-9_.\-\[\]]+==[\w.]+(\s*;.*)?$", line), (
            f"binder/requirements.txt: {line!r} is not an exact pin")


def test_project_requirements_include_binder_once():
    lines = requirement_lines(ROOT / "requirements.txt")
    assert "-r binder/requirements.txt" in lines
    binder = {re.split(r"[=;\s]", line)[0].lower()
              for line in requirement_lines(BINDER / "requirements.txt")}
    project = {re.split(r"[=;\s]", line)[0].lower() for line in lines
               if not line.startswith("-r")}
    assert not binder & project, f"pinned twice: {sorted(binder & project)}"


def test_repo2docker_dockerfile():
    exe = Path(sys.executable).with_name("jupyter-repo2docker")
    proc = subprocess.run([str(exe), "--no-build", "."], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    dockerfile = proc.stdout
    # repo2docker names its build files by path, escaping '.' as -2e and '-' as -2d.
    readable = dockerfile.replace("-2e", ".").replace("-2d", "-")
    version = runtime_python()
    assert f"environment.py-{version}-linux-64.lock" in readable, (
        f"the Dockerfile does not build the Python {version} environment")
    assert re.search(r'RUN \$\{KERNEL_PYTHON_PREFIX\}/bin/pip install .*-r '
                     r'"binder/requirements.txt"', dockerfile), "no pip install step"
    assert "RUN ./binder/postBuild" in dockerfile, "postBuild is not run"
    # binder/apt.txt: the font for Chinese in figures (attention_lib.fonts).
    assert re.search(r"apt-get install --yes --no-install-recommends fonts-noto-cjk",
                     dockerfile), "binder/apt.txt's fonts-noto-cjk is not installed"
    assert f"python={version}" in proc.stderr


BINDER_LAB = "https://mybinder.org/v2/gh/OWNER/REPO/main?urlpath=lab/tree/notebooks/"


def test_readme_has_the_badge_and_a_launch_link_for_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"[![Binder](https://mybinder.org/badge_logo.svg)]({BINDER_LAB}" in readme
    for path in NOTEBOOKS:
        assert f"({BINDER_LAB}{path.name})" in readme, f"no Binder link for {path.name}"


def base_python(version: str) -> str | None:
    """A Python of the pinned version that is not inside a virtual environment."""
    for candidate in (getattr(sys, "_base_executable", None), shutil.which(f"python{version}")):
        if not candidate:
            continue
        out = subprocess.run([candidate, "-c", "import sys; print("
                              "f'{sys.version_info[0]}.{sys.version_info[1]}', "
                              "sys.prefix != sys.base_prefix)"],
                             capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.split() == [version, "False"]:
            return candidate
    return None


def copy_repository(dest: Path) -> Path:
    skip = shutil.ignore_patterns(".venv", ".git", "artifacts", "site", "*.egg-info",
                                  "__pycache__", ".pytest_cache", ".ruff_cache",
                                  ".hypothesis", ".ipynb_checkpoints", "build", "dist")
    shutil.copytree(ROOT, dest, ignore=skip)
    return dest


def run(cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert proc.returncode == 0, (f"{' '.join(map(str, cmd))} failed:\n"
                                  f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


def test_fresh_venv_from_binder_files_runs_every_notebook(tmp_path):
    version = runtime_python()
    python = base_python(version)
    if python is None:
        message = f"no Python {version} outside a virtual environment to build the venv"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    repo = copy_repository(tmp_path / "repo")
    venv = tmp_path / "venv"
    run([python, "-m", "venv", str(venv)])
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "JUPYTER_PATH",
                        "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}/usr/bin{os.pathsep}/bin",
               JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
               **tensorflow_env.QUIET)
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "-r",
         "binder/requirements.txt"], cwd=repo, env=env, timeout=1200)
    run(["bash", "binder/postBuild"], cwd=repo, env=env, timeout=600)
    where = run([venv / "bin" / "python", "-c",
                 "import attention_lib, sys; print(attention_lib.__file__); print(sys.prefix)"],
                cwd=tmp_path, env=env).stdout.split()
    assert where[0].startswith(str(repo)) and where[1] == str(venv), where
    # postBuild also enabled the server extension (TCP_NODELAY on kernel websockets).
    listing = run([venv / "bin" / "python", "-m", "jupyter", "server", "extension", "list"],
                  cwd=tmp_path, env=env)
    text = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)
    assert re.search(r"attention_lib\.lab_server enabled", text), text
    assert re.search(r"attention_lib\.lab_server\s+OK", text), text
    # The Chinese links' menus: the language pack JupyterLab lists for zh_CN.
    packs = run([venv / "bin" / "python", "-c",
                 "from jupyterlab_server.translation_utils import get_language_packs; "
                 "print(sorted(get_language_packs()[0]))"], cwd=tmp_path, env=env).stdout
    assert "'zh_CN'" in packs, packs
    out = tmp_path / "executed"
    names = [p.name for p in NOTEBOOKS]
    run([venv / "bin" / "python", "-m", "jupyter", "nbconvert", "--to", "notebook",
         "--execute", "--ExecutePreprocessor.timeout=900",
         "--ExecutePreprocessor.kernel_name=python3", f"--output-dir={out}",
         *[f"notebooks/{n}" for n in names]], cwd=repo, env=env, timeout=1800)
    for name in names:
        nb = nbformat.read(out / name, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), f"{name} did not run every cell"
        errors = [o for c in code for o in c.outputs if o.output_type == "error"]
        assert not errors, f"{name}: {errors[0]['ename']}: {errors[0]['evalue']}"
