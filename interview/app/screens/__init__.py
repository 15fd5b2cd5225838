"""One module a screen; each has BINDINGS with ids and a HELP text for F1."""
