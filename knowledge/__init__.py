"""The knowledge base: types, legal references, embeddings, store, lexical index, retrieval."""
