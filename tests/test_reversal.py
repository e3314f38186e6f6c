"""attention_lib.reversal: the reversal data, its accuracy metrics and the exercise
checkers of notebook 05 (numpy only: no model, no TensorFlow)."""

import numpy as np
import pytest

from attention_lib import reversal
from attention_lib.exercises import check

# -- data ----------------------------------------------------------------------------------


def test_reversal_data_shapes_and_ranges():
    d = reversal.reversal_data(50, np.random.default_rng(0), vocab_size=4, min_len=3,
                               max_len=7)
    assert len(d) == 50
    for a in (d.source, d.decoder_input, d.target):
        assert a.shape == (50, 7) and a.dtype == np.int32
    assert d.lengths.shape == (50,)
    assert d.lengths.min() >= 3 and d.lengths.max() <= 7
    real = np.arange(7)[None, :] < d.lengths[:, None]
    assert (d.source[real] >= reversal.FIRST_TOKEN).all()
    assert (d.source[real] < reversal.FIRST_TOKEN + 4).all()
    assert (d.source[~real] == reversal.PAD).all() and (d.target[~real] == reversal.PAD).all()


def test_reversal_data_targets_are_the_reversed_sources():
    d = reversal.reversal_data(40, np.random.default_rng(1))
    for i in range(len(d)):
        n = d.lengths[i]
        np.testing.assert_array_equal(d.target[i, :n], d.source[i, :n][::-1])
    np.testing.assert_array_equal(d.decoder_input[:, 0], reversal.START)
    np.testing.assert_array_equal(d.decoder_input[:, 1:], d.target[:, :-1])


def test_reversal_data_is_reproducible_from_the_seed():
    a = reversal.reversal_data(20, np.random.default_rng(3))
    b = reversal.reversal_data(20, np.random.default_rng(3))
    c = reversal.reversal_data(20, np.random.default_rng(4))
    np.testing.assert_array_equal(a.source, b.source)
    np.testing.assert_array_equal(a.lengths, b.lengths)
    assert not np.array_equal(a.source, c.source)


def test_reversal_data_covers_every_length():
    d = reversal.reversal_data(600, np.random.default_rng(0))
    assert set(np.unique(d.lengths)) == set(range(5, 31))


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(n=0), ValueError, "n"),
    (dict(n=2.5), TypeError, "n"),
    (dict(n=True), TypeError, "n"),
    (dict(rng=0), TypeError, "rng"),
    (dict(vocab_size=1), ValueError, "vocab_size"),
    (dict(min_len=0), ValueError, "min_len"),
    (dict(max_len="30"), TypeError, "max_len"),
    (dict(min_len=9, max_len=8), ValueError, "min_len"),
])
def test_reversal_data_bad_arguments(kwargs, exc, word):
    args = dict(n=4, rng=np.random.default_rng(0)) | kwargs
    n, rng = args.pop("n"), args.pop("rng")
    with pytest.raises(exc, match=word):
        reversal.reversal_data(n, rng, **args)


def test_reversal_targets_by_hand():
    src = np.array([[2, 3, 4, 0], [5, 6, 7, 8], [9, 0, 0, 0]])
    np.testing.assert_array_equal(reversal.reversal_targets(src, [3, 4, 1]),
                                  [[4, 3, 2, 0], [8, 7, 6, 5], [9, 0, 0, 0]])


@pytest.mark.parametrize("source, lengths, exc, word", [
    (np.ones((2, 3)), [1, 2], TypeError, "source"),
    (np.ones(3, int), [1], ValueError, "source"),
    (np.ones((2, 3), int), [1], ValueError, "lengths"),
    (np.ones((2, 3), int), [1, 4], ValueError, "lengths"),
    (np.ones((2, 3), int), [0, 1], ValueError, "lengths"),
    (np.ones((2, 3), int), [1.0, 2.0], TypeError, "lengths"),
])
def test_reversal_targets_bad_arguments(source, lengths, exc, word):
    with pytest.raises(exc, match=word):
        reversal.reversal_targets(source, lengths)


def test_token_string():
    assert reversal.token_string([2, 3, 9, 0, 0]) == "a b h"
    assert reversal.token_string([1, 4]) == "c"
    with pytest.raises(TypeError, match="ids"):
        reversal.token_string([2.0, 3.0])


def test_length_thirds():
    assert reversal.length_thirds(5, 30) == [range(5, 14), range(14, 22), range(22, 31)]
    assert reversal.length_thirds(1, 3) == [range(1, 2), range(2, 3), range(3, 4)]
    parts = reversal.length_thirds(2, 12)
    assert sorted(n for p in parts for n in p) == list(range(2, 13))
    with pytest.raises(ValueError, match="min_len"):
        reversal.length_thirds(5, 6)


# -- accuracy ------------------------------------------------------------------------------


def test_token_accuracy_ignores_padding():
    target = np.array([[4, 3, 2, 0, 0], [5, 5, 0, 0, 0]])
    pred = np.array([[4, 9, 2, 7, 7], [5, 5, 0, 0, 0]])
    np.testing.assert_allclose(reversal.token_accuracy(pred, target, [3, 2]), [2 / 3, 1.0])


def test_accuracy_by_length_pools_tokens():
    target = np.array([[2, 3, 0], [4, 5, 0], [2, 3, 4]])
    pred = np.array([[2, 9, 0], [4, 5, 0], [9, 9, 4]])
    by_length = reversal.accuracy_by_length(pred, target, [2, 2, 3])
    assert by_length == {2: pytest.approx(0.75), 3: pytest.approx(1 / 3)}
    assert reversal.accuracy_of(by_length, [2, 3]) == pytest.approx((0.75 * 2 + 1 / 3 * 3) / 5)
    with pytest.raises(ValueError, match="lengths"):
        reversal.accuracy_of(by_length, [4])
    with pytest.raises(ValueError, match="lengths"):
        reversal.accuracy_of(by_length, [])


def test_accuracy_by_position():
    target = np.array([[2, 3, 0], [4, 5, 6]])
    pred = np.array([[2, 9, 0], [4, 5, 9]])
    np.testing.assert_allclose(reversal.accuracy_by_position(pred, target, [2, 3]),
                               [1.0, 0.5, 0.0])
    out = reversal.accuracy_by_position(pred[:1], target[:1], [2])
    assert np.isnan(out[2])


@pytest.mark.parametrize("pred, target, lengths, exc, word", [
    (np.ones((2, 3), int), np.ones((2, 4), int), [1, 1], ValueError, "predictions"),
    (np.ones((2, 3)), np.ones((2, 3), int), [1, 1], TypeError, "predictions"),
    (np.ones((2, 3), int), np.ones((2, 3), int), [1], ValueError, "lengths"),
    (np.ones((2, 3), int), np.ones(3, int), [1, 1], ValueError, "target"),
])
def test_token_accuracy_bad_arguments(pred, target, lengths, exc, word):
    with pytest.raises(exc, match=word):
        reversal.token_accuracy(pred, target, lengths)


def test_anti_diagonal_share():
    w = np.zeros((2, 3, 3))
    w[0, 0, 1] = w[0, 1, 0] = 1      # length 2: both steps on the anti-diagonal
    w[0, 2, 2] = 1                   # a padded step: not counted
    w[1, 0, 2] = w[1, 1, 1] = 1      # length 3: steps 0 and 1 right,
    w[1, 2, 2] = 1                   # step 2 should look at position 0
    assert reversal.anti_diagonal_share(w, [2, 3]) == pytest.approx(4 / 5)
    with pytest.raises(ValueError, match="weights"):
        reversal.anti_diagonal_share(np.zeros((3, 3)), [1])
    with pytest.raises(ValueError, match="lengths"):
        reversal.anti_diagonal_share(w, [2])


# -- exercises -----------------------------------------------------------------------------


def test_exercise_checkers_accept_the_library_and_reject_wrong_answers():
    assert check("05.1", reversal.reversal_targets).ok
    assert check("05.2", reversal.token_accuracy).ok
    assert check("05.3", reversal.anti_diagonal_share).ok
    # Reversing the whole padded row moves the padding to the front.
    assert not check("05.1", lambda s, n: s[:, ::-1]).ok
    # Counting padding as right inflates the accuracy.
    assert not check("05.2", lambda p, t, n: (p == t).mean(axis=1)).ok
    # The main diagonal instead of the anti-diagonal.
    wrong = check("05.3", lambda w, n: np.mean(w.argmax(-1) == np.arange(w.shape[1])))
    assert not wrong.ok
