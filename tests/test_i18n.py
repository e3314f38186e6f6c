"""attention_lib.i18n: one switch, English by default, read when a text is made."""

import pytest

from attention_lib import i18n
from attention_lib.exercises import check
from attention_lib.exercises._core import NOT_ANSWERED


@pytest.fixture(autouse=True)
def english_after(monkeypatch):
    monkeypatch.delenv(i18n.ENV, raising=False)
    yield
    i18n.set_language(None)


def test_english_is_the_default_and_the_switch_is_read_each_time(monkeypatch):
    assert i18n.language() == "en" and i18n.say("Right!", "正确！") == "Right!"
    monkeypatch.setenv(i18n.ENV, "zh-CN")
    assert i18n.language() == "zh-CN" and i18n.say("Right!", "正确！") == "正确！"
    i18n.set_language("en")          # the call wins over the environment
    assert i18n.language() == "en"
    i18n.set_language(None)
    assert i18n.language() == "zh-CN"


def test_bad_languages_are_refused_by_name(monkeypatch):
    for bad in ("zh", "fr", 1):
        with pytest.raises(ValueError, match="language must be one of en, zh-CN"):
            i18n.set_language(bad)
    monkeypatch.setenv(i18n.ENV, "cn")
    with pytest.raises(ValueError, match=f"environment variable {i18n.ENV} must be one of"):
        i18n.language()


def test_the_exercise_verdicts_speak_the_language_in_use(monkeypatch):
    unanswered = check("02.5", None)
    assert str(unanswered) == NOT_ANSWERED
    right = check("00.1", 3)
    wrong = check("00.1", 4)
    assert str(right).startswith("Right! ") and str(wrong).startswith("Not yet: ")
    monkeypatch.setenv(i18n.ENV, "zh-CN")
    assert str(unanswered) == "还没有作答：把 None 换成你的答案，再运行这个单元格。"
    assert str(right).startswith("正确！") and str(wrong).startswith("还不对：")
    noted = check("02.5", "A sentence.")
    assert str(noted).startswith("已记下：")
