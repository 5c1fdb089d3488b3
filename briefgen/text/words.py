"""What a word is: the boundary rule glossary terms and closest passages share; pure.

A word is a run of letters and digits (``str.isalnum``), so an apostrophe, a hyphen or a
dash ends one ("NATO's" holds the word "NATO"). In scripts written without spaces
between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese) every character is a word
of its own.
"""

from __future__ import annotations

import re

__all__ = ["UNSPACED", "joins"]

# Scripts written without spaces between words: each of their characters is a word.
UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
)
_UNSPACED = re.compile(f"[{UNSPACED}]")


def joins(before: str, after: str) -> bool:
    """Whether a word goes on from ``before`` to ``after`` (no boundary between them)."""
    return (
        before.isalnum()
        and after.isalnum()
        and not _UNSPACED.match(before)
        and not _UNSPACED.match(after)
    )
