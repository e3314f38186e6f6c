"""A font for Chinese text in figures: matplotlib's default, DejaVu Sans, has no Chinese
characters and draws them as boxes.

:func:`cjk_families` is the font list to give a Text artist that may hold Chinese
(``ax.set_xticklabels(labels, fontfamily=cjk_families())``): DejaVu Sans first, so Latin
text looks as in every other figure, then the first installed font of :data:`CJK_FONTS`,
which matplotlib falls back to for the characters DejaVu Sans lacks.

:func:`fit_fonts` does this for a whole drawing, after it is drawn: every Text artist of
an Axes or Figure (titles, axis and tick labels, legend entries, annotations) that holds
Chinese gets a font list that has it (:func:`families_for`), and every other keeps the
font it had, so an English figure is exactly what it was. :class:`DefaultText` is a
default argument written in English that a figure shows in the language in use.

Nothing is changed globally. The collection installs Noto Sans CJK (Debian's
``fonts-noto-cjk``: in ``.ci/run`` and in ``binder/apt.txt``); Windows and macOS ship one
of the others.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .i18n import say

__all__ = ["CJK_FONTS", "DefaultText", "cjk_families", "cjk_font", "families_for",
           "fit_fonts", "has_cjk", "said"]

#: Fonts with simplified Chinese, best first: Noto Sans CJK (Linux, Binder), then the
#: system fonts of Windows and macOS.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC",
             "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
             "Heiti SC", "Arial Unicode MS")

#: Characters DejaVu Sans lacks that Chinese text uses: CJK radicals, punctuation
#: (、。「」), kana, ideographs and their extension A, compatibility ideographs, the
#: full-width forms (，：；（）！？).
_CJK = re.compile("[\u2e80-\u2fff\u3000-\u30ff\u3100-\u33ff\u3400-\u4dbf"
                  "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


@functools.cache
def cjk_font() -> str | None:
    """The first font of :data:`CJK_FONTS` that matplotlib knows, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def cjk_families() -> list[str]:
    """``["DejaVu Sans", <the CJK font>]``, or ``["DejaVu Sans"]`` when none is installed
    (Chinese then shows as boxes, and matplotlib warns that glyphs are missing).
    """
    font = cjk_font()
    return ["DejaVu Sans"] if font is None else ["DejaVu Sans", font]


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese (CJK) character or full-width punctuation."""
    return _CJK.search(text) is not None


def families_for(text: str, family: Any = None) -> list[str] | None:
    """The font list that draws ``text`` whole, or None when its font already does (no
    Chinese in it, or no CJK font installed).

    ``family`` is the text's font family now (default: matplotlib's ``font.family``,
    read when called, not changed). Plain text keeps it first, so Latin letters look as
    before, and falls back to the CJK font for the rest. Mathtext (text with ``$...$``)
    draws everything outside the dollars in its first font alone, with no fallback: there
    the CJK font comes first (it has Latin letters too), and the maths keeps matplotlib's
    mathtext fonts.
    """
    font = cjk_font()
    if font is None or not has_cjk(text):
        return None
    from matplotlib import cbook, rcParams

    now = rcParams["font.family"] if family is None else family
    rest = [now] if isinstance(now, str) else [str(f) for f in now]
    rest = [f for f in rest if f != font]
    return [font, *rest] if cbook.is_math_text(text) else [*rest, font]


def fit_fonts(*artists: Any) -> None:
    """Give every Text artist in ``artists`` (Axes, Figures, Legends or Texts, searched
    through their children) whose text holds Chinese a font list that has it
    (:func:`families_for`); leave every other text as it is.

    Call it when a drawing is done, and again on a text set later (a title redrawn by a
    slider). Multi-line text is judged whole: a mathtext line then draws its Latin words
    in the CJK font too.
    """
    from matplotlib.text import Text

    for artist in artists:
        texts = [artist] if isinstance(artist, Text) else artist.findobj(Text)
        for text in texts:
            families = families_for(text.get_text(), text.get_fontfamily())
            if families is not None:
                text.set_fontfamily(families)


class DefaultText(str):
    """A default argument's text: a ``str`` holding the English, with the Chinese beside
    it, so a signature reads ``title: str = DefaultText("mask", "掩码")`` and a caller's
    own string (even ``"mask"``) is never translated. :func:`said` gives the text to draw.
    """

    zh: str

    def __new__(cls, en: str, zh: str) -> DefaultText:
        text = super().__new__(cls, en)
        text.zh = zh
        return text


def said(text: str) -> str:
    """``text`` as a figure shows it: a :class:`DefaultText` in the language in use
    (:func:`attention_lib.i18n.say`), any other string as it is."""
    return say(str(text), text.zh) if isinstance(text, DefaultText) else text
