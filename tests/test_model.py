"""The speech model is found locally and checked before loading."""

from __future__ import annotations

import shutil

import pytest

from voicemail_coach.speech.model import MODEL_BIN_SHA256, ModelError, bundled_model, custom_model, verify_checksum


def test_bundled_model_is_pinned_and_verified(tmp_path):
    info = bundled_model(cache_file=tmp_path / "verified.json")
    assert info.bundled and info.name == "tiny.en"
    assert (info.path / "model.bin").is_file()
    # the second check is served from the cache, keyed by size and mtime
    assert (tmp_path / "verified.json").is_file()
    bundled_model(cache_file=tmp_path / "verified.json")


def test_damaged_model_file_is_refused(tmp_path):
    fake = tmp_path / "model.bin"
    fake.write_bytes(b"not the weights")
    with pytest.raises(ModelError, match="damaged"):
        verify_checksum(fake, MODEL_BIN_SHA256)


def test_custom_folder_must_look_like_a_model(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        custom_model(tmp_path / "missing")
    (tmp_path / "m").mkdir()
    with pytest.raises(ModelError, match="missing model.bin"):
        custom_model(tmp_path / "m")
    src = bundled_model().path
    for name in ("config.json", "vocabulary.txt"):
        shutil.copy(src / name, tmp_path / "m" / name)
    (tmp_path / "m" / "model.bin").symlink_to(src / "model.bin")
    assert custom_model(tmp_path / "m").bundled is False
