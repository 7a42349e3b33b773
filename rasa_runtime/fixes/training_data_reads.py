"""`rasa train` reads and schema-checks the NLU files once, not three times.

Rasa's importers ask for the NLU data with different language arguments (the
domain's, the default "en", none), and their per-call cache keys on the argument,
so every YAML file was parsed and validated three times: about 1.5 minutes of
`make train` on 20,000 examples. The Rasa YAML reader does not use the language.
Here the files' data is kept per list of files (each with its modification time
and size), and every caller gets its own deep copy, as before.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Text

from rasa.shared.importers import utils
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_runtime.fixes.tripwire import Fix

YAML_SUFFIXES = (".yml", ".yaml")

_read: dict[tuple, TrainingData] = {}


def _key(paths: list[Text]) -> tuple:
    return tuple((path, stat.st_mtime_ns, stat.st_size) for path, stat in ((p, Path(p).stat()) for p in paths))


def reading_once(original: Callable[[Iterable[Text], Text], TrainingData]) -> Callable[[Iterable[Text], Text], TrainingData]:
    def training_data_from_paths(paths: Iterable[Text], language: Text) -> TrainingData:
        paths = list(paths)
        if not paths or not all(str(p).endswith(YAML_SUFFIXES) for p in paths):
            return original(paths, language)  # other formats may read the language
        key = _key(paths)
        if key not in _read:
            _read.clear()
            _read[key] = original(paths, language)
        return TrainingData().merge(_read[key])  # a deep copy: callers change what they get

    return training_data_from_paths


def apply() -> None:
    """Install the fix, unchecked (`rasa_runtime.fixes.install` checks it first)."""
    if not getattr(utils.training_data_from_paths, "reads_once", False):
        replacement = reading_once(utils.training_data_from_paths)
        replacement.reads_once = True  # type: ignore[attr-defined]
        utils.training_data_from_paths = replacement


FIX = Fix(
    name="training_data_reads",
    originals={
        # Reads and merges the NLU files; the importers call it through the module.
        "rasa.shared.importers.utils:training_data_from_paths": "3ccd1a740d724c29d391e5fad254fabf86faf86cb27666577c6c4dea5cfe8e44",
    },
    apply=apply,
)
