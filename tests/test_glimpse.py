"""Tests of attention_lib.glimpse: the glimpse sensor, its recurrent loop, hard and soft
attention."""

import numpy as np
import pytest

from attention_lib.glimpse import (
    GlimpsePath,
    glimpse,
    glimpse_path,
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


def photo_like(shape=(60, 50)):
    """A smooth made-up picture, values in [0, 1]."""
    rows, cols = np.mgrid[0:shape[0], 0:shape[1]]
    return 0.5 + 0.5 * np.sin(rows / 7.0) * np.cos(cols / 5.0)


def test_glimpse_path_shapes():
    path = glimpse_path(photo_like(), (0.0, 0.0), np.random.default_rng(0), steps=5,
                        hidden=7, patch=4, scales=3)
    assert isinstance(path, GlimpsePath)
    assert path.locations.shape == (5, 2) and path.pixels.shape == (5, 2)
    assert path.means.shape == (4, 2) and path.hidden.shape == (5, 7)
    assert path.glimpses.shape == (5, 3, 4, 4)
    assert path.pixels.dtype.kind == "i"
    one = glimpse_path(photo_like(), (0.5, -0.5), np.random.default_rng(0), steps=1)
    assert one.locations.shape == (1, 2) and one.means.shape == (0, 2)
    np.testing.assert_array_equal(one.locations[0], [0.5, -0.5])


def test_glimpse_path_is_reproducible_with_the_same_seed():
    a = glimpse_path(photo_like(), (0.1, 0.2), np.random.default_rng(3), steps=6)
    b = glimpse_path(photo_like(), (0.1, 0.2), np.random.default_rng(3), steps=6)
    for field in ("locations", "pixels", "means", "hidden", "glimpses"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    c = glimpse_path(photo_like(), (0.1, 0.2), np.random.default_rng(4), steps=6)
    assert not np.array_equal(a.locations, c.locations)


def test_glimpse_path_follows_the_loop():
    """Each step looks where it says, and the first location is the start."""
    img = photo_like()
    path = glimpse_path(img, (-1.0, 1.0), np.random.default_rng(1), steps=4, patch=4,
                        scales=2)
    np.testing.assert_array_equal(path.locations[0], [-1.0, 1.0])
    np.testing.assert_array_equal(path.pixels[0], [0, img.shape[1] - 1])
    for t in range(4):
        np.testing.assert_array_equal(path.glimpses[t],
                                      glimpse(img, tuple(path.pixels[t]), patch=4, scales=2))
    assert (np.abs(path.means) < 1).all()            # the tanh keeps every mean inside
    assert (np.abs(path.hidden) < 1).all()


@pytest.mark.parametrize("sigma", [0.05, 0.5, 5.0])
def test_glimpse_path_stays_inside_the_image(sigma):
    img = photo_like((30, 41))
    for seed in range(10):
        path = glimpse_path(img, (0.9, -0.9), np.random.default_rng(seed), steps=8,
                            sigma=sigma)
        assert (np.abs(path.locations) <= 1).all()
        assert (path.pixels >= 0).all()
        assert (path.pixels[:, 0] < 30).all() and (path.pixels[:, 1] < 41).all()


def test_a_small_sigma_samples_close_to_the_mean():
    path = glimpse_path(photo_like(), (0.0, 0.0), np.random.default_rng(2), steps=6,
                        sigma=1e-6)
    np.testing.assert_allclose(path.locations[1:], path.means, atol=1e-4)


@pytest.mark.parametrize("call, error, words", [
    (lambda: glimpse_path(np.ones((4, 4, 3)), (0, 0), np.random.default_rng(0)),
     ValueError, "image must be 2-D"),
    (lambda: glimpse_path(np.ones((9, 9)), (0, 0, 0), np.random.default_rng(0)),
     ValueError, "start must be one location"),
    (lambda: glimpse_path(np.ones((9, 9)), (1.5, 0), np.random.default_rng(0)),
     ValueError, "outside the image"),
    (lambda: glimpse_path(np.ones((9, 9)), "centre", np.random.default_rng(0)),
     TypeError, "start"),
    (lambda: glimpse_path(np.ones((9, 9)), (0, 0), 0), TypeError, "rng must be a numpy"),
    (lambda: glimpse_path(np.ones((9, 9)), (0, 0), np.random.default_rng(0), steps=0),
     ValueError, "steps must be at least 1"),
    (lambda: glimpse_path(np.ones((9, 9)), (0, 0), np.random.default_rng(0), steps=2.0),
     TypeError, "steps must be an integer"),
    (lambda: glimpse_path(np.ones((9, 9)), (0, 0), np.random.default_rng(0), hidden=0),
     ValueError, "hidden"),
    (lambda: glimpse_path(np.ones((9, 9)), (0, 0), np.random.default_rng(0), sigma=0),
     ValueError, "sigma must be greater than 0"),
    (lambda: glimpse_path(np.ones((9, 9)), (0, 0), np.random.default_rng(0), sigma=-1),
     ValueError, "sigma"),
    (lambda: glimpse_path(np.ones((9, 9)), (0, 0), np.random.default_rng(0), patch=0),
     ValueError, "patch"),
    (lambda: glimpse_path(np.ones((9, 9)), (0, 0), np.random.default_rng(0), scales=0),
     ValueError, "scales"),
])
def test_glimpse_path_rejects_bad_arguments(call, error, words):
    with pytest.raises(error, match=words):
        call()


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
