"""attention_lib.seq2seq_views: the training progress bar, the accuracy plot, the
alignment heatmap and the alignment explorer, on the outputs of a tiny untrained
attention model (seconds)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from attention_lib import reversal, seq2seq, seq2seq_views

SMALL = dict(vocab_size=4, max_len=6, units=8, embed_dim=4, seed=0)


@pytest.fixture(scope="module")
def small_data():
    return reversal.reversal_data(12, np.random.default_rng(0), vocab_size=4, min_len=2,
                                  max_len=6)


# -- progress, plots, explorer -------------------------------------------------------------


def test_training_progress_final_state_is_fixed():
    p = seq2seq_views.TrainingProgress(10, ["a", "b"])
    p.callback("a")(10, 0.5)
    assert p.bar.value == 10 and "step 10/10" in p.label.value
    p.callback("b")(4, 0.25)
    assert p.bar.value == 14
    p.finish()
    assert p.bar.value == p.bar.max == 20
    assert p.label.value == "done: 2 models x 10 steps (a, b)"
    assert repr(p) == "TrainingProgress(a then b, 10 steps each; the bar is live in JupyterLab)"
    bundle = seq2seq_views._Fixed(p.widget, repr(p))._repr_mimebundle_()
    assert bundle["text/plain"] == repr(p)
    assert "application/vnd.jupyter.widget-view+json" in bundle
    with pytest.raises(ValueError, match="name"):
        p.callback("c")
    with pytest.raises(TypeError, match="names"):
        seq2seq_views.TrainingProgress(10, "ab")


def test_plot_accuracy_by_length():
    fig = Figure()
    ax = fig.subplots()
    seq2seq_views.plot_accuracy_by_length(ax, {"x": {5: 0.5, 6: 0.25}, "y": {5: 1.0, 6: 0.9}},
                                          chance=0.125, shade=range(6, 7))
    lines = [ln for ln in ax.get_lines() if ln.get_label() in ("x", "y")]
    np.testing.assert_allclose(lines[0].get_ydata(), [0.5, 0.25])
    np.testing.assert_allclose(lines[1].get_xdata(), [5, 6])
    with pytest.raises(TypeError, match="results"):
        seq2seq_views.plot_accuracy_by_length(ax, {})
    with pytest.raises(TypeError, match="results"):
        seq2seq_views.plot_accuracy_by_length(ax, {"x": [0.5]})


def test_draw_alignment_draws_the_weights_with_letter_ticks():
    fig = Figure()
    ax = fig.subplots()
    w = np.array([[0.1, 0.9], [0.8, 0.2], [0.5, 0.5]])
    image = seq2seq_views.draw_alignment(ax, w, [2, 3], [3, 2, 2])
    np.testing.assert_array_equal(image.get_array(), w)
    assert image.get_clim() == (0.0, 1.0)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a", "a"]
    image = seq2seq_views.draw_alignment(ax, w, [2, 3], [0, 1, 2])  # an untrained model's output
    assert [t.get_text() for t in ax.get_yticklabels()] == ["pad", "start", "a"]
    with pytest.raises(ValueError, match="weights"):
        seq2seq_views.draw_alignment(ax, w.T, [2, 3], [3, 2, 2])


@pytest.fixture(scope="module")
def examples(small_data):
    attention = seq2seq.build_seq2seq(attention=True, **SMALL)
    pred, dec = seq2seq.greedy_decode(attention, small_data)
    w = seq2seq.attention_weights(attention, small_data.source, dec)
    return reversal.examples_from(small_data, pred, w, [0, 1, 2]), w


def test_examples_from_cuts_to_length(examples, small_data):
    chosen, w = examples
    for i, e in enumerate(chosen):
        n = small_data.lengths[i]
        assert e.weights.shape == (n, n) and len(e.source) == len(e.output) == n
        np.testing.assert_array_equal(e.weights, w[i, :n, :n])
        assert e.label.startswith(f"length {n}: ")
    with pytest.raises(ValueError, match="index"):
        reversal.examples_from(small_data, np.zeros((12, 6), int), w, [12])
    with pytest.raises(ValueError, match="weights"):
        reversal.examples_from(small_data, np.zeros((12, 6), int), w[:, :3], [0])


def test_alignment_explorer_redraws_the_chosen_example(examples):
    chosen, _ = examples
    explorer = seq2seq_views.AlignmentExplorer(chosen)
    np.testing.assert_array_equal(explorer.image.get_array(), chosen[0].weights)
    first_png = explorer.png
    assert first_png.startswith(b"\x89PNG")
    for i in (2, 1, 0):
        explorer.dropdown.value = i
        np.testing.assert_array_equal(explorer.image.get_array(), chosen[i].weights)
        assert explorer.ax.get_title().endswith(chosen[i].label)
    explorer.dropdown.value = 2
    assert explorer.png != first_png or np.array_equal(chosen[2].weights, chosen[0].weights)
    assert len(explorer.figure.axes) == 2  # one heatmap, one colour bar, however often redrawn
    assert repr(explorer) == "AlignmentExplorer(3 test examples)"
    with pytest.raises(TypeError, match="examples"):
        seq2seq_views.AlignmentExplorer([])
