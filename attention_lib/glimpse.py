"""Visual attention after Mnih et al. 2014: a glimpse sensor that sees a small image at
several resolutions around one location, the recurrent loop that decides where to look
next, and hard versus soft attention over locations (the names are Xu et al.'s, 2015).

Images are 2-D float arrays (rows, cols). The sensor takes (row, col) pixel indices; the
loop, like the paper, works in coordinates scaled to [-1, 1], (0, 0) being the centre.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float_array, check_int, check_positive_float, check_rng


def _image(image: ArrayLike) -> np.ndarray:
    img = as_float_array(image, "image", min_ndim=2)
    if img.ndim != 2:
        raise ValueError(f"image must be 2-D (rows, cols), a grey-scale picture; got "
                         f"shape {img.shape}")
    return img


def _center(center: Any, shape: tuple[int, int]) -> tuple[int, int]:
    c = np.asarray(center)
    if c.shape != (2,) or c.dtype.kind not in "iu":
        raise TypeError(f"center must be two integers (row, col); got {center!r}")
    row, col = int(c[0]), int(c[1])
    if not (0 <= row < shape[0] and 0 <= col < shape[1]):
        raise ValueError(f"center {(row, col)} lies outside the image of shape {shape}")
    return row, col


def toy_digit(size: int = 28) -> np.ndarray:
    """A hand-drawn "7" on a black square, made with numpy (no data is downloaded).

    Ink is 1.0, background 0.0, with a one-pixel soft edge of 0.5.
    Shapes: returns (size, size); size must be at least 8.
    Introduced in notebooks/01_a_short_history.ipynb.
    """
    size = check_int(size, "size", minimum=1)
    if size < 8:
        raise ValueError(f"size must be at least 8 pixels to draw a digit; got {size}")
    rows, cols = np.mgrid[0:size, 0:size] / (size - 1)
    top = (np.abs(rows - 0.22) < 0.06) & (cols > 0.25) & (cols < 0.78)
    # The stem runs from the right end of the bar down to the lower left.
    t = np.clip((rows - 0.22) / (0.85 - 0.22), 0, 1)
    stem_col = 0.76 - t * (0.76 - 0.42)
    stem = (np.abs(cols - stem_col) < 0.065) & (rows >= 0.2) & (rows <= 0.85)
    ink = (top | stem).astype(float)
    # Soften the edge: pixels next to ink get 0.5.
    near = np.zeros_like(ink)
    near[1:] = np.maximum(near[1:], ink[:-1])
    near[:-1] = np.maximum(near[:-1], ink[1:])
    near[:, 1:] = np.maximum(near[:, 1:], ink[:, :-1])
    near[:, :-1] = np.maximum(near[:, :-1], ink[:, 1:])
    return np.maximum(ink, 0.5 * near)


def _crop(img: np.ndarray, row: int, col: int, side: int) -> np.ndarray:
    """The side x side square around (row, col), zero outside the image."""
    half = side // 2
    pad = side
    padded = np.pad(img, pad)
    r0, c0 = row - half + pad, col - half + pad
    return padded[r0:r0 + side, c0:c0 + side]


def glimpse(image: ArrayLike, center: Any, *, patch: int = 8, scales: int = 3) -> np.ndarray:
    """The glimpse sensor of Mnih et al. 2014: ``scales`` square patches around
    ``center``, each twice as wide as the last, all shrunk to ``patch`` x ``patch``.

    Scale s covers (patch * 2**s) pixels on a side and averages 2**s x 2**s blocks,
    so the centre is seen sharply and the surround ever more coarsely; pixels beyond the
    image's edge count as 0.
    Shapes: image (H, W), center (row, col) -> glimpses (scales, patch, patch).
    Introduced in notebooks/01_a_short_history.ipynb.
    """
    img = _image(image)
    row, col = _center(center, img.shape)
    patch = check_int(patch, "patch", minimum=1)
    scales = check_int(scales, "scales", minimum=1)
    out = np.empty((scales, patch, patch))
    for s in range(scales):
        f = 2 ** s
        square = _crop(img, row, col, patch * f)
        out[s] = square.reshape(patch, f, patch, f).mean(axis=(1, 3))
    return out


def retina_view(image: ArrayLike, center: Any, *, patch: int = 8,
                scales: int = 3) -> np.ndarray:
    """The image as the glimpse sensor sees it: each scale blown back up to its true
    size, finer scales on top; everything beyond the widest patch is 0 (not seen).

    Shapes: image (H, W), center (row, col) -> (H, W).
    """
    img = _image(image)
    row, col = _center(center, img.shape)
    g = glimpse(img, (row, col), patch=patch, scales=scales)
    pad = patch * 2 ** scales
    canvas = np.zeros((img.shape[0] + 2 * pad, img.shape[1] + 2 * pad))
    for s in reversed(range(scales)):
        f = 2 ** s
        side = patch * f
        r0, c0 = row - side // 2 + pad, col - side // 2 + pad
        canvas[r0:r0 + side, c0:c0 + side] = np.kron(g[s], np.ones((f, f)))
    return canvas[pad:pad + img.shape[0], pad:pad + img.shape[1]]


def location_patches(image: ArrayLike, patch: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut the image into non-overlapping patch x patch tiles: the places a model can
    look at.

    Shapes: image (H, W) with H and W multiples of ``patch`` -> (centers (L, 2) as
    (row, col) of each tile's centre pixel, patches (L, patch, patch)), L = HW / patch**2,
    in row-major order.
    Introduced in notebooks/08_the_papers_in_code.ipynb.
    """
    img = _image(image)
    patch = check_int(patch, "patch", minimum=1)
    h, w = img.shape
    if h % patch or w % patch:
        raise ValueError(f"image of shape {img.shape} does not split into {patch} x "
                         f"{patch} tiles; both sides must be multiples of patch")
    tiles = img.reshape(h // patch, patch, w // patch, patch).swapaxes(1, 2)
    rows, cols = np.mgrid[0:h // patch, 0:w // patch]
    centers = np.stack([rows.ravel() * patch + patch // 2,
                        cols.ravel() * patch + patch // 2], axis=1)
    return centers, tiles.reshape(-1, patch, patch)


def _patches_and_weights(patches: ArrayLike, weights: ArrayLike
                         ) -> tuple[np.ndarray, np.ndarray]:
    p = as_float_array(patches, "patches", min_ndim=2)
    w = as_float_array(weights, "weights")
    if w.ndim != 1 or w.shape[0] != p.shape[0]:
        raise ValueError(f"weights must hold one number per location: shape "
                         f"({p.shape[0]},) for patches {p.shape}; got {w.shape}")
    if (w < 0).any() or abs(w.sum() - 1) > 1e-6:
        raise ValueError(f"weights must be non-negative and sum to 1 (a softmax over "
                         f"locations); they sum to {w.sum():.6g} with minimum "
                         f"{w.min():.3g}")
    return p, w


def soft_attention(patches: ArrayLike, weights: ArrayLike) -> np.ndarray:
    """Soft attention over locations: the weighted average of every patch.

    Differentiable in the weights, so it trains with backpropagation.
    Shapes: patches (L, ...), weights (L,) summing to 1 -> one patch (...).
    Introduced in notebooks/08_the_papers_in_code.ipynb.
    """
    p, w = _patches_and_weights(patches, weights)
    return np.tensordot(w, p, axes=1)


def hard_attention(patches: ArrayLike, weights: ArrayLike,
                   rng: np.random.Generator | None = None) -> tuple[int, np.ndarray]:
    """Hard attention as Xu et al. 2015 name it: one of L locations, taken whole.

    With ``rng`` the location is sampled from ``weights`` (as a trained model does; it is
    learned with REINFORCE since sampling has no gradient); without, the most likely
    location is taken. (Mnih et al.'s model is hard attention too, but samples a
    continuous location: see :func:`glimpse_path`.) Shapes: patches (L, ...), weights (L,)
    summing to 1 -> (index, that patch (...)).
    Introduced in notebooks/08_the_papers_in_code.ipynb.
    """
    p, w = _patches_and_weights(patches, weights)
    if rng is None:
        index = int(np.argmax(w))
    elif isinstance(rng, np.random.Generator):
        index = int(rng.choice(len(w), p=w / w.sum()))
    else:
        raise TypeError(f"rng must be a numpy Generator or None; got {type(rng).__name__}")
    return index, p[index].copy()


@dataclasses.dataclass(frozen=True)
class GlimpsePath:
    """One run of :func:`glimpse_path`, step by step (T steps, H hidden units).

    locations (T, 2): l_t, where glimpse t was taken, as (row, col) in [-1, 1];
    pixels (T, 2): the same locations as integer (row, col) pixel indices;
    means (T - 1, 2): the location network's output after glimpse t, the mean of the
    Gaussian that l_{t+1} was sampled from (before clipping to the image);
    hidden (T, H): the core's state after each glimpse;
    glimpses (T, scales, patch, patch): what the sensor saw at each step.
    """

    locations: np.ndarray
    pixels: np.ndarray
    means: np.ndarray
    hidden: np.ndarray
    glimpses: np.ndarray


def _to_pixel(location: np.ndarray, shape: tuple[int, int]) -> tuple[int, int]:
    """(row, col) in [-1, 1] to the nearest pixel: -1 is the first row (column), +1 the last."""
    row, col = np.rint((location + 1) / 2 * (np.array(shape) - 1)).astype(int)
    return int(row), int(col)


def _glimpse_loop(img: np.ndarray, start: np.ndarray, rng: np.random.Generator, steps: int,
                  hidden: int, sigma: float, patch: int, scales: int) -> GlimpsePath:
    """The loop itself: look, update the state, choose where to look next."""
    n_in = scales * patch * patch
    # The toy model's weights: drawn once from rng, then fixed for the whole run.
    w_glimpse = rng.normal(size=(n_in, hidden)) / np.sqrt(n_in)
    w_where = rng.normal(size=(2, hidden))
    w_state = rng.normal(size=(hidden, hidden)) / np.sqrt(hidden)
    w_location = rng.normal(size=(hidden, 2)) / np.sqrt(hidden)

    h, loc = np.zeros(hidden), start
    locations, means, states, seen = [], [], [], []
    for t in range(steps):
        g = glimpse(img, _to_pixel(loc, img.shape), patch=patch, scales=scales)  # look at l_t
        h = np.tanh(g.ravel() @ w_glimpse + loc @ w_where + h @ w_state)       # the core
        locations.append(loc)
        states.append(h)
        seen.append(g)
        if t + 1 < steps:
            mean = np.tanh(h @ w_location)                      # the location network
            means.append(mean)
            loc = np.clip(mean + sigma * rng.standard_normal(2), -1.0, 1.0)  # l_{t+1}
    locs = np.array(locations)
    return GlimpsePath(locations=locs,
                       pixels=np.array([_to_pixel(l_t, img.shape) for l_t in locs]),
                       means=np.array(means).reshape(-1, 2), hidden=np.array(states),
                       glimpses=np.array(seen))


def glimpse_path(image: ArrayLike, start: Any, rng: np.random.Generator, *, steps: int = 6,
                 hidden: int = 16, sigma: float = 0.2, patch: int = 8,
                 scales: int = 3) -> GlimpsePath:
    """Run the recurrent loop of Mnih et al.'s model (RAM) for ``steps`` glimpses, with
    toy weights drawn once from ``rng``: an untrained model, to show how it moves.

    At step t: glimpse at l_t (:func:`glimpse`); a toy core updates its state,
    h_t = tanh(W_g g_t + W_l l_t + W_h h_{t-1}); the location network, a fixed linear
    map and a tanh, gives the mean m_t = tanh(W_m h_t); and l_{t+1} is sampled from the
    Gaussian N(m_t, sigma^2), with ``rng``, then clipped to [-1, 1] so it stays inside
    the image. (The paper's location network is linear; the tanh keeps the mean inside
    the image. Its glimpse network and core have more layers, and an action network
    classifies the image after the last glimpse.) The same rng seed gives the same path.
    Locations are (row, col) in [-1, 1]: (0, 0) is the centre, (-1, -1) the top left.
    Shapes: image (H, W), start (2,) -> a :class:`GlimpsePath` of ``steps`` steps.
    Introduced in notebooks/08_the_papers_in_code.ipynb.
    """
    img = _image(image)
    loc = as_float_array(start, "start")
    if loc.shape != (2,):
        raise ValueError(f"start must be one location (row, col) in [-1, 1]; got shape "
                         f"{loc.shape}")
    if (np.abs(loc) > 1).any():
        raise ValueError(f"start {tuple(loc.tolist())} lies outside the image: both "
                         "coordinates must be in [-1, 1], with (0, 0) the centre")
    rng = check_rng(rng)
    steps = check_int(steps, "steps", minimum=1)
    hidden = check_int(hidden, "hidden", minimum=1)
    sigma = check_positive_float(sigma, "sigma")
    patch = check_int(patch, "patch", minimum=1)
    scales = check_int(scales, "scales", minimum=1)
    return _glimpse_loop(img, loc, rng, steps, hidden, sigma, patch, scales)
