"""Agreements (aftaler) between the municipality and housing organisations, extracted from documents."""
