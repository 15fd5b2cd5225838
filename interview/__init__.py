"""csec-interview: a guided screening interview for commercial exploitation of children.

The engine and rules are headless and pure; the CLI (and later the app, practice mode and
reports) are thin layers over them.
"""

__version__ = "0.1.0"
