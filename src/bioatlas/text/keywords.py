"""Which of many word lists a text uses, in one pass (Aho-Corasick), whatever the number of words.

Sectors have close to a thousand words in eight languages and the services about a hundred; answers ask for every
report of the kb which sectors and services it names. Testing each word in turn cost tens of microseconds a
sentence; one automaton over all the words finds every occurrence, overlapping ones included, in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import ahocorasick


class WordLists:
    """Named lists of lower-case words. `names_in(text)` gives the names of the lists one of whose words occurs in
    the (lower-cased) text: as a substring, or, with `word_start`, for a Latin word only where no letter precedes it
    ('labor' in 'Labor München', not in 'collaborations'); words in other scripts are substrings either way. With
    `short_word_start=n`, only Latin words of n letters or fewer must start a word (the French 'irm' is MRI, not the
    middle of 'firm'), longer stems ('vaccin', 'pharma') still match inside words."""

    def __init__(self, lists: Mapping[str, Iterable[str]], word_start: bool = False, short_word_start: int = 0):
        self.word_start = word_start
        self.short_word_start = short_word_start
        automaton = ahocorasick.Automaton()
        owners: dict[str, set[str]] = {}
        for name, words in lists.items():
            for word in words:
                if word:
                    owners.setdefault(word, set()).add(name)
        for word, names in owners.items():
            automaton.add_word(word, (len(word), word.isascii(), frozenset(names)))
        self._empty = not owners
        if not self._empty:
            automaton.make_automaton()
        self._automaton = automaton

    def names_in(self, text: str) -> frozenset[str]:
        if self._empty:
            return frozenset()
        found: set[str] = set()
        for end, (length, ascii_word, names) in self._automaton.iter(text):
            if names <= found:
                continue
            start = end - length + 1
            must_start = self.word_start or length <= self.short_word_start
            if must_start and ascii_word and start > 0 and text[start - 1].isalpha():
                continue
            found |= names
        return frozenset(found)
