"""What the complaints app tells the apps above it (surveys listen to a resolution)."""

from django.dispatch import Signal

# Sent after the transaction that resolved a complaint commits; kwargs: complaint, actor.
complaint_resolved = Signal()
