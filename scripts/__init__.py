"""Set-up helpers (run as scripts; importable for the tests)."""
