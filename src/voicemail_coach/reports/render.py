"""Reports as CSV (one row per rep and scenario, or per attempt) and as HTML that Qt prints to PDF.

The HTML keeps to what QTextDocument renders: tables, bgcolor, simple inline CSS.
"""

from __future__ import annotations

import csv
import html
import io

from voicemail_coach.core.labels import mark_note
from voicemail_coach.core.number_clarity import stored_readings
from voicemail_coach.core.progress import ItemRate
from voicemail_coach.core.rubric import DELIVERY_ITEMS, OPTIONAL_DELIVERY_ITEMS
from voicemail_coach.core.transcript import mmss
from voicemail_coach.core.voice import stored_voice
from voicemail_coach.reports.build import AttemptCard, RepReport, SessionReport

GREEN, AMBER, RED, GREY = "#16a34a", "#b45309", "#dc2626", "#6b7280"
DELIVERY = frozenset(DELIVERY_ITEMS + OPTIONAL_DELIVERY_ITEMS)  # measures, not the rep's words: no quotes


def _item_ids(rates: list[ItemRate]) -> list[str]:
    return [r.id for r in rates]


def _pct(rate: ItemRate) -> str:
    return f"{round(100 * rate.rate)}%"


def session_csv(report: SessionReport) -> str:
    """One row per rep and track scenario (best attempt); a last row with the cohort's pass rate per item."""
    by_id = {c.id: c for c in report.cards}
    item_ids = _item_ids(report.rates)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["session", "rep", "scenario_id", "scenario", "attempts", "best_score", "passed", "best_attempt_id",
                "best_attempt_at", *item_ids])
    for rep_id, rep in report.board.reps:
        for sid in report.board.track:
            cell = report.board.cell(rep_id, sid)
            best = by_id.get(cell.best_id)
            marks = {i["id"]: int(bool(i["passed"])) for i in best.items} if best else {}
            w.writerow([report.name, rep, sid, report.titles.get(sid, sid), cell.attempts,
                        "" if cell.best is None else cell.best, "yes" if cell.passed else "no",
                        cell.best_id or "", best.created_at if best else "", *[marks.get(i, "") for i in item_ids]])
    w.writerow([report.name, "cohort pass rate", "", "", "", "", "", "", "", *[_pct(r) for r in report.rates]])
    return out.getvalue()


def rep_csv(report: RepReport) -> str:
    """One row per attempt, oldest first, with each checklist item as 1 (passed) or 0."""
    item_ids = _item_ids(report.progress.rates)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["rep", "attempt_id", "created_at", "scenario_id", "scenario", "score", *item_ids])
    for o in report.attempts:
        sid = o.scenario_id or ""
        w.writerow([report.rep, o.id, o.created_at, sid, report.titles.get(sid, sid),
                    "" if o.score is None else o.score,
                    *["" if i not in o.items else int(o.items[i]) for i in item_ids]])
    return out.getvalue()


# ------------------------------------------------------------------- HTML
def _e(text) -> str:
    return html.escape(str(text))


def _color(score: int | None, mark: int = 80) -> str:
    if score is None:
        return GREY
    return GREEN if score >= mark else (AMBER if score >= mark - 30 else RED)


_HEAD = """<html><head><style>
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; color: #111827; }
h1 { font-size: 20pt; margin-bottom: 2px; } h2 { font-size: 14pt; margin-top: 18px; }
h3 { font-size: 11pt; margin-top: 12px; margin-bottom: 4px; }
.muted { color: #6b7280; } .pass { color: #16a34a; } .fail { color: #dc2626; } .unsure { color: #b45309; }
.ev { color: #166534; } .tip { color: #92400e; }
th { background: #f3f4f6; text-align: left; }
</style></head><body>"""


def _rates_table(rates: list[ItemRate]) -> str:
    rows = []
    for r in rates:
        filled = round(20 * r.rate)  # a text bar: QTextDocument lays nested tables out poorly
        bar = (f"<span style='color:{_color(round(100 * r.rate))}'>{'█' * filled}</span>"
               f"<span style='color:#e5e7eb'>{'█' * (20 - filled)}</span>")
        rows.append(f"<tr><td>{_e(r.label)}</td><td align='right'>{r.passed}/{r.total}</td>"
                    f"<td>{bar}</td><td align='right'>{_pct(r)}</td></tr>")
    return ("<table cellpadding='3' cellspacing='0' border='0'>"
            "<tr><th>Checklist item</th><th>Passed</th><th></th><th>Rate</th></tr>" + "".join(rows) + "</table>")


def _card_html(c: AttemptCard, mark: int = 80, heading: str | None = None) -> str:
    rows = []
    for it in c.items:
        passed = bool(it["passed"])
        unsure = it.get("status") == "unsure"
        if passed and it["id"] in DELIVERY:
            detail = f"<span class='muted'>{_e(it.get('evidence') or '')}</span>"
        elif passed and it.get("evidence"):
            detail = f"<span class='ev'>“{_e(it['evidence'])}”</span>"
        elif passed:
            detail = "<span class='muted'>None heard.</span>"
        else:
            detail = f"<span class='tip'>{_e(it.get('tip') or '')}</span>"
        marked = c.marks.get(it["id"])
        if marked is not None:
            detail += f"<br><span class='muted'><i>{_e(mark_note(marked))}</i></span>"
        sign = "✓" if passed else ("?" if unsure else "✗")
        rows.append(f"<tr><td class='{'pass' if passed else ('unsure' if unsure else 'fail')}'><b>{sign}</b></td>"
                    f"<td><b>{_e(it['label'])}</b><br>{detail}</td></tr>")
    comments = "".join(
        f"<li><b>{mmss(cm.at_s)}</b> {_e(cm.author or 'Trainer')}: {_e(cm.text)}</li>"
        for cm in c.comments)
    m = c.metrics or {}
    facts = []
    if m.get("duration_s") is not None:
        facts.append(f"{m['duration_s']:.0f} s")
    if m.get("words_per_minute") is not None:
        facts.append(f"{m['words_per_minute']:.0f} words/min")
    facts.append(f"{m.get('filler_words', 0)} filler words")
    for r in stored_readings(m):
        facts.append(f"number at {mmss(r.start)}: {r.digits_per_s:.1f} digits/s, {r.pauses} pause(s), "
                     f"{r.relative_db:+.0f} dB")
    voice = stored_voice(m)
    if voice is not None:
        if voice.pitch_median_hz:
            facts.append(f"pitch over {voice.pitch_range_st:.1f} semitones")
        facts.append(f"speech at {voice.level_db:.0f} dB")
        facts += [f"{b - a:.1f} s silence at {mmss(a)}" for a, b in voice.pauses]
    title = heading or f"{_e(c.rep)} — {_e(c.scenario)}"
    return (f"<h3>{title} &nbsp;<span style='color:{_color(c.score, mark)}'>{c.score}</span></h3>"
            f"<p class='muted'>Attempt #{c.id} · {_e(c.created_at.replace('T', ' ').rstrip('Z'))} · {' · '.join(facts)}</p>"
            f"<table cellpadding='3' cellspacing='0'>{''.join(rows)}</table>"
            f"<p><i>“{_e(c.transcript)}”</i></p>"
            + (f"<p><b>Trainer comments</b></p><ul>{comments}</ul>" if comments else ""))


def session_html(report: SessionReport) -> str:
    b = report.board
    head = "".join(f"<th>{_e(report.titles.get(s, s))}</th>" for s in b.track)
    body = []
    for rep_id, rep in b.reps:
        cells = []
        for s in b.track:
            cell = b.cell(rep_id, s)
            if cell.attempts == 0:
                cells.append("<td class='muted' align='center'>—</td>")
            else:
                bg = "#dcfce7" if cell.passed else "#fee2e2"
                cells.append(f"<td bgcolor='{bg}' align='center'><b>{cell.best if cell.best is not None else '–'}</b>"
                             f"<br><span class='muted'>{cell.attempts} tr{'y' if cell.attempts == 1 else 'ies'}</span></td>")
        body.append(f"<tr><td><b>{_e(rep)}</b><br><span class='muted'>{b.passed(rep_id)}/{len(b.track)} passed"
                    f"</span></td>{''.join(cells)}</tr>")
    passed_all = sum(b.passed(r) == len(b.track) for r, _ in b.reps)
    parts = [
        _HEAD,
        f"<h1>{_e(report.name)}</h1>",
        f"<p class='muted'>Onboarding session · created {_e(report.created_at[:10])}"
        + (f" · trainer {_e(report.trainer)}" if report.trainer else "")
        + f" · pass mark {report.pass_mark} · report {report.generated_at}</p>",
        f"<p>{passed_all} of {len(b.reps)} reps passed every scenario on the track.</p>",
        "<h2>Board — best score per rep and scenario</h2>",
        f"<table cellpadding='6' cellspacing='0' border='1' width='100%'><tr><th>Rep</th>{head}</tr>{''.join(body)}</table>",
        "<h2>Cohort pass rate per checklist item</h2>",
        "<p class='muted'>Over each rep's best attempt on each scenario.</p>",
        _rates_table(report.rates) if report.rates else "<p class='muted'>No attempts yet.</p>",
    ]
    if report.exemplars:
        parts.append("<h2 style='page-break-before: always'>Exemplars</h2>")
        for sid, c in report.exemplars.items():
            parts.append(_card_html(c, report.pass_mark, f"Exemplar — {_e(report.titles.get(sid, sid))} ({_e(c.rep)})"))
    current = None
    for c in report.cards:
        if c.rep != current:
            current = c.rep
            parts.append(f"<h2 style='page-break-before: always'>{_e(c.rep)} — best attempts</h2>")
        parts.append(_card_html(c, report.pass_mark))
    parts.append("</body></html>")
    return "".join(parts)


def rep_html(report: RepReport) -> str:
    p = report.progress
    scores = [s for _, s in p.points]
    summary = (f"{p.attempts} attempts · average {sum(scores) / len(scores):.0f} · best {max(scores)}"
               if scores else "No attempts yet.")
    recent = "".join(f"<tr><td>{_e(t.replace('T', ' ').rstrip('Z'))}</td><td align='right'>{s}</td></tr>"
                     for t, s in p.points[-15:])
    bests = "".join(f"<tr><td>{_e(report.titles.get(b.scenario_id or '', b.scenario_id or 'no scenario'))}</td>"
                    f"<td align='right'><b>{b.score}</b></td><td align='right'>{b.attempts}</td></tr>" for b in p.bests)
    parts = [
        _HEAD,
        f"<h1>{_e(report.rep)}</h1><p class='muted'>Progress report · {report.generated_at}</p>",
        f"<p>{summary}</p>",
    ]
    if p.most_missed:
        parts.append(f"<p><b>Missed most often:</b> {_e(p.most_missed.label)} "
                     f"({p.most_missed.total - p.most_missed.passed} of {p.most_missed.total}). "
                     f"<span class='tip'>{_e(p.most_missed.tip)}</span></p>")
    parts += [
        "<h2>Pass rate per checklist item</h2>", _rates_table(p.rates) if p.rates else "",
        "<h2>Personal best per scenario</h2>",
        f"<table cellpadding='4' cellspacing='0'><tr><th>Scenario</th><th>Best</th><th>Attempts</th></tr>{bests}</table>",
        "<h2>Latest scores</h2>",
        f"<table cellpadding='3' cellspacing='0'><tr><th>When</th><th>Score</th></tr>{recent}</table>",
    ]
    if report.cards:
        parts.append("<h2 style='page-break-before: always'>Best attempts</h2>")
        parts += [_card_html(c) for c in report.cards]
    parts.append("</body></html>")
    return "".join(parts)
