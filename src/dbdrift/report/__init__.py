"""Renderers: one module per output format, each turning a result object into text."""
