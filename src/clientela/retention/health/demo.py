"""Demo data for client health: called by the demo command once its purchases exist."""

from clientela.retention.health.services import RecomputeResult, health_recompute
from clientela.retention.health.services_playbooks import playbook_default_ensure


def health_demo() -> RecomputeResult:
    """Set up the default playbook, then fit the models and score every client.

    The playbook comes first so that clients already at risk get its tasks.
    """
    playbook_default_ensure()
    return health_recompute()
