"""newscrawl: crawler and archive for Indonesian regional news portals."""

__version__ = "0.1.0"
