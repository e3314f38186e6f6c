"""attention_lib.tensorflow_env: the quiet environment and the one TensorFlow import."""

from attention_lib import keras_check, tensorflow_env


def test_quiet_fills_in_what_is_missing_and_keeps_what_is_set():
    env = {"TF_ENABLE_ONEDNN_OPTS": "1", "OTHER": "x"}
    assert tensorflow_env.quiet(env) is env
    assert env == {"TF_ENABLE_ONEDNN_OPTS": "1", "OTHER": "x", "TF_CPP_MIN_LOG_LEVEL": "2"}
    assert tensorflow_env.quiet({}) == tensorflow_env.QUIET


def test_keras_check_uses_the_one_import():
    assert keras_check.tensorflow is tensorflow_env.tensorflow
    tf = tensorflow_env.tensorflow()
    assert tf.keras.__version__.startswith("3.")
