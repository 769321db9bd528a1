"""What the window is working on, in one place: the controllers read it and listen to its signals instead of
reaching into each other."""

from __future__ import annotations

from enum import Enum, IntEnum

from PySide6.QtCore import QObject, Signal

from voicemail_coach.core.records import Rep, SavedAttempt
from voicemail_coach.core.scenarios import Scenario


class Phase(Enum):
    IDLE = "idle"
    GREETING = "greeting"  # the prospect's greeting and the beep are playing
    RECORDING = "recording"
    GRADING = "grading"  # a take or an imported file is being transcribed and scored


class Tab(IntEnum):
    PRACTICE = 0
    HISTORY = 1
    COMPARE = 2
    PROGRESS = 3
    SESSIONS = 4


class AppState(QObject):
    phase_changed = Signal(object)  # Phase
    rep_changed = Signal(object)  # Rep | None
    scenario_changed = Signal(object)  # Scenario
    attempt_changed = Signal(object)  # SavedAttempt | None: the attempt on the scorecard
    touch_changed = Signal(object)  # TouchPlan | None: the next recording is a later touch
    session_changed = Signal()  # the session the next take counts in, or the exemplar it becomes

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.phase = Phase.IDLE
        self.rep: Rep | None = None
        self.scenario: Scenario | None = None
        self.attempt: SavedAttempt | None = None
        self.touch = None
        self.session_id: int | None = None  # the next recordings count on this session's board
        self.exemplar_for: tuple[int, str] | None = None  # (session id, scenario id): the next take is its exemplar

    @property
    def idle(self) -> bool:
        return self.phase is Phase.IDLE

    def set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.phase_changed.emit(phase)

    def set_rep(self, rep: Rep | None) -> None:
        self.rep = rep
        self.rep_changed.emit(rep)

    def set_scenario(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.scenario_changed.emit(scenario)

    def set_attempt(self, attempt: SavedAttempt | None) -> None:
        self.attempt = attempt
        self.attempt_changed.emit(attempt)

    def set_touch(self, plan) -> None:
        self.touch = plan
        self.touch_changed.emit(plan)

    def set_session(self, session_id: int | None, exemplar_for: tuple[int, str] | None = None) -> None:
        self.session_id, self.exemplar_for = session_id, exemplar_for
        self.session_changed.emit()


class Controller(QObject):
    """A tab's or a feature's behaviour: it owns no widgets of the window, only drives them. ``window`` is the
    parent for dialogs and owns the status bar."""

    def __init__(self, window, services, state: AppState):
        super().__init__(window)
        self.window, self.services, self.state = window, services, state

    def say(self, text: str, ms: int = 8000) -> None:
        self.window.statusBar().showMessage(text, ms)
