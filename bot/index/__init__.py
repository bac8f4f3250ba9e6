"""Indexing: which files are guidelines (scan), reading them (loaders), cutting them into
verbatim passages (chunking), what their sentences do (modality), the Chroma store with its
generations (store), incremental runs (indexer, report) and the folder watcher (watch)."""
