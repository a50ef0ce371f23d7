"""Corroborate: an offline desktop tool for reviewing who says what in an article, and how well it holds up."""

__version__ = "0.1.0"
