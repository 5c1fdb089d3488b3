"""Names of the files editors and tools leave behind: never content, never a change.

The content loader, the static-file copy, the template lookup and the watcher all use
``is_temp_file``, so what the dev server ignores is exactly what a build ignores.
"""

from __future__ import annotations

import re

# Hidden names a site publishes: .well-known/ (RFC 8615), and what hosts read at the
# top of a site from root/: .nojekyll (GitHub Pages), .htaccess (Apache).
KEPT_HIDDEN = frozenset({".well-known", ".nojekyll", ".htaccess"})

# Endings of temporary, backup, swap and lock files; compared in lower case.
TEMP_SUFFIXES = (
    ".swp",  # vim swap files (hidden when beside the file, not with 'directory' set)
    ".swo",
    ".swn",
    ".swx",
    ".kate-swp",  # Kate
    "jb_tmp___",  # JetBrains safe-write: a.md___jb_tmp___, a.md___jb_old___
    "jb_old___",
    "jb_bak___",
    ".tmp",
    ".temp",
    ".bak",
    ".backup",
    ".orig",  # merge and patch leftovers
    ".rej",
    ".save",  # nano's emergency save: a.md.save (then a.md.save.1, below)
    ".lock",  # git's index.lock and other lock files
    ".part",  # downloads and copies in progress
    ".partial",
    ".crdownload",
    ".download",
    ".crswap",  # Chromium's File System Access writes
)
TEMP_PATTERNS = (
    re.compile(r".+\.save\.[0-9]+"),  # nano: a.md.save.1
    re.compile(r"sed[A-Za-z0-9]{6}"),  # sed -i writes sedXXXXXX, then renames it
    re.compile(r"tmp[a-z0-9_]{8}"),  # Python's tempfile in the file's own folder
)
# Vim checks that it may create files by writing "4913" (then 5036, 5159, ... when taken).
VIM_PROBE_FIRST, VIM_PROBE_STEP = 4913, 123


def is_vim_probe(name: str) -> bool:
    """Whether a name is one of vim's write-permission probe files (4913, 5036, ...)."""
    if not (name.isascii() and name.isdigit()):
        return False
    number = int(name)
    return number >= VIM_PROBE_FIRST and (number - VIM_PROBE_FIRST) % VIM_PROBE_STEP == 0


def is_temp_file(name: str) -> bool:
    """Whether a file name is an editor's or a tool's temporary, backup, swap or lock file."""
    if name in KEPT_HIDDEN:
        return False
    return (
        name.startswith((".", "#", "~"))  # hidden, emacs' #a.md#, LibreOffice's ~lock.x#
        or name.endswith("~")  # backups: a.md~
        or "___jb_" in name  # JetBrains safe-write
        or name.lower().endswith(TEMP_SUFFIXES)
        or any(pattern.fullmatch(name) for pattern in TEMP_PATTERNS)
        or is_vim_probe(name)
    )
