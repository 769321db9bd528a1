"""SQLite storage: schema migrations, reps and attempts; recordings beside the database."""
