"""One way to run slow work off the GUI thread: a QRunnable with finished/errored signals."""

from __future__ import annotations

import logging
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Signals(QObject):
    finished = Signal(object)
    errored = Signal(str)


class Job(QRunnable):
    def __init__(self, fn: Callable[[], Any]):
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # reported to the user as a plain message
            log.error("background job failed: %s\n%s", exc, traceback.format_exc())
            self.signals.errored.emit(str(exc) or exc.__class__.__name__)
            return
        self.signals.finished.emit(result)


# Jobs whose answer is still on its way. The pool forgets a job once run() returns, but its signals object
# must live until the queued answer reaches the window's thread: a collected sender drops the answer.
_waiting: set[Job] = set()


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
                      on_error: Callable[[str], None] | None = None) -> Job:
    job = Job(fn)
    if on_done:
        job.signals.finished.connect(on_done)
    if on_error:
        job.signals.errored.connect(on_error)
    _waiting.add(job)
    job.signals.finished.connect(lambda _result: _waiting.discard(job))
    job.signals.errored.connect(lambda _message: _waiting.discard(job))
    QThreadPool.globalInstance().start(job)
    return job
