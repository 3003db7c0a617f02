"""Tests of rag.settings: defaults < config file < RAG_* environment < overrides, and loud failures."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from rag.errors import SettingsError
from rag.settings import Settings, load_settings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No RAG_* variables from the developer's shell, and no rag.toml in the working folder."""
    for name in list(os.environ):
        if name.startswith("RAG_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def _config(tmp_path: Path, text: str, name: str = "my.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


DEFAULT = Settings()
CONFIG = "[retrieval]\nk = 3\ncandidates = 30\n\n[chunking]\nmax_tokens = 150\n"


def test_defaults_when_nothing_is_set() -> None:
    assert load_settings() == Settings()


@pytest.mark.parametrize(
    ("use_file", "env", "overrides", "expected"),
    [
        (False, {}, {}, (DEFAULT.retrieval.k, DEFAULT.retrieval.candidates, DEFAULT.chunking.max_tokens)),
        (True, {}, {}, (3, 30, 150)),
        (True, {"RAG_RETRIEVAL__K": "4"}, {}, (4, 30, 150)),
        (True, {"RAG_RETRIEVAL__K": "4"}, {"retrieval": {"k": 6}}, (6, 30, 150)),
        (True, {}, {"retrieval": {"k": 6}}, (6, 30, 150)),
        (False, {"RAG_CHUNKING__MAX_TOKENS": "120"}, {"chunking": {"target_chars": 500}}, (5, 40, 120)),
        (True, {"RAG_RETRIEVAL__CANDIDATES": "50"}, {"index_dir": None}, (3, 50, 150)),
    ],
)
def test_precedence(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    use_file: bool,
    env: dict[str, str],
    overrides: dict[str, Any],
    expected: tuple[int, int, int],
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = _config(tmp_path, CONFIG) if use_file else None
    settings = load_settings(path, **overrides)
    assert (settings.retrieval.k, settings.retrieval.candidates, settings.chunking.max_tokens) == expected


def test_nested_values_merge_across_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_CHUNKING__MAX_TOKENS", "120")
    settings = load_settings(_config(tmp_path, CONFIG), chunking={"target_chars": 500})
    assert settings.chunking.model_dump() == {
        "target_chars": 500,
        "max_tokens": 120,
        "overlap_sentences": Settings().chunking.overlap_sentences,
    }


def test_rag_config_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_CONFIG", str(_config(tmp_path, CONFIG)))
    assert load_settings().retrieval.k == 3


def test_rag_toml_in_the_working_folder_is_read(tmp_path: Path) -> None:
    _config(tmp_path, "[retrieval]\nk = 7\n", name="rag.toml")
    assert load_settings().retrieval.k == 7


def test_environment_sets_paths_and_floats(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_INDEX_DIR", "/data/my-index")
    monkeypatch.setenv("RAG_RETRIEVAL__DENSE_WEIGHT", "0.5")
    settings = load_settings()
    assert (settings.index_dir, settings.retrieval.dense_weight) == (Path("/data/my-index"), 0.5)


BAD = "bad setting "
AT_LEAST = "must be at least"
UNKNOWN = "check its spelling (see README, 'Configuration')"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"file": "[retrieval]\nkk = 1\n"}, f"unknown setting 'retrieval.kk': {UNKNOWN}"),
        ({"file": "colour = 'blue'\n"}, f"unknown setting 'colour': {UNKNOWN}"),
        ({"env": ("RAG_RETRIEVAL__KK", "1")}, f"unknown setting 'retrieval.kk': {UNKNOWN}"),
        ({"env": ("RAG_BOGUS", "1")}, f"unknown setting 'bogus': {UNKNOWN}"),
        ({"overrides": {"chunking": {"size": 500}}}, f"unknown setting 'chunking.size': {UNKNOWN}"),
    ],
)
def test_unknown_key_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: dict[str, Any], message: str
) -> None:
    path = _config(tmp_path, source["file"]) if "file" in source else None
    if "env" in source:
        monkeypatch.setenv(*source["env"])
    with pytest.raises(SettingsError) as error:
        load_settings(path, **source.get("overrides", {}))
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"chunking": {"max_tokens": 1000}},
            "bad setting 'chunking': chunking.max_tokens must be between 16 and 256 "
            "(the model reads at most 256)",
        ),
        ({"retrieval": {"k": 0}}, "bad setting 'retrieval': retrieval.k must be at least 1"),
        ({"retrieval": {"k": 50}}, f"{BAD}'retrieval': retrieval.candidates must be at least retrieval.k"),
        ({"retrieval": {"budget_chars": 9}}, f"{BAD}'retrieval': retrieval.budget_chars {AT_LEAST} 200"),
        (
            {"retrieval": {"heading_weight": 2}},
            f"{BAD}'retrieval': retrieval.heading_weight must be between 0 and 1",
        ),
        (
            {"retrieval": {"merge_chars": -1}},
            f"{BAD}'retrieval': retrieval.merge_chars must be 0 (never join passages) or more",
        ),
        ({"retrieval": {"min_trim_chars": 0}}, f"{BAD}'retrieval': retrieval.min_trim_chars {AT_LEAST} 1"),
        (
            {"chunking": {"overlap_sentences": 9}},
            f"{BAD}'chunking': chunking.overlap_sentences must be 0 to 7",
        ),
        ({"chunking": {"target_chars": 50}}, f"{BAD}'chunking': chunking.target_chars must be at least 100"),
        ({"embedding": {"batch_size": 0}}, f"{BAD}'embedding': embedding.batch_size must be at least 1"),
        ({"answering": {"max_words": 5}}, f"{BAD}'answering': answering.max_words must be at least 20"),
        ({"corpus": {"max_upload_mb": 0}}, f"{BAD}'corpus': corpus.max_upload_mb must be at least 1"),
        (
            {"retrieval": {"k": "five"}},
            f"{BAD}'retrieval.k': Input should be a valid integer, unable to parse string as an integer",
        ),
        ({"retrieval": {"ranker": "x"}}, f"{BAD}'retrieval.ranker': Input should be 'rrf' or 'learned'"),
    ],
)
def test_impossible_value_is_named(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(**overrides)
    assert str(error.value) == message


def test_impossible_value_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_RETRIEVAL__K", "0")
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert str(error.value) == "bad setting 'retrieval': retrieval.k must be at least 1"


def test_missing_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_CONFIG", "nope.toml")
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert str(error.value) == "config file nope.toml not found: create it or unset RAG_CONFIG"


def test_config_file_that_is_not_toml(tmp_path: Path) -> None:
    path = _config(tmp_path, "retrieval = [\n")
    with pytest.raises(SettingsError) as error:
        load_settings(path)
    assert str(error.value) == (
        f"config file {path} is not valid TOML (Invalid value (at end of document)): fix the line it names"
    )


@pytest.mark.parametrize(
    ("overrides", "index_changes", "answers_change"),
    [
        ({"chunking": {"max_tokens": 100}}, True, True),
        ({"chunking": {"target_chars": 600}}, True, True),
        ({"chunking": {"overlap_sentences": 0}}, True, True),
        ({"embedding": {"model": "another-model"}}, True, True),
        ({"retrieval": {"k": 9}}, False, True),
        ({"retrieval": {"bm25_weight": 0.3}}, False, True),
        ({"answering": {"max_words": 60}}, False, True),
        ({"embedding": {"batch_size": 8}}, False, True),
        ({"index_dir": Path("elsewhere")}, False, False),
        ({"corpus": {"dir": Path("papers")}}, False, False),
    ],
)
def test_fingerprints(overrides: dict[str, Any], index_changes: bool, answers_change: bool) -> None:
    """The index fingerprint follows what changes the vectors; the run fingerprint what changes answers."""
    base, changed = load_settings(), load_settings(**overrides)
    assert (
        base.index_fingerprint() != changed.index_fingerprint(),
        base.fingerprint() != changed.fingerprint(),
    ) == (index_changes, answers_change)
    assert len(changed.index_fingerprint()) == 12


def test_fingerprint_is_stable_across_loads() -> None:
    assert load_settings().index_fingerprint() == load_settings().index_fingerprint()
