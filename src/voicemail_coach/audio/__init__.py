"""Audio files, microphone capture and playback."""
