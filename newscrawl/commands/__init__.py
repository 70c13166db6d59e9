"""CLI command groups; each module registers its commands with ``newscrawl.cli.command``."""
