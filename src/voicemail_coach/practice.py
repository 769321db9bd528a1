"""One practice round without any UI: record (with live transcription), grade, save.

The desktop app drives this from its worker threads; tests drive it directly.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from voicemail_coach.audio.recorder import Recorder, Take, recover_interrupted
from voicemail_coach.core.grader import GradeResult, grade, promise_start
from voicemail_coach.core.number_clarity import stored_readings, with_number_clarity
from voicemail_coach.core.people import Prospect, RepProfile
from voicemail_coach.core.records import SavedAttempt
from voicemail_coach.core.scenarios import Scenario
from voicemail_coach.core.second_listen import Listener, listen_again, names_of, number_of
from voicemail_coach.core.touches import Clock, grade_touch, promise_of, suggested_clock, with_touch_items
from voicemail_coach.core.transcript import Transcript, Word
from voicemail_coach.core.voice import with_voice
from voicemail_coach.services import Services

if TYPE_CHECKING:
    from voicemail_coach.core.playbook_preview import Preview
    from voicemail_coach.core.rubric import Rubric

log = logging.getLogger(__name__)
FIRST_CALL = Clock("monday", 9)  # the scenario clock of a first touch


def _clock(text: str | None) -> Clock:
    try:
        day, hour = (text or "").split()
        return Clock(day, int(hour))
    except ValueError:
        return FIRST_CALL


@dataclass
class TouchPlan:
    """The next call to the same prospect: which touch, when on the scenario clock, after what."""

    previous_id: int
    touch: int
    clock: Clock
    previous_clock: Clock
    previous: GradeResult


@dataclass
class Attempt:
    id: int | None
    result: GradeResult
    transcript: Transcript
    audio_path: Path | None
    scenario_id: str | None
    warnings: list[str] = field(default_factory=list)
    stop_to_result_s: float | None = None

    def to_dict(self) -> dict:
        return self.result.to_dict()


def _prospect_of(scenario: Scenario | None) -> Prospect:
    return scenario.prospect if scenario else Prospect()


def hints(rep: RepProfile, prospect: Prospect) -> list[str]:
    return [rep.name, rep.company, prospect.name, prospect.company]


def words_json(transcript: Transcript) -> list[dict]:
    return [{"text": w.text, "start": w.start, "end": w.end, "p": w.probability} for w in transcript.words]


class Practice:
    def __init__(self, services: Services):
        self.services = services
        self.recorder: Recorder | None = None
        self.live = None
        self._context: tuple[int | None, RepProfile, Scenario | None] | None = None
        self._touch: TouchPlan | None = None
        self._session_id: int | None = None
        self._take_rubric: "Rubric | None" = None  # the playbook the take being recorded is graded with

    # --------------------------------------------------------------- grading
    def rubric_for(self, session_id: int | None) -> "Rubric":
        """The playbook an attempt is graded with: its session's, else the one chosen in Settings."""
        session = self.services.sessions.get(session_id) if session_id is not None else None
        return self.services.rubric_named(session.playbook if session else None)

    def grade_transcript(self, transcript: Transcript, rep: RepProfile, scenario: Scenario | None,
                         prospect: Prospect | None = None, audio: Path | None = None,
                         session_id: int | None = None) -> GradeResult:
        """The checklist for ``transcript``; ``prospect`` (else the scenario's) is who the message was for,
        graded with ``session_id``'s playbook. With the recording's ``audio``, how it sounded is measured
        too: the voice (core.voice) and how the number came across (core.number_clarity)."""
        prospect = prospect or _prospect_of(scenario)
        rubric = self.rubric_for(session_id)
        result = grade(transcript, rep, prospect, rubric, scenario.target_s if scenario else None)
        if audio is None or not transcript.words:
            return result
        from voicemail_coach.audio.files import AudioFileError, read_samples

        try:
            samples, rate = read_samples(audio)
        except AudioFileError as exc:  # graded from its words alone; the file's problem is reported elsewhere
            log.warning("the voice was not measured: %s", exc)
            return result
        result = with_voice(result, samples, rate, rubric)
        if not rep.phone:
            return result
        return with_number_clarity(result, transcript, samples, rate, rep.phone, rubric)

    def phone_checked(self, result: GradeResult, samples, rate: int, phone: str,
                      session_id: int | None = None) -> GradeResult:
        """``result`` with "Number survives the phone line": each reading of the number measured in it
        (its metrics) heard again through the phone line (speech.phone_check, core.number_on_phone).
        About half a second of decoding per reading, so the app runs it after the scorecard is shown."""
        from voicemail_coach.core.number_on_phone import ITEM, check, with_phone_checks
        from voicemail_coach.speech.phone_check import digits_through_line

        rubric = self.rubric_for(session_id)
        readings = stored_readings(result.metrics)
        if ITEM not in rubric.delivery or not readings or not phone:
            return result
        transcriber = self.services.load_transcriber()
        clarity = rubric.delivery.get("number_clarity")
        checks = [check(phone, digits_through_line(transcriber, samples, rate, r), r, clarity) for r in readings]
        return with_phone_checks(result, checks, phone, rubric)

    def check_number_on_phone(self, attempt_id: int) -> GradeResult | None:
        """A saved attempt's number heard through the phone line, and its saved grade updated with the item;
        None when there is nothing to check (no recording, the number never heard, or already checked)."""
        from voicemail_coach.audio.files import AudioFileError, read_samples
        from voicemail_coach.core.number_on_phone import ITEM

        row = self.services.repo.attempt(attempt_id)
        if row is None or not row.audio_path or ITEM in row.metrics or not stored_readings(row.metrics):
            return None
        rep_row = self.services.repo.rep_by_id(row.rep_id)
        phone = rep_row.profile.phone if rep_row else ""
        try:
            samples, rate = read_samples(row.audio_path)
        except AudioFileError as exc:
            log.warning("the number was not heard through the phone line: %s", exc)
            return None
        result = self.phone_checked(row.result(), samples, rate, phone, row.session_id)
        if ITEM not in result.metrics:
            return None
        self.services.repo.replace_grade(attempt_id, result.to_dict())
        return result

    def transcribe_file(self, path: Path, rep: RepProfile, prospect: Prospect,
                        session_id: int | None = None) -> Transcript:
        """A recording made anywhere, heard with the names the message should hold as hints (and its
        opening heard again when that finds more of the checklist, graded with ``session_id``'s playbook)."""
        from voicemail_coach.audio.files import load_for_speech

        audio = load_for_speech(Path(path))
        transcriber = self.services.load_transcriber()
        names = hints(rep, prospect)
        return self.listened_again(transcriber.transcribe_audio(audio, names), transcriber.listener(audio, names),
                                   rep, prospect, session_id)

    def listened_again(self, transcript: Transcript, listener: Listener, rep: RepProfile, prospect: Prospect,
                       session_id: int | None = None) -> Transcript:
        """``transcript`` after a second listen to its opening, the names it misses listened for there, the
        day a promise to call again names listened for after it, and the rep's number where it was heard in part
        (core.second_listen), judged by the checklist."""
        rubric = self.rubric_for(session_id)
        return listen_again(transcript, listener, lambda t: grade(t, rep, prospect, rubric), names_of(rep, prospect),
                            lambda t: promise_start(t, rubric), number_of(rep))

    def partial(self, words: list[Word], rep: RepProfile, scenario: Scenario | None) -> GradeResult:
        """Grade what has been heard so far, for the live checklist (on the window's thread: the take's
        playbook was looked up once, at start)."""
        prospect = _prospect_of(scenario)
        return grade(Transcript(list(words)), rep, prospect, self._take_rubric or self.services.rubric,
                     scenario.target_s if scenario else None)

    def save(self, rep_id: int | None, scenario: Scenario | None, result: GradeResult, transcript: Transcript,
             audio: Path | None, touch: "TouchPlan | None" = None, session_id: int | None = None,
             copy_from: Path | None = None) -> int:
        return self.services.repo.add_attempt(
            rep_id, scenario.id if scenario else None, result.to_dict(), words_json(transcript), audio,
            engine=self.services.transcriber.label if audio else None,
            touch=touch.touch if touch else 1, previous_id=touch.previous_id if touch else None,
            clock=f"{touch.clock.day} {touch.clock.hour}" if touch else f"{FIRST_CALL.day} {FIRST_CALL.hour}",
            session_id=session_id, copy_from=copy_from,
        )

    # ------------------------------------------------------------ later touches
    def plan_next_touch(self, attempt_id: int) -> "TouchPlan":
        """Continue an attempt's scenario as the next touch, the clock set where it promised."""
        row, result, _rep, _prospect = self.stored_attempt(attempt_id)
        previous_clock = _clock(row.clock)
        promise = promise_of(result, self.services.rubric)
        return TouchPlan(attempt_id, (row.touch or 1) + 1, suggested_clock(previous_clock, promise),
                         previous_clock, result)

    def grade_with_touch(self, result: GradeResult, plan: "TouchPlan | None",
                         session_id: int | None = None) -> GradeResult:
        if plan is None:
            return result
        rubric = self.rubric_for(session_id)
        items = grade_touch(result, plan.previous, plan.previous_clock, plan.clock, rubric, rubric.touch)
        return with_touch_items(result, items, rubric.touch, rubric)

    def grade_file(self, path: Path, rep_id: int | None, rep: RepProfile, scenario: Scenario | None,
                   touch: TouchPlan | None = None, session_id: int | None = None) -> Attempt:
        """An imported recording: copied into the data dir, transcribed, graded, saved."""
        transcript = self.transcribe_file(path, rep, _prospect_of(scenario), session_id)
        result = self.grade_with_touch(
            self.grade_transcript(transcript, rep, scenario, audio=Path(path), session_id=session_id), touch, session_id)
        copy = self.services.repo.files.new_path(Path(path))
        attempt_id = self.save(rep_id, scenario, result, transcript, copy, touch, session_id, copy_from=Path(path))
        return Attempt(attempt_id, result, transcript, copy, scenario.id if scenario else None)

    # ---------------------------------------------------------------- playbooks
    def preview_playbook(self, edited: "Rubric", limit: int = 1000) -> "Preview":
        """The newest ``limit`` attempts graded from their words with the playbook in use and with ``edited``,
        and the labelled corpus against its labels."""
        from voicemail_coach.core.labels import attempt_labels
        from voicemail_coach.core.playbook_preview import Case, preview

        repo = self.services.repo
        profiles = {r.id: r.profile for r in repo.reps()}
        cases = []
        for entry in repo.rows()[:limit]:
            row = repo.attempt(entry.id)
            if row is None or not row.words:
                continue
            scenario = self.services.scenarios.get(row.scenario_id or "")
            transcript = Transcript([Word(str(w.get("text", "")), w.get("start"), w.get("end"), w.get("p"))
                                     for w in row.words], duration=row.duration_s)
            marks = repo.labels(row.id)
            labels = {k: v for k, v in attempt_labels(row.items, marks)[0].items() if k in marks}
            cases.append(Case(transcript, profiles.get(row.rep_id, RepProfile()),
                              _prospect_of(scenario), scenario.target_s if scenario else None,
                              labels))
        from voicemail_coach.corpus import load_corpus

        corpus = [Case(Transcript.from_text(vm.text), vm.rep, vm.prospect, None, vm.labels) for vm in load_corpus()]
        return preview(cases, self.services.rubric, edited, corpus)

    # ---------------------------------------------------------- follow-up email
    def stored_attempt(self, attempt_id: int) -> tuple[SavedAttempt, GradeResult, RepProfile, Prospect]:
        """A saved attempt with its grade, rep and prospect, as the email tools need them."""
        row = self.services.repo.attempt(attempt_id)
        if row is None:
            raise LookupError(f"there is no attempt #{attempt_id}")
        result = row.result()
        rep_row = self.services.repo.rep_by_id(row.rep_id)
        scenario = self.services.scenarios.get(row.scenario_id or "")
        return row, result, rep_row.profile if rep_row else RepProfile(), _prospect_of(scenario)

    def draft_email(self, attempt_id: int):
        from voicemail_coach.core.followup import draft_email

        _row, result, rep, prospect = self.stored_attempt(attempt_id)
        return draft_email(result, rep, prospect, self.services.rubric)

    def grade_email(self, attempt_id: int, text: str, save: bool = False) -> GradeResult:
        from voicemail_coach.core.followup import grade_email

        _row, result, rep, prospect = self.stored_attempt(attempt_id)
        graded = grade_email(text, result, rep, prospect, self.services.rubric, self.services.rubric.email)
        if save:
            self.save_email(attempt_id, text, graded)
        return graded

    def save_email(self, attempt_id: int, text: str, graded: GradeResult) -> None:
        self.services.repo.save_email(attempt_id, text, graded.to_dict())

    # ------------------------------------------------------------- recording
    def start(self, rep_id: int | None, rep: RepProfile, scenario: Scenario | None,
              on_partial: Callable[[list[Word]], None] | None = None, device=None,
              max_seconds: float = 120.0, sd=None, touch: TouchPlan | None = None,
              session_id: int | None = None) -> Recorder:
        from voicemail_coach.speech.streaming import StreamingTranscriber

        prospect = _prospect_of(scenario)
        path = self.services.dirs.recordings / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}.wav"
        meta = {"rep_id": rep_id, "scenario_id": scenario.id if scenario else None, "session_id": session_id}
        self.live = StreamingTranscriber(self.services.transcriber, hints(rep, prospect), on_partial,
                                         names=tuple(names_of(rep, prospect).values()))
        self.recorder = Recorder(path, device=device, max_seconds=max_seconds, sd=sd, meta=meta)
        self.recorder.add_listener(self.live.feed)
        self._context = (rep_id, rep, scenario)
        self._touch = touch
        self._session_id = session_id
        self._take_rubric = self.rubric_for(session_id)
        try:
            self.recorder.start()
        except Exception:
            self.live.finish_quietly()
            self.recorder = self.live = None
            raise
        return self.recorder

    def stop(self) -> Attempt:
        """Stop, finish the transcript's tail, grade and save; the caller times this."""
        assert self.recorder is not None and self.live is not None and self._context is not None
        t0 = time.perf_counter()
        marker = self.recorder.sidecar
        take: Take = self.recorder.stop(keep_marker=True)
        rep_id, rep, scenario = self._context
        live = self.live
        try:
            transcript = live.finish()
            transcript = self.listened_again(transcript, live, rep, _prospect_of(scenario),
                                             self._session_id)
        finally:
            self.recorder = self.live = None
        result = self.grade_with_touch(
            self.grade_transcript(transcript, rep, scenario, audio=take.path, session_id=self._session_id),
            self._touch, self._session_id)
        attempt_id = self.save(rep_id, scenario, result, transcript, take.path, self._touch, self._session_id)
        marker.unlink(missing_ok=True)  # stored: no longer a take to recover
        warnings = list(take.warnings) + ([take.error] if take.error else [])
        return Attempt(attempt_id, result, transcript, take.path, scenario.id if scenario else None, warnings,
                       time.perf_counter() - t0)

    def cancel(self) -> None:
        if self.recorder is not None:
            take = self.recorder.stop()
            if self.live is not None:
                self.live.finish_quietly()
            take.path.unlink(missing_ok=True)
        self.recorder = self.live = None

    # -------------------------------------------------------------- recovery
    def recover(self) -> list[Attempt]:
        """Grade and save takes that a crash left unfinished (their audio is never deleted)."""
        recovered: list[Attempt] = []
        repo = self.services.repo
        for path, meta, duration in recover_interrupted(self.services.dirs.recordings):
            scenario = self.services.scenarios.get(meta.get("scenario_id") or "")
            rep_row = next((r for r in repo.reps() if r.id == meta.get("rep_id")), None) or repo.active_rep()
            rep = rep_row.profile if rep_row else RepProfile()
            log.info("recovering interrupted take %s (%.1f s)", path.name, duration)
            try:
                transcript = self.transcribe_file(path, rep, _prospect_of(scenario), meta.get("session_id"))
            except Exception as exc:  # silent or unreadable: kept on disk, listed as recovered
                log.warning("recovered take %s could not be transcribed: %s", path.name, exc)
                transcript = Transcript([], duration=duration)
            result = self.grade_transcript(transcript, rep, scenario, audio=path if transcript.words else None)
            attempt_id = repo.add_attempt(rep_row.id if rep_row else None, scenario.id if scenario else None,
                                          result.to_dict(), words_json(transcript), path, status="recovered",
                                          session_id=meta.get("session_id"))
            recovered.append(Attempt(attempt_id, result, transcript, path, scenario.id if scenario else None))
        return recovered
