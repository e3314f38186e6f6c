"""attention_lib.seq2seq: the reversal data, accuracy, the two Keras models, training,
decoding, the plots and the alignment explorer (tiny models, a few steps: seconds)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from attention_lib import seq2seq
from attention_lib.exercises import check

# -- data ----------------------------------------------------------------------------------


def test_reversal_data_shapes_and_ranges():
    d = seq2seq.reversal_data(50, np.random.default_rng(0), vocab_size=4, min_len=3,
                              max_len=7)
    assert len(d) == 50
    for a in (d.source, d.decoder_input, d.target):
        assert a.shape == (50, 7) and a.dtype == np.int32
    assert d.lengths.shape == (50,)
    assert d.lengths.min() >= 3 and d.lengths.max() <= 7
    real = np.arange(7)[None, :] < d.lengths[:, None]
    assert (d.source[real] >= seq2seq.FIRST_TOKEN).all()
    assert (d.source[real] < seq2seq.FIRST_TOKEN + 4).all()
    assert (d.source[~real] == seq2seq.PAD).all() and (d.target[~real] == seq2seq.PAD).all()


def test_reversal_data_targets_are_the_reversed_sources():
    d = seq2seq.reversal_data(40, np.random.default_rng(1))
    for i in range(len(d)):
        n = d.lengths[i]
        np.testing.assert_array_equal(d.target[i, :n], d.source[i, :n][::-1])
    np.testing.assert_array_equal(d.decoder_input[:, 0], seq2seq.START)
    np.testing.assert_array_equal(d.decoder_input[:, 1:], d.target[:, :-1])


def test_reversal_data_is_reproducible_from_the_seed():
    a = seq2seq.reversal_data(20, np.random.default_rng(3))
    b = seq2seq.reversal_data(20, np.random.default_rng(3))
    c = seq2seq.reversal_data(20, np.random.default_rng(4))
    np.testing.assert_array_equal(a.source, b.source)
    np.testing.assert_array_equal(a.lengths, b.lengths)
    assert not np.array_equal(a.source, c.source)


def test_reversal_data_covers_every_length():
    d = seq2seq.reversal_data(600, np.random.default_rng(0))
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
        seq2seq.reversal_data(n, rng, **args)


def test_reversal_targets_by_hand():
    src = np.array([[2, 3, 4, 0], [5, 6, 7, 8], [9, 0, 0, 0]])
    np.testing.assert_array_equal(seq2seq.reversal_targets(src, [3, 4, 1]),
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
        seq2seq.reversal_targets(source, lengths)


def test_token_string():
    assert seq2seq.token_string([2, 3, 9, 0, 0]) == "a b h"
    assert seq2seq.token_string([1, 4]) == "c"
    with pytest.raises(TypeError, match="ids"):
        seq2seq.token_string([2.0, 3.0])


def test_length_thirds():
    assert seq2seq.length_thirds(5, 30) == [range(5, 14), range(14, 22), range(22, 31)]
    assert seq2seq.length_thirds(1, 3) == [range(1, 2), range(2, 3), range(3, 4)]
    parts = seq2seq.length_thirds(2, 12)
    assert sorted(n for p in parts for n in p) == list(range(2, 13))
    with pytest.raises(ValueError, match="min_len"):
        seq2seq.length_thirds(5, 6)


# -- accuracy ------------------------------------------------------------------------------


def test_token_accuracy_ignores_padding():
    target = np.array([[4, 3, 2, 0, 0], [5, 5, 0, 0, 0]])
    pred = np.array([[4, 9, 2, 7, 7], [5, 5, 0, 0, 0]])
    np.testing.assert_allclose(seq2seq.token_accuracy(pred, target, [3, 2]), [2 / 3, 1.0])


def test_accuracy_by_length_pools_tokens():
    target = np.array([[2, 3, 0], [4, 5, 0], [2, 3, 4]])
    pred = np.array([[2, 9, 0], [4, 5, 0], [9, 9, 4]])
    by_length = seq2seq.accuracy_by_length(pred, target, [2, 2, 3])
    assert by_length == {2: pytest.approx(0.75), 3: pytest.approx(1 / 3)}
    assert seq2seq.accuracy_of(by_length, [2, 3]) == pytest.approx((0.75 * 2 + 1 / 3 * 3) / 5)
    with pytest.raises(ValueError, match="lengths"):
        seq2seq.accuracy_of(by_length, [4])
    with pytest.raises(ValueError, match="lengths"):
        seq2seq.accuracy_of(by_length, [])


def test_accuracy_by_position():
    target = np.array([[2, 3, 0], [4, 5, 6]])
    pred = np.array([[2, 9, 0], [4, 5, 9]])
    np.testing.assert_allclose(seq2seq.accuracy_by_position(pred, target, [2, 3]),
                               [1.0, 0.5, 0.0])
    out = seq2seq.accuracy_by_position(pred[:1], target[:1], [2])
    assert np.isnan(out[2])


@pytest.mark.parametrize("pred, target, lengths, exc, word", [
    (np.ones((2, 3), int), np.ones((2, 4), int), [1, 1], ValueError, "predictions"),
    (np.ones((2, 3)), np.ones((2, 3), int), [1, 1], TypeError, "predictions"),
    (np.ones((2, 3), int), np.ones((2, 3), int), [1], ValueError, "lengths"),
    (np.ones((2, 3), int), np.ones(3, int), [1, 1], ValueError, "target"),
])
def test_token_accuracy_bad_arguments(pred, target, lengths, exc, word):
    with pytest.raises(exc, match=word):
        seq2seq.token_accuracy(pred, target, lengths)


def test_anti_diagonal_share():
    w = np.zeros((2, 3, 3))
    w[0, 0, 1] = w[0, 1, 0] = 1      # length 2: both steps on the anti-diagonal
    w[0, 2, 2] = 1                   # a padded step: not counted
    w[1, 0, 2] = w[1, 1, 1] = 1      # length 3: steps 0 and 1 right,
    w[1, 2, 2] = 1                   # step 2 should look at position 0
    assert seq2seq.anti_diagonal_share(w, [2, 3]) == pytest.approx(4 / 5)
    with pytest.raises(ValueError, match="weights"):
        seq2seq.anti_diagonal_share(np.zeros((3, 3)), [1])
    with pytest.raises(ValueError, match="lengths"):
        seq2seq.anti_diagonal_share(w, [2])


# -- the Keras models ----------------------------------------------------------------------

SMALL = dict(vocab_size=4, max_len=6, units=8, embed_dim=4, seed=0)


@pytest.fixture(scope="module")
def small_models():
    bottleneck = seq2seq.build_seq2seq(attention=False, **SMALL)
    attention = seq2seq.build_seq2seq(attention=True, **SMALL)
    return bottleneck, attention


@pytest.fixture(scope="module")
def small_data():
    return seq2seq.reversal_data(12, np.random.default_rng(0), vocab_size=4, min_len=2,
                                 max_len=6)


def test_models_output_shapes(small_models, small_data):
    for m in small_models:
        logits = np.asarray(m.model([small_data.source, small_data.decoder_input]))
        assert logits.shape == (12, 6, 4 + seq2seq.FIRST_TOKEN)
    bottleneck, attention = small_models
    assert bottleneck.alignment is None and attention.alignment is not None
    assert bottleneck.name == "bottleneck" and attention.name == "attention"


def test_models_share_their_starting_weights(small_models):
    bottleneck, attention = small_models
    for name in ("source_embedding", "encoder", "decoder_embedding", "decoder"):
        for a, b in zip(bottleneck.model.get_layer(name).get_weights(),
                        attention.model.get_layer(name).get_weights(), strict=True):
            np.testing.assert_array_equal(a, b)
    # Context of 8 (final state) vs 4 (embedding) into a Dense of 6 outputs, plus the scale.
    assert bottleneck.n_params - attention.n_params == (8 - 4) * 6 - 1


def test_attention_weights_rows_sum_to_one_and_skip_padding(small_models, small_data):
    _, attention = small_models
    w = seq2seq.attention_weights(attention, small_data.source, small_data.decoder_input)
    assert w.shape == (12, 6, 6)
    np.testing.assert_allclose(w.sum(axis=-1), 1.0, atol=1e-5)
    padded = np.arange(6)[None, None, :] >= small_data.lengths[:, None, None]
    assert np.all(w[np.broadcast_to(padded, w.shape)] < 1e-6)


def test_attention_weights_bad_arguments(small_models, small_data):
    bottleneck, attention = small_models
    with pytest.raises(ValueError, match="attention"):
        seq2seq.attention_weights(bottleneck, small_data.source, small_data.decoder_input)
    with pytest.raises(ValueError, match="source"):
        seq2seq.attention_weights(attention, small_data.source[:, :5],
                                  small_data.decoder_input[:, :5])
    with pytest.raises(TypeError, match="model"):
        seq2seq.attention_weights(attention.model, small_data.source,
                                  small_data.decoder_input)


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(attention="yes"), TypeError, "attention"),
    (dict(units=0), ValueError, "units"),
    (dict(vocab_size=1), ValueError, "vocab_size"),
    (dict(embed_dim=2.0), TypeError, "embed_dim"),
    (dict(seed=-1), ValueError, "seed"),
])
def test_build_bad_arguments(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        seq2seq.build_seq2seq(**(dict(attention=True) | kwargs))


def test_train_reports_progress_and_is_repeatable():
    def run():
        m = seq2seq.build_seq2seq(attention=True, **SMALL)
        calls = []
        losses = seq2seq.train(m, np.random.default_rng(0), steps=7, batch_size=8,
                               min_len=2, progress=lambda s, loss: calls.append(s),
                               report_every=3)
        return losses, calls

    losses, calls = run()
    assert losses.shape == (7,) and np.isfinite(losses).all()
    assert calls == [3, 6, 7]
    again, _ = run()
    np.testing.assert_allclose(again, losses, rtol=1e-6)


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(steps=0), ValueError, "steps"),
    (dict(batch_size=1.5), TypeError, "batch_size"),
    (dict(learning_rate=2.0), ValueError, "learning_rate"),
    (dict(progress="bar"), TypeError, "progress"),
    (dict(rng=np.random.RandomState(0)), TypeError, "rng"),
])
def test_train_bad_arguments(small_models, kwargs, exc, word):
    args = dict(rng=np.random.default_rng(0)) | kwargs
    rng = args.pop("rng")
    with pytest.raises(exc, match=word):
        seq2seq.train(small_models[1], rng, **args)


def test_greedy_decode_feeds_back_its_own_predictions(small_models, small_data):
    _, attention = small_models
    pred, dec = seq2seq.greedy_decode(attention, small_data)
    assert pred.shape == dec.shape == (12, 6)
    np.testing.assert_array_equal(dec[:, 0], seq2seq.START)
    np.testing.assert_array_equal(dec[:, 1:], pred[:, :-1])
    # Teacher forcing with the model's own outputs reproduces them: the decoder is causal.
    logits = np.asarray(attention.model([small_data.source, dec]))
    np.testing.assert_array_equal(logits.argmax(-1), pred)


def test_greedy_decode_bad_data(small_models):
    _, attention = small_models
    wide = seq2seq.reversal_data(3, np.random.default_rng(0), max_len=7)
    with pytest.raises(ValueError, match="max_len"):
        seq2seq.greedy_decode(attention, wide)
    many = seq2seq.reversal_data(3, np.random.default_rng(0), vocab_size=9, max_len=6)
    with pytest.raises(ValueError, match="letters"):
        seq2seq.greedy_decode(attention, many)
    with pytest.raises(TypeError, match="data"):
        seq2seq.greedy_decode(attention, many.source)


# -- progress, plots, explorer -------------------------------------------------------------


def test_training_progress_final_state_is_fixed():
    p = seq2seq.TrainingProgress(10, ["a", "b"])
    p.callback("a")(10, 0.5)
    assert p.bar.value == 10 and "step 10/10" in p.label.value
    p.callback("b")(4, 0.25)
    assert p.bar.value == 14
    p.finish()
    assert p.bar.value == p.bar.max == 20
    assert p.label.value == "done: 2 models x 10 steps (a, b)"
    assert repr(p) == "TrainingProgress(a then b, 10 steps each; the bar is live in JupyterLab)"
    bundle = seq2seq._Fixed(p.widget, repr(p))._repr_mimebundle_()
    assert bundle["text/plain"] == repr(p)
    assert "application/vnd.jupyter.widget-view+json" in bundle
    with pytest.raises(ValueError, match="name"):
        p.callback("c")
    with pytest.raises(TypeError, match="names"):
        seq2seq.TrainingProgress(10, "ab")


def test_plot_accuracy_by_length():
    fig = Figure()
    ax = fig.subplots()
    seq2seq.plot_accuracy_by_length(ax, {"x": {5: 0.5, 6: 0.25}, "y": {5: 1.0, 6: 0.9}},
                                    chance=0.125, shade=range(6, 7))
    lines = [ln for ln in ax.get_lines() if ln.get_label() in ("x", "y")]
    np.testing.assert_allclose(lines[0].get_ydata(), [0.5, 0.25])
    np.testing.assert_allclose(lines[1].get_xdata(), [5, 6])
    with pytest.raises(TypeError, match="results"):
        seq2seq.plot_accuracy_by_length(ax, {})
    with pytest.raises(TypeError, match="results"):
        seq2seq.plot_accuracy_by_length(ax, {"x": [0.5]})


def test_draw_alignment_draws_the_weights_with_letter_ticks():
    fig = Figure()
    ax = fig.subplots()
    w = np.array([[0.1, 0.9], [0.8, 0.2], [0.5, 0.5]])
    image = seq2seq.draw_alignment(ax, w, [2, 3], [3, 2, 2])
    np.testing.assert_array_equal(image.get_array(), w)
    assert image.get_clim() == (0.0, 1.0)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a", "a"]
    image = seq2seq.draw_alignment(ax, w, [2, 3], [0, 1, 2])  # an untrained model's output
    assert [t.get_text() for t in ax.get_yticklabels()] == ["pad", "start", "a"]
    with pytest.raises(ValueError, match="weights"):
        seq2seq.draw_alignment(ax, w.T, [2, 3], [3, 2, 2])


@pytest.fixture(scope="module")
def examples(small_models, small_data):
    _, attention = small_models
    pred, dec = seq2seq.greedy_decode(attention, small_data)
    w = seq2seq.attention_weights(attention, small_data.source, dec)
    return seq2seq.examples_from(small_data, pred, w, [0, 1, 2]), w


def test_examples_from_cuts_to_length(examples, small_data):
    chosen, w = examples
    for i, e in enumerate(chosen):
        n = small_data.lengths[i]
        assert e.weights.shape == (n, n) and len(e.source) == len(e.output) == n
        np.testing.assert_array_equal(e.weights, w[i, :n, :n])
        assert e.label.startswith(f"length {n}: ")
    with pytest.raises(ValueError, match="index"):
        seq2seq.examples_from(small_data, np.zeros((12, 6), int), w, [12])
    with pytest.raises(ValueError, match="weights"):
        seq2seq.examples_from(small_data, np.zeros((12, 6), int), w[:, :3], [0])


def test_alignment_explorer_redraws_the_chosen_example(examples):
    chosen, _ = examples
    explorer = seq2seq.AlignmentExplorer(chosen)
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
        seq2seq.AlignmentExplorer([])


# -- exercises -----------------------------------------------------------------------------


def test_exercise_checkers_accept_the_library_and_reject_wrong_answers():
    assert check("05.1", seq2seq.reversal_targets).ok
    assert check("05.2", seq2seq.token_accuracy).ok
    assert check("05.3", seq2seq.anti_diagonal_share).ok
    # Reversing the whole padded row moves the padding to the front.
    assert not check("05.1", lambda s, n: s[:, ::-1]).ok
    # Counting padding as right inflates the accuracy.
    assert not check("05.2", lambda p, t, n: (p == t).mean(axis=1)).ok
    # The main diagonal instead of the anti-diagonal.
    wrong = check("05.3", lambda w, n: np.mean(w.argmax(-1) == np.arange(w.shape[1])))
    assert not wrong.ok
