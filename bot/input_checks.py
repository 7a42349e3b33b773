"""What comes in from outside, checked at the edge before anything else sees it
(issue 18, finding 4): JSON with its nesting bounded, and text without characters
that no database or person can use.

JSON: Python's parser recurses once per level, so a body of nothing but brackets
ran into a RecursionError (a 500). The brackets outside strings are counted
first, in one pass over the quotes, backslashes and brackets (linear in the
body, whatever it holds); more than MAX_JSON_DEPTH levels is a 400, never parsed.

Text: line breaks are kept as "\\n" ("\\r\\n" and a lone "\\r" become "\\n"), and tabs
are kept. Any other control character (C0, DEL, C1; NUL among them, which
PostgreSQL cannot store) and any lone surrogate (half of a UTF-16 pair, which
cannot be written as UTF-8 at all) is refused with a 400: the message is not
sent to Rasa and nothing of it is stored, so the person can simply send it again
without the odd character.
"""
from __future__ import annotations

import json
import re

from bot import errors
from bot.errors import ApiError

# Far more than any request of the API needs ({"text": "..."} is one level).
MAX_JSON_DEPTH = 20

# What decides where strings and brackets are: quotes, backslashes, brackets.
_STRUCTURE = re.compile(r'["\\\[\]{}]')
_LINE_BREAK = re.compile(r"\r\n?")
# Control characters except tab and line feed, and lone surrogates (a str from JSON
# holds a surrogate only when its pair was missing: a complete pair is one character).
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def json_depth(raw: str, stop_above: int | None = None) -> int:
    """The deepest nesting of brackets outside strings (0 for a bare value); counting
    stops once it is above `stop_above`."""
    depth = deepest = 0
    in_string, escaped_at = False, -1
    for match in _STRUCTURE.finditer(raw):
        char = match.group()
        if in_string:
            if match.start() == escaped_at:  # the character after a backslash
                continue
            if char == "\\":
                escaped_at = match.end()
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_above is not None and deepest > stop_above:
                    break
        elif char in "]}":
            depth -= 1
    return deepest


def loads(raw: str, max_depth: int = MAX_JSON_DEPTH) -> object:
    """Parse `raw` as JSON; ApiError 400 when it is not JSON or nested too deeply."""
    if json_depth(raw, stop_above=max_depth) > max_depth:
        raise ApiError(400, errors.JSON_TOO_DEEP)
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, RecursionError):
        raise ApiError(400, errors.INVALID_JSON) from None


def clean_text(text: str) -> str:
    """`text` with its line breaks as "\\n"; ApiError 400 when it holds another control
    character or a lone surrogate."""
    text = _LINE_BREAK.sub("\n", text)
    if _REFUSED.search(text) is not None:
        raise ApiError(400, errors.INVALID_CHARACTERS)
    return text
