"""Early-warning signals derived from the event store (issue 8, docs/signals.md).

cases        documents of one proceeding linked into a case with a lifecycle stage
retaliation  for a new restrictive measure A → B, earlier B → A measures ranked as possible causes
escalation   a daily, decaying, explainable index per ordered country pair
feed         JSON Feed 1.1 and Atom 1.0 of high-confidence or confirmed events for partners
Everything here reads and writes only through the store, like every other stage.
"""
