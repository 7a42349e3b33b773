"""What a fix declares, and the checks made before it is installed.

Each fix replaces Rasa functions in the running process. It was written against one
Rasa release and one text of each function it replaces (or repeats line for line), so
it records both: `rasa_version`, and `originals`, the sha256 of `inspect.getsource`
of each such function. `install` refuses a fix (`FixRefused`, nothing installed) when
the installed Rasa is another version or any of those sources differs: on an upgrade,
someone reads Rasa's new code, adapts the fix and records the new hashes
(`source_hash`), or switches the fix off.

Every fix has a setting, `RASA_FIX_<NAME>` (on unless `0`, `false`, `off` or `no`).
A fix switched off is neither checked nor installed: Rasa runs its own code there.
"""
from __future__ import annotations

import hashlib
import importlib
import inspect
import logging
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Optional

logger = logging.getLogger(__name__)

# The Rasa release every fix here was written and tested against.
RASA_VERSION = "3.6.21"

OFF = frozenset({"0", "false", "off", "no"})
ON = frozenset({"", "1", "true", "on", "yes"})


class FixError(Exception):
    """The fixes cannot be installed as configured (Rasa must not start)."""


class FixRefused(FixError):
    """A fix does not match the installed Rasa."""


class FixSettingInvalid(FixError):
    """A `RASA_FIX_*` variable holds neither on nor off."""


@dataclass(frozen=True)
class Fix:
    """One fix: its name (the module's), the Rasa functions whose source it relies on
    ("module:Qualified.name" -> sha256 of their source in `rasa_version`), and `apply`,
    which installs it without any check."""

    name: str
    originals: Mapping[str, str]
    apply: Callable[[], None]
    rasa_version: str = RASA_VERSION

    @property
    def setting(self) -> str:
        return "RASA_FIX_" + self.name.upper()


def installed_rasa_version() -> str:
    from rasa.version import __version__

    return __version__


def resolve(path: str) -> Any:
    """The object at "module:Qualified.name"."""
    module_name, _, qualified_name = path.partition(":")
    target: Any = importlib.import_module(module_name)
    for attribute in qualified_name.split("."):
        target = getattr(target, attribute)
    return target


# Rasa's functions as they were before a fix replaced them (the check must hash Rasa's
# source, not the fix's, once the fix is in).
_originals: dict[str, Any] = {}
_installed: set[str] = set()


def source_hash(path: str) -> str:
    """sha256 of the source of Rasa's function at `path` (before any fix replaced it)."""
    target = _originals[path] if path in _originals else resolve(path)
    return hashlib.sha256(inspect.getsource(target).encode()).hexdigest()


def switched_on(fix: Fix, env: Optional[Mapping[str, str]] = None) -> bool:
    env = os.environ if env is None else env
    value = env.get(fix.setting, "").strip().lower()
    if value in OFF:
        return False
    if value in ON:
        return True
    raise FixSettingInvalid(f"{fix.setting}={env[fix.setting]!r}: use 1 (on, the default) or 0 (off)")


def check(fix: Fix, rasa_version: Optional[str] = None) -> None:
    """Raise FixRefused unless the fix was written for this Rasa and its functions."""
    rasa_version = installed_rasa_version() if rasa_version is None else rasa_version
    if rasa_version != fix.rasa_version:
        raise FixRefused(
            f"Rasa fix {fix.name!r} was written for Rasa {fix.rasa_version}, this is Rasa {rasa_version}: "
            f"check it against Rasa's code and record the new version, or switch it off with {fix.setting}=0"
        )
    changed = [path for path, expected in fix.originals.items() if source_hash(path) != expected]
    if changed:
        raise FixRefused(
            f"Rasa fix {fix.name!r} replaces code that has changed: {', '.join(changed)}. Check the fix "
            f"against the new source and record its hash (rasa_runtime.fixes.tripwire.source_hash), "
            f"or switch it off with {fix.setting}=0"
        )


def install_fixes(
    fixes: Iterable[Fix], env: Optional[Mapping[str, str]] = None, rasa_version: Optional[str] = None
) -> list[str]:
    """Install every fix switched on, after checking them all: one refused, none installed.
    Returns the names of the fixes installed (those installed before included)."""
    fixes = list(fixes)
    wanted = [fix for fix in fixes if switched_on(fix, env)]
    for fix in fixes:
        if fix not in wanted:
            logger.warning("rasa_fix_switched_off fix=%s setting=%s", fix.name, fix.setting)
    for fix in wanted:
        if fix.name not in _installed:
            check(fix, rasa_version)
    for fix in wanted:
        if fix.name not in _installed:
            for path in fix.originals:
                _originals.setdefault(path, resolve(path))
            fix.apply()
            _installed.add(fix.name)
    return [fix.name for fix in wanted]
