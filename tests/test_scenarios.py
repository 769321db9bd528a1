"""Built-in scenarios load; a broken user file is reported and the rest still load."""

from __future__ import annotations

from voicemail_coach.core.scenarios import load_scenarios
from voicemail_coach.paths import resources_dir


def test_builtin_pack_has_at_least_15_valid_scenarios():
    found = load_scenarios(resources_dir() / "scenarios")
    assert found.problems == []
    assert len(found.scenarios) >= 15
    industries = {s.industry for s in found.scenarios}
    assert len(industries) >= 6
    for s in found.scenarios:
        assert s.prospect.name and s.prospect.company and s.context
        assert s.target_s[0] < s.target_s[1]


def test_malformed_user_file_reported_with_line_and_others_load(tmp_path):
    (tmp_path / "good.toml").write_text('id = "my-own"\ntitle = "Mine"\n[prospect]\nname = "Ann Lee"\ncompany = "Lee Co"\n')
    (tmp_path / "broken.toml").write_text('id = "broken"\ntitle = "oops\n[prospect]\nname = "X"\n')
    (tmp_path / "no-prospect.toml").write_text('id = "no-prospect"\n')
    (tmp_path / "dup.toml").write_text('id = "hotel-uniforms"\n[prospect]\nname = "A B"\n')
    found = load_scenarios(resources_dir() / "scenarios", tmp_path)
    assert found.get("my-own").source == "yours"
    problems = {p.path.name: p.message for p in found.problems}
    assert "line 2" in problems["broken.toml"]
    assert "prospect" in problems["no-prospect.toml"]
    assert "already used" in problems["dup.toml"]
    assert found.get("hotel-uniforms").source == "built-in"


def test_a_fifo_a_huge_file_and_deep_nesting_are_skipped_not_fatal(tmp_path):
    import os

    from voicemail_coach.core.scenarios import load_scenarios
    from voicemail_coach.paths import resources_dir

    user = tmp_path / "scenarios"
    user.mkdir()
    os.mkfifo(user / "x.toml")  # opening it to read would wait forever
    (user / "deep.toml").write_text("a = " + "[" * 1200 + "]" * 1200 + "\n")
    (user / "huge.toml").write_text("# " + "x" * 200_000 + "\n")
    found = load_scenarios(resources_dir() / "scenarios", user)
    assert len(found.scenarios) >= 15  # the built-in ones still load
    reasons = {p.path.name: p.message for p in found.problems}
    assert "regular file" in reasons["x.toml"]
    assert "nested" in reasons["deep.toml"] or "deep" in reasons["deep.toml"]
    assert "larger" in reasons["huge.toml"]
