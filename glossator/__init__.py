"""Glossator: Markdown texts plus YAML annotations, rendered as a static reader with margin notes."""

__version__ = "0.1.0"
