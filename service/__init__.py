"""Answering, report review, the HTTP API, the chat widget and the CLI."""
