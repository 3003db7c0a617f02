"""Faithfulness evals: score answers against a QA file and write a report."""
