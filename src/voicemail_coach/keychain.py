"""Passwords in the system keyring, never in a file. A machine without a keyring (no Secret Service, a locked
one) keeps nothing: the callers say so and ask again."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def kept_password(service: str, key: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(service, key)
    except Exception as exc:  # no keyring service on this machine, or it is locked
        log.info("no password from the keyring: %s", exc)
        return None


def keep_password(service: str, key: str, password: str) -> bool:
    """Whether the keyring took it."""
    try:
        import keyring

        keyring.set_password(service, key, password)
        return True
    except Exception as exc:
        log.info("the keyring did not take the password: %s", exc)
        return False


def forget_password(service: str, key: str) -> None:
    try:
        import keyring

        keyring.delete_password(service, key)
    except Exception:
        pass  # nothing stored, or no keyring: nothing to forget
