from voicemail_coach.cli import main

raise SystemExit(main())
