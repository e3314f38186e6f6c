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
    with pytest.raises(TypeError, match="mask 0 must be a boolean"):
        combine_masks(np.ones(3))
    with pytest.raises(TypeError, match="mask must be a boolean"):
        additive_mask(np.zeros(2))
    with pytest.raises(ValueError, match="large must be positive"):
        additive_mask(np.ones(2, bool), large=-1)


def test_every_mask_argument_takes_0_1_integers_as_booleans():
    """One rule for masks (attention_lib._checks.as_bool_array): True/False, or 0/1."""
    from attention_lib import attention
    from attention_lib.mask_rules import masked_softmax
    from attention_lib.twins import multihead_attention_mask

    as_bool, as_int = np.array([[True, False, True]]), np.array([[1, 0, 1]])
    scores = np.arange(3.0)[None]
    np.testing.assert_array_equal(masked_softmax(scores, as_int),
                                  masked_softmax(scores, as_bool))
    np.testing.assert_array_equal(combine_masks(as_int, causal_mask(1, 3)),
                                  combine_masks(as_bool, causal_mask(1, 3)))
    np.testing.assert_array_equal(additive_mask(as_int), additive_mask(as_bool))
    np.testing.assert_array_equal(multihead_attention_mask(1, 3, value_mask=as_int),
                                  multihead_attention_mask(1, 3, value_mask=as_bool))
    q, v = np.ones((1, 2)), np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(attention(q, v, value_mask=as_int[0])[1],
                                  attention(q, v, value_mask=as_bool[0])[1])
    with pytest.raises(TypeError, match="mask 0 must be a boolean array"):
        combine_masks(np.array([[2, 0, 1]]))
