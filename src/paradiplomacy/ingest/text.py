"""The input text cut into paragraphs and sentences, each an exact span with a locator.

Everything the rules look at is computed once here: the normalised text, its words, the names
found by the gazetteer and the dates, so that a rule only filters what lies inside a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from paradiplomacy.ingest.dates import DateMention, find_dates
from paradiplomacy.ingest.gazetteer import Gazetteer, Mention, Tokens
from paradiplomacy.ingest.normalise import Normalised, fold, normalise

_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"[.!?؟؛]+(?=\s|$)|\n(?=\s*(?:زمان|مقصد|هدف)\s*:)")


@dataclass(frozen=True)
class Sentence:
    start: int  # input offsets, whitespace stripped
    end: int
    paragraph: int  # 1-based
    number: int  # 1-based within the paragraph
    line: int  # 1-based line of the input where it starts

    @property
    def locator(self) -> str:
        return f"paragraph {self.paragraph}, sentence {self.number} (line {self.line})"


@dataclass
class Document:
    text: str
    published: date | None
    gazetteer: Gazetteer
    norm: Normalised = field(init=False)
    tokens: Tokens = field(init=False)
    mentions: list[Mention] = field(init=False)
    dates: list[DateMention] = field(init=False)
    sentences: list[Sentence] = field(init=False)

    def __post_init__(self) -> None:
        self.norm = normalise(self.text)
        self.tokens = Tokens.of(self.norm)
        self.mentions = self.gazetteer.find(self.tokens)
        self.dates = find_dates(self.norm, self.published)
        self.sentences = list(_sentences(self.text))

    def within(self, start: int, end: int) -> tuple[list[Mention], list[DateMention]]:
        """The names and dates inside the input span ``[start, end)``."""
        return (
            [m for m in self.mentions if start <= m.start and m.end <= end],
            [d for d in self.dates if start <= d.start and d.end <= end],
        )

    def folded(self, start: int, end: int) -> str:
        return fold(self.text[start:end])

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


#: a paragraph break of a PDF extraction often falls inside a sentence (a column or page ends):
#: a chunk that does not end a sentence and is longer than a heading runs on into the next one
_ENDS = re.compile(r"[.!?؟؛:»«)\]]\s*$")
HEADING = 60


def _paragraph_bounds(text: str) -> list[int]:
    bounds, prev = [], 0
    for m in _PARAGRAPH.finditer(text):
        chunk = text[prev : m.start()]
        if _ENDS.search(chunk) or len(chunk.strip()) <= HEADING or "\t" in chunk:
            bounds.append(m.start())
            prev = m.start()
    return bounds + [len(text)]


def _sentences(text: str):
    pos, par = 0, 0
    bounds = _paragraph_bounds(text)
    for pend in bounds:
        pstart, pend2 = _strip(text, pos, pend)
        pos = pend
        if pstart >= pend2:
            continue
        par += 1
        n, s = 0, pstart
        for m in _SENTENCE_END.finditer(text, pstart, pend2):
            a, b = _strip(text, s, m.end() if text[m.start()] != "\n" else m.start())
            s = m.end()
            if a < b:
                n += 1
                yield Sentence(a, b, par, n, text.count("\n", 0, a) + 1)
        a, b = _strip(text, s, pend2)
        if a < b:
            n += 1
            yield Sentence(a, b, par, n, text.count("\n", 0, a) + 1)
