"""Part of a Rasa component's fingerprint: the source of the modules it delegates to.

Rasa retrains a component when its config, its inputs or its own class's source change, but not
when a module it calls does (the sentence model, the normalisation). A component adds this
through `fingerprint_addon`, so a change there retrains it instead of restoring a stale cache.
"""
from __future__ import annotations

import hashlib
import inspect
from types import ModuleType


def modules_fingerprint(*modules: ModuleType) -> str:
    digest = hashlib.sha256()
    for module in modules:
        digest.update(module.__name__.encode())
        digest.update(inspect.getsource(module).encode())
    return digest.hexdigest()
