"""Alerts: match events to watchlists, group them into stories, render Block Kit, deliver via an outbox."""
