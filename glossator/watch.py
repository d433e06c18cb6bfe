"""Noticing saved files: the kernel's inotify where there is one, else polling with livereload's watcher.

inotify tells within a millisecond which file changed and costs nothing while nothing does;
livereload's own watcher walks every folder each time it looks (800 ms apart by default), which
alone would miss the preview's latency budget on a large project, so it is only the fallback.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import struct
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from livereload.watcher import Watcher

POLL_SECONDS = 0.2
"""How often the polling fallback looks."""

_IN_MODIFY, _IN_ATTRIB, _IN_CLOSE_WRITE = 0x2, 0x4, 0x8
_IN_MOVED_FROM, _IN_MOVED_TO, _IN_CREATE, _IN_DELETE = 0x40, 0x80, 0x100, 0x200
_IN_DELETE_SELF, _IN_MOVE_SELF, _IN_Q_OVERFLOW, _IN_ISDIR = 0x400, 0x800, 0x4000, 0x40000000
_IN_NONBLOCK, _IN_CLOEXEC = os.O_NONBLOCK, getattr(os, "O_CLOEXEC", 0)
_MASK = _IN_MODIFY | _IN_ATTRIB | _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE | _IN_DELETE
_MASK |= _IN_DELETE_SELF | _IN_MOVE_SELF
_EVENT = struct.Struct("iIII")


class InotifyWatcher:
    """Changes under some folders (and to some files), from inotify; Linux only."""

    def __init__(self, folders: Sequence[Path], files: Sequence[Path] = ()) -> None:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self._add = libc.inotify_add_watch
        self._fd = libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self._folders: dict[int, Path] = {}
        self._roots = [folder.resolve() for folder in folders]
        self._files = {file.resolve() for file in files}
        parents = {file.parent for file in self._files} | {root.parent for root in self._roots}
        for parent in sorted(parents):
            self._watch(parent)
        for root in self._roots:
            self._watch_tree(root)

    def fileno(self) -> int:
        """The descriptor to wait on: readable when something changed."""
        return self._fd

    def changes(self) -> set[Path]:
        """The paths changed since the last call (the watched folders themselves when too much happened)."""
        changed: set[Path] = set()
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                return changed
            offset = 0
            while offset < len(data):
                wd, mask, _, size = _EVENT.unpack_from(data, offset)
                name = os.fsdecode(data[offset + _EVENT.size : offset + _EVENT.size + size].rstrip(b"\0"))
                offset += _EVENT.size + size
                if mask & _IN_Q_OVERFLOW:
                    return set(self._roots)
                folder = self._folders.get(wd)
                if folder is None:
                    continue
                path = folder / name if name else folder
                if not self._wanted(path):
                    continue
                if mask & _IN_ISDIR and mask & (_IN_CREATE | _IN_MOVED_TO):
                    self._watch_tree(path)
                changed.add(path)

    def close(self) -> None:
        """Stop watching."""
        os.close(self._fd)

    def _wanted(self, path: Path) -> bool:
        """Inside a watched folder (not a hidden file, like an editor's swap file), or a watched file."""
        if path in self._files or path in self._roots:
            return True
        return any(path.is_relative_to(root) for root in self._roots) and not path.name.startswith(".")

    def _watch_tree(self, root: Path) -> None:
        for folder, children, _ in os.walk(root):
            children[:] = [child for child in children if not child.startswith(".")]
            self._watch(Path(folder))

    def _watch(self, folder: Path) -> None:
        wd = self._add(self._fd, os.fsencode(folder), _MASK)
        if wd >= 0:
            self._folders[wd] = folder
        elif ctypes.get_errno() not in (errno.ENOENT, errno.ENOTDIR):
            raise OSError(ctypes.get_errno(), f"cannot watch {folder} (raise fs.inotify.max_user_watches?)")


class PollingWatcher:
    """Changes under some folders and files, found by livereload's watcher walking them now and then."""

    def __init__(self, folders: Sequence[Path], files: Sequence[Path] = ()) -> None:
        self._watcher = Watcher()
        for path in (*folders, *files):
            self._watcher.watch(str(path))

    def changes(self) -> set[Path] | None:
        """Nothing (an empty set) or None: something changed, and polling cannot say exactly what."""
        changed, _ = self._watcher.examine()
        return None if changed else set()

    def close(self) -> None:
        """Nothing to release."""


def watcher(folders: Sequence[Path], files: Iterable[Path] = ()) -> InotifyWatcher | PollingWatcher:
    """The best watcher this system has."""
    if sys.platform.startswith("linux"):
        try:
            return InotifyWatcher(folders, tuple(files))
        except (OSError, AttributeError):
            pass
    return PollingWatcher(folders, tuple(files))
