"""`rasa train` schema-checks the NLU files with libyaml, and asks Rasa's own check only when that fails.

Rasa checks each NLU file against its schema (pykwalify) after parsing it with ruamel's
round-trip loader, which keeps every line number for the error message: 35 of the 100 s
that reading 43,000 examples took. Here a file is parsed with libyaml's safe loader (duplicate
keys refused, as ruamel refuses them) and checked by pykwalify against the same schema and
extensions, in about 5 s. A file that fails here is checked again by Rasa's own code, so an
error reads exactly as before (with its line), and a file that only this parser doubts
(YAML 1.1 against 1.2 scalars) passes as before.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Callable, Text

import pkg_resources
import yaml
from pykwalify.core import Core
from rasa.shared.constants import PACKAGE_NAME, RESPONSES_SCHEMA_FILE, SCHEMA_EXTENSIONS_FILE
from rasa.shared.nlu.training_data.formats.rasa_yaml import NLU_SCHEMA_FILE, RasaYAMLReader
from rasa.shared.utils.io import read_yaml_file

from rasa_runtime.fixes.tripwire import Fix


class DuplicateKey(yaml.YAMLError):
    """A mapping names a key twice (ruamel refuses it; libyaml would keep the last)."""


class UniqueKeyLoader(yaml.CSafeLoader):  # type: ignore[misc]  # libyaml's parser, Python's safe constructor
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        keys = [self.construct_object(key, deep=True) for key, _ in node.value]
        if len(keys) != len({repr(k) for k in keys}):
            raise DuplicateKey(f"a key appears twice (line {node.start_mark.line + 1})")
        return super().construct_mapping(node, deep=deep)


@lru_cache(maxsize=1)
def nlu_schema() -> tuple[dict, str]:
    """The NLU schema with the responses schema, and the extensions file: as Rasa's check loads them."""
    schema = read_yaml_file(pkg_resources.resource_filename(PACKAGE_NAME, NLU_SCHEMA_FILE))
    responses = read_yaml_file(pkg_resources.resource_filename(PACKAGE_NAME, RESPONSES_SCHEMA_FILE))
    return dict(schema, **responses), pkg_resources.resource_filename(PACKAGE_NAME, SCHEMA_EXTENSIONS_FILE)


def passes_quickly(string: Text) -> bool:
    """True when libyaml and pykwalify find the file valid; False on any doubt."""
    logging.getLogger("pykwalify").setLevel(logging.CRITICAL)  # as Rasa's check does
    schema, extensions = nlu_schema()
    try:
        data = yaml.load(string, Loader=UniqueKeyLoader)
        Core(source_data=data, schema_data=schema, extensions=[extensions]).validate(raise_exception=True)
    except Exception:  # noqa: BLE001 - any doubt goes to Rasa's own check, which explains it
        return False
    return True


def checking_quickly(original: Callable[[RasaYAMLReader, Text], None]) -> Callable[[RasaYAMLReader, Text], None]:
    def validate(self: RasaYAMLReader, string: Text) -> None:
        if not passes_quickly(string):
            original(self, string)

    return validate


def apply() -> None:
    """Install the fix, unchecked (`rasa_runtime.fixes.install` checks it first)."""
    if not getattr(RasaYAMLReader.validate, "checks_quickly", False):
        replacement: Any = checking_quickly(RasaYAMLReader.validate)
        replacement.checks_quickly = True
        RasaYAMLReader.validate = replacement


FIX = Fix(
    name="nlu_schema_check",
    originals={
        # The method replaced, and the check whose schema and extensions the fast path repeats.
        "rasa.shared.nlu.training_data.formats.rasa_yaml:RasaYAMLReader.validate": "81b4a164273e215145edc1cb2285fa1ba5014357aac0a528d0b6eff07cc30940",
        "rasa.shared.utils.validation:validate_yaml_schema": "e039106753a595c2f31716c8bbda8c116241198e909112926b147fa599c8a9fe",
    },
    apply=apply,
)
