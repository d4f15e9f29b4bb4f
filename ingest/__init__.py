"""Turning files into chunks: loaders, legal structure, chunking, CPR redaction, the pipeline."""
