"""Waiting in a script that drives the real app: let Qt run until a condition holds."""

from __future__ import annotations

import time


def wait_until(app, cond, timeout: float = 300.0) -> None:
    end = time.time() + timeout
    while not cond():
        if time.time() > end:
            raise TimeoutError("the app did not get there in time")
        app.processEvents()
        time.sleep(0.01)
