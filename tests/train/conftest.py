"""Fixtures for the training tests: a tiny local LLaMA, records built from the bundled
dataset, and a store filled the way a run fills it."""

from train_fixtures import filled_store, sft_records, tiny_model

__all__ = ["filled_store", "sft_records", "tiny_model"]
