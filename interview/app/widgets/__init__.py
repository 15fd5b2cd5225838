"""Widgets the interview screens are built from."""
