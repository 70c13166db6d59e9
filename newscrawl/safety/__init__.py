"""Safety components for a crawler facing a hostile web.

Modules (import the one you need; this package imports nothing heavy on purpose, so that
``newscrawl.settings`` can import :mod:`newscrawl.safety.settings` without starting Twisted):

``ssrf``
    :func:`~newscrawl.safety.ssrf.check_url` and the SSRF guard: a downloader middleware
    (URL level, every hop) and a DNS resolver (resolution level, against DNS rebinding).
``robots``
    robots.txt politeness (fetched once per host, 5xx/timeout = hold back and retry, 4xx = allow
    all, Crawl-delay applied to the download slot) and the honest User-Agent.
``limits``
    size/depth/page caps, the completeness check :func:`~newscrawl.safety.limits.is_complete`,
    decompression bomb counting, and counting every fault by kind in stats.
``charset``
    :func:`~newscrawl.safety.charset.decode_html` for mislabelled bytes, soft-404 and bot
    challenge detection.
``settings``
    ``SAFETY_SETTINGS``: the dict the project settings merge in.
"""
