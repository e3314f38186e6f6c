"""Training the small date Transformer (notebook A's task, issue #13's follow-up): wall
time, exact-match accuracy on unseen test days, the cross-attention's alignment with the
source's fields (head-averaged and head by head), and peak memory; beside the GRU model
of benchmarks/date_model_training.py when ``--with-gru`` trains it first.

    .venv/bin/python benchmarks/date_transformer_training.py [--with-gru] [--schedule 4:4e-3,2:1e-3]

The data are the GRU benchmark's, drawn the same way from the same seed: days
1950-01-01 .. 2049-12-31 split 80 / 20 by a seeded permutation; ``--n-train`` (12000)
training examples from the train days, and every test day once as a test example, each
in one of the 15 zh_CN / en_US / en_GB CLDR formats. The model
(:mod:`attention_lib.date_transformer`) trains by ``date_model.train``: the same
length-sorted batches cut to their longest source, the same fused Adam and clipping.

``--with-gru`` trains the GRU encoder-decoder with attention first (the GRU benchmark's
settings: units 64, embed_dim 32, 3 epochs, batch 64, learning rate 3e-3), then the
Transformer, in one process, as a notebook that shows both would; the peak memory is then
that of both. ``--with-gru attention,no_attention`` trains the GRU model without
attention too, as notebook A does. Without it the Transformer trains alone.

As in the GRU benchmark: one TensorFlow inter-op thread (``--inter-op-threads``), op
determinism only with ``--determinism``, ``keras.utils.set_random_seed(seed)``; what is
timed is the training call, from its call to its return (tracing included); peak memory
is the process's ``ru_maxrss`` at the end.

Alignment: :func:`attention_lib.dates.field_alignment` on the last decoder block's
cross-attention with the greedy decoder's own input (START and its predictions), as the
GRU benchmark measures its greedy weights: the share of an output field's weight that
lands on that field's characters in the source. Printed for the mean over heads and
for each head; "best head" is the head with the highest share for the field.

Targets: training <= 60 s; exact match on test days >= 0.95; peak memory <= 700 MB.
Prints PASS or MISS; it does not fail.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np
from _report import report  # benchmarks/ is on sys.path: run as a script

from attention_lib import date_model, date_transformer, dates, tensorflow_env

TARGET_SECONDS = 60.0
TARGET_ACCURACY = 0.95
TARGET_MB = 700.0
#: The GRU benchmark's defaults (benchmarks/date_model_training.py).
GRU_UNITS, GRU_EMBED_DIM, GRU_EPOCHS, GRU_BATCH_SIZE, GRU_LEARNING_RATE = 64, 32, 3, 64, 3e-3


def peak_mb() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / 2**20 if sys.platform == "darwin" else r / 1024


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def accuracy(predictions: np.ndarray, test: dates.DateData) -> dict:
    right = dates.exact_match(predictions, test.target)
    return dict(accuracy=float(right.mean()),
                by_language={lang: float(right[test.languages == lang].mean())
                             for lang in ("zh", "en")},
                by_format={f.label: float(right[test.format_index == k].mean())
                           for k, f in enumerate(test.formats)})


def run_gru(attention: bool, train: dates.DateData, test: dates.DateData,
            seed: int) -> dict:
    model = date_model.build_date_model(train.vocab, attention=attention, units=GRU_UNITS,
                                        embed_dim=GRU_EMBED_DIM, seed=seed)
    start = time.perf_counter()
    date_model.train(model, train, np.random.default_rng(seed + 1), epochs=GRU_EPOCHS,
                     batch_size=GRU_BATCH_SIZE, learning_rate=GRU_LEARNING_RATE)
    seconds = time.perf_counter() - start
    predictions, weights = date_model.greedy_decode(model, test)
    result = dict(name="GRU + attention" if attention else "GRU, no attention",
                  params=model.n_params, seconds=seconds, peak_mb=peak_mb(),
                  **accuracy(predictions, test))
    if weights is not None:
        result["alignment"] = dates.alignment_by_language(
            dates.field_alignment(weights, test.spans), test)
    del model, predictions, weights
    return result


def run_transformer(train: dates.DateData, test: dates.DateData,
                    args: argparse.Namespace) -> dict:
    model = date_transformer.build_date_transformer(
        train.vocab, d_model=args.d_model, num_heads=args.num_heads,
        num_layers=args.num_layers, d_ff=args.d_ff, seed=args.seed)
    stamps = [time.perf_counter()]
    losses = date_transformer.train_transformer(
        model, train, np.random.default_rng(args.seed + 1), schedule=args.schedule,
        batch_size=args.batch_size,
        progress=lambda step, loss: stamps.append(time.perf_counter()), report_every=1)
    seconds = stamps[-1] - stamps[0]
    start = time.perf_counter()
    predictions = date_transformer.greedy_decode_transformer(model, test)
    decode_seconds = time.perf_counter() - start
    # The greedy decoder's own input: its weights are the ones its predictions used.
    fed = np.concatenate([np.full((len(test), 1), dates.START, np.int32),
                          predictions[:, :-1]], axis=1)
    heads = date_transformer.head_alignment(model, test, fed)          # (n, heads, 3)
    steps_ms = list(np.diff(stamps) * 1000)
    return dict(name="Transformer", params=model.n_params, seconds=seconds,
                first_step_s=steps_ms[0] / 1000, steps_ms=steps_ms[1:], steps=len(losses),
                final_loss=float(losses[-20:].mean()), decode_seconds=decode_seconds,
                alignment=dates.alignment_by_language(heads.mean(axis=1), test),
                head_alignment=[dates.alignment_by_language(heads[:, h], test)
                                for h in range(heads.shape[1])],
                peak_mb=peak_mb(), **accuracy(predictions, test))


def shares(cells: dict[str, float], chance: dict[str, float] | None = None) -> str:
    return "  ".join(f"{f} {s:.3f}" + (f" (chance {chance[f]:.3f})" if chance else "")
                     for f, s in cells.items())


def schedule(text: str) -> tuple[tuple[int, float], ...]:
    """'4:4e-3,2:1e-3' -> ((4, 0.004), (2, 0.001))."""
    try:
        return tuple((int(e), float(lr)) for e, lr in
                     (phase.split(":") for phase in text.split(",")))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not epochs:learning_rate phases "
                                         "joined by commas") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-train", type=int, default=12000)
    parser.add_argument("--schedule", type=schedule,
                        default=date_transformer.SCHEDULE,
                        help="epochs:learning_rate phases, e.g. 4:4e-3,2:1e-3,1:2.5e-4")
    parser.add_argument("--batch-size", type=int, default=date_transformer.BATCH_SIZE)
    parser.add_argument("--d-model", type=int, default=64)
    parser.add_argument("--num-heads", type=int, default=8)
    parser.add_argument("--num-layers", type=int, default=1)
    parser.add_argument("--d-ff", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--with-gru", nargs="?", const="attention", default="",
                        help="train GRU models first, in this process: attention (the "
                             "default) or attention,no_attention")
    parser.add_argument("--determinism", action="store_true",
                        help="tf.config.experimental.enable_op_determinism()")
    parser.add_argument("--inter-op-threads", type=int, default=1,
                        help="TensorFlow's inter-op threads; 0: its default (one a core)")
    parser.add_argument("--intra-op-threads", type=int, default=0,
                        help="TensorFlow's intra-op threads; 0: its default (one a core)")
    args = parser.parse_args(argv)

    tensorflow_env.quiet()
    tf = tensorflow_env.tensorflow()
    if args.inter_op_threads:
        tf.config.threading.set_inter_op_parallelism_threads(args.inter_op_threads)
    if args.intra_op_threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.intra_op_threads)
    if args.determinism:
        tf.config.experimental.enable_op_determinism()
    tf.keras.utils.set_random_seed(args.seed)

    task = dates.date_task(args.seed, n_train=args.n_train)   # the notebooks' data
    train_days, train, test = task.train_days, task.train, task.test
    assert not set(train.iso) & set(test.iso)
    print(f"train: {len(train)} examples of {len(train_days)} days; test: {len(test)} "
          f"examples, one per test day; {len(train.formats)} formats")
    print(f"Transformer: d_model {args.d_model}, {args.num_heads} heads, "
          f"{args.num_layers} encoder + {args.num_layers} decoder blocks, d_ff {args.d_ff}; "
          f"batch {args.batch_size}, schedule (epochs, learning rate) "
          f"{', '.join(f'{e} x {lr:g}' for e, lr in args.schedule)}; op determinism "
          f"{'on' if args.determinism else 'off'}, "
          f"inter-op threads {args.inter_op_threads or 'default'}, intra-op threads "
          f"{args.intra_op_threads or 'default'}")
    chance = dates.alignment_by_language(dates.chance_alignment(test), test)

    results = []
    for name in filter(None, args.with_gru.split(",")):
        if name not in ("attention", "no_attention"):
            parser.error(f"--with-gru: unknown model {name!r}")
        g = run_gru(name == "attention", train, test, args.seed)
        results.append(g)
        print(f"\n{g['name']} trained first: {g['seconds']:.1f} s, exact match "
              f"{g['accuracy']:.4f}; peak memory so far {g['peak_mb']:.0f} MB")
        for lang, cells in g.get("alignment", {}).items():
            print(f"  its alignment {lang}: {shares(cells)}")
    r = run_transformer(train, test, args)
    results.append(r)
    print(f"\n{r['name']}: {r['params']} weights, {r['steps']} steps, final loss "
          f"{r['final_loss']:.4f}")
    report("  a training step (after the first)", r["steps_ms"])
    print(f"  the first step (tracing it included) {r['first_step_s']:.1f} s")
    print(f"  training {r['seconds']:.1f} s (target <= {TARGET_SECONDS:.0f}) "
          f"{verdict(r['seconds'] <= TARGET_SECONDS)}; greedy decoding of {len(test)} "
          f"test examples {r['decode_seconds']:.1f} s")
    langs = ", ".join(f"{k} {v:.4f}" for k, v in r["by_language"].items())
    print(f"  exact match on test days {r['accuracy']:.4f} ({langs}) (target >= "
          f"{TARGET_ACCURACY}) {verdict(r['accuracy'] >= TARGET_ACCURACY)}")
    worst = sorted(r["by_format"].items(), key=lambda kv: kv[1])[:3]
    print("  weakest formats: " + ", ".join(f"{k} {v:.3f}" for k, v in worst))
    print("  cross-attention alignment (last decoder block), mean over heads:")
    for lang, cells in r["alignment"].items():
        print(f"    {lang}: {shares(cells, chance[lang])}")
    for h, per_head in enumerate(r["head_alignment"]):
        print(f"  head {h}: " + "   ".join(f"{lang}: {shares(cells)}"
                                          for lang, cells in per_head.items()))
    for lang in chance:
        cells = []
        for f in dates.FIELDS[:3]:
            by_head = [per_head[lang][f] for per_head in r["head_alignment"]]
            h = int(np.argmax(by_head))
            cells.append(f"{f} head {h} {by_head[h]:.3f}")
        print(f"  best head {lang}: " + "  ".join(cells))

    print(f"\n{'model':18} {'weights':>8} {'train s':>8} {'exact':>7} {'zh':>7} {'en':>7}")
    for x in results:
        print(f"{x['name']:18} {x['params']:8d} {x['seconds']:8.1f} "
              f"{x['accuracy']:7.4f} {x['by_language']['zh']:7.4f} "
              f"{x['by_language']['en']:7.4f}")
    mb = peak_mb()
    print(f"\npeak memory {mb:.0f} MB{' (GRU and Transformer)' if args.with_gru else ''} "
          f"(target <= {TARGET_MB:.0f}) {verdict(mb <= TARGET_MB)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
