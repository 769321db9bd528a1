"""Grading agreement with the labelled corpus, on text and on synthesized audio.

Prints JSON: item-level agreement and per-item confusion for the text path and
for audio (espeak-ng / flite voices through the default speech engine), clean,
under open-office chatter and through a phone line; items left "not sure"; and on
clean speech, how often the live path and the file path grade alike. Usage:

    python benchmarks/grading_accuracy.py [--engine auto|moonshine|faster-whisper]
                                          [--conditions clean,office,phone] [--limit N] [--text-only] [--no-live]
                                          [--transcripts DIR]

With ``--transcripts DIR`` the file path's transcripts are kept in DIR (one JSON file a condition and
engine), each with the second reading of its opening and the readings a second listen asked to hold a
name, a day or the rep's number (core.second_listen), and read from there on the next run (such a reading
not kept yet is decoded then): a change to the grader is measured on the same words in seconds, and only voicemails new to
the corpus are decoded (times and the live comparison cover those).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401  (sets import paths)

from tests.support.corpus import Agreement, load_corpus
from tests.support.synth import synthesize
from voicemail_coach.audio.files import load_for_speech
from voicemail_coach.core.grader import grade, promise_start
from voicemail_coach.core.second_listen import listen_again, names_of, number_of
from voicemail_coach.core.transcript import Transcript, Word
from voicemail_coach.playbook import default_rubric


def hints_for(vm) -> list[str]:
    return [vm.rep.name, vm.rep.company, vm.prospect.name, vm.prospect.company]


def text_agreement(corpus) -> dict:
    rubric = default_rubric()
    agreement = Agreement()
    t0 = time.perf_counter()
    for vm in corpus:
        agreement.add(vm, grade(Transcript.from_text(vm.text), vm.rep, vm.prospect, rubric))
    out = agreement.to_dict()
    out["grade_ms_mean"] = round(1000 * (time.perf_counter() - t0) / len(corpus), 3)
    # credited but not said: an item passed that the labels say was not there
    out["credited_but_unsaid"] = sum(c["fp"] for c in agreement.per_item.values())
    return out


def streamed(transcriber, audio, hints, names, judge, promise, number, seed: int = 0) -> Transcript:
    """The live path in simulated time: blocks of 100 ms, the worker looking in at uneven moments; then
    the second listen to the opening, as the app does at stop."""
    import random

    from voicemail_coach.speech.streaming import StreamingTranscriber

    pace = random.Random(seed)
    live = StreamingTranscriber(transcriber, hints, threaded=False, names=tuple(names.values()))
    for i in range(0, len(audio), 1600):
        live.feed(audio[i : i + 1600])
        if pace.random() < 0.3:
            live.poll()
    return listen_again(live.finish(), live, judge, names, promise, number)


class SavedListener:
    """A voicemail's second listens as an earlier run kept them; a reading with names not kept yet is
    decoded now (``decoded`` gives the recording's listener) and kept."""

    def __init__(self, again: list[Word], named: dict[str, list[Word] | None], decoded):
        self._again, self.named, self._decoded = again, named, decoded
        self.decoded_now = 0

    def again(self, start: float, end: float) -> list[Word]:
        return list(self._again)

    def with_names(self, start: float, end: float, names: tuple[str, ...]) -> list[Word] | None:
        return self._kept("|".join(names), lambda: self._decoded().with_names(start, end, names))

    def with_one_of(self, start: float, end: float, words: tuple[str, ...]) -> list[Word] | None:
        return self._kept(f"{start:.3f}-{end:.3f}:{'/'.join(words)}", lambda: self._decoded().with_one_of(start, end, words))

    def _kept(self, key: str, read) -> list[Word] | None:
        if key not in self.named:
            self.named[key] = read()
            self.decoded_now += 1
        return self.named[key]


def email_agreement() -> dict:
    """Follow-up email items against tests/corpus/emails.toml (the voicemails graded on their text)."""
    from collections import Counter

    from tests.support.corpus import load_email_corpus
    from voicemail_coach.core.followup import EMAIL_ITEMS, grade_email

    rubric = default_rubric()
    per_item = {i: Counter() for i in EMAIL_ITEMS}
    misses = []
    corpus = load_email_corpus()
    for e in corpus:
        voicemail = grade(Transcript.from_text(e.voicemail.text), e.voicemail.rep, e.voicemail.prospect, rubric)
        for item in grade_email(e.text, voicemail, e.voicemail.rep, e.voicemail.prospect, rubric, rubric.email).items:
            want = e.labels[item.id]
            per_item[item.id][("tp" if item.passed else "fn") if want else ("fp" if item.passed else "tn")] += 1
            if item.passed != want:
                misses.append({"id": e.id, "item": item.id, "label": want})
    total = sum(sum(c.values()) for c in per_item.values())
    agree = sum(c["tp"] + c["tn"] for c in per_item.values())
    return {"emails": len(corpus), "agreement": round(agree / total, 4), "items_compared": total,
            "per_item": {i: round((c["tp"] + c["tn"]) / max(1, sum(c.values())), 4) for i, c in per_item.items()},
            "disagreements": misses}


def _saved_transcripts(folder: Path | None, condition: str, engine: str) -> tuple[Path | None, dict]:
    """Readings decoded by an earlier run (``--transcripts``), by voicemail id: the transcript, and the
    words of the opening's second reading."""
    if folder is None:
        return None, {}
    path = folder / f"{engine}-{condition}.json"
    if not path.exists():
        return path, {}
    saved = json.loads(path.read_text())
    as_words = lambda rows: None if rows is None else [Word(*w) for w in rows]  # noqa: E731
    return path, {
        vid: (Transcript(as_words(t["words"]), duration=t["duration"], opening=tuple(t["opening"])),
              as_words(t["again"]), {k: as_words(v) for k, v in t.get("named", {}).items()})
        for vid, t in saved.items() if t.get("opening")  # older files hold no second reading: decoded again
    }


def audio_agreement(corpus, engine: str, audio_dir: Path, condition: str = "clean", live: bool = False,
                    transcripts: Path | None = None) -> dict:
    """Agreement on synthesized speech (``condition``: clean, office or phone); with ``live``, each
    message is also decoded on the live path (blocks of 100 ms, the worker looking in at uneven
    moments) and compared item by item with the file path."""
    from tests.support.degrade import degraded
    from voicemail_coach.paths import DataDir
    from voicemail_coach.speech.engines import create_transcriber

    rubric = default_rubric()
    promise = lambda t: promise_start(t, rubric)  # noqa: E731
    transcriber = create_transcriber(engine, cache_root=DataDir().cache)
    saved_path, saved = _saved_transcripts(transcripts, condition, transcriber.label.replace(" ", "-"))
    reused = sum(vm.id in saved for vm in corpus)
    if reused < len(corpus):
        transcriber.load()
    agreement = Agreement()
    rtfs, audio_seconds = [], 0.0
    same_items = compared = same_words = unsure = second_kept = named_decoded = 0
    for n, vm in enumerate(corpus):
        decoded = vm.id not in saved

        def recording(n=n, vm=vm):
            clean = synthesize(vm.text, audio_dir, voice=n)
            chatter = [synthesize(corpus[(n + k) % len(corpus)].text, audio_dir, voice=n + 2 * k + 1) for k in (1, 2)]
            return load_for_speech(degraded(clean, condition, chatter))

        def listener(vm=vm, recording=recording):
            transcriber.load()
            return transcriber.listener(recording(), hints_for(vm))

        if decoded:
            audio = recording()
            t0 = time.perf_counter()
            first = transcriber.transcribe_audio(audio, hints_for(vm))
            rtfs.append((time.perf_counter() - t0) / first.duration)
            heard = transcriber.listener(audio, hints_for(vm))
            listener = lambda heard=heard: heard  # noqa: E731  (the recording is loaded already)
            # the opening's second reading is kept whether or not it is needed, so a re-grade can ask for it
            saved[vm.id] = (first, heard.again(*first.opening), {})
        first, again, named = saved[vm.id]

        def judge(t: Transcript, vm=vm):
            return grade(t, vm.rep, vm.prospect, rubric)

        names = names_of(vm.rep, vm.prospect)
        kept = SavedListener(again, named, listener)
        transcript = listen_again(first, kept, judge, names, promise, number_of(vm.rep))
        named_decoded += kept.decoded_now
        second_kept += transcript is not first
        audio_seconds += transcript.duration or 0.0
        result = judge(transcript)
        unsure += result.unconfirmed
        agreement.add(vm, result)
        if live and decoded:
            heard = streamed(transcriber, audio, hints_for(vm), names, judge, promise, number_of(vm.rep), seed=n)
            live_result = grade(heard, vm.rep, vm.prospect, rubric)
            same_words += [(w.text, w.start, w.end) for w in heard.words] == [
                (w.text, w.start, w.end) for w in transcript.words]
            same_items += sum(a.passed == b.passed for a, b in zip(live_result.items, result.items))
            compared += len(result.items)
    if saved_path is not None and (reused < len(corpus) or named_decoded):
        saved_path.parent.mkdir(parents=True, exist_ok=True)
        as_rows = lambda words: None if words is None else [[w.text, w.start, w.end, w.probability] for w in words]  # noqa: E731
        saved_path.write_text(json.dumps({
            vid: {"duration": t.duration, "opening": t.opening, "words": as_rows(t.words), "again": as_rows(again),
                  "named": {k: as_rows(v) for k, v in named.items()}}
            for vid, (t, again, named) in saved.items()}))
    out = agreement.to_dict()
    out["disagreements"] = [
        {"id": vid, "item": item, "label": want, "transcript": text} for vid, item, want, text in agreement.disagreements
    ]
    out["condition"] = condition
    out["engine"] = transcriber.label
    out["unsure_items"] = unsure
    out["opening_heard_again_kept"] = second_kept  # messages graded on a second reading of the opening (or one with a name)
    out["audio_seconds"] = round(audio_seconds, 1)
    if reused:
        out["transcripts_from"] = str(saved_path)
        out["transcripts_reused"] = reused
    if rtfs:
        out["model_load_s"] = round(transcriber.load_seconds or 0.0, 3)
        out["real_time_factor"] = {"mean": round(statistics.mean(rtfs), 4), "max": round(max(rtfs), 4)}
    if live and compared:
        out["live_vs_file"] = {"item_agreement": round(same_items / max(1, compared), 4), "items_compared": compared,
                               "identical_transcripts": same_words, "messages": len(rtfs)}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", default="auto", choices=["auto", "moonshine", "faster-whisper"])
    ap.add_argument("--conditions", default="clean,office,phone", help="clean, office (chatter + noise), phone (line)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N voicemails")
    ap.add_argument("--text-only", action="store_true")
    ap.add_argument("--no-live", action="store_true", help="skip the live-vs-file comparison on clean speech")
    ap.add_argument("--audio-dir", type=Path, default=Path(tempfile.gettempdir()) / "voicemail-coach-corpus-audio")
    ap.add_argument("--transcripts", type=Path, help="keep the decoded transcripts here and grade them again next time")
    args = ap.parse_args()
    corpus = load_corpus()
    if args.limit:
        corpus = corpus[: args.limit]
    report = {"voicemails": len(corpus), "text": text_agreement(corpus), "email": email_agreement()}
    if not args.text_only:
        report["audio"] = {
            c: audio_agreement(corpus, args.engine, args.audio_dir, c, live=(c == "clean" and not args.no_live),
                               transcripts=args.transcripts)
            for c in args.conditions.split(",")
        }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
