"""The headless core: codes, models and rules. Imports neither textual nor sqlite_utils."""
