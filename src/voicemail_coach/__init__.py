"""Voicemail Coach: rehearse the prospecting voicemail until it is good."""

__version__ = "0.1.0"
