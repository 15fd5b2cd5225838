"""The red-flag checklist for a phone call: type a few letters to find a flag, keys to tick it.

Letters (and spaces) filter the chart by the start of any word of a flag's label or hint;
Enter ticks the highlighted match and clears the search; 1-9 tick the n-th match; the arrow
keys move the highlight; Space with no search ticks or unticks the highlighted row; Backspace
edits the search and Escape (or ctrl+u) clears it; Enter with no search means done; Tab asks
for the flags' notes (the screen opens them), never moves the keyboard away unseen.

A search and a digit only ever tick: a flag already ticked stays ticked and the picker says so
(typing `pay` to add "not paid" first finds row 6, "works to pay off a debt", already ticked;
Enter there used to untick the core labor flag unseen). Unticking is deliberate: Space on the
highlighted row with no search. Every tick is an event of the session (saved before it
shows), so nothing here decides or stores anything itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from interview.content.vocabulary import labels
from interview.text import plain

WORD = re.compile(r"[a-z0-9$]+")


@dataclass(frozen=True)
class Flag:
    id: str
    row: int
    label: str
    hint: str
    columns: str
    words: tuple[str, ...]        # of the label
    hint_words: tuple[str, ...]   # of the hint: the reporter's own way of saying it


def flags_for(library, step) -> list[Flag]:
    """The step's checklist items (or the whole chart), in chart order, ready to search."""
    items = [(i.red_flag, i.hint) for i in step.items] or [(rf, "") for rf in library.red_flags]
    out = []
    for rf, hint in items:
        flag = library.red_flags[rf]
        cols = "".join(m for c, m in labels("columns", "letter").items() if c in flag.columns)
        out.append(Flag(rf, flag.row, flag.label, hint, cols, _words(flag.label), _words(hint)))
    return sorted(out, key=lambda f: f.row)


def _words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(text.lower().replace("’", "'")))


def search(flags: list[Flag], query: str) -> list[Flag]:
    """Flags with a word starting with each word typed, best first: those whose chart label
    begins with the first word typed, then those whose hint (the reporter's way of saying it)
    begins with it, then any other word of the label, then of the hint; each in chart order.

    So one or two letters of what the reporter said usually put the flag among the first few,
    to tick with its number: `t` tattoos, `ru` running away, `ol` an older boyfriend."""
    terms = WORD.findall(query.lower())
    if not terms:
        return list(flags)

    def has(words, term):
        return any(w.startswith(term) for w in words)

    def begins(words, term):
        return bool(words) and words[0].startswith(term)

    def tier(flag: Flag) -> int | None:
        in_label = all(has(flag.words, t) for t in terms)
        anywhere = in_label or all(has(flag.words, t) or has(flag.hint_words, t) for t in terms)
        if not anywhere:
            return None
        if in_label and begins(flag.words, terms[0]):
            return 0
        if begins(flag.hint_words, terms[0]):
            return 1
        return 2 if in_label else 3

    ranked = [(tier(f), f.row, f) for f in flags]
    return [f for t, _, f in sorted((r for r in ranked if r[0] is not None),
                                    key=lambda r: (r[0], r[1]))]


class FlagPicker(Widget, can_focus=True):
    """Shows the search, the matching flags with their ticks, and the keys."""

    DEFAULT_CSS = """
    FlagPicker { height: auto; max-height: 16; padding: 0 1; }
    """

    class Toggled(Message):
        def __init__(self, red_flag: str) -> None:
            super().__init__()
            self.red_flag = red_flag

    class Done(Message):
        pass

    class Notes(Message):
        """Tab: the notes of the flags (the ctrl+o list), where Tab leads on every other step."""

    def __init__(self, flags: list[Flag], ticked, rows: int = 9, **kwargs):
        """`ticked`: a callable giving the ticked flag ids now (the session's record)."""
        super().__init__(**kwargs)
        self.flags = flags
        self.ticked = ticked
        self.rows = rows
        self.query_text = ""
        self.highlight = 0
        self.said = ""  # the answer to the last key when it changed nothing; gone at the next

    @property
    def matches(self) -> list[Flag]:
        return search(self.flags, self.query_text)

    def render(self) -> Text:
        matches = self.matches
        self.highlight = max(0, min(self.highlight, len(matches) - 1))
        ticked = self.ticked()
        out = Text()
        out.append("Find: ", style="bold")
        out.append(plain(self.query_text) + "▏")
        out.append(f"   {len(ticked)} ticked\n", style="dim")
        start = max(0, self.highlight - self.rows + 1)
        width = max(20, self.size.width - 2)
        for n, flag in enumerate(matches[start:start + self.rows], start):
            mark = "[x]" if flag.id in ticked else "[ ]"
            key = str(n - start + 1) if n - start < 9 else " "
            style = "reverse" if n == self.highlight else ("bold" if flag.id in ticked else "")
            line = Text(f"{key} {mark} {flag.row:>2} {flag.columns:<3} ", style=style)
            line.append(flag.label, style=style)
            line.truncate(width, overflow="ellipsis")  # one line a flag: the list must fit a call
            out.append_text(line)
            out.append("\n")
        if not matches:
            out.append("  no flag matches: Backspace or Escape\n", style="italic")
        else:
            if len(matches) > start + self.rows:
                out.append(f"  … {len(matches) - start - self.rows} more (↓)\n", style="dim")
            current = matches[self.highlight]  # the whole label of the highlighted flag
            out.append(f"▸ {current.label}", style="bold")
            out.append(f"  ({current.hint})\n" if current.hint else "\n", style="dim")
        if self.said:
            out.append(self.said, style="bold")
        else:
            out.append("1-9 tick (Enter: 1st) · Esc clear · Tab notes", style="dim")
        return out

    def tick(self, flag: Flag) -> None:
        """Enter or a digit: a tick, never an untick; one already ticked is left as it is."""
        if flag.id in self.ticked():
            self.said = f"{flag.row} already ticked (to untick: Esc, ↑↓, Space)"
            return
        self.toggle(flag)

    def toggle(self, flag: Flag) -> None:
        self.post_message(self.Toggled(flag.id))
        self.query_text = ""
        self.highlight = next((i for i, f in enumerate(self.flags) if f.id == flag.id), 0)
        self.refresh(layout=True)

    def on_key(self, event: events.Key) -> None:
        key, char = event.key, event.character
        matches = self.matches
        handled = True
        said, self.said = self.said, ""
        if key == "enter":
            if self.query_text and matches:
                self.tick(matches[self.highlight])
            elif not self.query_text:
                self.post_message(self.Done())
        elif key in ("tab", "shift+tab"):  # not on to the card, where letters went nowhere
            # (audit hot, 7; Shift+Tab too: the review, B2)
            self.post_message(self.Notes())
        elif key in ("up", "down"):
            self.highlight += -1 if key == "up" else 1
        elif key == "backspace":
            self.query_text = self.query_text[:-1]
            self.highlight = 0
        elif key == "ctrl+u" or (key == "escape" and self.query_text):
            self.query_text, self.highlight = "", 0  # ctrl+u: as in a text field
        elif key == "space" and not self.query_text:
            if matches:
                self.toggle(matches[self.highlight])
        elif char and char.isdigit() and char != "0":
            start = max(0, self.highlight - self.rows + 1)
            index = start + int(char) - 1
            if index < len(matches):
                self.tick(matches[index])
        elif char and (char.isalpha() or char in " $'-"):
            self.query_text += char
            self.highlight = 0
        else:
            handled = False
            self.said = said
        if handled:
            event.stop()
            event.prevent_default()
            self.refresh(layout=True)
