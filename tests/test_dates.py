"""attention_lib.dates: the date task's data from babel's CLDR formats, its split by day,
vocabularies, spans and metrics (numpy and babel only, fast)."""

import datetime as dt

import numpy as np
import pytest
from babel.dates import format_date, format_skeleton, get_day_names, get_month_names

from attention_lib import dates

FORMATS = dates.date_formats()
#: Days that test the edges: the range's ends, a leap day, century and year changes.
EDGES = ["1950-01-01", "1999-12-31", "2000-01-01", "2000-02-29", "2026-12-01",
         "2049-12-31", "1977-09-30", "2011-05-09"]


def sample_days(n=40, seed=0):
    days = dates.day_range()
    picked = np.random.default_rng(seed).choice(len(days), size=n, replace=False)
    return [d.astype(object) for d in days[picked]] + [dt.date.fromisoformat(e) for e in EDGES]


# -- the formats -----------------------------------------------------------------------

def test_the_default_formats():
    labels = [f.label for f in FORMATS]
    assert len(FORMATS) == 15 == len(set(labels))
    by_locale = {loc: sum(f.locale == loc for f in FORMATS) for loc in ("zh_CN", "en_US", "en_GB")}
    assert by_locale == {"zh_CN": 5, "en_US": 6, "en_GB": 4}
    assert {f.language for f in FORMATS} == {"zh", "en"}
    assert [f.label for f in FORMATS if f.two_digit_year] == ["en_US short"]
    assert dates.date_format("zh_CN", "full").pattern == "y年M月d日EEEE"


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.label for f in FORMATS])
def test_render_is_babels_format(fmt):
    """Formatting field by field gives exactly what babel's own functions give."""
    for day in sample_days():
        text, _ = dates.render(day, fmt)
        assert text == format_date(day, fmt.pattern, locale=fmt.locale)
        if fmt.name in dates.STANDARD:
            assert text == format_date(day, fmt.name, locale=fmt.locale)
        else:
            assert text == format_skeleton(fmt.name, day, locale=fmt.locale)


def read_back(text, spans, fmt, years=(1950, 2049)):
    """An independent reading of a source: each field's text by its span, its value
    from babel's month and day names or the digits; the two-digit year by the window."""
    field = {name: text[a:b] for name, (a, b) in spans.items()}
    assert field["year"].isdigit() and field["day"].isdigit(), field  # no stray characters
    months = {}
    for width in ("wide", "abbreviated"):
        months.update({v: k for k, v in get_month_names(width, locale=fmt.locale).items()})
    month = int(field["month"]) if field["month"].isdigit() else months[field["month"]]
    year = int(field["year"])
    if len(field["year"]) == 2:
        year = next(y for y in range(years[0], years[1] + 1) if y % 100 == year)
    return dt.date(year, month, int(field["day"]))


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.label for f in FORMATS])
def test_every_format_round_trips_through_its_spans(fmt):
    weekdays = {**get_day_names("wide", locale=fmt.locale),
                **{k + 7: v for k, v in get_day_names("abbreviated", locale=fmt.locale).items()}}
    for day in sample_days():
        text, spans = dates.render(day, fmt)
        assert read_back(text, spans, fmt) == day, (text, spans)
        # The spans are in the text, in order, and do not overlap.
        used = sorted((a, b) for a, b in spans.values() if b > a)
        assert all(b1 <= a2 for (_, b1), (a2, _) in zip(used, used[1:], strict=False))
        assert all(0 <= a < b <= len(text) for a, b in used)
        a, b = spans["weekday"]
        if "E" in fmt.pattern:
            assert text[a:b] in {weekdays[day.weekday()], weekdays[day.weekday() + 7]}
        else:
            assert a == b == 0


def test_spans_of_the_issues_examples():
    text, spans = dates.render("2026-12-01", dates.date_format("zh_CN", "full"))
    assert text == "2026年12月1日星期二"
    assert [text[a:b] for a, b in spans.values()] == ["2026", "12", "1", "星期二"]
    text, spans = dates.render("2026-12-01", dates.date_format("en_US", "full"))
    assert text == "Tuesday, December 1, 2026"
    assert [text[a:b] for a, b in spans.values()] == ["2026", "December", "1", "Tuesday"]
    text, spans = dates.render(np.datetime64("2026-12-01"), dates.date_format("en_GB", "medium"))
    assert text == "1 Dec 2026" and text[slice(*spans["month"])] == "Dec"


def test_only_readable_formats_are_accepted():
    with pytest.raises(ValueError, match="no year, month, day"):
        dates.date_format("en_US", "Hm")           # a time
    with pytest.raises(ValueError, match="day"):
        dates.date_format("en_US", "yMMM")         # no day
    with pytest.raises(ValueError, match="pattern letters"):
        dates.date_format("en_US", "GyMMMEd")      # the era
    with pytest.raises(ValueError, match="locale"):
        dates.date_format("xx_YY", "full")
    with pytest.raises(TypeError, match="locale"):
        dates.date_format("en_US", 3)
    with pytest.raises(ValueError, match="same pattern"):
        dates.date_formats([("zh_CN", "long"), ("zh_CN", "medium")])
    with pytest.raises(TypeError, match="pairs"):
        dates.date_formats("en_US")
    with pytest.raises(TypeError, match="fmt"):
        dates.render("2026-12-01", "full")
    with pytest.raises(ValueError, match="ISO"):
        dates.render("1 Dec 2026", FORMATS[0])
    with pytest.raises(TypeError, match="datetime"):
        dates.render(dt.datetime(2026, 12, 1), FORMATS[0])


# -- ambiguity -------------------------------------------------------------------------

def test_the_default_formats_name_one_day_per_string():
    assert dates.ambiguous_strings(dates.day_range("2026-01-01", "2026-12-31")) == {}
    # The two-digit year's window: 1950 and 2049 are told apart by 50 and 49 ...
    ends = np.concatenate([dates.day_range("1950-01-01", "1950-02-28"),
                           dates.day_range("2049-01-01", "2049-02-28")])
    assert dates.ambiguous_strings(ends) == {}
    # ... and 1949 and 2049 are not.
    us_short = [f for f in FORMATS if f.two_digit_year]
    clash = dates.ambiguous_strings(np.array(["1949-01-05", "2049-01-05"], "datetime64[D]"),
                                    us_short)
    assert clash == {"1/5/49": ["1949-01-05", "2049-01-05"]}


def test_en_gb_numeric_dates_collide_with_en_us_ones():
    both = dates.date_formats([("en_US", "yMd"), ("en_GB", "short")])
    clash = dates.ambiguous_strings(dates.day_range("2026-01-01", "2026-12-31"), both)
    assert clash["12/10/2026"] == ["2026-10-12", "2026-12-10"]
    assert len(clash) == 6  # both fields 10 .. 12, and different: 3 * 2 strings


# -- days and the split ------------------------------------------------------------------

def test_day_range():
    days = dates.day_range()
    assert days.dtype == np.dtype("datetime64[D]") and len(days) == 36525
    assert str(days[0]) == "1950-01-01" and str(days[-1]) == "2049-12-31"
    assert len(dates.day_range("2000-02-28", dt.date(2000, 3, 1))) == 3


def test_split_is_by_day_disjoint_and_seeded():
    train, test = dates.split_days(np.random.default_rng(7))
    assert len(test) == 7305 and len(train) == 36525 - 7305
    assert not np.isin(test, train).any()
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), dates.day_range())
    again, _ = dates.split_days(np.random.default_rng(7))
    other, _ = dates.split_days(np.random.default_rng(8))
    np.testing.assert_array_equal(again, train)
    assert not np.array_equal(other, train)


def test_examples_from_train_days_never_show_a_test_day():
    rng = np.random.default_rng(1)
    train_days, test_days = dates.split_days(rng)
    train = dates.date_data(3000, train_days, rng)
    test = dates.date_data(500, test_days, rng, vocab=train.vocab)
    assert not set(train.iso) & set(test.iso)
    assert set(test.iso) <= {str(d) for d in test_days}


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(test_share=0), ValueError, "test_share"),
    (dict(test_share=1.0), ValueError, "test_share"),
    (dict(test_share=True), ValueError, "test_share"),
    (dict(test_share=0.2, first="2026-01-01", last="2026-01-02"), ValueError, "test days"),
    (dict(first="2049-01-01", last="1950-01-01"), ValueError, "after"),
    (dict(first="0999-12-31"), ValueError, "1000"),
    (dict(first="1 Jan 1950"), ValueError, "first"),
    (dict(rng=np.random.RandomState(0)), TypeError, "rng"),
])
def test_split_bad_arguments(kwargs, exc, word):
    args = dict(rng=np.random.default_rng(0)) | kwargs
    rng = args.pop("rng")
    with pytest.raises(exc, match=word):
        dates.split_days(rng, **args)


# -- the examples ------------------------------------------------------------------------

def test_date_data_is_seeded():
    days = dates.day_range("1990-01-01", "1999-12-31")
    a = dates.date_data(200, days, np.random.default_rng(3))
    b = dates.date_data(200, days, np.random.default_rng(3))
    c = dates.date_data(200, days, np.random.default_rng(4))
    assert a.texts == b.texts and a.iso == b.iso
    for name in ("days", "format_index", "spans", "source", "decoder_input", "target"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.texts != c.texts


def test_date_data_arrays_agree_with_each_other():
    data = dates.date_data(300, dates.day_range(), np.random.default_rng(5))
    n, width = data.source.shape
    assert (n, width) == (300, data.vocab.max_len) and data.spans.shape == (300, 4, 2)
    assert data.target.shape == data.decoder_input.shape == (300, dates.TARGET_LEN)
    assert data.vocab.decode(data.source) == list(data.texts)
    assert dates.decode_target(data.target) == list(data.iso)
    assert list(data.iso) == [str(d) for d in data.days]
    np.testing.assert_array_equal(data.lengths, [len(t) for t in data.texts])
    for i in range(n):
        fmt = data.formats[data.format_index[i]]
        text, spans = dates.render(data.days[i], fmt)
        assert text == data.texts[i]
        np.testing.assert_array_equal(data.spans[i], [spans[f] for f in dates.FIELDS])
    assert set(data.languages) == {"zh", "en"}
    # Without replacement while there are enough days: 300 different days.
    assert len(set(data.iso)) == 300


def test_two_digit_years_need_a_window_of_100_years():
    with pytest.raises(ValueError, match="two-digit"):
        dates.date_data(10, dates.day_range("1949-12-31", "2049-12-31"),
                        np.random.default_rng(0))
    four_digits = [f for f in FORMATS if not f.two_digit_year]
    data = dates.date_data(10, dates.day_range("1900-01-01", "2099-12-31"),
                           np.random.default_rng(0), formats=four_digits)
    assert len(data) == 10


@pytest.mark.parametrize("call, exc, word", [
    (lambda d: dates.date_data(0, d, np.random.default_rng(0)), ValueError, "n must"),
    (lambda d: dates.date_data(5, ["2026-01-01"], np.random.default_rng(0)), TypeError,
     "datetime64"),
    (lambda d: dates.date_data(5, d[:3], np.random.default_rng(0), replace=False),
     ValueError, "replacement"),
    (lambda d: dates.date_data(5, d, np.random.default_rng(0), vocab="abc"), TypeError,
     "vocab"),
    (lambda d: dates.date_data(5, d, np.random.default_rng(0), formats=["full"]), TypeError,
     "formats"),
    (lambda d: dates.date_data(5, d, 0), TypeError, "rng"),
])
def test_date_data_bad_arguments(call, exc, word):
    with pytest.raises(exc, match=word):
        call(dates.day_range("2000-01-01", "2000-12-31"))


def test_with_replacement_when_days_are_few():
    data = dates.date_data(50, dates.day_range("2000-01-01", "2000-01-10"),
                           np.random.default_rng(0))
    assert len(data) == 50 and len(set(data.iso)) <= 10


# -- vocabularies --------------------------------------------------------------------------

def test_the_vocabulary_holds_every_character_written():
    vocab = dates.vocabulary()
    assert vocab.size == len(vocab.chars) + 1 and len(set(vocab.chars)) == len(vocab.chars)
    assert set("0123456789年月日星期周一二三四五六 ,/") <= set(vocab.chars)
    assert vocab.max_len == len("Wednesday, September 30, 2026")
    # Built from the year 2000, it covers every other year's texts too.
    texts = [dates.render(d, f)[0] for d in sample_days(60, seed=9) for f in FORMATS]
    ids = vocab.encode(texts)
    assert vocab.decode(ids) == texts and ids.dtype == np.int32


def test_vocabulary_errors_name_the_character():
    vocab = dates.vocabulary()
    with pytest.raises(ValueError, match="U\\+202F"):
        vocab.encode(["1 Dec\u202f2026"])  # a narrow no-break space is not in the data
    with pytest.raises(ValueError, match="max_len"):
        vocab.encode(["9" * (vocab.max_len + 1)])
    with pytest.raises(ValueError, match="0 .. "):
        vocab.decode(np.array([[vocab.size]]))
    with pytest.raises(TypeError, match="formats"):
        dates.vocabulary(["en_US full"])


def test_targets_encode_and_decode():
    target, decoder_input = dates.encode_target(["2026-12-01", "1950-01-31"])
    assert target.shape == (2, 10) and target.dtype == np.int32
    np.testing.assert_array_equal(decoder_input[:, 0], dates.START)
    np.testing.assert_array_equal(decoder_input[:, 1:], target[:, :-1])
    assert dates.decode_target(target) == ["2026-12-01", "1950-01-31"]
    assert dates.decode_target(decoder_input)[0] == "?2026-12-0"
    assert target[0, 4] == dates.FIRST_TARGET  # '-'
    assert dates.N_TARGET_TOKENS == 13
    for bad in ("2026-12-1", "2026/12/01", 20261201):
        with pytest.raises(ValueError, match="ISO"):
            dates.encode_target([bad])


# -- metrics ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small():
    return dates.date_data(64, dates.day_range(), np.random.default_rng(11))


def weights_on(data, where):
    """(n, 10, S) weights: every output step of each field all on ``where(i, field)``."""
    n, width = data.source.shape
    w = np.zeros((n, 10, width))
    for i in range(n):
        for k, field in enumerate(dates.FIELDS[:3]):
            for t in dates.OUTPUT_STEPS[field]:
                a, b = where(i, k)
                w[i, t, a:b] = 1 / (b - a)
        w[i, [4, 7], 0] = 1
    return w


def test_field_alignment_of_made_up_weights(small):
    on_field = weights_on(small, lambda i, k: small.spans[i, k])
    np.testing.assert_allclose(dates.field_alignment(on_field, small.spans), 1.0)
    # All on the next field's span (year -> month, ...): no share on its own field.
    on_next = weights_on(small, lambda i, k: small.spans[i, (k + 1) % 3])
    np.testing.assert_allclose(dates.field_alignment(on_next, small.spans), 0.0)
    # Uniform over the characters is chance.
    real = np.arange(small.source.shape[1])[None, :] < small.lengths[:, None]
    uniform = np.broadcast_to((real / small.lengths[:, None])[:, None, :],
                              (len(small), 10, real.shape[1]))
    np.testing.assert_allclose(dates.field_alignment(uniform, small.spans),
                               dates.chance_alignment(small))


def test_alignment_by_language(small):
    shares = np.where(small.languages[:, None] == "zh", 1.0, 0.25) * np.ones((1, 3))
    out = dates.alignment_by_language(shares, small)
    assert out == {"zh": dict(year=1.0, month=1.0, day=1.0),
                   "en": dict(year=0.25, month=0.25, day=0.25)}
    with pytest.raises(ValueError, match="shares"):
        dates.alignment_by_language(shares[:10], small)
    with pytest.raises(TypeError, match="data"):
        dates.alignment_by_language(shares, small.spans)


def test_metrics_bad_arguments(small):
    w = np.zeros((len(small), 10, small.source.shape[1]))
    with pytest.raises(ValueError, match="weights"):
        dates.field_alignment(w[:, :9], small.spans)
    with pytest.raises(ValueError, match="spans"):
        dates.field_alignment(w, small.spans[:5])
    with pytest.raises(ValueError, match="within"):
        dates.field_alignment(w[:, :, :3], small.spans)
    with pytest.raises(ValueError, match="match"):
        dates.exact_match(small.target[:, :9], small.target)
    right = dates.exact_match(small.target, small.target)
    assert right.all() and right.shape == (len(small),)
    wrong = small.target.copy()
    wrong[0, 9] = dates.FIRST_TARGET
    assert dates.exact_match(wrong, small.target).sum() == len(small) - 1


def test_date_task_is_the_notebooks_split_and_its_test_set_has_its_own_seed():
    task = dates.date_task(0, n_train=500)
    assert len(task.test) == len(task.test_days)            # every test day once
    assert not set(task.train.iso) & set(task.test.iso)
    assert sorted(str(d) for d in task.test.days) == [str(d) for d in task.test_days]
    again = dates.date_task(0, n_train=500)
    assert again.train.texts == task.train.texts and again.test.texts == task.test.texts
    other = dates.date_task(1, n_train=500)
    assert other.train.texts != task.train.texts
    assert dates.date_task(0, n_train=500, test_seed=1).test.texts != task.test.texts
    with pytest.raises(ValueError, match="n_train"):
        dates.date_task(0, n_train=0)
