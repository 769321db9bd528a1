"""Property-based tests: whatever the input, the grader's parts answer plainly and never credit too much."""

from __future__ import annotations

import tomllib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicemail_coach.core import numbers
from voicemail_coach.core.grader import grade
from voicemail_coach.core.people import Prospect, RepProfile
from voicemail_coach.playbook import default_rubric
from voicemail_coach.core.scenarios import parse_scenario
from voicemail_coach.core.transcript import Transcript

PHONE = "5552143390"
DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
RUBRIC = default_rubric()
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def spoken(digits: str, style: int) -> str:
    """A digit string as a recognizer might write it: grouped, as words, with dots and dashes."""
    groups = [digits[:3], digits[3:6], digits[6:]]
    if style == 0:
        return "-".join(groups)
    if style == 1:
        return ", ".join(" ".join(DIGIT_WORDS[int(d)] for d in g) for g in groups)
    if style == 2:
        return " ".join(groups)
    return ". ".join(".".join(g) for g in groups)


@FAST
@given(st.integers(0, 3), st.integers(0, 9), st.integers(0, 9), st.integers(0, 3))
def test_two_changed_digits_are_never_the_reps_number(style, i, j, bump):
    digits = list(PHONE)
    a, b = i % 10, (i + 1 + j % 9) % 10  # two different places
    digits[a] = str((int(digits[a]) + 1 + bump) % 10)
    digits[b] = str((int(digits[b]) + 3) % 10)
    other = "".join(digits)
    text = f"Call me at {spoken(other, style)}."
    assert numbers.find_phone(Transcript.from_text(text).tokens, PHONE) == []


@FAST
@given(st.integers(0, 3))
def test_the_reps_number_is_found_however_it_is_written(style):
    text = f"My number is {spoken(PHONE, style)}. Again, {spoken(PHONE, (style + 1) % 4)}."
    assert len(numbers.find_phone(Transcript.from_text(text).tokens, PHONE)) == 2


@FAST
@given(st.text(max_size=400))
def test_any_text_grades_without_error_and_scores_in_range(text):
    rep = RepProfile("Dave Kowalski", "Brightline Uniforms", "555-214-3390", "dave@brightline.com")
    result = grade(Transcript.from_text(text), rep, Prospect("Chloe Martin", "Harbor Hotels"), RUBRIC)
    assert 0 <= result.score <= 100
    assert all(isinstance(i.passed, bool) and not (i.passed and i.unsure) for i in result.items)


@FAST
@given(st.lists(st.sampled_from(["one", "two", "five", "oh", "to", "for", "-", "555", "21", "3:39", ".", ",",
                                 "double", "hundred", "dash", "and", "x", "|"]), max_size=60))
def test_digit_runs_never_fail_on_any_mix_of_number_words(words):
    tokens = Transcript.from_text(" ".join(words)).tokens
    for run in numbers.digit_runs(tokens):
        assert run.digits.isdigit() and run.first <= run.last and len(run.positions) == len(run.digits)


@FAST
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30)),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                    max_leaves=20))
def test_a_scenario_of_any_shape_is_accepted_or_refused_with_a_reason(data):
    payload = data if isinstance(data, dict) else {"id": data, "prospect": data, "target_s": data}
    try:
        scenario = parse_scenario(payload, "yours")
    except ValueError as exc:
        assert str(exc)
    else:
        assert scenario.id and scenario.prospect.name and scenario.target_s[0] < scenario.target_s[1]


@FAST
@given(st.text(max_size=300))
def test_any_toml_text_loads_or_fails_plainly(text):
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        pass


# ------------------------------------------------------------------ bundle manifests
def _valid_manifest() -> dict:
    return {
        "format": "voicemail-coach-bundle", "version": 1, "kind": "attempt",
        "reps": [{"key": "r1", "name": "Ana", "company": "Acme", "phone": "555 201 3344", "email": ""}],
        "attempts": [{
            "key": "k1", "rep": "r1", "scenario_id": "bakery-payroll", "created_at": "2026-05-01T10:00:00Z",
            "status": "complete", "score": 70, "duration_s": 20.0, "touch": 1, "clock": None,
            "transcript": "hi", "words": [{"text": "hi", "start": 0.0, "end": 0.3}],
            "items": [{"id": "rep_name", "label": "Says who", "passed": True, "evidence": "Ana", "start": 0.0}],
            "metrics": {"duration_s": 20.0}, "audio": None, "comments": [{"at_s": 1.0, "text": "ok"}],
            "marks": [{"item_id": "rep_name", "said": True, "role": "rep"}],
        }],
    }


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True),
              st.text(max_size=40)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


@FAST
@given(st.data())
def test_a_manifest_with_any_field_replaced_is_accepted_or_refused_plainly(data):
    from voicemail_coach.bundles import BundleError, validate_manifest

    manifest = _valid_manifest()
    validate_manifest(manifest)  # the unchanged one is valid
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from([p for p in _paths(manifest) if p]))
        parent = manifest
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = data.draw(JSON_VALUES)
    try:
        validate_manifest(manifest)
    except BundleError as exc:
        assert str(exc).startswith("this bundle is not valid:")


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes_named_vcbundle_are_refused_plainly(tmp_path_factory, blob):
    from voicemail_coach.bundles import BundleError, read_bundle

    path = tmp_path_factory.mktemp("fuzz") / "x.vcbundle"
    path.write_bytes(b"PK\x03\x04" + blob if blob[:1] == b"\x00" else blob)
    try:
        read_bundle(path)
    except BundleError:
        pass


# ------------------------------------------------------------------ command line
COMMANDS = ["grade", "history", "profile", "comment", "mark", "export", "session", "bundle", "privacy", "scenarios",
            "labels", "grade-email"]
FLAGS = ["--text", "--attempt", "--at", "--json", "--save", "--rep-phone", "--rep-name", "--name", "--phone",
         "--email", "--limit", "--keep-days", "--delete-rep", "--yes", "--item", "--said", "--scenario", "--author",
         "--session", "--transcript", "--mask", "--format", "-o", "list", "show", "create", "export", "import",
         "--pass-mark", "--rep", "--draft", "--file"]
VALUES = ["1", "0", "-5", "inf", "nan", "1e308", "99999999999999999999999", "", " ", "x" * 300, "Ana <b>", "abc",
          "/dev/null", "/nonexistent/a.wav", "/proc/1", "555-214-3390", "5" * 30, "hotel-uniforms", "number_twice",
          "\x00", "ünïcødé", "--", "-"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.sampled_from(COMMANDS), st.lists(st.sampled_from(FLAGS + VALUES), max_size=6))
def test_any_command_line_gets_an_answer_not_a_traceback(tmp_path, capsys, command, rest):
    """Whatever is typed after a command, the CLI returns an exit status; an error is one plain line."""
    from voicemail_coach.cli import main

    rest = [str(tmp_path / "out.pdf") if r == "-o" else r for r in rest]
    try:
        code = main(["--data-dir", str(tmp_path / "d"), command, *rest])
    except SystemExit as exc:  # --help
        assert exc.code in (0, None)
        return
    err = capsys.readouterr().err
    assert isinstance(code, int)
    if code != 0:
        assert err.startswith("voicemail-coach: ") and "Traceback" not in err, err
