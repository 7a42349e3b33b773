"""What a slow test group needs and this machine lacks: skipped locally, a failure in CI.

The groups' fixtures skip through `missing`, and tests/conftest.py turns any other skip
(a skipif mark, say) into a failure under CI=true too, so a CI run without the trained
model, Chromium, PostgreSQL or Redis fails instead of passing with tests left out. Locally
the end of the run says, once per group, what was skipped and why."""
from __future__ import annotations

import os
from collections import defaultdict
from typing import NoReturn

import pytest

# The groups (pytest.ini's markers: live, browser, production) each skip reason came from.
GROUPS_OF_REASON: dict[str, set[str]] = defaultdict(set)


def in_ci() -> bool:
    """CI=true (or any value but empty, 0, false, no), as .ci/run and CI services set it."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(group: str, reason: str) -> NoReturn:
    """The `group`'s tests cannot run for `reason`: skip locally, fail under CI=true."""
    if in_ci():
        pytest.fail(f"{reason} [CI=true: the {group} tests fail instead of skipping]", pytrace=False)
    GROUPS_OF_REASON[reason].add(group)
    pytest.skip(reason)
