"""Norwegian normalisation of a message before features: letters, lemmas, compounds.

People write to the assistant on phones, without æøå ("parorende", "akanavtale"), in bokmål or
nynorsk, and Norwegian glues words together ("rusproblemet", "akanavtalen"). The sentence
classifiers see the text twice: as typed (character n-grams) and in the form this module gives
(one lemma per word, compounds also as their parts), so "spilleproblemene" and "problem med
spill" share features. The word lists are simplemma's bokmål and nynorsk dictionaries.

Each step can be switched off (`Normalisation`) so that an ablation can show what it adds.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import simplemma

LANGUAGES = ("nb", "nn")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Letters people type instead of æ, ø and å, most likely first.
_ASCII_FOR = (("ae", "æ"), ("oe", "ø"), ("aa", "å"), ("o", "ø"), ("a", "å"), ("e", "æ"))
MAX_REPLACEMENTS = 4
MIN_COMPOUND = 7
MIN_PART = 3
# A dictionary word is split only with a longer head: "kollega" is not "kol" + "lega".
MIN_KNOWN_HEAD = 4
# Linking letters between the parts of a compound ("arbeid-s-miljø", "spill-e-avhengig").
_LINKS = ("", "s", "e")


@dataclass(frozen=True)
class Normalisation:
    """Which steps run (all by default)."""

    letters: bool = True
    lemmas: bool = True
    compounds: bool = True


ALL_STEPS = Normalisation()


def fold(text: str) -> str:
    """Lower case, compatibility forms unified (ligatures, full-width letters, curly quotes)."""
    return unicodedata.normalize("NFKC", text or "").lower()


@lru_cache(maxsize=65536)
def known(word: str) -> bool:
    """Whether the word (any inflected form) is in the bokmål or nynorsk dictionary."""
    return simplemma.is_known(word, lang=LANGUAGES)


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    return simplemma.lemmatize(word, lang=LANGUAGES) if known(word) else word


@lru_cache(maxsize=65536)
def restore_letters(word: str) -> str:
    """The dictionary word `word` is a spelling without æøå of, else `word` itself.

    "parorende" → "pårørende", "tilbakefal" stays as it is. Tries at most MAX_REPLACEMENTS
    replacements, fewest first, so a word already right is never changed.
    """
    if known(word) or not word.isascii():
        return word
    spots = [
        (match.start(), len(ascii_), letter)
        for ascii_, letter in _ASCII_FOR
        for match in re.finditer(f"(?={ascii_})", word)
    ]
    for count in range(1, min(MAX_REPLACEMENTS, len(spots)) + 1):
        for chosen in itertools.combinations(spots, count):
            candidate = _replace(word, chosen)
            if candidate and known(candidate):
                return candidate
    return word


def _replace(word: str, spots: tuple[tuple[int, int, str], ...]) -> str | None:
    out, position = [], 0
    for start, length, letter in sorted(spots):
        if start < position:
            return None  # overlapping replacements ("aa" and "a" at the same place)
        out += [word[position:start], letter]
        position = start + length
    out.append(word[position:])
    return "".join(out)


@lru_cache(maxsize=65536)
def compound_parts(word: str) -> tuple[str, ...]:
    """A long word's two parts when its tail is a dictionary word: "rusproblemet" → ("rus", "problemet").

    The longest known tail wins; the head must be a dictionary word too, possibly followed by a
    linking letter. Hyphenated words split at their hyphens.
    """
    if "-" in word:
        return tuple(part for part in word.split("-") if part)
    if len(word) < MIN_COMPOUND:
        return ()
    min_head = MIN_KNOWN_HEAD if known(word) else MIN_PART
    for split in range(min_head, len(word) - MIN_PART + 1):
        tail = word[split:]
        if len(tail) < 4 or not known(tail):
            continue
        for link in _LINKS:
            head = word[:split]
            if link and head.endswith(link):
                head = head[: -len(link)]
            if len(head) >= min_head and known(head):
                return (head, tail)
    return ()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def normalise(text: str, steps: Normalisation = ALL_STEPS) -> str:
    """The message as lemmas (æøå restored), each long compound followed by its parts' lemmas."""
    out: list[str] = []
    for word in words(text):
        if steps.letters:
            word = restore_letters(word)
        out.append(lemma(word) if steps.lemmas else word)
        if steps.compounds:
            for part in compound_parts(word):
                if steps.letters:
                    part = restore_letters(part)
                out.append(lemma(part) if steps.lemmas else part)
    return " ".join(out)
