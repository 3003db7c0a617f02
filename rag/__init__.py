"""Cited answers from research papers: ingest, retrieve, answer with citations, evaluate."""

from __future__ import annotations

import os

# Offline by design: anything that reaches for a model hub fails at once instead of hanging.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# On 2 cores torch's and BLAS's thread pools fight: one BLAS thread makes a query embedding ~50x faster.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

__version__ = "0.1.0"
