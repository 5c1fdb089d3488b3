"""Watch a site's source files and hand over settled batches of changes.

Watchdog's callback only records the paths that changed and sets an event. ``next_change``
waits for the first change, then debounces until the files stop changing, so an editor's
write-rename-delete save or a ``git checkout`` of hundreds of files arrives as one batch,
read by the rebuild only once it has settled. Which paths matter (``classify``) and which
names are editor leftovers (``is_temp_file``) are pure functions.

Only the site folder itself (not recursively: site.yaml and the top-level folders coming
and going) and its source folders are watched, so the output folder, ``.git`` and the rest
never cost a watch, a poll or a wake-up.
"""

from __future__ import annotations

import enum
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import (
    EVENT_TYPE_ATTRIB,
    EVENT_TYPE_CLOSED_NO_WRITE,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_OPENED,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingEmitter

from briefgen.source.config import CONFIG_FILE
from briefgen.source.lockfile import LOCK_FILE
from briefgen.tempnames import is_temp_file


class Kind(enum.Enum):
    """The part of a site a changed path belongs to."""

    CONFIG = "config"  # site.yaml
    CONTENT = "content"  # content/**, briefgen.lock
    LAYOUT = "layout"  # layouts/**
    STATIC = "static"  # static/**, root/**
    THEME = "theme"  # themes/**


FOLDER_KINDS = {
    "content": Kind.CONTENT,
    "layouts": Kind.LAYOUT,
    "static": Kind.STATIC,
    "root": Kind.STATIC,  # root/: published as it is at the top of the site
    "themes": Kind.THEME,
}
# Never part of a site wherever they appear; hidden folders (.git, .hg, .idea, .obsidian)
# are dropped by the temp-file rules already.
IGNORED_FOLDERS = frozenset({"__pycache__"})
# Quiet is measured when watchdog hands events over; while it still holds some, or a poller
# has yet to look again, check this often (seconds) rather than end a batch too early.
RECHECK = 0.005

# Reads (opened, closed without writing) are the build's own doing; a folder's "modified"
# comes with every file created or deleted in it, and that file's own event names it.
WATCHED_EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileAttribEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]


def classify(site_dir: Path, path: Path, output_dirs: Sequence[Path] = ()) -> Kind | None:
    """The part of the site ``path`` belongs to, or None when no build reads it; pure."""
    if any(path.is_relative_to(out) for out in output_dirs) or not path.is_relative_to(site_dir):
        return None
    parts = path.relative_to(site_dir).parts
    if parts == (LOCK_FILE,):  # named as lock files are, yet no leftover
        return Kind.CONTENT
    if not parts or any(p == ".." or p in IGNORED_FOLDERS or is_temp_file(p) for p in parts):
        return None
    if parts == (CONFIG_FILE,):
        return Kind.CONFIG
    return FOLDER_KINDS.get(parts[0])


def event_paths(event: FileSystemEvent) -> tuple[Path, ...]:
    """The paths an event changed: both ends of a move, none for reads and folder listings."""
    if event.event_type in (EVENT_TYPE_OPENED, EVENT_TYPE_CLOSED_NO_WRITE):
        return ()
    if event.is_directory and event.event_type in (EVENT_TYPE_MODIFIED, EVENT_TYPE_ATTRIB):
        return ()
    return tuple(Path(os.fsdecode(p)) for p in (event.src_path, event.dest_path) if p)


@dataclass(frozen=True)
class Change:
    """One settled batch of changes: the site paths touched and the parts they belong to."""

    paths: frozenset[Path]
    kinds: frozenset[Kind]


class CountingPollingEmitter(PollingEmitter):
    """A polling emitter that counts the polls it has finished."""

    polls = 0

    def queue_events(self, timeout: float) -> None:
        """Wait ``timeout``, poll once and queue what changed, then count the poll."""
        super().queue_events(timeout)
        self.polls += 1


class Recorder(FileSystemEventHandler):
    """A watchdog handler that hands every event to ``record`` (on watchdog's thread)."""

    def __init__(self, record: Callable[[FileSystemEvent], None]) -> None:
        """Keep the callback."""
        super().__init__()
        self.record = record

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Pass the event on."""
        self.record(event)


class Watcher:
    """Watches a site's sources; ``next_change`` returns each settled batch of changes."""

    def __init__(
        self,
        site_dir: Path,
        *,
        poll: bool = False,
        output_dirs: Sequence[Path] = (),
        quiet_ms: int = 40,
        max_wait_ms: int = 1000,
        poll_ms: int = 500,
    ) -> None:
        """Set up (nothing is watched before ``start``); ``poll_ms`` is the polling interval."""
        self.site_dir = site_dir.resolve()
        self.output_dirs = tuple(d.resolve() for d in output_dirs)
        self.poll = poll
        self.poll_interval = poll_ms / 1000
        self.quiet = quiet_ms / 1000
        self.max_wait = max_wait_ms / 1000
        self._lock = threading.Lock()  # guards _pending, _first, _last
        self._pending: set[Path] = set()
        self._first = self._last = 0.0
        self._arrived = threading.Event()  # set while paths are pending, and on stop
        self._stopped = threading.Event()
        self._control = threading.Lock()  # serialises start, stop and watch changes
        self._observer: BaseObserver | None = None
        self._watches: dict[Path, ObservedWatch] = {}
        self._handler = Recorder(self._record)

    def start(self) -> None:
        """Watch site.yaml's folder and its source folders (a watcher starts once)."""
        with self._control:
            if self._observer is not None or self._stopped.is_set():
                raise RuntimeError("a Watcher can be started only once")
            observer = (
                BaseObserver(CountingPollingEmitter, timeout=self.poll_interval)
                if self.poll
                else Observer()
            )
            observer.schedule(
                self._handler, self.site_dir, recursive=False, event_filter=WATCHED_EVENTS
            )
            self._watch_folders(observer, frozenset())
            observer.start()
            self._observer = observer

    def stop(self) -> None:
        """Stop watching; a waiting ``next_change`` returns None."""
        with self._control:
            self._stopped.set()
            self._arrived.set()
            observer, self._observer = self._observer, None
            self._watches.clear()
        if observer is not None:
            observer.stop()
            observer.join()

    def next_change(self, timeout: float | None = None) -> Change | None:
        """Wait for a change, then for quiet; the batch, or None on timeout or after stop."""
        if not self._arrived.wait(timeout) or self._stopped.is_set():
            return None
        # Both windows start no earlier than this call: events recorded while the caller was
        # busy (rebuilding, holding the GIL) may be the head of a burst whose tail watchdog
        # has not handed over yet.
        since = time.monotonic()
        last_seen, marks = -1.0, dict[CountingPollingEmitter, int]()
        while True:
            with self._lock:
                now = time.monotonic()
                if self._last != last_seen:  # something new: every poller must look again
                    last_seen, marks = self._last, self._polls()
                quiet_left = max(self._last, since) + self.quiet - now
                wait_left = max(self._first, since) + self.max_wait - now
                if wait_left <= 0 or (quiet_left <= 0 and self._caught_up(marks)):
                    paths = frozenset(self._pending)
                    self._pending.clear()
                    self._arrived.clear()
                    break
            if self._stopped.wait(min(max(quiet_left, RECHECK), wait_left)):
                return None
        with self._control:
            if self._observer is not None:
                self._watch_folders(self._observer, paths)
        kinds = (classify(self.site_dir, p, self.output_dirs) for p in paths)
        return Change(paths, frozenset(k for k in kinds if k is not None))

    def _record(self, event: FileSystemEvent) -> None:
        """Note the site paths an event changed (watchdog's thread: no other work here)."""
        paths = [p for p in event_paths(event) if self._relevant(p)]
        if not paths:
            return
        now = time.monotonic()
        with self._lock:
            if not self._pending:
                self._first = now
            self._pending.update(paths)
            self._last = now
            self._arrived.set()

    def _polls(self) -> dict[CountingPollingEmitter, int]:
        """How many polls each running polling emitter has finished (none when native)."""
        observer = self._observer
        if observer is None:
            return {}
        return {
            e: e.polls
            for e in list(observer.emitters)
            if isinstance(e, CountingPollingEmitter) and e.should_keep_running()
        }

    def _caught_up(self, marks: dict[CountingPollingEmitter, int]) -> bool:
        """Whether watchdog has handed over every event it has, and each poller looked again."""
        observer = self._observer
        if observer is not None and observer.event_queue.unfinished_tasks > 0:
            return False
        # A poll in progress at the mark may have started before the last change: wait for two.
        return all(polls >= marks.get(e, 0) + 2 for e, polls in self._polls().items())

    def _relevant(self, path: Path) -> bool:
        """Whether a path is part of the site."""
        return classify(self.site_dir, path, self.output_dirs) is not None

    def _watch_folders(self, observer: BaseObserver, changed: Iterable[Path]) -> None:
        """Watch each source folder that exists; renew a watch whose folder came or went."""
        changed = set(changed)
        for name in FOLDER_KINDS:
            folder = self.site_dir / name
            watch = self._watches.get(folder)
            if watch is not None and folder in changed:
                del self._watches[folder]
                observer.unschedule(watch)
                watch = None
            if watch is None and folder.is_dir() and self._relevant(folder):
                try:
                    self._watches[folder] = observer.schedule(
                        self._handler,
                        folder,
                        recursive=True,
                        event_filter=WATCHED_EVENTS,
                        follow_symlink=folder.is_symlink(),  # content/ may link elsewhere
                    )
                except OSError:  # gone again; the site folder's watch reports its return
                    continue
