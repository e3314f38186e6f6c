"""Tests of attention_lib.glimpse: the glimpse sensor, hard and soft attention."""

import numpy as np
import pytest

from attention_lib.glimpse import (
    glimpse,
    hard_attention,
    location_patches,
    retina_view,
    soft_attention,
    toy_digit,
)


def test_toy_digit_is_a_small_image_with_ink():
    img = toy_digit(28)
    assert img.shape == (28, 28)
    assert set(np.unique(img)) == {0.0, 0.5, 1.0}
    assert 0.1 < (img == 1).mean() < 0.4
    assert toy_digit(16).shape == (16, 16)


def test_glimpse_scales_are_block_averages():
    img = np.arange(64, dtype=float).reshape(8, 8)
    g = glimpse(img, (4, 4), patch=2, scales=3)
    assert g.shape == (3, 2, 2)
    np.testing.assert_array_equal(g[0], img[3:5, 3:5])
    np.testing.assert_allclose(g[1], img[2:6, 2:6].reshape(2, 2, 2, 2).mean(axis=(1, 3)))
    np.testing.assert_allclose(g[2], img.reshape(2, 4, 2, 4).mean(axis=(1, 3)))


def test_glimpse_pads_with_zeros_beyond_the_edge():
    img = np.ones((4, 4))
    g = glimpse(img, (0, 0), patch=2, scales=2)
    np.testing.assert_array_equal(g[0], [[0, 0], [0, 1]])
    np.testing.assert_allclose(g[1], [[0, 0], [0, 1]])


def test_retina_view_is_sharp_at_the_centre_and_blank_far_away():
    img = toy_digit(28)
    seen = retina_view(img, (10, 14), patch=4, scales=2)
    assert seen.shape == img.shape
    np.testing.assert_array_equal(seen[8:12, 12:16], img[8:12, 12:16])
    assert (seen[20:, :] == 0).all()          # beyond the widest square: not seen


def test_location_patches_tile_the_image():
    img = np.arange(36, dtype=float).reshape(6, 6)
    centers, patches = location_patches(img, 3)
    assert centers.shape == (4, 2) and patches.shape == (4, 3, 3)
    np.testing.assert_array_equal(centers, [[1, 1], [1, 4], [4, 1], [4, 4]])
    np.testing.assert_array_equal(patches[1], img[0:3, 3:6])


def test_soft_attention_is_a_weighted_average_and_one_hot_is_hard():
    _, patches = location_patches(toy_digit(28), 7)
    w = np.full(16, 1 / 16)
    np.testing.assert_allclose(soft_attention(patches, w), patches.mean(axis=0))
    one_hot = np.eye(16)[5]
    index, patch = hard_attention(patches, one_hot)
    assert index == 5
    np.testing.assert_array_equal(soft_attention(patches, one_hot), patch)


def test_hard_attention_samples_with_an_rng():
    _, patches = location_patches(toy_digit(28), 7)
    w = np.zeros(16)
    w[[2, 9]] = 0.5
    picks = {hard_attention(patches, w, np.random.default_rng(s))[0] for s in range(20)}
    assert picks == {2, 9}


@pytest.mark.parametrize("call, error, words", [
    (lambda: glimpse(np.ones((4, 4, 3)), (0, 0)), ValueError, "image must be 2-D"),
    (lambda: glimpse("abc", (0, 0)), TypeError, "image"),
    (lambda: glimpse(np.ones((4, 4)), (0.5, 1)), TypeError, "center"),
    (lambda: glimpse(np.ones((4, 4)), (4, 0)), ValueError, "outside the image"),
    (lambda: glimpse(np.ones((4, 4)), (0, 0), patch=0), ValueError, "patch"),
    (lambda: glimpse(np.ones((4, 4)), (0, 0), scales=1.5), TypeError, "scales"),
    (lambda: retina_view(np.ones((4, 4)), (9, 9)), ValueError, "outside the image"),
    (lambda: toy_digit(4), ValueError, "size"),
    (lambda: toy_digit("28"), TypeError, "size"),
    (lambda: location_patches(np.ones((6, 5)), 3), ValueError, "multiples of patch"),
    (lambda: soft_attention(np.ones((4, 2, 2)), np.ones(3) / 3), ValueError, "one number per"),
    (lambda: soft_attention(np.ones((2, 2, 2)), [0.7, 0.7]), ValueError, "sum to 1"),
    (lambda: soft_attention(np.ones((2, 2, 2)), [1.5, -0.5]), ValueError, "non-negative"),
    (lambda: hard_attention(np.ones((2, 2, 2)), [0.5, 0.5], rng=3), TypeError, "rng"),
    (lambda: soft_attention(np.ones((2, 2, 2)), [np.nan, 1]), ValueError, "weights contains NaN"),
])
def test_bad_input_is_rejected(call, error, words):
    with pytest.raises(error, match=words):
        call()
