"""Shared test settings: hypothesis runs the same examples on every machine."""

import os

from hypothesis import settings

# Quiet TensorFlow before any test imports it (both are needed).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

settings.register_profile("repeatable", derandomize=True, deadline=None, database=None,
                          print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
