"""Which words only exempt actions hold, and where an issue quotes them: so that the public edition's issues never
carry an exempt action's words, even under a published action's ref (a partner's row mis-keyed or pasted over).

It reads no files and writes none; `check.editions` decides what the public edition says instead.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from reportgen.check.checked import Checked

# an exempt action's text shorter than this many words is too common to tell it apart ("Ongoing", "Summer 2027")
MIN_WITHHELD_WORDS = 3
# a value this long (in letters) that is part of an exempt action's text is withheld, as a quote cut short is
MIN_QUOTED_PART = 20
_PARAGRAPH = re.compile(r"</?p>|<br\s*/?>|\n", re.IGNORECASE)  # a return's explanation is read as written
_WORD = re.compile(r"\w+")

Trigram = tuple[str, ...]


@dataclass(frozen=True)
class ExemptWords:
    """The texts only exempt actions hold (the longest first, so that a text holding another is withheld whole),
    indexed by their words three at a time: a build of thousands of actions looks up each issue's words, rather
    than searching it for every text."""

    texts: tuple[str, ...] = ()
    public: frozenset[str] = frozenset()  # what published actions' fields say, normalised (`words_of`)
    starts: dict[Trigram, tuple[int, ...]] = field(default_factory=dict)  # each text by its first three words
    within: dict[Trigram, tuple[int, ...]] = field(default_factory=dict)  # each text by every three words in it

    def held_in(self, text: str) -> list[str]:
        """The exempt texts `text` holds, the longest first."""
        found = {index for trigram in _trigrams(text) for index in self.starts.get(trigram, ())}
        whole = words_of(text)
        return [self.texts[index] for index in sorted(found) if words_of(self.texts[index]) in whole]

    def quoted_by(self, value: str) -> bool:
        """Does a value hold an exempt text, or (cut short to fit) a long part of one that no published text holds?"""
        if self.held_in(value):
            return True
        words = words_of(value).rstrip("…").strip()
        first = next(iter(_trigrams(words)), None)
        if len(words) < MIN_QUOTED_PART or first is None:
            return False
        return (any(words in words_of(self.texts[index]) for index in self.within.get(first, ()))
                and not any(words in text for text in self.public))


def exempt_words(checked: Checked, exempt_refs: Collection[int]) -> ExemptWords:
    """The texts only exempt actions hold: the register's wording; each return row's action text, explanation
    and timeframe (and each paragraph of them); what is carried forward; of at least `MIN_WITHHELD_WORDS` words and
    not also a published action's."""
    by_ref: dict[int, list[str]] = {}
    for action in checked.register.actions:
        by_ref.setdefault(action.ref, []).append(action.text)
    for item in checked.merged.actions:
        by_ref.setdefault(item.ref, []).extend((item.explanation, item.timeframe, item.status_as_written))
    for partner_return in checked.returns:
        for update in partner_return.updates:
            by_ref.setdefault(update.ref, []).extend((update.action_text, update.explanation, update.timeframe))
    for ref, last in checked.carried.items():
        by_ref.setdefault(ref, []).extend((last.explanation, last.timeframe))
    public = frozenset(words_of(text) for ref, texts in by_ref.items() if ref not in exempt_refs for text in texts)
    exempt = {" ".join(part.split()) for ref, texts in by_ref.items() if ref in exempt_refs for text in texts
              for part in (text, *_PARAGRAPH.split(text))}
    texts = tuple(sorted((text for text in exempt if len(_WORD.findall(text)) >= MIN_WITHHELD_WORDS
                          and words_of(text) not in public), key=lambda text: (-len(text), text)))
    return ExemptWords(texts, public - {""}, _index(texts, first_only=True), _index(texts, first_only=False))


def _index(texts: Iterable[str], first_only: bool) -> dict[Trigram, tuple[int, ...]]:
    index: dict[Trigram, list[int]] = {}
    for number, text in enumerate(texts):
        trigrams = _trigrams(text)
        for trigram in dict.fromkeys(trigrams[:1] if first_only else trigrams):
            index.setdefault(trigram, []).append(number)
    return {trigram: tuple(numbers) for trigram, numbers in index.items()}


def _trigrams(text: str) -> list[Trigram]:
    words = _WORD.findall(text.casefold())
    return [tuple(words[i:i + MIN_WITHHELD_WORDS]) for i in range(len(words) - MIN_WITHHELD_WORDS + 1)]


def words_of(text: str) -> str:
    """A text as compared: case and runs of spaces aside."""
    return " ".join(text.split()).casefold()
