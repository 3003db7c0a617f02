"""The manifest of an index generation and what it says about the index on disk: whether there is one, whether
these settings can search it, and what changed since it was built. An index folder and settings in; an
IndexManifest, a reason or None out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.corpus_files import catalog_hash, corpus_files
from rag.errors import IndexDamagedError
from rag.index_folder import current_generation, damaged, file_sha256, verify_files
from rag.settings import Settings

FORMAT = 2


@dataclass(frozen=True)
class IndexManifest:
    """What built an index: model, chunking, cleaning version and the hash of every corpus file."""

    fingerprint: str
    model: str
    chunking: dict[str, Any]
    cleaning_version: str
    files: dict[str, str]
    skipped: dict[str, str]
    papers: dict[str, dict[str, Any]]
    docs: dict[str, str]
    chunks: int
    built_at: str
    catalog_hash: str = ""
    format: int = FORMAT
    runtime: str = "float"  # what made the vectors (settings.vector_runtime_id): questions must be embedded by it too
    adapted: str = ""  # the id of the adapted model (rag.adapt) that made the vectors; "" for the packaged one
    checksums: dict[str, str] = field(default_factory=dict)  # sha256 of each file of the generation

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> IndexManifest:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("the manifest is not a JSON object")
        return cls(**data)


def read_manifest(index_dir: Path) -> IndexManifest | None:
    """The live generation's manifest (None when there is no index; IndexDamagedError when it is garbled)."""
    generation = current_generation(index_dir)
    if generation is None:
        return None
    try:
        return IndexManifest.from_json((generation / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:  # JSONDecodeError is a ValueError
        raise damaged(index_dir, "manifest.json is not a manifest") from exc


def incompatible(manifest: IndexManifest, settings: Settings) -> str | None:
    """Why an index cannot be searched with these settings at all (its vectors mean something else)."""
    if manifest.format != FORMAT:
        return "the index was built by another version of this tool"
    if manifest.model != settings.embedding.model:
        return f"the index was built with the model {manifest.model}, not {settings.embedding.model}"
    return None


def staleness(settings: Settings) -> str | None:
    """Why the index no longer matches the settings or the corpus, or is damaged (None when it matches)."""
    try:
        manifest = read_manifest(settings.index_dir)
        generation = current_generation(settings.index_dir)
        if manifest is not None and generation is not None and incompatible(manifest, settings) is None:
            verify_files(generation, manifest.checksums, settings.index_dir)
    except IndexDamagedError as exc:
        return str(exc).split(": run `rag index")[0]
    if manifest is None:
        return f"no index in {settings.index_dir}"
    return incompatible(manifest, settings) or out_of_date(manifest, settings)


def answerable(settings: Settings) -> bool:
    """True when the index on disk can answer questions (whole, same model and format), even if out of date."""
    try:
        manifest = read_manifest(settings.index_dir)
        generation = current_generation(settings.index_dir)
        if manifest is None or generation is None or incompatible(manifest, settings) is not None:
            return False
        verify_files(generation, manifest.checksums, settings.index_dir)
    except IndexDamagedError:
        return False
    return True


def out_of_date(manifest: IndexManifest, settings: Settings) -> str | None:
    """What changed since a whole, compatible index was built: chunking or cleaning settings, corpus files."""
    if manifest.fingerprint != settings.index_fingerprint():
        adapted = settings.adapted_model()
        if manifest.adapted != (adapted.id if adapted else ""):
            now = "a model adapted to the papers" if adapted else "the packaged model"
            return f"the papers are to be embedded with {now} (`rag adapt` or `rag index` does it)"
        return "the index was built with other model, chunking or cleaning settings"
    if not settings.corpus.dir.is_dir():
        return None
    current = {p.name: file_sha256(p) for p in corpus_files(settings.corpus.dir)}
    indexed = {**{d: "" for d in manifest.skipped}, **manifest.files}
    added = sorted(set(current) - set(indexed))
    removed = sorted(set(indexed) - set(current))
    changed = sorted(d for d in set(current) & set(manifest.files) if current[d] != manifest.files[d])
    if manifest.catalog_hash and manifest.catalog_hash != catalog_hash(settings.corpus.dir):
        changed.append("catalog.toml or a sidecar")
    if added or removed or changed:
        parts = [
            f"{label}: {', '.join(names)}"
            for label, names in (("added", added), ("removed", removed), ("changed", changed))
            if names
        ]
        return "the corpus changed since the index was built (" + "; ".join(parts) + ")"
    return None
