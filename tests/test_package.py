"""The package imports from any folder without TensorFlow, and with no side effects."""

import os
import subprocess
import sys
import textwrap


def run(code: str, cwd: str) -> str:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, check=True,
                          capture_output=True, text=True).stdout


def test_import_does_not_load_tensorflow_from_another_folder(tmp_path):
    out = run("""
        import sys
        import attention_lib
        import attention_lib.exercises, attention_lib.keras_check, attention_lib.plots
        heavy = sorted(m for m in ("tensorflow", "keras") if m in sys.modules)
        print(attention_lib.__file__, heavy)
    """, cwd=str(tmp_path))
    path, heavy = out.rsplit(" ", 1)
    assert heavy.strip() == "[]"
    assert os.path.isabs(path)


def test_import_changes_no_global_state(tmp_path):
    out = run("""
        import numpy as np, matplotlib
        before = (np.random.get_state()[1][:4].tolist(), dict(matplotlib.rcParams))
        import attention_lib, attention_lib.plots, attention_lib.exercises
        after = (np.random.get_state()[1][:4].tolist(), dict(matplotlib.rcParams))
        print(before == after)
    """, cwd=str(tmp_path))
    assert out.strip() == "True"


def test_keras_check_imports_tensorflow_only_when_used(tmp_path):
    out = run("""
        import sys
        from attention_lib import keras_check
        from attention_lib.data import seed_arrays
        print("tensorflow" in sys.modules, end=" ")
        s = seed_arrays()
        keras_check.check_attention(s["query"], s["value"]).assert_ok()
        print("tensorflow" in sys.modules)
    """, cwd=str(tmp_path))
    assert out.strip() == "False True"
