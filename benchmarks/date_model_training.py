"""Training the date models of issue #13 (notebook A): wall time, exact-match accuracy on
unseen test days, the attention's alignment with the source's fields, and peak memory.

    .venv/bin/python benchmarks/date_model_training.py [--n-train 12000 --epochs 3 ...]

Both models (attention and no attention, :mod:`attention_lib.date_model`) train in one
process, one after the other, as a notebook would: the same training examples, the
same batches, the same starting weights but the attention's. The data
(:mod:`attention_lib.dates`): days 1950-01-01 .. 2049-12-31 split 80 / 20 by a seeded
permutation; ``--n-train`` training examples drawn from the train days, and every test
day once as a test example, each in a format drawn from the 15 zh_CN / en_US / en_GB
CLDR formats.

Op determinism is off unless ``--determinism``: on a CPU these runs repeat without it
(every weight starts from a seeded initializer; tests/test_date_model.py checks that two
trainings give the same losses), and it costs about 30 MB of peak memory, which takes
the run past 700 MB.

What is timed: :func:`date_model.train`, from its call to its return (tracing the
training step included); a step's time comes from its ``progress`` calls. Peak memory is
the process's ``ru_maxrss`` (resource.getrusage) at the end: the high-water mark over the
whole run, TensorFlow's own ~540 MB included. (A Jupyter kernel that has also imported
matplotlib and ipywidgets measured 20 to 30 MB more for the same work.)

Targets (issue #13): each model trains in at most 60 s; the attention model's exact
match on test days >= 0.95; its alignment share (the attention weight a field's output
steps put on that field's characters) > 0.5 for year, month and day in both languages;
peak memory <= 700 MB. Prints PASS or MISS; it does not fail.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np
from _report import report  # benchmarks/ is on sys.path: run as a script

from attention_lib import date_model, dates, tensorflow_env

TARGET_SECONDS = 60.0
TARGET_ACCURACY = 0.95
TARGET_ALIGNMENT = 0.5
TARGET_MB = 700.0


def peak_mb() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / 2**20 if sys.platform == "darwin" else r / 1024


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def run_model(attention: bool, train: dates.DateData, test: dates.DateData,
              args: argparse.Namespace) -> dict:
    model = date_model.build_date_model(train.vocab, attention=attention, units=args.units,
                                        embed_dim=args.embed_dim, seed=args.seed)
    stamps: list[float] = []
    start = time.perf_counter()
    stamps.append(start)
    losses = date_model.train(model, train, np.random.default_rng(args.seed + 1),
                              epochs=args.epochs, batch_size=args.batch_size,
                              learning_rate=args.learning_rate,
                              progress=lambda step, loss: stamps.append(time.perf_counter()),
                              report_every=1)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    predictions, weights = date_model.greedy_decode(model, test)
    decode_seconds = time.perf_counter() - start
    right = dates.exact_match(predictions, test.target)
    steps_ms = list(np.diff(stamps) * 1000)  # the first includes tracing the step
    result = dict(name=model.name, params=model.n_params, seconds=seconds,
                  first_step_s=steps_ms[0] / 1000, steps_ms=steps_ms[1:], steps=len(losses),
                  final_loss=float(losses[-20:].mean()),
                  decode_seconds=decode_seconds, accuracy=float(right.mean()),
                  by_language={lang: float(right[test.languages == lang].mean())
                               for lang in ("zh", "en")},
                  by_format={f.label: float(right[test.format_index == k].mean())
                             for k, f in enumerate(test.formats)},
                  peak_mb=peak_mb())
    if weights is not None:
        result["alignment"] = dates.alignment_by_language(
            dates.field_alignment(weights, test.spans), test)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-train", type=int, default=12000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--units", type=int, default=64)
    parser.add_argument("--embed-dim", type=int, default=32)
    parser.add_argument("--learning-rate", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--models", default="attention,no_attention",
                        help="which to train, in order: attention, no_attention")
    parser.add_argument("--determinism", action="store_true",
                        help="tf.config.experimental.enable_op_determinism() (+~30 MB)")
    parser.add_argument("--inter-op-threads", type=int, default=0,
                        help="TensorFlow's inter-op threads; 0: its default (one a core)")
    args = parser.parse_args(argv)

    tensorflow_env.quiet()
    tf = tensorflow_env.tensorflow()
    if args.inter_op_threads:
        tf.config.threading.set_inter_op_parallelism_threads(args.inter_op_threads)
    if args.determinism:
        tf.config.experimental.enable_op_determinism()
    tf.keras.utils.set_random_seed(args.seed)

    task = dates.date_task(args.seed, n_train=args.n_train)   # the notebooks' data
    train_days, train, test = task.train_days, task.train, task.test
    assert not set(train.iso) & set(test.iso)
    print(f"train: {len(train)} examples of {len(train_days)} days; test: {len(test)} "
          f"examples, one per test day; {len(train.formats)} formats, {train.vocab.size} "
          f"source ids, sources up to {train.vocab.max_len} characters (mean "
          f"{train.lengths.mean():.1f})")
    print(f"units {args.units}, embed_dim {args.embed_dim}, batch {args.batch_size}, "
          f"epochs {args.epochs}, learning rate {args.learning_rate}, op determinism "
          f"{'on' if args.determinism else 'off'}, inter-op threads "
          f"{args.inter_op_threads or 'default'}")
    chance = dates.alignment_by_language(dates.chance_alignment(test), test)

    results = []
    for name in args.models.split(","):
        if name not in ("attention", "no_attention"):
            parser.error(f"--models: unknown model {name!r}")
        r = run_model(name == "attention", train, test, args)
        results.append(r)
        print(f"\n{r['name']}: {r['params']} weights, {r['steps']} steps, final loss "
              f"{r['final_loss']:.4f}")
        report(f"  {r['name']}: a training step (after the first)", r["steps_ms"])
        print(f"  the first step (tracing it included) {r['first_step_s']:.1f} s")
        print(f"  training {r['seconds']:.1f} s (target <= {TARGET_SECONDS:.0f}) "
              f"{verdict(r['seconds'] <= TARGET_SECONDS)}; greedy decoding of "
              f"{len(test)} test examples {r['decode_seconds']:.1f} s")
        langs = ", ".join(f"{k} {v:.4f}" for k, v in r["by_language"].items())
        ok = r["accuracy"] >= TARGET_ACCURACY or name == "no_attention"
        print(f"  exact match on test days {r['accuracy']:.4f} ({langs})"
              + (f" (target >= {TARGET_ACCURACY}) {verdict(ok)}" if name == "attention"
                 else ""))
        worst = sorted(r["by_format"].items(), key=lambda kv: kv[1])[:3]
        print("  weakest formats: " + ", ".join(f"{k} {v:.3f}" for k, v in worst))
        if "alignment" in r:
            for lang, shares in r["alignment"].items():
                cells = "  ".join(f"{f} {s:.3f} (chance {chance[lang][f]:.3f})"
                                  for f, s in shares.items())
                good = min(shares.values()) > TARGET_ALIGNMENT
                print(f"  alignment {lang}: {cells}  {verdict(good)}")
        print(f"  peak memory so far {r['peak_mb']:.0f} MB")
    mb = peak_mb()
    print(f"\npeak memory {mb:.0f} MB (target <= {TARGET_MB:.0f}) {verdict(mb <= TARGET_MB)}; "
          f"training in all {sum(r['seconds'] for r in results):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
