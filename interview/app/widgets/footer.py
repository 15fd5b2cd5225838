"""The key line at the bottom of a screen: Textual's Footer, built once with its screen.

Textual's Footer mounts empty, waits for the screen's bindings to settle, then composes its keys
(FooterKey) in a second pass, and composes them again whenever the bindings are refreshed, even
when the keys it shows are the same; and it makes each key compact only after mounting it, so
every key is restyled against the whole stylesheet once more (twice on a full-width footer).
On the first screen that was most of the footer's cost (scripts/bench.py `tui_ratio`). This one
composes its keys with the screen, styles each key once, as it ends up, and composes again only
when what it shows changes. The keys, their order, classes and what they draw are Textual's own.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey  # not exported by textual.widgets (8.2)


class Footer(TextualFooter):
    _shown: tuple | None = None  # what the keys were composed from

    def shown(self, screen) -> tuple:
        """Everything the keys are composed from: a change in it means composing again."""
        return tuple((binding.key, binding.description, binding.action, binding.group, enabled,
                      tooltip) for _, binding, enabled, tooltip in
                     screen.active_bindings.values() if binding.show)

    def compose(self) -> ComposeResult:
        self.set_reactive(TextualFooter._bindings_ready, True)  # the bindings are known now
        self._shown = self.shown(self.screen)
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # A key bound to the footer's `compact` takes its value; one that is not (the
                # palette's key) keeps FooterKey's default, compact, as in Textual's footer.
                bound = "compact" in (widget._reactive_connect or {})
                compact = self.compact if bound else True
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen and self.shown(screen) == self._shown:
            return  # the same keys: composing them again would only cost time
        super().bindings_changed(screen)
