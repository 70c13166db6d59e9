"""Spiders: one base spider (:mod:`newscrawl.spiders.base`); one per profile, made from data."""
