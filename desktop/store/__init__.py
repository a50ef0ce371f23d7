"""Storage: the only package that speaks SQL. Qt-free."""

from desktop.store.store import Store

__all__ = ["Store"]
