"""The SQL archive: models, storage and search. It never imports newscrawl."""
