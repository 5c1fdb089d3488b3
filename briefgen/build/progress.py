"""Progress of a long build on a terminal: the stage, and how many of its items are done.

A build that ends within ``DELAY`` seconds shows nothing; a longer one shows one line,
rewritten in place (``rendering pages 4,200/12,411``) and cleared at the end. Nothing
is shown when the stream is not a terminal (a CI log, a pipe) or with ``-q``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

DELAY = 2.0  # seconds of quiet before the first line
INTERVAL = 0.1  # seconds between two updates of the line


class Progress:
    """Stage and count of a build, shown on a terminal once the build has taken a while."""

    def __init__(
        self,
        stream: TextIO | None,
        *,
        delay: float = DELAY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Show progress on ``stream`` if it is a terminal (None: never)."""
        self._stream = stream if stream is not None and stream.isatty() else None
        self._clock = clock
        self._started = clock()
        self._delay = delay
        self._shown = 0.0
        self._stage = ""
        self._done = self._total = 0
        self._width = 0

    def stage(self, name: str, total: int = 0) -> Callable[[int], None]:
        """Start a stage of ``total`` items (0: not counted); returns its ``advance``."""
        self._stage, self._done, self._total = name, 0, total
        self._show(force=True)
        return self.advance

    def advance(self, count: int) -> None:
        """``count`` more items of the stage are done."""
        self._done += count
        self._show()

    def finish(self) -> None:
        """Clear the line, if one was shown."""
        if self._stream is not None and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0

    def _show(self, force: bool = False) -> None:
        """Rewrite the line, at most every INTERVAL seconds, once DELAY has passed."""
        if self._stream is None:
            return
        now = self._clock()
        if now - self._started < self._delay or (not force and now - self._shown < INTERVAL):
            return
        self._shown = now
        line = self._stage
        if self._total:
            line += f" {self._done:,}/{self._total:,}"
        self._stream.write("\r" + line.ljust(self._width))
        self._stream.flush()
        self._width = max(self._width, len(line))
