"""Dealing clients to arms at random, reproducibly: a pure function of the clients and a seed.

The clients are taken in id order and shuffled with numpy's PCG64 generator from the recorded
seed, so the same seed and the same eligible clients always give the same assignment. The
shuffled clients are dealt to the arms in turn, like cards, so the arms differ in size by at
most one; the order of the arms is shuffled too, so the arm that gets the odd client out is
chance, not always the first one. Stratified by owner, this is done within each owner's
clients (owners in id order): every manager's clients are spread evenly over the arms, so a
manager who is better at keeping clients cannot favour one arm.
"""

from collections import defaultdict
from collections.abc import Iterable

import numpy as np


def allocate(
    clients: Iterable[tuple[int, int]], *, arms: int, seed: int, stratify: bool
) -> dict[int, int]:
    """{client id: arm index} for (client id, owner id) pairs; arm indexes are 0..arms−1."""
    if arms < 2:
        raise ValueError("at least two arms are needed")
    generator = np.random.Generator(np.random.PCG64(seed))
    strata: dict[int, list[int]] = defaultdict(list)
    for client, owner in sorted(clients):
        strata[owner if stratify else 0].append(client)
    result: dict[int, int] = {}
    for key in sorted(strata):
        members = strata[key]
        shuffled = generator.permutation(len(members))
        arm_order = generator.permutation(arms)
        for turn, index in enumerate(shuffled):
            result[members[int(index)]] = int(arm_order[turn % arms])
    return result
