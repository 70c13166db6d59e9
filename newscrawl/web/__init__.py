"""The web app over the archive (FastAPI, Jinja2): ``newscrawl serve`` runs it with uvicorn."""

from newscrawl.web.app import create_app

__all__ = ["create_app"]
