import json

import pytest

from optbench.models import (
    FakeModel,
    Message,
    SamplingParams,
    ScriptExhausted,
    SpecError,
    load_model,
)

USER = [Message("user", "make it fast please")]


def test_scripted_replies_in_order_with_usage():
    model = FakeModel(replies=["one two", "three"])
    first = model.generate(USER, SamplingParams())
    second = model.generate(USER, SamplingParams())
    assert [first[0].text, second[0].text] == ["one two", "three"]
    assert first[0].input_tokens == 4
    assert first[0].output_tokens == 2
    assert first[0].latency_s >= 0
    assert first[0].ok and not first[0].cache_hit
    assert model.calls == 2
    assert model.remaining == 0


def test_n_samples_take_n_replies():
    model = FakeModel(replies=["a", "b", "c"])
    assert [c.text for c in model.generate(USER, SamplingParams(), n=3)] == ["a", "b", "c"]
    assert model.calls == 1


def test_exhausted_script_raises_clear_error():
    model = FakeModel(replies=["only"])
    model.generate(USER, SamplingParams())
    with pytest.raises(ScriptExhausted, match="1 replies are used up"):
        model.generate(USER, SamplingParams())


def test_exception_in_script_is_raised():
    model = FakeModel(replies=[ConnectionError("down"), "ok"])
    with pytest.raises(ConnectionError):
        model.generate(USER, SamplingParams())
    assert model.generate(USER, SamplingParams())[0].text == "ok"


def test_reply_fn_sees_messages():
    model = FakeModel(reply_fn=lambda msgs: msgs[-1].content.upper())
    assert model.generate(USER, SamplingParams())[0].text == "MAKE IT FAST PLEASE"


def test_needs_exactly_one_source():
    with pytest.raises(ValueError):
        FakeModel()
    with pytest.raises(ValueError):
        FakeModel(replies=["x"], reply_fn=lambda m: "y")


def test_stop_and_max_new_tokens_are_honoured():
    model = FakeModel(replies=["keep this STOP not this", "a b  c d e"])
    assert model.generate(USER, SamplingParams(stop=("STOP",)))[0].text == "keep this "
    clipped = model.generate(USER, SamplingParams(max_new_tokens=3))[0]
    assert clipped.text == "a b  c"
    assert clipped.output_tokens == 3


def test_spec_json_list():
    model = load_model('fake:["x = 1", "y = 2"]')
    assert model.spec == 'fake:["x = 1", "y = 2"]'
    assert [c.text for c in model.generate(USER, SamplingParams(), n=2)] == ["x = 1", "y = 2"]


def test_spec_json_and_txt_files(tmp_path):
    js = tmp_path / "replies.json"
    js.write_text(json.dumps(["first"]))
    assert load_model(f"fake:{js}").generate(USER, SamplingParams())[0].text == "first"
    txt = tmp_path / "replies.txt"
    txt.write_text("def f():\n    return 1\n---\nsecond reply\n")
    model = load_model(f"fake:{txt}")
    texts = [c.text for c in model.generate(USER, SamplingParams(), n=2)]
    assert texts == ["def f():\n    return 1", "second reply"]


def test_empty_spec_echoes():
    assert load_model("fake:").generate(USER, SamplingParams())[0].text == USER[0].content


@pytest.mark.parametrize("spec", ["fake:[1, 2]", "fake:[oops", "fake:/no/such/file.json"])
def test_bad_fake_specs(spec):
    with pytest.raises(SpecError):
        load_model(spec)
