"""Outputs built from findings: the county table and flow diagrams (reports to follow)."""
