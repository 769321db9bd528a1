"""Speech to text on the local CPU (faster-whisper)."""
