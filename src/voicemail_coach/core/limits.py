"""The size of everything the app stores. One table, used where data comes in (forms, CLI, bundle import)
and where it goes out (bundle export), so whatever the app saves it can also export and import again."""

NAME_CHARS = 200  # a rep, author, session or scenario title
FIELD_CHARS = 200  # company, phone, email
PHONE_DIGITS = (7, 15)  # E.164 allows at most 15 digits
TRANSCRIPT_CHARS = 200_000  # a voicemail or email as text: far more than any real one
WORDS = 60_000
COMMENT_CHARS = 5_000
COMMENTS_PER_ATTEMPT = 1_000
RECORDING_SECONDS = 10 * 60  # a voicemail is under two minutes; longer files are refused, not ground through
AUDIO_BYTES = 256 * 1024 * 1024  # ten minutes of 48 kHz stereo 32-bit float is 230 MB
BUNDLE_BYTES = 2 * 1024 * 1024 * 1024  # a bundle on disk, and all its audio unpacked


def too_long(what: str, text: str, limit: int) -> str | None:
    """A plain message when ``text`` is over ``limit`` characters, else None."""
    if len(text) > limit:
        return f"the {what} is {len(text):,} characters long; the most is {limit:,}"
    return None
