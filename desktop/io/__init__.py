"""Importers and exporters: files to and from core types. Qt-free."""
