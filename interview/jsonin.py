"""JSON read from outside (a file, a sealed record, a database row, a package, a request): a
value nested too deep to decode is a ValueError like any other bad JSON, so each reader's own
"damaged" message names it, never a crash (json.loads raises RecursionError for it)."""

from __future__ import annotations

import json
from typing import Any


def loads(data: str | bytes) -> Any:
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("nested too deep to be JSON this program wrote") from None
