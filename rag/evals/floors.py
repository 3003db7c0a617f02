"""Check a run's metrics against the minimum values in a floors TOML file; return one message per breach."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from rag.errors import SettingsError


def _read(floors_path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(floors_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SettingsError(
            f"floors file {floors_path} not found: create it or point evals.floors at one"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(
            f"floors file {floors_path} is not valid TOML ({exc}): fix the line it names"
        ) from exc


def metric_value(metrics: dict, name: str) -> Any:
    """A run-level metric, or one question type's: "by_type.<type>.<metric>"."""
    if name.startswith("by_type."):
        _, qtype, metric = name.split(".", 2)
        return ((metrics.get("by_type") or {}).get(qtype) or {}).get(metric)
    return metrics.get(name)


def check_floors(metrics: dict, floors_path: Path) -> list[str]:
    """One message per metric below its `[floors]` minimum (or above an optional `[ceilings]` maximum).

    A name "by_type.<type>.<metric>" checks one question type's metric. A metric named in the file but missing from
    the run, or None there, is reported too, so a typo in
    the file or a metric that was not computed cannot pass silently.
    """
    data = _read(floors_path)
    unknown = set(data) - {"floors", "ceilings"}
    if unknown:
        raise SettingsError(f"floors file {floors_path} has unknown table(s) {sorted(unknown)}: use [floors]")
    messages: list[str] = []
    for table, below in (("floors", True), ("ceilings", False)):
        for name, limit in (data.get(table) or {}).items():
            value = metric_value(metrics, name)
            if not isinstance(value, int | float):
                messages.append(f"{name}: missing from the run's metrics ({table[:-1]} {limit})")
            elif below and value < limit:
                messages.append(f"{name} {value:.3f} is below its floor {limit}")
            elif not below and value > limit:
                messages.append(f"{name} {value:.3f} is above its ceiling {limit}")
    return messages
