"""Dates as people write them, to be read back as ISO dates: the data of the date
translation task, its vocabularies and its metrics, numpy and babel only.

The source strings are not made up here: every one is a calendar day formatted with the
CLDR locale data that babel ships, in a standard format of its locale ('full', 'long',
'medium', 'short') or in the pattern CLDR gives for a skeleton ('yMMMEd', ...)::

    zh_CN full     2026年12月1日星期二        en_US full     Tuesday, December 1, 2026
    zh_CN yMEd     2026/12/1周二              en_GB medium   1 Dec 2026

The target is the day's ISO date, ``2026-12-01``: always ten characters. The string is
formatted one field at a time (babel's own field formatter, the same code path as
``babel.dates.format_date``), so the characters of the year, month, day and weekday
fields are known exactly: their spans are what attention ought to sit on.

Two choices make the task well posed (every source string names one day):

* en_GB's numeric formats (``dd/MM/y``) are left out: next to en_US's ``M/d/y`` they make
  ``12/10/2026`` mean both 10 December and 12 October. :func:`ambiguous_strings` finds
  such collisions.
* en_US 'short' (``M/d/yy``) writes a two-digit year, so a date range may span at most 100
  years (1950..2049 by default, where ``49`` is 2049 and ``50`` is 1950);
  :func:`date_data` refuses a wider range for a format with a two-digit year.

What CLDR writes (babel 2.19, CLDR 49), so not what one might expect: zh_CN's date formats
write the month in digits, ``12月``, never ``十二月`` (that wide month name is only in
CLDR's stand-alone calendar forms); its weekdays are ``星期二`` (full) or ``周二``. The
date formats of these three locales separate with plain spaces, commas and slashes only;
the U+202F narrow no-break space CLDR puts before AM/PM is in the time formats, which
are not used. The :func:`vocabulary` is built from what the formats write, and
:meth:`Vocabulary.encode` names any other character by its code point.

Calendar days are split, not examples: :func:`split_days` deals the days of the range into
train and test with a seeded permutation, so no test day is ever seen in training, in
any format.

Token ids. Source: 0 is padding, 1 .. len(chars) the characters of
:class:`Vocabulary` ``.chars``. Target: 0 padding (never used: targets are 10 long),
1 starts the decoder, 2 .. 12 are ``-0123456789``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from babel import Locale, UnknownLocaleError
from babel.dates import DateTimeFormat, match_skeleton, tokenize_pattern

from ._checks import as_float_array, as_int_array, check_int, check_rng

PAD = 0
START = 1
#: The characters of an ISO date, target ids 2 .. 12.
TARGET_CHARS = "-0123456789"
FIRST_TARGET = 2
N_TARGET_TOKENS = FIRST_TARGET + len(TARGET_CHARS)
#: The length of every target: YYYY-MM-DD.
TARGET_LEN = 10
#: The fields whose input spans are given; the first three are the output's.
FIELDS = ("year", "month", "day", "weekday")
#: The output characters of each field of YYYY-MM-DD (the dashes belong to none).
OUTPUT_STEPS = {"year": (0, 1, 2, 3), "month": (5, 6), "day": (8, 9)}
#: The pattern letters of each field (CLDR): y year; M, L month; d day; E, c, e weekday.
_FIELD_OF_LETTER = {"y": "year", "M": "month", "L": "month", "d": "day",
                    "E": "weekday", "c": "weekday", "e": "weekday"}

#: The formats of the task: (locale, 'full' / 'long' / 'medium' / 'short' or a skeleton).
#: zh_CN 'medium' is 'long' (y年M月d日) and is left out; en_GB's numeric formats collide with
#: en_US's (see the module docstring).
DEFAULT_FORMATS: tuple[tuple[str, str], ...] = (
    ("zh_CN", "full"), ("zh_CN", "long"), ("zh_CN", "short"), ("zh_CN", "yMMMEd"),
    ("zh_CN", "yMEd"),
    ("en_US", "full"), ("en_US", "long"), ("en_US", "medium"), ("en_US", "short"),
    ("en_US", "yMMMEd"), ("en_US", "yMd"),
    ("en_GB", "full"), ("en_GB", "long"), ("en_GB", "medium"), ("en_GB", "yMMMEd"),
)
STANDARD = ("full", "long", "medium", "short")
FIRST_DAY = "1950-01-01"
LAST_DAY = "2049-12-31"


# -- formats -----------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class DateFormat:
    """One way of writing a date: a CLDR ``pattern`` of ``locale``, under ``name`` (the
    standard format or the skeleton it came from)."""

    locale: str
    name: str
    pattern: str

    @property
    def language(self) -> str:
        """'zh', 'en', ...: the locale's language."""
        return self.locale.split("_")[0]

    @property
    def label(self) -> str:
        return f"{self.locale} {self.name}"

    @property
    def two_digit_year(self) -> bool:
        """Whether the year is written with its last two digits only (``yy``)."""
        return any(kind == "field" and value == ("y", 2) for kind, value in self.tokens)

    @property
    def tokens(self) -> list[tuple[str, Any]]:
        return _tokens(self.pattern)


@functools.cache
def _tokens(pattern: str) -> list[tuple[str, Any]]:
    return tokenize_pattern(pattern)


@functools.cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def date_format(locale: str, name: str) -> DateFormat:
    """The CLDR format of ``locale`` called ``name``: 'full', 'long', 'medium' or 'short',
    or a date skeleton such as 'yMMMEd' (CLDR's pattern for it in that locale)."""
    if not isinstance(locale, str) or not isinstance(name, str):
        raise TypeError(f"locale and name must be strings, e.g. date_format('en_US', "
                        f"'full'); got {locale!r}, {name!r}")
    try:
        loc = _locale(locale)
    except (UnknownLocaleError, ValueError, TypeError, LookupError) as err:
        raise ValueError(f"locale {locale!r} is not a locale babel knows ({err}); "
                         "try 'zh_CN', 'en_US' or 'en_GB'") from None
    if name in STANDARD:
        pattern = loc.date_formats[name].pattern  # babel.dates.get_date_format's source
    else:
        skeletons = loc.datetime_skeletons
        matched = name if name in skeletons else match_skeleton(name, skeletons)
        if matched is None:
            raise ValueError(f"name must be one of {', '.join(map(repr, STANDARD))} or a "
                             f"date skeleton of {locale}; {name!r} matches none")
        pattern = skeletons[matched].pattern
    fmt = DateFormat(locale, name, pattern)
    letters = {value[0] for kind, value in fmt.tokens if kind == "field"}
    bad = sorted(letters - set(_FIELD_OF_LETTER))
    missing = [f for f in ("year", "month", "day")
               if f not in {_FIELD_OF_LETTER.get(c) for c in letters}]
    if missing or bad:
        raise ValueError(f"{fmt.label} ({pattern!r}) cannot be a source of the task: "
                         + (f"it has no {', '.join(missing)} field" if missing else
                            f"it uses pattern letters {bad} beyond year, month, day "
                            "and weekday"))
    return fmt


def date_formats(specs: Iterable[tuple[str, str]] = DEFAULT_FORMATS) -> tuple[DateFormat, ...]:
    """The formats of ``specs`` ((locale, name) pairs, :data:`DEFAULT_FORMATS` by default):
    15 formats, 5 zh_CN, 6 en_US and 4 en_GB. Two specs giving one pattern are an error."""
    if isinstance(specs, (str, bytes)):
        raise TypeError("specs must be (locale, name) pairs, e.g. [('en_US', 'full')]; "
                        f"got the string {specs!r}")
    pairs = [tuple(s) for s in specs]
    if not pairs or any(len(p) != 2 for p in pairs):
        raise ValueError("specs must be a non-empty list of (locale, name) pairs, e.g. "
                         f"[('en_US', 'full')]; got {pairs!r}")
    return _date_formats(tuple(pairs))


@functools.cache
def _date_formats(pairs: tuple[tuple[str, str], ...]) -> tuple[DateFormat, ...]:
    formats = tuple(date_format(loc, name) for loc, name in pairs)
    seen: dict[tuple[str, str], str] = {}
    for f in formats:
        key = (f.locale, f.pattern)
        if key in seen:
            raise ValueError(f"{f.label} and {seen[key]} are the same pattern "
                             f"{f.pattern!r}; give each format once")
        seen[key] = f.label
    return formats


def _check_formats(formats: Any) -> tuple[DateFormat, ...]:
    if formats is None:
        return date_formats()
    if isinstance(formats, DateFormat):
        formats = (formats,)
    formats = tuple(formats)
    if not formats or not all(isinstance(f, DateFormat) for f in formats):
        raise TypeError("formats must be DateFormats from date_formats(); got "
                        f"{[type(f).__name__ for f in formats]}")
    return formats


# -- one date, with its spans --------------------------------------------------------------

def render(day: Any, fmt: DateFormat) -> tuple[str, dict[str, tuple[int, int]]]:
    """``day`` written in ``fmt``, and the span [start, end) of each field in the text
    (weekday (0, 0) where the format has none). ``text[start:end]`` is the field: '12',
    'December', 'Dec'; '2026' or '26'; '1'; 'Tuesday', '星期二'.

    Equal to ``babel.dates.format_date(day, fmt.pattern, locale=fmt.locale)``.
    """
    if not isinstance(fmt, DateFormat):
        raise TypeError(f"fmt must be a DateFormat from date_format(); got "
                        f"{type(fmt).__name__}")
    return _render(_as_date(day), fmt)


def _render(day: dt.date, fmt: DateFormat) -> tuple[str, dict[str, tuple[int, int]]]:
    fields = DateTimeFormat(day, _locale(fmt.locale))
    parts, spans, at = [], {f: (0, 0) for f in FIELDS}, 0
    for kind, value in fmt.tokens:
        if kind == "chars":
            text = value
        else:
            letter, count = value
            text = fields[letter * count]
            spans[_FIELD_OF_LETTER[letter]] = (at, at + len(text))
        parts.append(text)
        at += len(text)
    return "".join(parts), spans


def _as_date(day: Any) -> dt.date:
    if isinstance(day, dt.datetime):
        raise TypeError(f"day must be a date, not a datetime; got {day!r}")
    if isinstance(day, dt.date):
        return day
    if isinstance(day, str):
        try:
            return dt.date.fromisoformat(day)
        except ValueError:
            raise ValueError(f"day {day!r} is not an ISO date YYYY-MM-DD") from None
    if isinstance(day, np.datetime64):
        value = day.astype("datetime64[D]").astype(object)
        if isinstance(value, dt.date):
            return value
    raise TypeError(f"day must be a datetime.date, an ISO string or a numpy datetime64; "
                    f"got {day!r} ({type(day).__name__})")


def _as_day(day: Any, name: str) -> np.datetime64:
    try:
        d = _as_date(day)
    except (TypeError, ValueError) as err:
        raise type(err)(f"{name}: {err}") from None
    if not 1000 <= d.year <= 9999:
        raise ValueError(f"{name} {d} is outside the years 1000 .. 9999 (ISO targets have "
                         "four-digit years)")
    return np.datetime64(d, "D")


# -- the calendar days -----------------------------------------------------------------------

def day_range(first: Any = FIRST_DAY, last: Any = LAST_DAY) -> np.ndarray:
    """Every calendar day from ``first`` to ``last`` (both included), datetime64[D]."""
    a, b = _as_day(first, "first"), _as_day(last, "last")
    if a > b:
        raise ValueError(f"first ({a}) must not be after last ({b})")
    return np.arange(a, b + np.timedelta64(1, "D"), dtype="datetime64[D]")


def split_days(rng: np.random.Generator, *, first: Any = FIRST_DAY, last: Any = LAST_DAY,
               test_share: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """Deal the days ``first`` .. ``last`` into (train, test) by a permutation from
    ``rng``: ``test_share`` of them (rounded) are test days. Both sorted, disjoint, and
    together the whole range."""
    rng = check_rng(rng)
    days = day_range(first, last)
    if isinstance(test_share, bool) or not isinstance(test_share, (int, float)) or not (
            0 < test_share < 1):
        raise ValueError(f"test_share must be a number strictly between 0 and 1; got "
                         f"{test_share!r}")
    n_test = int(round(test_share * len(days)))
    if not 0 < n_test < len(days):
        raise ValueError(f"test_share {test_share} of {len(days)} days leaves "
                         f"{n_test} test days and {len(days) - n_test} train days; both "
                         "need at least one (widen the range)")
    order = rng.permutation(len(days))
    return np.sort(days[order[n_test:]]), np.sort(days[order[:n_test]])


def _check_days(days: Any) -> np.ndarray:
    arr = np.asarray(days)
    if arr.dtype.kind != "M":
        raise TypeError(f"days must be a numpy datetime64 array (from day_range or "
                        f"split_days); got dtype {arr.dtype}")
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"days must be a non-empty 1-d array; got shape {arr.shape}")
    arr = arr.astype("datetime64[D]")
    _as_day(arr.min(), "days (earliest)")
    _as_day(arr.max(), "days (latest)")
    return arr


# -- vocabularies -----------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Vocabulary:
    """The source characters (id i + 1 for ``chars[i]``, 0 padding) and the width
    ``max_len`` every source is padded to."""

    chars: str
    max_len: int

    @property
    def size(self) -> int:
        """The number of source token ids, padding included."""
        return len(self.chars) + 1

    @functools.cached_property
    def _ids(self) -> dict[str, int]:
        return {c: i + 1 for i, c in enumerate(self.chars)}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Source ids (n, max_len) int32 for ``texts``, padded with 0 on the right."""
        if isinstance(texts, str):
            texts = [texts]
        out = np.zeros((len(texts), self.max_len), np.int32)
        ids = self._ids
        for i, text in enumerate(texts):
            if len(text) > self.max_len:
                raise ValueError(f"texts[{i}] {text!r} has {len(text)} characters; the "
                                 f"vocabulary pads to max_len {self.max_len}")
            try:
                out[i, :len(text)] = [ids[c] for c in text]
            except KeyError as err:
                c = err.args[0]
                raise ValueError(f"texts[{i}] {text!r} holds {c!r} (U+{ord(c):04X}), which "
                                 "is not in the vocabulary") from None
        return out

    def decode(self, ids: Any) -> list[str]:
        """The texts of source ids (n, T); padding is dropped."""
        arr = as_int_array(ids, "ids", 2)
        if arr.size and (arr.min() < 0 or arr.max() > len(self.chars)):
            raise ValueError(f"ids must lie in 0 .. {len(self.chars)}; got "
                             f"{arr.min()} .. {arr.max()}")
        table = np.array([""] + list(self.chars), dtype=object)
        return ["".join(table[row[row > 0]]) for row in arr]


def vocabulary(formats: Sequence[DateFormat] | None = None) -> Vocabulary:
    """Every character the formats can write, and the longest string they write, found
    by writing every day of a leap year (every month, weekday and digit) in each; the
    year's digits vary, but years have four digits (1000 .. 9999)."""
    return _vocabulary(_check_formats(formats))


@functools.cache
def _vocabulary(formats: tuple[DateFormat, ...]) -> Vocabulary:
    year = [dt.date(2000, 1, 1) + dt.timedelta(i) for i in range(366)]
    chars, longest = set(TARGET_CHARS[1:]), 0
    for fmt in formats:
        for day in year:
            text, _ = _render(day, fmt)
            chars.update(text)
            longest = max(longest, len(text))
    return Vocabulary("".join(sorted(chars)), longest)


def encode_target(iso: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(target (n, 10), decoder_input (n, 10)) int32 for ISO dates: the decoder input is
    START then the target shifted right by one (teacher forcing)."""
    if isinstance(iso, str):
        iso = [iso]
    lookup = {c: i + FIRST_TARGET for i, c in enumerate(TARGET_CHARS)}
    target = np.empty((len(iso), TARGET_LEN), np.int32)
    for i, s in enumerate(iso):
        if not isinstance(s, str) or len(s) != TARGET_LEN or any(c not in lookup for c in s):
            raise ValueError(f"iso[{i}] = {s!r} is not a 10-character ISO date YYYY-MM-DD")
        target[i] = [lookup[c] for c in s]
    start = np.full((len(iso), 1), START, np.int32)
    return target, np.concatenate([start, target[:, :-1]], axis=1)


def decode_target(ids: Any) -> list[str]:
    """The strings of target ids (n, T): 2 .. 12 are ``-0123456789``; padding, start and
    anything else show as '?'."""
    arr = as_int_array(ids, "ids", 2)
    table = np.array(["?"] * FIRST_TARGET + list(TARGET_CHARS) + ["?"], dtype=object)
    clipped = np.where((arr >= 0) & (arr < N_TARGET_TOKENS), arr, N_TARGET_TOKENS)
    return ["".join(row) for row in table[clipped]]


# -- the data -------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class DateData:
    """Examples of the task. texts, iso: the source strings and their ISO dates; days
    (n,) datetime64[D]; format_index (n,) into ``formats``; spans (n, 4, 2): [start, end)
    of the year, month, day and weekday fields in each text (the order of
    :data:`FIELDS`; weekday (0, 0) where absent); source (n, max_len), decoder_input and
    target (n, 10): the token ids."""

    texts: tuple[str, ...]
    iso: tuple[str, ...]
    days: np.ndarray
    format_index: np.ndarray
    spans: np.ndarray
    source: np.ndarray
    decoder_input: np.ndarray
    target: np.ndarray
    formats: tuple[DateFormat, ...]
    vocab: Vocabulary

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def languages(self) -> np.ndarray:
        """(n,) the language ('zh', 'en') of each example's format."""
        return np.array([f.language for f in self.formats])[self.format_index]

    @property
    def lengths(self) -> np.ndarray:
        """(n,) the number of characters of each source."""
        return (self.source != PAD).sum(axis=1)


def date_data(n: int, days: Any, rng: np.random.Generator, *,
              formats: Sequence[DateFormat] | None = None,
              vocab: Vocabulary | None = None, replace: bool | None = None) -> DateData:
    """``n`` examples: days drawn from ``days`` (without replacement when there are enough,
    unless ``replace`` says otherwise), each written in a format drawn uniformly from
    ``formats`` (:func:`date_formats` by default). ``vocab`` defaults to the formats'
    :func:`vocabulary`; pass the training data's to encode test data the same way."""
    n = check_int(n, "n", minimum=1)
    arr = _check_days(days)
    rng = check_rng(rng)
    formats = _check_formats(formats)
    vocab = vocabulary(formats) if vocab is None else vocab
    if not isinstance(vocab, Vocabulary):
        raise TypeError(f"vocab must be a Vocabulary from vocabulary(); got "
                        f"{type(vocab).__name__}")
    years = arr.astype("datetime64[Y]").astype(int) + 1970
    if any(f.two_digit_year for f in formats) and years.max() - years.min() >= 100:
        short = [f.label for f in formats if f.two_digit_year]
        raise ValueError(f"{', '.join(short)} writes two-digit years, so the days must lie "
                         f"within 100 years for the year to be readable; they span "
                         f"{years.min()} .. {years.max()} (drop the format or narrow the "
                         "range)")
    if replace is None:
        replace = n > len(arr)
    if not replace and n > len(arr):
        raise ValueError(f"n = {n} examples without replacement need at least {n} days; "
                         f"got {len(arr)}")
    chosen = arr[rng.choice(len(arr), size=n, replace=bool(replace))]
    which = rng.integers(0, len(formats), size=n)
    texts, spans = [], np.zeros((n, len(FIELDS), 2), np.int32)
    for i, (day, k) in enumerate(zip(chosen.astype(object), which, strict=True)):
        text, where = _render(day, formats[k])
        texts.append(text)
        spans[i] = [where[f] for f in FIELDS]
    iso = [str(d) for d in chosen]
    target, decoder_input = encode_target(iso)
    return DateData(tuple(texts), tuple(iso), chosen, which.astype(np.int32), spans,
                    vocab.encode(texts), decoder_input, target, formats, vocab)


@dataclasses.dataclass(frozen=True)
class DateTask:
    """The task of notebooks 09 and 10: the days split into train and test days, the
    training examples, and the test set (every test day once, in a random format)."""

    train_days: np.ndarray
    test_days: np.ndarray
    train: DateData
    test: DateData


def date_task(seed: int = 0, n_train: int = 12000, *, test_seed: int = 1000) -> DateTask:
    """Notebooks 09 and 10's data, drawn one way everywhere (the benchmarks too): the days
    split and the ``n_train`` training examples drawn from one generator seeded with
    ``seed``, the test set from its own, seeded with ``test_seed``, so that no training
    seed draws it. Test days never appear in training.
    Introduced in notebooks/09_learning_to_align_dates.ipynb.
    """
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    train_days, test_days = split_days(rng)
    train = date_data(check_int(n_train, "n_train", minimum=1), train_days, rng)
    test = date_data(len(test_days), test_days,
                     np.random.default_rng(check_int(test_seed, "test_seed", minimum=0)),
                     vocab=train.vocab)
    return DateTask(train_days, test_days, train, test)


def ambiguous_strings(days: Any, formats: Sequence[DateFormat] | None = None
                      ) -> dict[str, list[str]]:
    """The strings that two or more of ``days`` are written as, in any of ``formats``:
    {text: [ISO dates]}. Empty means each string names one day. (A second per 100 days
    and format: check a year or two, not a century, in a test.)"""
    arr = _check_days(days)
    formats = _check_formats(formats)
    seen: dict[str, set[str]] = {}
    for day in arr.astype(object):
        iso = day.isoformat()
        for fmt in formats:
            seen.setdefault(_render(day, fmt)[0], set()).add(iso)
    return {text: sorted(isos) for text, isos in seen.items() if len(isos) > 1}


# -- metrics -----------------------------------------------------------------------------

def exact_match(predictions: Any, target: Any) -> np.ndarray:
    """(n,) bool: whether each predicted row (n, 10) equals its target row exactly."""
    pred = as_int_array(predictions, "predictions", 2)
    tgt = as_int_array(target, "target", 2)
    if pred.shape != tgt.shape:
        raise ValueError(f"predictions has shape {pred.shape} but target has shape "
                         f"{tgt.shape}; they must match")
    return (pred == tgt).all(axis=1)


def field_alignment(weights: Any, spans: Any) -> np.ndarray:
    """(n, 3): for the year, month and day, the attention weight the output steps of the
    field (:data:`OUTPUT_STEPS`) put on the field's span in the source, averaged over
    those steps. 1 means all of it lands on the field; a uniform spread over a source of
    length L gives span length / L.

    Shapes: weights (n, 10 output steps, source positions); spans (n, >= 3, 2)."""
    w = as_float_array(weights, "weights", min_ndim=3)
    sp = as_int_array(spans, "spans", 3)
    if w.ndim != 3 or w.shape[1] != TARGET_LEN:
        raise ValueError(f"weights must be (n, {TARGET_LEN} output steps, source "
                         f"positions); got shape {w.shape}")
    if sp.shape[0] != w.shape[0] or sp.shape[1] < 3 or sp.shape[2] != 2:
        raise ValueError(f"spans must be (n, >= 3 fields, 2) with the n = {w.shape[0]} of "
                         f"weights {w.shape}; got {sp.shape}")
    if (sp < 0).any() or (sp[..., 1] > w.shape[2]).any() or (sp[..., 0] > sp[..., 1]).any():
        raise ValueError(f"spans must be [start, end) ranges within the {w.shape[2]} "
                         "source positions of weights")
    pos = np.arange(w.shape[2])
    out = np.empty((w.shape[0], 3))
    for k, field in enumerate(FIELDS[:3]):
        inside = (pos[None, :] >= sp[:, k, :1]) & (pos[None, :] < sp[:, k, 1:])  # (n, S)
        steps = w[:, list(OUTPUT_STEPS[field]), :]                               # (n, t, S)
        out[:, k] = (steps * inside[:, None, :]).sum(axis=-1).mean(axis=1)
    return out


def chance_alignment(data: DateData) -> np.ndarray:
    """(n, 3): what :func:`field_alignment` would give for uniform attention over each
    source's characters: span length / source length."""
    if not isinstance(data, DateData):
        raise TypeError(f"data must be a DateData from date_data(); got "
                        f"{type(data).__name__}")
    width = data.spans[:, :3, 1] - data.spans[:, :3, 0]
    return width / data.lengths[:, None]


def alignment_by_language(shares: Any, data: DateData) -> dict[str, dict[str, float]]:
    """The mean of per-example shares (n, 3) (from :func:`field_alignment` or
    :func:`chance_alignment`) for each language of ``data``:
    {'zh': {'year': .., 'month': .., 'day': ..}, 'en': {...}}."""
    if not isinstance(data, DateData):
        raise TypeError(f"data must be a DateData from date_data(); got "
                        f"{type(data).__name__}")
    s = as_float_array(shares, "shares", min_ndim=2)
    if s.shape != (len(data), 3):
        raise ValueError(f"shares must be ({len(data)}, 3), one row per example of data; "
                         f"got {s.shape}")
    langs = data.languages
    return {lang: dict(zip(FIELDS[:3], map(float, s[langs == lang].mean(axis=0)),
                           strict=True))
            for lang in dict.fromkeys(str(x) for x in langs)}
