"""Moonshine base: the pinned files, their conversion, and transcription with it."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from voicemail_coach.speech import moonshine, moonshine_files, word_timing
from voicemail_coach.speech.model import ModelError

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not moonshine_files.available(), reason="moonshine-cpp is installed on Linux x86-64 only"),
]


def test_the_pinned_files_are_checked_by_sha256(tmp_path):
    source = moonshine_files.source_folder()
    copy = tmp_path / "base-en"
    shutil.copytree(source, copy)
    assert moonshine_files.check_source(copy) == copy
    tokenizer = copy / "tokenizer.bin"
    data = bytearray(tokenizer.read_bytes())
    data[100] ^= 0xFF
    tokenizer.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="damaged"):
        moonshine_files.check_source(copy)
    (copy / "encoder_model.ort").unlink()
    with pytest.raises(ModelError, match="missing"):
        moonshine_files.check_source(copy)


def test_the_tokenizer_reads_the_whole_vocabulary():
    tokens = moonshine.load_tokens(moonshine_files.source_folder() / "tokenizer.bin")
    assert len(tokens) == 32000
    assert tokens[1:3] == ["<s>", "</s>"]
    assert any(t == "\u2581the" for t in tokens)



def test_a_character_split_over_byte_tokens_is_joined_and_stray_bytes_are_dropped():
    smile = "\u2581Hi\U0001F600".encode()
    split = [smile[:5], smile[5:7], smile[7:]]  # "▁Hi", then the emoji's four bytes in two tokens
    assert moonshine.words_from_tokens([*split, "\u2581there".encode()], [0.9, 0.8, 0.7, 0.95]) == [
        ("Hi\U0001F600", 0.7), ("there", 0.95)]
    # the decoder trailing off: a lone lead byte before a word, and a word of stray bytes alone
    stray = [b"\xe2\x96\x81\xf0\x9f", "\u2581good".encode(), b"\xe2\x96\x81\xe2"]
    assert moonshine.words_from_tokens(stray, [0.2, 0.9, 0.1]) == [("good", 0.9)]
    # noise taken for music is marked ♪: the mark is dropped, never shown as a word
    song = [w.encode() for w in ("\u2581Again", "\u2581\u266a", "\u2581\u266aI'm")]
    assert moonshine.words_from_tokens(song, [0.9] * 3) == [("Again", 0.9), ("I'm", 0.9)]


@pytest.fixture(scope="module")
def float_model(tmp_path_factory):
    seen: list[float] = []
    files = moonshine_files.ensure_converted(tmp_path_factory.mktemp("cache"), lambda _what, done: seen.append(done),
                                       precision="float")
    return files, seen


def test_conversion_gives_the_shipped_model_in_float(float_model):
    """The converted graphs compute what the shipped .ort graphs compute, without the per-step de-quantizing."""
    import onnxruntime as ort

    files, seen = float_model
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
    manifest = json.loads((files.converted / moonshine_files.CONVERTED_MANIFEST).read_text())
    assert manifest["precision"] == "float" and manifest["source"] == moonshine_files.SOURCE_FILES
    audio = (0.1 * np.random.default_rng(1).standard_normal(16000 * 3)).astype(np.float32)
    shipped = ort.InferenceSession(str(moonshine_files.source_folder() / "encoder_model.ort"), providers=["CPUExecutionProvider"])
    converted = ort.InferenceSession(str(files.converted / "encoder_model.onnx"), providers=["CPUExecutionProvider"])
    a = shipped.run(None, {"input_values": audio[None]})[0]
    b = converted.run(None, {"input_values": audio[None]})[0]
    assert a.shape == b.shape
    assert np.allclose(a, b, atol=1e-3, rtol=1e-3)
    import onnx

    decoder = onnx.load(str(files.converted / "decoder_model_merged.onnx"))
    top = {n.op_type for n in decoder.graph.node}
    assert top == {"If"}  # the Cast/Mul/Add de-quantizing chains are gone


def test_a_converted_model_is_reused_and_a_tampered_one_rebuilt(float_model):
    files, _ = float_model
    cache = files.converted.parent
    again = moonshine_files.ensure_converted(cache, precision="float")
    assert again.converted == files.converted
    mtime = (files.converted / "encoder_model.onnx").stat().st_mtime_ns
    with open(files.converted / "encoder_model.onnx", "ab") as f:
        f.write(b"\0")
    rebuilt = moonshine_files.ensure_converted(cache, precision="float")
    assert moonshine_files.converted_ok(rebuilt.converted)
    assert (rebuilt.converted / "encoder_model.onnx").stat().st_mtime_ns != mtime
    assert not list(cache.glob(".converting-*"))  # no half-written folder left behind


def test_word_times_follow_the_voiced_audio():
    rate = 16000
    audio = np.zeros(rate * 4, dtype=np.float32)
    t = np.arange(rate) / rate
    audio[: rate] = 0.3 * np.sin(2 * np.pi * 200 * t)  # a word in the first second
    audio[3 * rate :] = 0.3 * np.sin(2 * np.pi * 200 * t)  # another in the last
    (a0, a1), (b0, b1) = word_timing.word_times(audio, [1.0, 1.0])
    assert 0.0 <= a0 < a1 <= 1.05
    assert 2.95 <= b0 < b1 <= 4.0


def test_moonshine_transcribes_a_spoken_voicemail_with_its_number(audio_cache, tmp_path):
    from tests.support.corpus import load_corpus
    from tests.support.synth import synthesize
    from voicemail_coach.audio.files import load_for_speech
    from voicemail_coach.core import numbers
    from voicemail_coach.paths import DataDir

    vm = next(v for v in load_corpus() if v.id == "strong-01")
    audio = load_for_speech(synthesize(vm.text, audio_cache, voice=0))
    t = moonshine.MoonshineTranscriber(DataDir().cache)
    transcript = t.transcribe_audio(audio)
    assert t.label == "moonshine moonshine-base-en"
    assert "brightline" in transcript.text.lower()
    assert len(numbers.find_phone(transcript.tokens, vm.rep.phone)) == 2
    times = [(w.start, w.end) for w in transcript.words]
    assert all(a < b for a, b in times) and times == sorted(times)
    assert times[-1][1] <= len(audio) / 16000 + 0.6
    assert all(0.0 <= w.probability <= 1.0 for w in transcript.words)


def test_hinted_names_become_token_sequences_of_the_vocabulary():
    from voicemail_coach.paths import DataDir

    t = moonshine.MoonshineTranscriber(DataDir().cache, boost=(2.5, 4.0))
    t.load()
    seqs = t.hint_tokens(["Dave Kowalski", "Brightline Uniforms", "Chloe Martin", "Al"])
    words = {"".join(t._tokens[i] for i in seq) for seq in seqs}
    assert "\u2581Kowalski" in words and "\u2581Brightline" in words
    assert not any(w.endswith("Al") for w in words)  # too short to hint
    assert all(len(seq) >= 2 for seq in seqs)
    assert moonshine.MoonshineTranscriber(DataDir().cache).hint_tokens(["Dave Kowalski"]) == []  # off by default


def test_when_moonshine_cannot_be_prepared_the_app_falls_back_to_faster_whisper(tmp_path):
    """A cache folder that cannot be written (here: a file where the folder should be)."""
    from voicemail_coach.services import Services

    services = Services(tmp_path / "data")
    services.dirs.cache = tmp_path / "not-a-folder"
    services.dirs.cache.write_text("")
    transcriber = services.load_transcriber()
    assert transcriber.engine == "faster-whisper" and transcriber.loaded
    assert "faster-whisper" in services.notices[-1] and "Moonshine" in services.notices[-1]


def test_more_readings_try_every_tail_and_keep_the_most_confident(audio_cache):
    from tests.support.corpus import load_corpus
    from tests.support.synth import synthesize
    from voicemail_coach.audio.files import load_for_speech
    from voicemail_coach.paths import DataDir

    vm = next(v for v in load_corpus() if v.id == "strong-02")
    from voicemail_coach.speech.chunking import file_chunks

    whole = load_for_speech(synthesize(vm.text, audio_cache, voice=1))
    first = file_chunks(whole)[0]  # cut at a pause, as the app cuts
    audio = whole[first.start : first.end]
    t = moonshine.MoonshineTranscriber(DataDir().cache)
    t.load()
    tried = []
    greedy = t._greedy
    t._greedy = lambda a, h=(), **kw: tried.append(len(a)) or greedy(a, h, **kw)

    def confidence(probs):
        return float(np.mean(np.log(np.maximum(probs, 1e-9))))

    _tokens, one, _audio = t._steady_decode(audio)
    assert len(tried) == 1  # a clear chunk: the first reading is confident and kept
    tried.clear()
    t.readings = 3
    _tokens, best, _audio = t._steady_decode(audio)
    assert sorted(tried) == sorted(len(audio) + pad for pad in moonshine.TAIL_PADS)
    assert confidence(best) >= confidence(one)


def test_a_phrase_said_over_and_over_is_a_loop():
    assert moonshine._looping([7, 8, 9, 10] * 3)  # "5:00, 5:00, 5:00,"
    assert moonshine._looping(list(range(20, 33)) * 3 + [5])  # a whole sentence, three times
    assert moonshine._looping([4] * 5) and moonshine._looping([4, 6] * 5)
    assert not moonshine._looping([4, 6] * 4)  # "five, five, five, five": a number may do that
    assert not moonshine._looping([7, 8, 9, 10] * 2 + list(range(40, 60)))


def test_a_chunk_that_loops_in_every_reading_is_read_in_halves(audio_cache):
    """This message's last chunk ("I'll call you on Friday at one, 555-410-9036.") reads as "5:00, 5:00,
    5:00, …" whatever silence follows it; its two halves, read apart, give the number."""
    from tests.support.corpus import load_corpus
    from tests.support.synth import synthesize
    from voicemail_coach.audio.files import load_for_speech
    from voicemail_coach.core.numbers import digit_runs
    from voicemail_coach.core.transcript import Transcript
    from voicemail_coach.paths import DataDir
    from voicemail_coach.speech.chunking import file_chunks

    n, vm = next((n, v) for n, v in enumerate(load_corpus()) if v.id == "mixed-more-12")
    whole = load_for_speech(synthesize(vm.text, audio_cache, voice=n))
    last = file_chunks(whole)[-1]
    audio = whole[last.start : last.end]
    t = moonshine.MoonshineTranscriber(DataDir().cache)
    t.load()
    t.readings = len(moonshine.TAIL_PADS)
    tokens, _probs, _encoded = t._steady_decode(audio)
    assert moonshine._looping(tokens)  # every reading loops
    words = t.transcribe(audio, offset=last.start / 16000)
    assert not moonshine._looping([hash(w.text) for w in words])
    assert any("4109036" in run.digits for run in digit_runs(Transcript(words).tokens))
    assert all(last.start / 16000 <= w.start <= w.end <= last.end / 16000 + 0.01 for w in words)


def test_a_number_heard_in_part_over_a_phone_line_is_listened_to_again(audio_cache):
    """Over the phone line the first reading of this message's second number turns "five, five, five" into
    "time, time, time" and loses the "nine"; the second listen hears every digit, keeps every digit first
    heard, and leaves the other words alone."""
    from tests.support.corpus import load_corpus
    from tests.support.degrade import phone_line
    from tests.support.synth import synthesize
    from voicemail_coach.audio.files import load_for_speech
    from voicemail_coach.core import numbers
    from voicemail_coach.paths import DataDir
    from voicemail_coach.speech import number_pass

    corpus = load_corpus()
    n, vm = next((n, v) for n, v in enumerate(corpus) if v.id == "strong-07")
    clean = synthesize(vm.text, audio_cache, voice=n)
    audio = load_for_speech(phone_line(clean, audio_cache / f"{clean.stem}-phone.wav"))
    # one thread: the same sums in the same order every run, so a noisy reading cannot flip between runs
    once = moonshine.MoonshineTranscriber(DataDir().cache, cpu_threads=1, numbers_again=False).transcribe_audio(audio)
    again = moonshine.MoonshineTranscriber(DataDir().cache, cpu_threads=1).transcribe_audio(audio)

    heard_once = numbers.find_phone(once.tokens, vm.rep.phone)
    heard_again = numbers.find_phone(again.tokens, vm.rep.phone)
    assert heard_again[-1].digits == numbers.phone_digits(vm.rep.phone)
    assert sum(len(m.digits) for m in heard_again) > sum(len(m.digits) for m in heard_once)
    digits_again = iter(number_pass.reading_digits([again.text]))
    assert all(d in digits_again for d in number_pass.reading_digits([once.text]))  # in order, none lost
    first_number = once.text.lower().split().index("reach")
    assert once.text.split()[:first_number] == again.text.split()[:first_number]


def test_a_name_misheard_in_an_office_is_found_where_it_was_said_and_a_name_not_said_is_not(audio_cache):
    """In an open office this message's "Hi Ahmed" is read "Hi honored". Asked to read the opening with
    the name, the decoder places it where it was said; a name no one said is placed nowhere."""
    from tests.support.corpus import load_corpus
    from tests.support.degrade import degraded
    from tests.support.synth import synthesize
    from voicemail_coach.audio.files import load_for_speech
    from voicemail_coach.paths import DataDir
    from voicemail_coach.speech.chunking import SAMPLE_RATE, file_chunks

    corpus = load_corpus()
    n, vm = next((n, v) for n, v in enumerate(corpus) if v.id == "strong-06")
    clean = synthesize(vm.text, audio_cache, voice=n)
    chatter = [synthesize(corpus[(n + k) % len(corpus)].text, audio_cache, voice=n + 2 * k + 1) for k in (1, 2)]
    audio = load_for_speech(degraded(clean, "office", chatter))
    opening = file_chunks(audio)[0]
    start, end = opening.start / SAMPLE_RATE, opening.end / SAMPLE_RATE
    transcriber = moonshine.MoonshineTranscriber(DataDir().cache, cpu_threads=1)
    listener = transcriber.listener(audio, None)
    heard = [w.text for w in listener.again(start, end)]
    assert "Ahmed" not in " ".join(heard)

    named = listener.with_names(start, end, ("Ahmed",))
    assert named is not None
    texts = [w.text.strip(",.") for w in named]
    assert "Ahmed" in texts[:3]  # where the greeting was
    assert all(start <= w.start <= w.end <= end + 0.5 for w in named)
    # the words after the name are the decoder's own reading of the rest
    assert " ".join(texts[-5:]) in " ".join(w.strip(",.") for w in heard)
    assert listener.with_names(start, end, ("Gregory",)) is None
    assert listener.with_names(start, end, ("Hannah", "Gregory")) is None


def test_the_day_of_a_promise_heard_as_other_words_is_found_and_soon_stays_soon(audio_cache):
    """Through a phone line this message's "I'll try you again Thursday" is read with other words where the
    day was; listened to for a day after the promise, the decoder finds Thursday. A promise to call "soon"
    names no day, and none is written into it."""
    from tests.support.corpus import load_corpus
    from tests.support.degrade import phone_line
    from tests.support.synth import synthesize
    from voicemail_coach.audio.files import load_for_speech
    from voicemail_coach.core.grader import promise_start
    from voicemail_coach.core.second_listen import DAYS, PROMISE_S
    from voicemail_coach.paths import DataDir
    from voicemail_coach.playbook import default_rubric

    corpus = load_corpus()
    transcriber = moonshine.MoonshineTranscriber(DataDir().cache, cpu_threads=1)
    found = {}
    for vid in ("missing-rep-name-01", "missing-callback-03"):
        n, vm = next((n, v) for n, v in enumerate(corpus) if v.id == vid)
        clean = synthesize(vm.text, audio_cache, voice=n)
        audio = load_for_speech(phone_line(clean, audio_cache / f"{clean.stem}-phone.wav"))
        transcript = transcriber.transcribe_audio(audio)
        at = promise_start(transcript, default_rubric())
        assert at is not None, transcript.text
        reading = transcriber.listener(audio).with_one_of(at, at + PROMISE_S, DAYS)
        found[vid] = (transcript.text, reading)
    said_thursday, reading = found["missing-rep-name-01"]
    assert "Thursday" not in said_thursday
    assert reading is not None and "Thursday" in [w.text.strip(",.") for w in reading]
    said_soon, reading = found["missing-callback-03"]
    assert "soon" in said_soon and reading is None


def test_a_number_heard_in_part_is_found_whole_where_it_was_said_and_a_near_one_is_not(audio_cache):
    """Through a phone line this message's last "five, five, five, eight, six, seven, one, two, zero, zero"
    is read "…seven, one to ho-ho": most of the rep's number. Listened to there for the number on file,
    the decoder reads it whole; numbers a digit or two away are placed nowhere."""
    from tests.support.corpus import load_corpus
    from tests.support.degrade import phone_line
    from tests.support.synth import synthesize
    from voicemail_coach.audio.files import load_for_speech
    from voicemail_coach.core import numbers
    from voicemail_coach.core.grader import partial_numbers
    from voicemail_coach.core.second_listen import NUMBER_AFTER_S, NUMBER_BEFORE_S
    from voicemail_coach.core.transcript import Transcript
    from voicemail_coach.paths import DataDir

    corpus = load_corpus()
    n, vm = next((n, v) for n, v in enumerate(corpus) if v.id == "full-14")
    clean = synthesize(vm.text, audio_cache, voice=n)
    audio = load_for_speech(phone_line(clean, audio_cache / f"{clean.stem}-phone.wav"))
    transcriber = moonshine.MoonshineTranscriber(DataDir().cache, cpu_threads=1)
    transcript = transcriber.transcribe_audio(audio)
    spans = partial_numbers(transcript, vm.rep.phone)
    assert spans, transcript.text
    first, last = spans[-1]
    start, end = first - NUMBER_BEFORE_S, min(last + NUMBER_AFTER_S, transcript.duration)
    listener = transcriber.listener(audio)
    reading = listener.with_one_of(start, end, (numbers.written_phone(vm.rep.phone),))
    assert reading is not None
    found = numbers.find_phone(Transcript(reading).tokens, vm.rep.phone)
    assert [m.digits for m in found] == [numbers.phone_digits(vm.rep.phone)]
    assert all(start <= w.start <= w.end <= end + 0.5 for w in reading)
    for near in ("555-867-1300", "555-876-1200", "555-867-4411"):
        assert listener.with_one_of(start, end, (near,)) is None, near
