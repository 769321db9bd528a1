"""Settings ▸ History location: a PostgreSQL database checked, chosen, used from the next start; back to the
file; a chosen database that does not answer at start."""

from __future__ import annotations

import json
import socket
import uuid

import pytest

from voicemail_coach import history_location
from voicemail_coach.core.people import RepProfile
from voicemail_coach.services import Services

pytestmark = pytest.mark.sqlite_only  # about choosing the backend: the run's own choice would stand in its way


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_database_is_checked_chosen_and_used_from_the_next_start(qtbot, tmp_path, postgres, monkeypatch):
    from voicemail_coach.ui.history_dialog import HistoryLocationDialog

    database = f"h_{uuid.uuid4().hex[:12]}"
    postgres.create_database(database)
    address = f"postgresql://vc_admin@127.0.0.1:{postgres.port}/{database}"
    services = Services(tmp_path / "data")
    services.repo.save_rep(RepProfile("Dave Kowalski"))  # practised here before: this file stays as it is

    dialog = HistoryLocationDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.here.isChecked() and not dialog.address.isEnabled()
    assert "file in the data folder" in dialog.state.text()
    dialog.server.setChecked(True)
    dialog.address.setText("mysql://db/practice")
    dialog.check_button.click()
    assert dialog.state.text().startswith("Enter a PostgreSQL address")

    dialog.address.setText(f"postgresql://vc_admin@127.0.0.1:{_free_port()}/{database}")
    dialog.password.setText("admin-secret")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()  # OK checks first: this one does not answer
    qtbot.waitUntil(lambda: dialog.state.text().startswith("Not reached"), timeout=30_000)
    assert "cannot reach the database server" in dialog.state.text() and dialog.isVisible()
    assert history_location.chosen(services.dirs) is None  # nothing chosen

    dialog.address.setText(address.replace("vc_admin@", "vc_admin:admin-secret@"))  # a password in the address
    dialog.password.clear()
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.state.text().startswith("Reached"), timeout=30_000)
    assert "no history there yet" in dialog.state.text()
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
    assert f"127.0.0.1:{postgres.port}/{database}" in dialog.changed
    assert history_location.chosen(services.dirs) == address  # kept without its password
    assert "admin-secret" not in services.dirs.settings.read_text()
    if history_location.password_for(address) is None:  # no keyring here: PostgreSQL's own ways give it
        assert "~/.pgpass or PGPASSWORD" in dialog.changed
        monkeypatch.setenv("PGPASSWORD", "admin-secret")

    again = Services(tmp_path / "data")  # the next start
    assert again.repo.conn.dialect == "postgresql" and again.repo.reps() == []
    assert again.history_server == f"vc_admin@127.0.0.1:{postgres.port}/{database}"
    again.repo.save_rep(RepProfile("Aisha Okafor"))
    dialog = HistoryLocationDialog(again)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.server.isChecked() and dialog.address.text() == address
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.state.text().startswith("Reached"), timeout=30_000)
    assert "a history of 0 attempts" in dialog.state.text()
    dialog.grab().save(str(tmp_path / "history-location.png"))

    dialog.here.setChecked(True)  # back to this computer's file, as it was left
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert "file in the data folder again" in dialog.changed
    assert history_location.chosen(services.dirs) is None
    assert [r.profile.name for r in Services(tmp_path / "data").repo.reps()] == ["Dave Kowalski"]


def test_a_chosen_database_gives_way_to_the_file_when_asked_and_to_a_given_address(tmp_path):
    data = tmp_path / "data"
    services = Services(data)
    history_location.choose(services.dirs, "postgresql://dave@db.example/practice")
    assert Services(data).database == "postgresql://dave@db.example/practice"
    assert Services(data, chosen_location=False).database is None  # the start-up fallback
    assert Services(data, database="postgresql://other/db").database == "postgresql://other/db"
    services.dirs.settings.write_text("{not json")  # a damaged settings file: the file in the data folder
    assert Services(data).database is None
    services.dirs.settings.write_text(json.dumps({"history_database": "/etc/passwd"}))
    assert Services(data).database is None  # only a PostgreSQL address is taken from it
