import numpy as np
import pytest

from attention_lib import additive_mask, causal_mask, combine_masks, padding_mask


def test_causal_mask_square_and_rectangular():
    np.testing.assert_array_equal(causal_mask(3), np.tril(np.ones((3, 3), dtype=bool)))
    np.testing.assert_array_equal(causal_mask(2, 4), [[1, 0, 0, 0], [1, 1, 0, 0]])


def test_padding_mask():
    np.testing.assert_array_equal(padding_mask([2, 0, 3], 3),
                                  [[1, 1, 0], [0, 0, 0], [1, 1, 1]])


def test_combine_masks_broadcasts_and_ands():
    pad = padding_mask([2], 3)[:, None, :]       # (1, 1, 3)
    got = combine_masks(pad, causal_mask(3), None)
    assert got.shape == (1, 3, 3)
    np.testing.assert_array_equal(got[0], [[1, 0, 0], [1, 1, 0], [1, 1, 0]])
    assert combine_masks(None, None) is None


def test_additive_mask():
    np.testing.assert_array_equal(additive_mask(np.array([True, False])), [0.0, -1e9])


def test_mask_errors():
    with pytest.raises(ValueError, match="tq must be at least 1"):
        causal_mask(0)
    with pytest.raises(TypeError, match="tv must be an integer"):
        causal_mask(2, 2.5)
    with pytest.raises(ValueError, match="lengths must lie between 0 and max_len=3"):
        padding_mask([4], 3)
    with pytest.raises(TypeError, match="lengths must be integers"):
        padding_mask([1.5], 3)
    with pytest.raises(ValueError, match="do not broadcast"):
        combine_masks(np.ones((2, 3), bool), np.ones((4, 5), bool))
    with pytest.raises(TypeError, match="mask 0 must be boolean"):
        combine_masks(np.ones(3))
    with pytest.raises(TypeError, match="mask must be boolean"):
        additive_mask(np.zeros(2))
    with pytest.raises(ValueError, match="large must be positive"):
        additive_mask(np.ones(2, bool), large=-1)
