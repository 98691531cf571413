"""Delivery: the one outbox dispatcher (slack-sdk). Alerts, replies, digests, escalation notices, ops notices
and report uploads all leave through here; stages only write outbox rows (see docs/architecture.md)."""
