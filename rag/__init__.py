"""Cited answers from research papers: ingest, retrieve, answer with citations, evaluate."""

from __future__ import annotations

__version__ = "0.1.0"
