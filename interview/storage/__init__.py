"""Encrypted, crash-safe storage of interview sessions, and the audit trail."""
