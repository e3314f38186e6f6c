"""The attention explorer: driven the way a browser drives it, by setting ``.value``."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from attention_lib import attention
from attention_lib.data import seed_arrays
from attention_lib.explorer import AttentionExplorer, stage_scores


@pytest.fixture
def seed() -> dict[str, np.ndarray]:
    return seed_arrays()


@pytest.fixture
def explorer(seed: dict[str, np.ndarray]) -> AttentionExplorer:
    return AttentionExplorer(seed["query"], seed["value"], seed["key"])


def shown(explorer: AttentionExplorer, panel: str) -> np.ndarray:
    """The data the panel's heatmap holds (masked cells as NaN)."""
    return np.ma.filled(np.ma.asarray(explorer.images[panel].get_array(), dtype=float),
                        np.nan)


def assert_panels_match(explorer: AttentionExplorer, q, v, k, **kw) -> None:
    out, w = attention(q, v, k, **kw)
    np.testing.assert_allclose(shown(explorer, "weights"), w, atol=1e-12)
    np.testing.assert_allclose(shown(explorer, "output"), out, atol=1e-12)


def test_first_state_is_the_seed_experiment(explorer, seed):
    assert_panels_match(explorer, seed["query"], seed["value"], seed["key"])
    # The seed article's printed weights for its query-key-value experiment.
    np.testing.assert_allclose(shown(explorer, "weights"),
                               [[0.47502081, 0.52497919], [0.7109495, 0.2890505]],
                               atol=1e-7)
    np.testing.assert_allclose(shown(explorer, "scores"), seed["query"] @ seed["key"].T)
    assert explorer.png.startswith(b"\x89PNG")
    # The canvas is sent the static parts once and the cells and numbers as a frame;
    # the PNG is the same frame drawn in numpy.
    assert explorer.live.view.background.startswith(b"\x89PNG")
    assert len(explorer.live.view.frame["rects"]) == 2 * 2 + 2 * 2 + 2 * 3


@pytest.mark.parametrize("grid,i,j", [("query_sliders", 1, 2), ("key_sliders", 0, 1),
                                      ("value_sliders", 1, 0)])
def test_moving_a_slider_updates_every_panel(explorer, seed, grid, i, j):
    before = explorer.png
    getattr(explorer, grid)[i, j].value = -3.7
    name = grid.split("_")[0]
    arrays = {n: seed[n].copy() for n in ("query", "value", "key")}
    arrays[name][i, j] = -3.7
    assert_panels_match(explorer, arrays["query"], arrays["value"], arrays["key"])
    np.testing.assert_allclose(shown(explorer, "scores"), arrays["query"] @ arrays["key"].T)
    assert explorer.png != before


def test_annotations_show_the_weights(explorer):
    explorer.query_sliders[0, 0].value = 2.5
    w = explorer.result["weights"]
    texts = [[t.get_text() for t in row] for row in explorer.texts["weights"]]
    assert texts == [[f"{x:.2f}" for x in row] for row in w]


@pytest.mark.parametrize("mode", ["dot", "scaled_dot", "concat", "cosine"])
def test_score_mode_scale_and_causal_mask(explorer, seed, mode):
    explorer.score_mode.value = mode
    explorer.scale.value = 2.0
    explorer.causal.value = True
    assert_panels_match(explorer, seed["query"], seed["value"], seed["key"],
                        score_mode=mode, scale=2.0, use_causal_mask=True)
    scores = shown(explorer, "scores")
    assert np.isnan(scores[0, 1])  # masked: query 0 may not see key 1
    expected = stage_scores(seed["query"], seed["key"], mode, 2.0)
    np.testing.assert_allclose(scores[~np.isnan(scores)], expected[[0, 1, 1], [0, 0, 1]])
    assert explorer.texts["scores"][0, 1].get_text() == "masked"


def test_key_equals_value_switch(explorer, seed):
    explorer.key_is_value.value = True
    assert all(s.disabled for s in explorer.key_sliders.ravel())
    np.testing.assert_array_equal(explorer.inputs()[1], seed["value"])
    assert explorer.inputs()[2] is None
    assert_panels_match(explorer, seed["query"], seed["value"], None)
    explorer.value_sliders[0, 2].value = 4.0  # the key follows the value
    assert explorer.key_sliders[0, 2].value == 4.0
    v = seed["value"].copy()
    v[0, 2] = 4.0
    assert_panels_match(explorer, seed["query"], v, None)
    explorer.key_is_value.value = False
    assert not any(s.disabled for s in explorer.key_sliders.ravel())


def test_no_key_starts_with_key_equals_value(seed):
    ex = AttentionExplorer(seed["query"], seed["value"])
    assert ex.key_is_value.value
    assert_panels_match(ex, seed["query"], seed["value"], None)


def test_switch_is_disabled_when_key_and_value_widths_differ():
    rng = np.random.default_rng(0)
    ex = AttentionExplorer(rng.uniform(-1, 1, (3, 2)), rng.uniform(-1, 1, (4, 5)),
                           rng.uniform(-1, 1, (4, 2)))
    assert ex.key_is_value.disabled
    assert shown(ex, "weights").shape == (3, 4)
    assert shown(ex, "output").shape == (3, 5)


def test_reset_restores_everything(explorer, seed):
    first = explorer.png
    explorer.query_sliders[0, 0].value = 5.0
    explorer.score_mode.value = "cosine"
    explorer.scale.value = 0.1
    explorer.causal.value = True
    explorer.key_is_value.value = True
    explorer.reset_button.click()
    assert explorer.score_mode.value == "dot" and explorer.scale.value == 1.0
    assert not explorer.causal.value and not explorer.key_is_value.value
    np.testing.assert_array_equal(explorer.inputs()[2], seed["key"])
    assert_panels_match(explorer, seed["query"], seed["value"], seed["key"])
    assert explorer.png == first


def _set_all(explorer: AttentionExplorer, pattern: str) -> None:
    with explorer._batch():
        for n, grid in enumerate((explorer.query_sliders, explorer.key_sliders,
                                  explorer.value_sliders)):
            for (i, j), slider in np.ndenumerate(grid):
                if pattern == "alternate":
                    slider.value = slider.max if (i + j + n) % 2 else slider.min
                else:
                    slider.value = getattr(slider, pattern)


@pytest.mark.parametrize("pattern", ["min", "max", "alternate"])
def test_extremes_never_give_nan(explorer, pattern):
    _set_all(explorer, pattern)
    for mode in ("dot", "scaled_dot", "concat", "cosine"):
        for scale in (explorer.scale.min, explorer.scale.max):
            for causal in (False, True):
                for same in (False, True):
                    with explorer._batch():
                        explorer.score_mode.value = mode
                        explorer.scale.value = 10.0 ** scale
                        explorer.causal.value = causal
                        explorer.key_is_value.value = same
                    explorer.update()
                    w = explorer.result["weights"]
                    assert np.isfinite(w).all() and np.isfinite(explorer.result["output"]).all()
                    np.testing.assert_allclose(w.sum(axis=-1), 1.0)
                    texts = [t.get_text() for arr in explorer.texts.values()
                             for t in arr.ravel()]
                    assert not any("nan" in t.lower() or "inf" in t for t in texts)


def test_bigger_matrices_work():
    rng = np.random.default_rng(1)
    q, k, v = (np.round(rng.uniform(-5, 5, shape), 1) for shape in ((4, 2), (5, 2), (5, 3)))
    ex = AttentionExplorer(q, v, k, score_mode="scaled_dot", use_causal_mask=True)
    assert_panels_match(ex, q, v, k, score_mode="scaled_dot", use_causal_mask=True)


def test_repr_is_one_stable_line(explorer):
    text = repr(explorer.widget)
    assert text == ("AttentionExplorer(query 2×3, key 2×3, value 2×3; without the Keras "
                    "panel)")
    assert repr(explorer) == text


def test_display_shows_a_picture_then_the_widget(explorer, monkeypatch):
    shown_objects = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown_objects.append(obj))
    explorer._ipython_display_()
    assert shown_objects[0].data == explorer.png
    assert shown_objects[1] is explorer.widget


def test_numpy_explorer_never_imports_tensorflow():
    code = ("import sys\n"
            "from attention_lib.data import seed_arrays\n"
            "from attention_lib.explorer import AttentionExplorer\n"
            "s = seed_arrays()\n"
            "ex = AttentionExplorer(s['query'], s['value'], s['key'])\n"
            "ex.query_sliders[0, 0].value = 2.0\n"
            "ex.score_mode.value = 'concat'\n"
            "assert 'tensorflow' not in sys.modules, 'tensorflow was imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True)


# -- bad arguments --------------------------------------------------------------------

def test_one_dimensional_query_is_refused(seed):
    with pytest.raises(ValueError, match="query"):
        AttentionExplorer([1.0, 2.0, 3.0], seed["value"])


def test_batched_input_is_refused(seed):
    with pytest.raises(ValueError, match=r"query must be 2-D.*\(1, 2, 3\)"):
        AttentionExplorer(seed["query"][None], seed["value"][None])


def test_feature_mismatch_is_refused(seed):
    with pytest.raises(ValueError, match="key has 2 features but query has 3"):
        AttentionExplorer(seed["query"], seed["value"], seed["key"][:, :2])


def test_keras_must_be_a_bool(seed):
    with pytest.raises(TypeError, match="keras"):
        AttentionExplorer(seed["query"], seed["value"], keras="yes")


def test_causal_must_be_a_bool(seed):
    with pytest.raises(TypeError, match="use_causal_mask"):
        AttentionExplorer(seed["query"], seed["value"], use_causal_mask=1)


def test_unknown_score_mode(seed):
    with pytest.raises(ValueError, match="score_mode"):
        AttentionExplorer(seed["query"], seed["value"], score_mode="general")


@pytest.mark.parametrize("scale", [0.0, 11.0])
def test_scale_outside_slider(seed, scale):
    with pytest.raises(ValueError, match="scale"):
        AttentionExplorer(seed["query"], seed["value"], scale=scale)


def test_value_outside_slider_range(seed):
    q = seed["query"].copy()
    q[1, 0] = 7.0
    with pytest.raises(ValueError, match=r"query has 7 at index \(1, 0\)"):
        AttentionExplorer(q, seed["value"])


def test_stage_scores_bad_mode(seed):
    with pytest.raises(ValueError, match="score_mode"):
        stage_scores(seed["query"], seed["key"], "general", 1.0)


def test_stage_scores_bad_scale(seed):
    with pytest.raises(ValueError, match="scale"):
        stage_scores(seed["query"], seed["key"], "dot", float("inf"))


# -- the Keras panel (slower: TensorFlow is imported) ----------------------------------

@pytest.fixture(scope="module")
def keras_explorer() -> AttentionExplorer:
    pytest.importorskip("tensorflow")
    s = seed_arrays()
    return AttentionExplorer(s["query"], s["value"], s["key"], keras=True)


def test_keras_panel_holds_while_dragging(keras_explorer):
    ex = keras_explorer
    ex.reset()
    assert ex.result["keras_max_diff"] < 1e-5
    for value in (-5.0, -1.3, 0.0, 2.2, 5.0):
        ex.query_sliders[1, 1].value = value
        np.testing.assert_allclose(shown(ex, "keras"), ex.result["keras_weights"])
        np.testing.assert_allclose(ex.result["keras_weights"], ex.result["weights"],
                                   atol=1e-5)
        assert ex.result["keras_max_diff"] < 1e-5
    assert "agree within 1e-05" in ex.status.value


@pytest.mark.parametrize("mode", ["dot", "scaled_dot", "concat"])
def test_keras_panel_every_keras_mode_at_the_extremes(keras_explorer, mode):
    ex = keras_explorer
    ex.reset()
    for pattern in ("max", "alternate"):
        _set_all(ex, pattern)
        with ex._batch():
            ex.score_mode.value = mode
            ex.scale.value = 10.0
            ex.causal.value = True
        ex.update()
        assert ex.result["keras_max_diff"] < 1e-5
    if mode == "scaled_dot":
        assert "Keras has no scaled_dot mode" in ex.status.value


def test_keras_panel_says_cosine_has_no_twin(keras_explorer):
    ex = keras_explorer
    ex.reset()
    ex.score_mode.value = "cosine"
    assert ex.result["keras_max_diff"] is None
    assert not ex.images["keras"].get_visible()
    assert "has no <code>cosine</code> score mode" in ex.status.value
    ex.score_mode.value = "dot"
    assert ex.images["keras"].get_visible()
