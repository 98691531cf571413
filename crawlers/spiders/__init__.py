"""One module per source: crawlers/spiders/<slug>.py (see crawlers/README.md)."""
