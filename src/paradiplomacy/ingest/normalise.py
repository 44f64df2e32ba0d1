"""Persian text normalised for matching only, with a map back to the input's character offsets.

Quotes are never taken from the normalised text: a match at ``[i, j)`` in it is the input span
``[offsets[i], offsets[j - 1] + 1)``, so every quote stays a byte-exact span of what was read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Arabic code points written for their Persian counterparts in much Persian text
_LETTERS = {
    "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "ٱ": "ا",
    "ؤ": "و",
}
_DIGITS = {**{chr(0x06F0 + i): str(i) for i in range(10)}, **{chr(0x0660 + i): str(i) for i in range(10)}}
#: dropped: ZWNJ/ZWJ, tatweel (kashida), bidi marks; the PDF extractions of the seeds drop ZWNJ
#: («زمینهساز»), so it cannot be kept on one side only
_DROP = {"\u200c", "\u200d", "\u0640", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\ufeff"}
_SPACE = re.compile(r"\s")


def _fold(ch: str) -> str:
    if ch in _DROP:
        return ""
    if ch in _LETTERS:
        return _LETTERS[ch]
    if ch in _DIGITS:
        return _DIGITS[ch]
    if unicodedata.category(ch) == "Mn":  # harakat, tanwin, shadda, superscript alef
        return ""
    if _SPACE.match(ch):
        return " "
    low = ch.lower()
    return low if len(low) == 1 else ch  # keep the one-to-one offset map


def fold(text: str) -> str:
    """The normalised form of ``text`` (for building lookup keys); whitespace runs become one space."""
    return re.sub(" +", " ", "".join(_fold(c) for c in text)).strip()


def pattern(regex: str, flags: int = 0) -> re.Pattern[str]:
    """A rule's regular expression, written in ordinary Persian, compiled for normalised text: its
    Arabic-form letters folded as the text's are («رئیس» matches the normalised «رییس») and ZWNJ
    dropped. Only letters are touched, so the regex syntax (``\\S``, ``(?:…)``) is kept."""
    return re.compile("".join(_LETTERS.get(ch, "") if ch in _LETTERS else ("" if ch in _DROP else ch) for ch in regex), flags)


@dataclass(frozen=True)
class Normalised:
    """Normalised text plus, for each of its characters, the offset of the input character it came from."""

    original: str
    text: str
    offsets: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The input span ``[a, b)`` of the normalised span ``[start, end)``."""
        if end <= start:
            raise ValueError(f"empty span {start}:{end}")
        return self.offsets[start], self.offsets[end - 1] + 1


def normalise(text: str) -> Normalised:
    """Fold letters, digits, ZWNJ, kashida and diacritics; collapse whitespace runs to one space."""
    out: list[str] = []
    offs: list[int] = []
    for i, ch in enumerate(text):
        f = _fold(ch)
        if not f:
            continue
        if f == " " and out and out[-1] == " ":
            continue
        out.append(f)
        offs.append(i)
    return Normalised(text, "".join(out), tuple(offs))
