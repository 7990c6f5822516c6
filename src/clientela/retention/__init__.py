"""Retain: complaints, satisfaction surveys, client health, gesture experiments and the
discount policy.

Each part is an app of its own (its own models and migrations) inside this package:

- discounts:   the discount policy, approvals and the report of discounts given
- complaints:  complaints with severity, deadline, escalation and compensation
- surveys:     NPS and CSAT surveys by tokenised link, results, detractor follow-up
- health:      BG/NBD and Gamma-Gamma fits of the purchase history, health score, at-risk list
- experiments: randomised gesture experiments and their statistics

Dependencies point one way inside the package too:
discounts, complaints ← surveys ← health ← experiments.
"""
