"""The scorecard: score, each checklist item with its evidence or tip, delivery figures,
and the transcript with the evidence highlighted and the current word followed."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QTextBrowser, QVBoxLayout, QWidget,
)

from voicemail_coach.core.drills import part_for
from voicemail_coach.core.labels import mark_note
from voicemail_coach.core.records import Mark
from voicemail_coach.core.rubric import DELIVERY_ITEMS, OPTIONAL_DELIVERY_ITEMS
from voicemail_coach.core.transcript import mmss
from voicemail_coach.ui.style import FAIL_COLOR, PASS_COLOR, score_color

CONTENT_IDS = ("rep_name", "rep_company", "prospect_named", "value", "contact", "number_twice",
               "callback_time", "email_followup", "no_check_in", "no_apology")
MEASURED = frozenset(DELIVERY_ITEMS + OPTIONAL_DELIVERY_ITEMS)


class ItemRow(QFrame):
    jump = Signal(float)
    mark_requested = Signal(str, bool)  # item id, "I said it"
    drill_requested = Signal(str)  # item id: rehearse its part alone

    def __init__(self, item: dict, parent=None, mark_info: Mark | None = None, markable: bool = False):
        super().__init__(parent)
        self.setObjectName("itemRow")
        self.item = item
        unsure = item.get("status") == "unsure"
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        mark_label = QLabel("✓" if item["passed"] else ("?" if unsure else "✗"))
        mark_label.setObjectName("markPass" if item["passed"] else ("markUnsure" if unsure else "markFail"))
        mark_label.setToolTip("Not sure I heard it" if unsure else "")
        mark_label.setFixedWidth(22)
        layout.addWidget(mark_label, 0, Qt.AlignTop)
        text = QVBoxLayout()
        label = QLabel(item["label"])
        label.setObjectName("itemLabel")
        label.setWordWrap(True)
        text.addWidget(label)
        if item["passed"] and item["id"] in MEASURED:  # a measure, not the rep's words: no quotes
            detail = QLabel(item.get("evidence") or "")
            detail.setObjectName("evidence")
        elif item["passed"] and item.get("evidence"):
            detail = QLabel(f"“{item['evidence']}”")
            detail.setObjectName("evidence")
        elif item["passed"]:
            detail = QLabel("None heard.")
            detail.setObjectName("muted")
        else:
            detail = QLabel(item.get("tip") or "")
            detail.setObjectName("unsureTip" if unsure else "tip")
        for plain in (label, detail):
            plain.setTextFormat(Qt.PlainText)  # the rep's words, never markup
        detail.setWordWrap(True)
        text.addWidget(detail)
        if mark_info is not None:
            note = QLabel(mark_note(mark_info))
            note.setObjectName("markNote")
            note.setTextFormat(Qt.PlainText)
            note.setWordWrap(True)  # an unwrapped line would widen the column past the window
            text.addWidget(note)
        elif markable and (unsure or not item["passed"]):
            buttons = QHBoxLayout()
            negative = item["id"].startswith("no_")  # passing means the phrase was NOT said
            said = QPushButton("I didn't say that" if negative else "I said it")
            said.setObjectName("markSaid")
            said.setToolTip("The coach got this one wrong: mark it (marks also become labels for measuring the coach)")
            said.clicked.connect(lambda: self.mark_requested.emit(item["id"], True))
            buttons.addWidget(said)
            if unsure:
                not_said = QPushButton("I didn't")
                not_said.setObjectName("markNotSaid")
                not_said.clicked.connect(lambda: self.mark_requested.emit(item["id"], False))
                buttons.addWidget(not_said)
            if (part := part_for(item["id"])) is not None:
                drill = QPushButton(f"Drill {part.title.lower()}")
                drill.setObjectName("drill")
                drill.setToolTip(f"Say just this part again and again, {part.seconds} seconds at a time, until it "
                                 "sticks")
                drill.clicked.connect(lambda: self.drill_requested.emit(item["id"]))
                buttons.addWidget(drill)
            buttons.addStretch(1)
            text.addLayout(buttons)
        layout.addLayout(text, 1)
        start = item.get("start") if item["passed"] else (item.get("heard_start") if unsure else item.get("flagged_start"))
        if start is not None:
            button = QPushButton(f"▶ {start:0.1f}s")
            button.setObjectName("jump")
            button.setToolTip("Hear what the coach was not sure of" if unsure else "Play from these words")
            button.setCursor(Qt.PointingHandCursor)
            button.clicked.connect(lambda: self.jump.emit(float(start)))
            layout.addWidget(button, 0, Qt.AlignTop)


class TranscriptView(QTextBrowser):
    """Words as links (click to play from there); evidence highlighted; the current word marked."""

    seek = Signal(float)
    comment_requested = Signal(float)  # right-click on a word

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(lambda url: self.seek.emit(float(url.toString().split(":", 1)[1])))
        self.words: list[dict] = []
        self.spans: list[tuple[float, float, str]] = []
        self.current = -1
        self.setPlaceholderText("The transcript appears here.")

    def contextMenuEvent(self, event) -> None:
        href = self.anchorAt(event.pos())
        menu = self.createStandardContextMenu(event.pos())
        if href.startswith("t:") and self.receivers(self.comment_requested) > 0:
            at = float(href.split(":", 1)[1])
            action = menu.addAction(f"Comment at {mmss(at)}…")
            action.triggered.connect(lambda: self.comment_requested.emit(at))
            menu.insertAction(menu.actions()[0], action)
        menu.exec(event.globalPos())

    def set_content(self, words: list[dict], items: list[dict], text: str = "") -> None:
        self.words = words
        self.spans = []
        for it in items:
            if it["passed"] and it.get("start") is not None and it["id"] not in ("length", "pace", "fillers"):
                self.spans.append((it["start"], it["end"], "#dcfce7"))
            elif not it["passed"] and it.get("flagged_start") is not None:
                self.spans.append((it["flagged_start"], it["flagged_end"], "#fee2e2"))
            elif it.get("status") == "unsure" and it.get("heard_start") is not None:
                self.spans.append((it["heard_start"], it["heard_end"], "#fef3c7"))
        self.current = -1
        self._fallback = text
        self._render()

    def follow(self, seconds: float) -> None:
        idx = -1
        for i, w in enumerate(self.words):
            if w.get("start") is not None and w["start"] <= seconds:
                idx = i
        if idx != self.current:
            self.current = idx
            self._render()

    def _render(self) -> None:
        if not self.words:
            self.setHtml(f"<p style='line-height:150%'>{html.escape(self._fallback)}</p>")
            return
        parts = []
        for i, w in enumerate(self.words):
            style = "color:#111827;text-decoration:none;"
            start = w.get("start")
            for a, b, color in self.spans:
                if start is not None and a - 1e-3 <= start <= b + 1e-3:
                    style += f"background:{color};"
            if i == self.current:
                style += "background:#2563eb;color:white;"
            word = html.escape(w["text"])
            parts.append(f"<a href='t:{start or 0}' style='{style}'>{word}</a>" if start is not None else word)
        self.setHtml("<p style='font-size:15px; line-height:160%'>" + " ".join(parts) + "</p>")


class Scorecard(QWidget):
    jump = Signal(float)
    mark_requested = Signal(str, bool)  # item id, "I said it"
    drill_requested = Signal(str)  # item id

    def __init__(self, parent=None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.score = QLabel("–")
        self.score.setObjectName("bigScore")
        head.addWidget(self.score)
        self.summary = QLabel("")
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        head.addWidget(self.summary, 1)
        outer.addLayout(head)
        self.metrics = QLabel("")
        self.metrics.setObjectName("metrics")
        outer.addWidget(self.metrics)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(4)
        holder = QWidget()
        holder.setLayout(self.rows)
        scroll = QScrollArea()
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        outer.addWidget(scroll, 1)
        self.scroll = scroll

    def show_result(self, result: dict, warnings: list[str] | None = None, marks: dict[str, Mark] | None = None,
                    markable: bool = False, keep_scroll: bool = False) -> None:
        """``marks``: the mark that counts per item; ``markable``: offer "I said it" on missed items;
        ``keep_scroll``: the same attempt again (after a mark), so stay where the rep was."""
        marks = marks or {}
        scrolled = self.scroll.verticalScrollBar().value() if keep_scroll else 0
        score = result["score"]
        self.score.setText(f"<span style='color:{score_color(score)}'>{score}</span>")
        unsure = [i for i in result["items"] if i.get("status") == "unsure" and i["id"] not in marks]
        missed = [i for i in result["items"] if not i["passed"] and i.get("status") != "unsure"]
        # what was said comes before how it was said
        ranked = sorted(missed, key=lambda i: i["id"] in ("length", "pace", "fillers"))
        first = ranked[0]["label"].lower() if ranked else ""
        summary = ("Every checklist item is there. Try it shorter, or on a harder scenario."
                   if not missed else f"{len(missed)} to fix. Start with: {first}.")
        if unsure:
            summary += (f"\n{len(unsure)} item{'s' if len(unsure) != 1 else ''} not confirmed: the coach was not sure "
                        "it heard you. Listen (▶) and mark it.")
        self.summary.setText(summary)
        self.summary.setTextFormat(Qt.PlainText)
        if warnings:
            self.summary.setText(self.summary.text() + "\n⚠ " + "\n⚠ ".join(warnings))
        m = result.get("metrics", {})
        facts = []
        if m.get("duration_s") is not None:
            facts.append(f"<b>{m['duration_s']:.0f} s</b> long")
        if m.get("words_per_minute") is not None:
            facts.append(f"<b>{m['words_per_minute']:.0f}</b> words/min")
        facts.append(f"<b>{m.get('filler_words', 0)}</b> filler words")
        self.metrics.setText(" · ".join(facts))
        while self.rows.count():
            w = self.rows.takeAt(0).widget()
            if w:
                w.setParent(None)  # gone from view now, not when the event loop next runs
                w.deleteLater()
        for item in result["items"]:
            row = ItemRow(item, mark_info=marks.get(item["id"]), markable=markable and item["id"] in CONTENT_IDS)
            row.jump.connect(self.jump)
            row.mark_requested.connect(self.mark_requested)
            row.drill_requested.connect(self.drill_requested)
            self.rows.addWidget(row)
        self.rows.addStretch(1)
        if scrolled:
            QTimer.singleShot(0, lambda: self.scroll.verticalScrollBar().setValue(scrolled))  # once laid out


class LiveChecklist(QWidget):
    """The contract items ticking as the words are recognized during recording."""

    def __init__(self, labels: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        self.marks: dict[str, QLabel] = {}
        self.texts: dict[str, QLabel] = {}
        for n, (item_id, label) in enumerate(labels):
            mark = QLabel("○")
            mark.setObjectName("liveMark")
            text = QLabel(label)
            grid.addWidget(mark, n, 0)
            grid.addWidget(text, n, 1)
            self.marks[item_id], self.texts[item_id] = mark, text
        grid.setColumnStretch(1, 1)
        self.reset()

    def set_labels(self, labels: dict[str, str]) -> None:
        """Another playbook was chosen: its labels."""
        for item_id, text in self.texts.items():
            text.setText(labels.get(item_id, text.text()))

    def reset(self) -> None:
        for item_id, mark in self.marks.items():
            negative = item_id.startswith("no_")
            mark.setText("●" if negative else "○")
            mark.setStyleSheet(f"color:{PASS_COLOR if negative else '#9ca3af'}; font-size:16px;")

    def update_items(self, items: list[dict]) -> None:
        for it in items:
            mark = self.marks.get(it["id"])
            if mark is None:
                continue
            if it["passed"]:
                mark.setText("●")
                mark.setStyleSheet(f"color:{PASS_COLOR}; font-size:16px;")
            elif it["id"].startswith("no_"):
                mark.setText("✗")
                mark.setStyleSheet(f"color:{FAIL_COLOR}; font-size:16px;")
