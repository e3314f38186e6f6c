"""Shared test settings: hypothesis runs the same examples on every machine."""

import os

from hypothesis import settings

from attention_lib import tensorflow_env

# Quiet TensorFlow before any test imports it.
tensorflow_env.quiet()

settings.register_profile("repeatable", derandomize=True, deadline=None, database=None,
                          print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
