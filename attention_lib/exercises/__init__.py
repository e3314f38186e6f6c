"""Checked exercises: a student writes a number, an array or a function; ``check`` says
right, or gives a hint naming what is off (a shape, a row's sum, a position) without
revealing the answer. The verdicts and hints speak Chinese when the language is zh-CN
(:mod:`attention_lib.i18n`).

Each notebook's exercises live in their own module (``nb03.py`` and so on) and register
themselves with :func:`register`. In a notebook::

    from attention_lib.exercises import check
    answer = None  # your answer here
    check("03.1", answer)

Introduced in notebooks/02_what_is_attention.ipynb.
"""

from __future__ import annotations

import importlib
import pkgutil

from ._core import (
    Exercise,
    Feedback,
    check,
    compare_array,
    compare_function,
    compare_number,
    exercises_for,
    register,
)

# Importing each nbNN module registers that notebook's exercises.
for _module in pkgutil.iter_modules(__path__):
    if _module.name.startswith("nb"):
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["Exercise", "Feedback", "check", "compare_array", "compare_function",
           "compare_number", "exercises_for", "register"]
