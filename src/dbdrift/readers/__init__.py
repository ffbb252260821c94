"""Readers: one module per kind of source, each ``read(source) -> Schema``."""
