"""Telling a word typed from a key pressed, where one key answers.

A yes/no fact in the case facts form and a yes/no question in the interview each take one key
(y, n, ...). A worker who thinks the focus is in a notes field types a word there instead, and
each of its letters that is a key answers something: "unknown to anyone" set a fact to no,
"no she said" answered one question no and the next one declined (the d of "said"). Keys closer
together than a typist's pause are a word: from its second letter on, nothing is answered
until a pause or a key that is not a character.
"""

from __future__ import annotations

from enum import Enum

from textual import events

# Keys closer together than this are typing; a key after a longer pause is pressed on its own
# (the worker who read "takes one key" and presses y).
TYPING_GAP_S = 0.8


class Stroke(Enum):
    KEY = "key"        # a key pressed on its own (or one of a run of answer keys): act on it
    WORD = "word"      # the second letter of a word: a word is being typed, undo its first key
    TYPING = "typing"  # a later letter of that word: ignore it
    OTHER = "other"    # not a character (Tab, an arrow, Enter): the word, if any, has ended


class Keystrokes:
    """Watches the keys reaching one field or screen, in the order they come.

    `answers`: keys that may follow one another quickly without being a word (a worker
    answering n, n, n down a list of questions); any other character after a character is."""

    def __init__(self, answers: str = ""):
        self.answers = answers
        self.last = ""      # the last character of the run, "" after a pause or another key
        self.run = ""       # the characters of the run so far (a word's first letters)
        self.typing = False
        self._last_at = 0.0

    def reset(self) -> None:
        self.last, self.run, self.typing = "", "", False

    def see(self, event: events.Key) -> Stroke:
        """Classify a key; call it for every key, in order."""
        if event.time - self._last_at > TYPING_GAP_S:  # a pause: a word typed has ended
            self.reset()
        self._last_at = event.time
        character = event.character
        if not (character and event.is_printable):
            self.reset()
            return Stroke.OTHER
        if self.typing:
            return Stroke.TYPING
        if character.isspace():
            self.last = ""
            return Stroke.KEY
        if self.last and not (self.last in self.answers and character in self.answers):
            self.typing = True
            return Stroke.WORD
        self.last = character
        self.run += character
        return Stroke.KEY
