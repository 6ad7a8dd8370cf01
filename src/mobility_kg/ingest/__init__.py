"""Corpus files -> typed records. Knows nothing of RDF."""
