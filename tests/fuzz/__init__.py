"""Hostile input for every importer and for search: the harness, the corpus and `python -m tests.fuzz`."""
