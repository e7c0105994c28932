"""Layouts: the model, its schema and migrations, files, edits, ad-hoc layouts, and the diff between two."""
