"""Spiders used only by the fault tests (passed to the runner with spider_modules)."""
