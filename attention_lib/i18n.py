"""The language the library speaks to a student: English, or simplified Chinese when asked
(issue 15, the Chinese edition).

One switch, read every time a text is made (never on import):

* :func:`set_language` in the kernel, or
* the environment variable ``ATTENTION_LIB_LANGUAGE`` (``en`` or ``zh-CN``), which a
  Chinese notebook sets in its one declared line, ``%env ATTENTION_LIB_LANGUAGE=zh-CN``,
  and which a teacher can set for a whole class's kernels (a JupyterHub's
  ``Spawner.environment``, Binder's ``binder/start``).

English is the default, so the English notebooks need no change. Each text is written
once with both languages beside each other (:func:`say`), so a Chinese text cannot be
missing for an English one. Error messages for wrong arguments stay English.
"""

from __future__ import annotations

import os

__all__ = ["ENV", "LANGUAGES", "language", "say", "set_language"]

#: The languages the library speaks; the first is the default.
LANGUAGES = ("en", "zh-CN")
#: The environment variable that selects the language (see the module docstring).
ENV = "ATTENTION_LIB_LANGUAGE"

_chosen: str | None = None


def _check(value: object, name: str) -> str:
    if not isinstance(value, str) or value not in LANGUAGES:
        raise ValueError(f"{name} must be one of {', '.join(LANGUAGES)}; got {value!r}")
    return value


def set_language(language: str | None) -> None:
    """Speak ``language`` ("en" or "zh-CN") from now on in this process; None goes back to
    the environment variable (or English)."""
    global _chosen
    _chosen = None if language is None else _check(language, "language")


def language() -> str:
    """The language in use: :func:`set_language`'s, else ``$ATTENTION_LIB_LANGUAGE``'s,
    else English."""
    if _chosen is not None:
        return _chosen
    value = os.environ.get(ENV, "").strip()
    return _check(value, f"the environment variable {ENV}") if value else LANGUAGES[0]


def say(en: str, zh: str) -> str:
    """The text in the language in use: ``en``, or ``zh`` (simplified Chinese)."""
    return zh if language() == "zh-CN" else en
