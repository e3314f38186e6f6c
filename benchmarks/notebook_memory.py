"""Peak memory of each notebook's kernel: every notebooks/NN_*.ipynb runs top to bottom in
a fresh kernel of its own (nbclient, working directory notebooks/, as
tools/execute_notebooks.py runs it); then one more cell, run in that kernel, reads the
kernel process's peak resident memory (VmHWM in /proc/self/status: the high-water mark
over its whole life, so nothing between two polls is missed) and whether TensorFlow was
ever imported (``"tensorflow" in sys.modules``).

    .venv/bin/python benchmarks/notebook_memory.py [notebooks/NN_name.ipynb ...]

Targets (issue #7; mybinder.org gives 1-2 GB and a student opens several notebooks):
at most 700 MB for any notebook; at most 200 MB, and no TensorFlow import, for the
notebooks the README lists as not needing TensorFlow. Prints a table with PASS or MISS;
it does not fail.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat

from attention_lib.collection import readme_tensorflow_column

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from execute_notebooks import notebook_paths, run_notebook  # noqa: E402  (the one nbclient run)

NOTEBOOKS = ROOT / "notebooks"
TARGET_ANY_MB = 700.0
TARGET_NO_TF_MB = 200.0

_PROBE = """
import json as _json, resource as _resource, sys as _sys
try:
    _hwm = next(int(line.split()[1]) for line in open("/proc/self/status")
                if line.startswith("VmHWM:")) / 1024
except OSError:  # not Linux: ru_maxrss is in bytes on macOS, kilobytes elsewhere
    _r = _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss
    _hwm = _r / 2**20 if _sys.platform == "darwin" else _r / 1024
print(_json.dumps({"peak_mb": _hwm, "tensorflow": "tensorflow" in _sys.modules}))
"""


def measure(path: Path, timeout: int = 900) -> dict:
    """Run the notebook, then the probe cell, in one fresh kernel."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(_PROBE))
    seconds = run_notebook(nb, path.parent, timeout, store_widget_state=False)
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs
                   if o.get("output_type") == "stream")
    result = json.loads(text.strip().splitlines()[-1])
    result["seconds"] = seconds
    return result


def main(argv: list[str] | None = None) -> int:
    paths = notebook_paths(argv, __doc__.splitlines()[0])
    listed = readme_tensorflow_column(ROOT / "README.md")
    print(f"kernel peak memory (VmHWM), each notebook in a fresh kernel; targets: "
          f"<= {TARGET_ANY_MB:.0f} MB any, <= {TARGET_NO_TF_MB:.0f} MB and no TensorFlow "
          "for the notebooks the README lists without it")
    print(f"{'notebook':<40} {'README TF':>9} {'imports TF':>10} {'peak MB':>8} "
          f"{'target':>7} {'run s':>6}  verdict")
    misses = 0
    for path in paths:
        r = measure(path.resolve())
        needs = listed.get(path.name)
        target = TARGET_NO_TF_MB if needs is False else TARGET_ANY_MB
        ok = r["peak_mb"] <= target and not (needs is False and r["tensorflow"])
        misses += not ok
        readme = {True: "yes", False: "no", None: "unlisted"}[needs]
        print(f"{path.name:<40} {readme:>9} {'yes' if r['tensorflow'] else 'no':>10} "
              f"{r['peak_mb']:8.0f} {target:7.0f} {r['seconds']:6.1f}  "
              f"{'PASS' if ok else 'MISS'}", flush=True)
    print(f"{'PASS' if misses == 0 else 'MISS'}: {len(paths) - misses} of {len(paths)} "
          "notebooks within their memory target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
