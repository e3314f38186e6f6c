"""The committed notebooks print the same text on any CPU.

Another processor (Intel or AMD, with or without AVX-512) rounds float32 differently, and
a notebook that printed those last digits would pass nbval on one machine and fail on the
next. This machine can imitate another one: each perturbation below changes how
TensorFlow and numpy compute, and so their float32 results. The tests

1. show that each perturbation really changes raw float32 results here (a perturbation
   that changes nothing checks nothing), and print the differences;
2. re-execute the notebooks under each perturbation and require nbval in strict mode to
   pass, against the same committed outputs the plain run compares with.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from attention_lib import tensorflow_env

ROOT = Path(__file__).resolve().parents[1]
PROBE = ROOT / "tests" / "portability_probe.py"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

#: name -> (environment, notebooks to re-execute under it).
PERTURBATIONS = {
    # TensorFlow's oneDNN kernels (the plain run has them off), limited to AVX2: what a
    # CPU without AVX-512 runs.
    "onednn-avx2": {"TF_ENABLE_ONEDNN_OPTS": "1", "ONEDNN_MAX_CPU_ISA": "AVX2"},
    # oneDNN at this CPU's full width, and numpy's OpenBLAS with the kernels it picks on
    # an Intel Haswell.
    "onednn-openblas-haswell": {"TF_ENABLE_ONEDNN_OPTS": "1",
                                "OPENBLAS_CORETYPE": "Haswell"},
}

pytestmark = pytest.mark.skipif(
    platform.machine().lower() not in ("x86_64", "amd64"),
    reason="the perturbations (oneDNN's ISA limit, OpenBLAS core types) are x86 ones")


def perturbed_env(name: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("TF_ENABLE_ONEDNN_OPTS", "ONEDNN_MAX_CPU_ISA", "OPENBLAS_CORETYPE"):
        env.pop(key, None)
    if name is not None:
        env.update(PERTURBATIONS[name])
    return dict(tensorflow_env.quiet(env))


def probe(name: str | None, tmp_path: Path) -> dict[str, np.ndarray]:
    out = tmp_path / f"{name or 'plain'}.npz"
    subprocess.run([sys.executable, str(PROBE), str(out)], env=perturbed_env(name),
                   check=True, cwd=ROOT, capture_output=True, timeout=300)
    with np.load(out) as data:
        return {key: data[key] for key in data.files}


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    return probe(None, tmp_path_factory.mktemp("probe"))


@pytest.mark.parametrize("name", PERTURBATIONS)
def test_the_perturbation_changes_float32_results(name, plain, tmp_path):
    perturbed = probe(name, tmp_path)
    diffs = {key: float(np.max(np.abs(plain[key].astype(np.float64) - perturbed[key])))
             for key in plain}
    print(f"{name}: largest raw float32 difference from the plain run:")
    for key, diff in diffs.items():
        print(f"  {key:32s} {diff:.3g}")
    assert max(diffs.values()) > 0, (
        f"{name} changes no float32 result on this machine, so running the notebooks "
        f"under it checks nothing: {diffs}")
    # Only rounding: the results stay close.
    assert max(diffs.values()) < 1e-3, diffs


@pytest.mark.parametrize("name", PERTURBATIONS)
def test_notebooks_pass_nbval_strict_under(name):
    cmd = [sys.executable, "-m", "pytest", *(str(p) for p in NOTEBOOKS), "--nbval",
           "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
           "-p", "no:cacheprovider", "-q", "--no-header"]
    run = subprocess.run(cmd, env=perturbed_env(name), cwd=ROOT, capture_output=True,
                         text=True, timeout=1800)
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    print(f"{name}: {summary}")
    assert run.returncode == 0, (
        f"nbval strict fails under {name} ({PERTURBATIONS[name]}): a notebook prints "
        f"digits that depend on the CPU\n{run.stdout[-6000:]}\n{run.stderr[-2000:]}")
