"""Entry point of the standalone build."""

import sys

from voicemail_coach.cli import main

if __name__ == "__main__":
    sys.exit(main())
