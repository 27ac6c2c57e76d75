"""Evidens: evidence-based strategy processes for membership associations."""
