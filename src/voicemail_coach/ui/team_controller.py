"""The team server in the window: the upload indicator in the status bar, Settings ▸ Team, and the live board.

Uploading and listening run on their own threads (team/sync.py, team/client.py); their news reaches the window
through Qt signals, so the window never waits on the network."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel

from voicemail_coach.team.link import client_for, joined, recordings_cache
from voicemail_coach.team.sync import SyncResult, Uploader

log = logging.getLogger(__name__)


class TeamController(QObject):
    synced = Signal(object)  # SyncResult, from the uploader's thread
    comments_arrived = Signal()  # a trainer's comments came down from the server

    def __init__(self, window, services, status_bar):
        super().__init__(window)
        self.window, self.services = window, services
        self.uploader: Uploader | None = None
        self.board = None
        self.label = QLabel()
        self.label.setObjectName("muted")
        self.label.setTextInteractionFlags(Qt.NoTextInteraction)
        status_bar.addPermanentWidget(self.label)
        self.synced.connect(self._show)
        self.start()

    # ----------------------------------------------------------- uploading
    def start(self) -> None:
        """Begin uploading in the background when this machine has joined a team."""
        self.stop()
        repo = self.services.repo
        address = joined(repo)
        if not address:
            self.label.hide()
            return
        self.label.show()
        # no password kept here is found by the uploader's thread (the server refuses the login: "sign in
        # again"), so the keyring is never asked on the window's thread
        self.label.setText("  ☁ Team: connecting…  ")
        self.uploader = Uploader(repo, self.services.sessions, lambda: client_for(repo), self.synced.emit)
        self.uploader.start()

    def stop(self) -> None:
        if self.uploader is not None:
            self.uploader.stop()
            self.uploader = None

    def after_saved(self, _attempt_id=None) -> None:
        if self.uploader is not None:
            self.label.setText(f"  ☁ Team: {len(self.services.repo.waiting_uploads())} waiting to upload…  ")
            self.uploader.kick()

    def _show(self, result: SyncResult) -> None:
        if result.signed_out:
            text, tip = f"☁ Team: sign in again · {result.waiting} waiting", result.error + \
                "\nSettings ▸ Team server… signs in; attempts are kept here until then."
        elif result.error:
            text, tip = f"☁ Team server not reachable · {result.waiting} waiting", result.error + \
                "\nAttempts are kept here and upload once the server answers."
        elif result.waiting:
            text, tip = f"☁ Team: {result.waiting} waiting to upload", "Uploading in the background."
        else:
            text, tip = "☁ Team: all uploaded", f"Every attempt is on {joined(self.services.repo)}."
        if result.refused:
            tip += f"\n{result.refused} attempt(s) refused by the server: see 'voicemail-coach team status'."
        if result.comments:
            self.window.statusBar().showMessage(
                f"{result.comments} new comment(s) from your trainer: open the attempt to read them.", 10000)
            self.comments_arrived.emit()
        self.label.setText(f"  {text}  ")
        self.label.setToolTip(tip)
        self.label.setStyleSheet("color:#b26a00;" if result.error or result.refused else "")

    # --------------------------------------------------------------- dialogs
    def open_settings(self) -> None:
        from voicemail_coach.ui.team_dialog import TeamDialog

        dialog = TeamDialog(self.services.repo, self.window)
        dialog.exec()
        if dialog.changed:
            self.start()
            self.window.statusBar().showMessage(dialog.changed, 8000)

    def open_board(self) -> None:
        from voicemail_coach.ui.team_board import TeamBoard

        if not joined(self.services.repo):
            self.open_settings()
            if not joined(self.services.repo):
                return
        if self.board is None:
            repo, titles = self.services.repo, self.services.scenarios.titles()
            self.board = TeamBoard(lambda: client_for(repo), self.window, player=self.window.player,
                                   cache=recordings_cache(self.services.dirs.cache, joined(repo)),
                                   title_of=lambda scenario_id: titles.get(scenario_id, scenario_id or ""))
        self.board.show()
        self.board.raise_()
        self.board.activateWindow()

    def close(self) -> None:
        self.stop()
        if self.board is not None:
            self.board.close()
