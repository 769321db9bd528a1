"""Voicemail Coach: rehearse the prospecting voicemail until it is good."""

import os as _os

__version__ = "0.1.0"

# Nothing leaves the machine: the libraries underneath would otherwise phone home or write
# usage files outside the data folder (ONNX Runtime keeps a device id and an event queue in
# ~/.cache/Microsoft). These must be set before those libraries are first imported, which is
# why they live here, at the top of the package every entry point imports first.
for _name, _value in {
    "ORT_DISABLE_TELEMETRY": "1",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "DO_NOT_TRACK": "1",
}.items():
    _os.environ.setdefault(_name, _value)
