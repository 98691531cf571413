"""Tagging: gazetteers, cue features, the event classifier and role/stage extraction."""
