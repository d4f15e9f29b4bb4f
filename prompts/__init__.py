"""Prompt templates as data, loaded through a validated registry."""
