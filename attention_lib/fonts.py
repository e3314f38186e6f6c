"""A font for Chinese text in figures: matplotlib's default, DejaVu Sans, has no Chinese
characters and draws them as boxes.

:func:`cjk_families` is the font list to give a Text artist that may hold Chinese
(``ax.set_xticklabels(labels, fontfamily=cjk_families())``): DejaVu Sans first, so Latin
text looks as in every other figure, then the first installed font of :data:`CJK_FONTS`,
which matplotlib falls back to for the characters DejaVu Sans lacks. Nothing is changed
globally. The collection installs Noto Sans CJK (Debian's ``fonts-noto-cjk``: in
``.ci/run`` and in ``binder/apt.txt``); Windows and macOS ship one of the others.
"""

from __future__ import annotations

import functools

#: Fonts with simplified Chinese, best first: Noto Sans CJK (Linux, Binder), then the
#: system fonts of Windows and macOS.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC",
             "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
             "Heiti SC", "Arial Unicode MS")


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
