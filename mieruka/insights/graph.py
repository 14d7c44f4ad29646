"""The architecture graph: dependency closure (impact analysis) and a deterministic layout. Plain module.

Direction, stated once: a system *depends on* X when it has an interface whose `to_system` is X (it
calls, reads from or authenticates against X), or when it uses shared platform X. Edges are given as
(dependent, dependency) pairs of node keys, e.g. (("system", 12), ("platform", 3)).
Impact analysis asks the reverse question: if X fails or changes, who is affected? — every node that
depends on X directly (depth 1) or through others (depth 2, 3, …).
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Sequence


def dependents(*, edges: Iterable[tuple[Hashable, Hashable]], start: Hashable) -> dict[Hashable, int]:
    """Every node depending on `start`, directly or transitively, with its shortest depth (cycles are safe)."""
    reverse: dict[Hashable, list[Hashable]] = defaultdict(list)
    for dependent, dependency in edges:
        reverse[dependency].append(dependent)
    depth = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in reverse.get(node, ()):
            if nxt not in depth:
                depth[nxt] = depth[node] + 1
                queue.append(nxt)
    del depth[start]
    return depth


def radial_layout(
    *,
    groups: Sequence[tuple[Hashable, Sequence[Hashable]]],
    hubs: Sequence[Hashable],
    ring_size: int = 600,
) -> dict[Hashable, tuple[float, float]]:
    """Positions: hubs (shared platforms) on an inner circle, members on outer rings in one sector per group.

    A force-directed layout of thousands of nodes is slow and different on every run; sectors by
    organization are stable, readable, and O(n).
    """
    pos: dict[Hashable, tuple[float, float]] = {}
    for i, hub in enumerate(hubs):
        angle = 2 * math.pi * i / max(len(hubs), 1)
        # Radius 1.6 of the members' 3: room for the platforms' labels, still clearly the centre.
        pos[hub] = (round(1.6 * math.cos(angle), 4), round(1.6 * math.sin(angle), 4))
    total = sum(len(members) for _key, members in groups) or 1
    # Every sector has the same number of rings, so the rings are whole circles of even density.
    rings = max(1, math.ceil(total / ring_size))
    angle = 0.0
    for _key, members in groups:
        span = 2 * math.pi * len(members) / total
        per_ring = max(1, math.ceil(len(members) / rings))
        for j, member in enumerate(members):
            ring, slot = divmod(j, per_ring)
            a = angle + span * (slot + 0.5) / per_ring
            r = 3.0 + ring * 0.6
            pos[member] = (round(r * math.cos(a), 4), round(r * math.sin(a), 4))
        angle += span
    return pos
