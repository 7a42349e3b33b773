"""Build the blank Norwegian (nb) spaCy pipeline that Rasa's SpacyNLP loads.

No trained Norwegian pipeline can be installed on our machines, so we assemble
one from what spaCy ships: the nb tokenizer rules (abbreviations, punctuation)
plus our own exceptions for compounds the assistant depends on, so that
"Akan-avtalen" stays one token. spacy-lookups-data's nb lemma table only covers
abbreviations and its rule lemmatizer needs a tagger we do not have, so there is
no lemmatizer; the char n-gram features carry the inflections instead. There is
deliberately no stop-word filtering anywhere: spaCy's nb list contains "leder".

Usage: python -m akan_nlu.spacy_pipeline OUTPUT_DIR
"""
from __future__ import annotations

import sys
from pathlib import Path

import spacy
from spacy.symbols import ORTH

# Tokens that must stay whole so that their features are stable.
TOKENIZER_EXCEPTIONS = (
    "Akan-avtale", "Akan-avtalen", "Akan-avtaler", "Akan-avtalene",
    "akan-avtale", "akan-avtalen", "akan-avtaler", "akan-avtalene",
    "Akan-kontakt", "Akan-kontakten", "akan-kontakt", "akan-kontakten",
    "HR-leder", "HR-sjef", "HR-rådgiver", "BHT-sykepleier", "bht-sykepleier",
    "e-post", "E-post", "jegspiller.no", "akan.no", "www.akan.no",
)

PIPELINE_NAME = "nb_akan"
PIPELINE_VERSION = "1.0.0"


def build_pipeline() -> spacy.language.Language:
    """Return a blank nb pipeline with our tokenizer exceptions."""
    nlp = spacy.blank("nb")
    for word in TOKENIZER_EXCEPTIONS:
        nlp.tokenizer.add_special_case(word, [{ORTH: word}])
    nlp.initialize()
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = PIPELINE_VERSION
    nlp.meta["description"] = "Blank Norwegian pipeline for Akan-veilederen (tokenizer with project exceptions)."
    return nlp


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m akan_nlu.spacy_pipeline OUTPUT_DIR", file=sys.stderr)
        return 2
    output = Path(argv[0])
    output.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline().to_disk(output)
    print(f"spaCy pipeline {PIPELINE_NAME} written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
