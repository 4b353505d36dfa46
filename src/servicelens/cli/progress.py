"""A progress bar on stderr, shown only on a terminal and only for reviews that take a while."""
from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    def __init__(self, stream: TextIO | None = None, delay: float = 0.7) -> None:
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.delay = delay
        self.shown = False
        self.enabled = self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        if not self.shown and time.monotonic() - self.start < self.delay:
            return
        self.shown = True
        width = 30
        filled = int(width * done / total)
        self.stream.write(f"\r  reviewing [{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 70 + "\r")
            self.stream.flush()
