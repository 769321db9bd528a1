"""Which scenario the rep practises: the built-in and imported ones, dealt at random or picked."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import tomllib
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog

from voicemail_coach.core.scenarios import Scenario, parse_scenario
from voicemail_coach.ui import messages
from voicemail_coach.ui.practice_page import PracticePage
from voicemail_coach.ui.state import Controller


class ScenarioController(Controller):
    record_requested = Signal()  # a new scenario is up: show the recording page

    def __init__(self, window, services, state, page: PracticePage):
        super().__init__(window, services, state)
        self.page = page
        state.scenario_changed.connect(self._show)
        page.card.next_button.clicked.connect(self.next)
        page.card.picker.currentIndexChanged.connect(self._picked)

    def load(self, wanted: str | None) -> None:
        found = self.services.scenarios
        self.page.card.set_scenarios(found.scenarios)
        if found.problems:
            self.say("Skipped scenario files: " + "; ".join(str(p) for p in found.problems), 15000)
        chosen = found.get(wanted) if wanted else None
        if wanted and chosen is None:
            self.say(f"No scenario called '{wanted}'; dealt another one.", 10000)
        if chosen or found.scenarios:
            self.state.set_scenario(chosen or found.scenarios[0])

    def _show(self, scenario: Scenario) -> None:
        self.page.card.show_scenario(scenario)
        self.page.show_target(scenario.target_s)

    def choose(self, scenario_id: str) -> Scenario | None:
        scenario = self.services.scenarios.get(scenario_id)
        if scenario is not None:
            self.state.set_scenario(scenario)
        return scenario

    def next(self) -> None:
        if not self.state.idle:
            return
        options = [s for s in self.services.scenarios.scenarios if s is not self.state.scenario]
        if options:
            self.state.set_scenario(random.choice(options))
            self.record_requested.emit()

    def _picked(self, index: int) -> None:
        scenario = self.services.scenarios.get(self.page.card.picker.itemData(index))
        if scenario and self.state.idle and scenario is not self.state.scenario:
            self.state.set_scenario(scenario)
            self.record_requested.emit()

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Import a scenario", str(Path.home()),
                                              "Scenario files (*.toml)")
        if not path:
            return
        try:
            scenario = parse_scenario(tomllib.loads(Path(path).read_text(encoding="utf-8")), "yours")
        except (tomllib.TOMLDecodeError, ValueError, OSError, UnicodeDecodeError) as exc:
            messages.warning(self.window, "Import a scenario", f"{Path(path).name} cannot be used:\n\n{exc}")
            return
        found = self.services.scenarios
        if found.get(scenario.id):
            messages.warning(self.window, "Import a scenario", f"A scenario with the id '{scenario.id}' already exists.")
            return
        self.services.dirs.ensure()
        shutil.copyfile(path, self.services.dirs.scenarios / f"{scenario.id}.toml")
        found.scenarios.append(scenario)
        self.page.card.set_scenarios(found.scenarios)
        self.state.set_scenario(scenario)
        self.say(f"Imported scenario “{scenario.title}”.")
