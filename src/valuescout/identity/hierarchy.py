"""Pure team-tree logic: subtrees over (id, parent_id) pairs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


def subtree_ids(edges: Iterable[tuple[int, int | None]], root: int) -> set[int]:
    """The root team and every team below it."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for team_id, parent_id in edges:
        children[parent_id].append(team_id)
    found: set[int] = set()
    stack = [root]
    while stack:
        current = stack.pop()
        if current in found:
            continue  # defensive: a cycle must not loop forever
        found.add(current)
        stack.extend(children.get(current, []))
    return found
