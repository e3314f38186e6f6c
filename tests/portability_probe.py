"""Raw float32 results that depend on how the CPU and its libraries compute: run by
tests/test_portability.py once as is and once under each numeric perturbation, to show
that the perturbation really changes float32 digits (a perturbation that changes
nothing would check nothing).

    python tests/portability_probe.py OUT.npz
"""

from __future__ import annotations

import sys

import numpy as np

from attention_lib import tensorflow_env


def main(out: str) -> None:
    tf = tensorflow_env.tensorflow()
    rng = np.random.default_rng(0)
    a = rng.standard_normal((256, 512)).astype(np.float32)
    b = rng.standard_normal((512, 256)).astype(np.float32)
    x = rng.standard_normal((32, 30, 16)).astype(np.float32)
    tf.keras.utils.set_random_seed(0)
    gru = tf.keras.layers.GRU(48, return_sequences=True)
    results = {
        "TensorFlow softmax of a matmul": tf.nn.softmax(tf.matmul(a, b)).numpy(),
        "Keras GRU, 30 steps": gru(x).numpy(),
        "Keras Attention": tf.keras.layers.Attention()([x, x]).numpy(),
        "numpy float32 matmul": a @ b,
    }
    np.savez(out, **results)


if __name__ == "__main__":
    main(sys.argv[1])
