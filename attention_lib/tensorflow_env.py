"""The one place that imports TensorFlow, and the environment it is imported in.

TensorFlow prints C++ log lines on stderr when it starts, unless two environment
variables are set before its first import (either alone leaves some lines):
``TF_CPP_MIN_LOG_LEVEL=2`` and ``TF_ENABLE_ONEDNN_OPTS=0``. The second also keeps
TensorFlow on its own kernels instead of oneDNN's, the setting the committed notebooks
were run with. Both are set with ``setdefault``: a value the caller chose (the
portability tests turn oneDNN on) is kept.

Everything that runs TensorFlow goes through here: ``keras_check`` and ``seq2seq`` call
:func:`tensorflow`; the notebook runner, the benchmarks and the tests call :func:`quiet`
for the kernels they start. Importing this module imports no TensorFlow.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from types import ModuleType

__all__ = ["QUIET", "quiet", "tensorflow"]

#: The environment TensorFlow is imported in (see the module docstring).
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}


def quiet(env: MutableMapping[str, str] | None = None) -> MutableMapping[str, str]:
    """Add :data:`QUIET` to ``env`` (``os.environ`` by default) where it is not set
    yet, and return ``env``. For a process, or a kernel's environment, before TensorFlow
    is first imported there."""
    env = os.environ if env is None else env
    for key, value in QUIET.items():
        env.setdefault(key, value)
    return env


def tensorflow() -> ModuleType:
    """Import TensorFlow quietly (no C++ log lines) and return it.

    Introduced in notebooks/04_keras_attention_api.ipynb.
    """
    quiet()
    import tensorflow as tf

    return tf
