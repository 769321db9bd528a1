"""The one error reports raise."""


class ReportError(RuntimeError):
    """A report could not be written; the message says where and why."""
