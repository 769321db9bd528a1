"""One drill without any UI: record a part of the message for a few seconds, hear it, grade just that part,
keep the outcome (not the audio) and count the streak."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from voicemail_coach.audio.recorder import Recorder
from voicemail_coach.core import drills
from voicemail_coach.core.grader import grade
from voicemail_coach.core.people import Prospect, RepProfile
from voicemail_coach.core.results import ItemResult
from voicemail_coach.core.scenarios import Scenario
from voicemail_coach.core.transcript import Transcript
from voicemail_coach.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DrillResult:
    part: drills.DrillPart
    items: list[ItemResult]
    passed: bool
    streak: int  # passes in a row on this part, this one included
    transcript: str
    drill_id: int


class DrillRound:
    def __init__(self, services: Services, rep_id: int | None, rep: RepProfile, scenario: Scenario | None,
                 part: drills.DrillPart):
        self.services, self.rep_id, self.rep, self.scenario, self.part = services, rep_id, rep, scenario, part
        self.recorder: Recorder | None = None

    @property
    def prospect(self) -> Prospect:
        return self.scenario.prospect if self.scenario else Prospect()

    def instruction(self) -> str:
        return drills.instruction(self.part, self.prospect.name, self.prospect.company, self.rep.phone)

    def start(self, device=None, sd=None) -> Recorder:
        # the cache, not the recordings folder: a drill's audio is not a take to recover after a crash
        folder = self.services.dirs.cache / "drills"
        folder.mkdir(parents=True, exist_ok=True)
        self.recorder = Recorder(folder / f"{uuid.uuid4().hex}.wav", device=device, sd=sd,
                                 max_seconds=self.part.seconds + 1.0)
        try:
            self.recorder.start()
        except Exception:
            self.recorder = None
            raise
        return self.recorder

    def stop(self) -> DrillResult:
        """Hear and grade the take; the audio is deleted once heard."""
        from voicemail_coach.audio.files import AudioFileError, load_for_speech
        from voicemail_coach.speech.transcriber import NoSpeechError

        assert self.recorder is not None
        take = self.recorder.stop()
        self.recorder = None
        try:
            audio = load_for_speech(take.path)
            transcript = self.services.transcriber.transcribe_audio(
                audio, [self.rep.name, self.rep.company, self.prospect.name, self.prospect.company])
        except (AudioFileError, NoSpeechError) as exc:  # silence: every item of the part is missed
            log.info("drill heard nothing: %s", exc)
            transcript = Transcript([], duration=take.duration)
        finally:
            take.path.unlink(missing_ok=True)
        result = grade(transcript, self.rep, self.prospect, self.services.rubric, None)
        items = drills.judged(result, self.part)
        ok = drills.passed(items)
        scenario_id = self.scenario.id if self.scenario else None
        drill_id = self.services.repo.add_drill(self.rep_id, scenario_id, self.part.id, ok, transcript.text,
                                                [i.to_dict() for i in items])
        return DrillResult(self.part, items, ok, self.streak(), transcript.text, drill_id)

    def streak(self) -> int:
        """Passes in a row on this part, up to the latest drill."""
        return drills.streak([d.passed for d in self.services.repo.drills(self.rep_id, self.part.id)])

    def cancel(self) -> None:
        if self.recorder is not None:
            self.recorder.stop().path.unlink(missing_ok=True)
            self.recorder = None
