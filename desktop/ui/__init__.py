"""The window: the only package that imports PySide6. Widgets call the Store, never SQL."""
