"""Batch matching of open employment needs to job resources: as many needs as possible, then the least distance.

Needs of one village with the same allowed resources at the same costs are interchangeable, so the work is done on
classes of needs with multiplicities: a county of 3,000 needs is a flow network of a few hundred nodes. Pure Python,
no Django, so it can be run and tested on its own.

The exact method is min-cost max-flow by successive shortest augmenting paths (Dijkstra with Johnson potentials);
``assign_greedy`` is the nearest-first baseline it is measured against.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from heapq import heapify, heappop, heappush

Demand = tuple[Hashable, int, dict[Hashable, float]]
Assignment = list[tuple[Hashable, Hashable, int]]

_INF = math.inf


def _check(demands: list[Demand], capacity: dict[Hashable, int]) -> None:
    """Reject inputs the algorithms would silently get wrong: negative counts or costs, repeated class keys."""
    for resource, remaining in capacity.items():
        if remaining < 0:
            raise ValueError(f"resource {resource!r}: capacity {remaining} < 0")
    seen = set()
    for key, count, costs in demands:
        if key in seen:
            raise ValueError(f"class {key!r} given twice")
        seen.add(key)
        if count < 0:
            raise ValueError(f"class {key!r}: {count} needs < 0")
        for resource, cost in costs.items():
            # potentials start at 0 only because every cost is >= 0; NaN would break every comparison
            if not (0 <= cost < _INF):
                raise ValueError(f"class {key!r}, resource {resource!r}: cost {cost} is not finite and >= 0")


def assign_min_cost(demands: list[Demand], capacity: dict[Hashable, int]) -> Assignment:
    """demands: (class key, how many needs in it, {resource key: cost} of its allowed resources);
    capacity: {resource key: remaining}. Returns (class key, resource key, n) with n > 0: a maximum assignment of least
    total cost. Resources missing from ``capacity`` count as full. Ordered by class, then by resource, as given."""
    _check(demands, capacity)
    res_keys = [r for r, remaining in capacity.items() if remaining > 0]
    res_index = {r: i for i, r in enumerate(res_keys)}
    cls_keys: list[Hashable] = []
    supply: list[int] = []
    cls_adj: list[list[tuple[int, float]]] = []
    for key, count, costs in demands:
        adj = [(res_index[r], float(w)) for r, w in costs.items() if r in res_index]
        if count > 0 and adj:
            cls_keys.append(key)
            supply.append(count)
            cls_adj.append(adj)
    flow = _MinCostFlow(supply, [capacity[r] for r in res_keys], cls_adj).run()
    out = []
    for c, per_res in enumerate(flow):
        for r in sorted(per_res):
            out.append((cls_keys[c], res_keys[r], per_res[r]))
    return out


class _MinCostFlow:
    """Successive shortest paths on source → class → resource → sink.

    Nodes are numbered classes 0..C-1, resources C..C+R-1, then source and sink. Class → resource arcs are uncapacitated
    (the source and sink arcs bound them already), so the only state is the flow on used arcs, kept from both ends.
    Each round runs Dijkstra on reduced costs from whichever end is scarcer: searching from the sink when classes still
    have needs everywhere (and the other way round) reaches the far end after a few nodes instead of after all of them.
    """

    def __init__(self, supply: list[int], cap: list[int], cls_adj: list[list[tuple[int, float]]]) -> None:
        n_cls, n_res = len(supply), len(cap)
        self.n_cls, self.n_res = n_cls, n_res
        self.source, self.sink = n_cls + n_res, n_cls + n_res + 1
        self.nodes = n_cls + n_res + 2
        self.spare = list(supply) + list(cap)  # needs left per class, places left per resource (by node)
        self.cost = [{n_cls + r: w for r, w in adj} for adj in cls_adj]  # class → {resource node: cost}
        self.out_nodes = [[n_cls + r for r, _w in adj] for adj in cls_adj]
        self.out_costs = [[w for _r, w in adj] for adj in cls_adj]
        in_nodes: list[list[int]] = [[] for _ in range(n_res)]
        in_costs: list[list[float]] = [[] for _ in range(n_res)]
        for c, adj in enumerate(cls_adj):
            for r, w in adj:
                in_nodes[r].append(c)
                in_costs[r].append(w)
        self.in_nodes, self.in_costs = in_nodes, in_costs
        self.cls_flow: list[dict[int, int]] = [{} for _ in range(n_cls)]  # class → {resource node: units}
        self.res_flow: list[dict[int, int]] = [{} for _ in range(n_res)]  # resource index → {class: units}
        self.pot = [0.0] * self.nodes  # all costs >= 0, so zero potentials are feasible at the start
        # the work of a search is about the arcs leaving its starting frontier; kept up to date as nodes fill
        self.cls_open = sum(len(a) for a, s in zip(self.out_nodes, supply, strict=True) if s > 0)
        self.res_open = sum(len(a) for a, s in zip(in_nodes, cap, strict=True) if s > 0)

    def run(self) -> list[dict[int, int]]:
        while self.cls_open and self.res_open:
            path = self._from_sink() if self.res_open <= self.cls_open else self._from_source()
            if path is None:
                break  # no augmenting path: the flow is maximum, and SSP kept it least-cost at every value
            self._augment(path)
        n_cls = self.n_cls
        return [{r - n_cls: units for r, units in per_res.items()} for per_res in self.cls_flow]

    def _from_source(self) -> list[int] | None:
        """Dijkstra forward from the source; returns the path source, class, resource, ..., sink."""
        n_cls, n_res, source, sink = self.n_cls, self.n_res, self.source, self.sink
        pot, spare, cost = self.pot, self.spare, self.cost
        out_nodes, out_costs, res_flow = self.out_nodes, self.out_costs, self.res_flow
        dist = [_INF] * self.nodes
        prev = [-1] * self.nodes
        done = [False] * self.nodes
        heap = []
        base = pot[source]
        for c in range(n_cls):
            if spare[c]:
                # reduced costs can come out a hair below 0 from float rounding: clamp, or Dijkstra's order breaks
                d = max(base - pot[c], 0.0)
                dist[c], prev[c] = d, source
                heap.append((d, c))
        heapify(heap)
        while heap:
            d, u = heappop(heap)
            if done[u]:
                continue
            done[u] = True
            if u == sink:
                break
            base = d + pot[u]
            if u < n_cls:
                for v, w in zip(out_nodes[u], out_costs[u], strict=True):
                    nd = base + w - pot[v]
                    # the hot loop: a finished node has dist <= d, so the distance test turns most of them away first
                    if nd < dist[v] and not done[v]:
                        if nd < d:
                            nd = d
                        dist[v] = nd
                        prev[v] = u
                        heappush(heap, (nd, v))
            else:
                if spare[u]:
                    nd = max(base - pot[sink], d)
                    if nd < dist[sink]:
                        dist[sink], prev[sink] = nd, u
                        heappush(heap, (nd, sink))
                for c in res_flow[u - n_cls]:  # a used arc can be undone: resource → class at minus its cost
                    if not done[c]:
                        nd = base - cost[c][u] - pot[c]
                        if nd < dist[c]:
                            nd = max(nd, d)
                            dist[c], prev[c] = nd, u
                            heappush(heap, (nd, c))
        if not done[sink]:
            return None
        # nodes beyond the sink's distance get that distance: keeps every reduced cost >= 0 without a full search
        far = dist[sink]
        for v in range(n_cls + n_res + 2):
            dv = dist[v]
            pot[v] += dv if dv < far else far
        path = [sink]
        while path[-1] != source:
            path.append(prev[path[-1]])
        path.reverse()
        return path

    def _from_sink(self) -> list[int] | None:
        """Dijkstra backward from the sink (distances to it); returns the path source, class, resource, ..., sink."""
        n_cls, n_res, source, sink = self.n_cls, self.n_res, self.source, self.sink
        pot, spare, cls_flow = self.pot, self.spare, self.cls_flow
        in_nodes, in_costs = self.in_nodes, self.in_costs
        dist = [_INF] * self.nodes
        nxt = [-1] * self.nodes
        done = [False] * self.nodes
        heap = []
        base = pot[sink]
        for r in range(n_cls, n_cls + n_res):
            if spare[r]:
                d = max(pot[r] - base, 0.0)
                dist[r], nxt[r] = d, sink
                heap.append((d, r))
        heapify(heap)
        while heap:
            d, u = heappop(heap)
            if done[u]:
                continue
            done[u] = True
            if u == source:
                break
            base = d - pot[u]
            if u >= n_cls:
                r = u - n_cls
                for c, w in zip(in_nodes[r], in_costs[r], strict=True):
                    nd = base + w + pot[c]
                    if nd < dist[c] and not done[c]:
                        if nd < d:
                            nd = d
                        dist[c] = nd
                        nxt[c] = u
                        heappush(heap, (nd, c))
            else:
                if spare[u]:
                    nd = max(base + pot[source], d)
                    if nd < dist[source]:
                        dist[source], nxt[source] = nd, u
                        heappush(heap, (nd, source))
                costs = self.cost[u]
                for r in cls_flow[u]:  # the used arc class → resource, taken back: resource → class
                    if not done[r]:
                        nd = base - costs[r] + pot[r]
                        if nd < dist[r]:
                            nd = max(nd, d)
                            dist[r], nxt[r] = nd, u
                            heappush(heap, (nd, r))
        if not done[source]:
            return None
        far = dist[source]
        for v in range(n_cls + n_res + 2):
            dv = dist[v]
            pot[v] -= dv if dv < far else far
        path = [source]
        while path[-1] != sink:
            path.append(nxt[path[-1]])
        return path

    def _augment(self, path: list[int]) -> None:
        """Send the bottleneck amount along source, class, resource, (class, resource)*, sink."""
        n_cls, spare, cls_flow, res_flow = self.n_cls, self.spare, self.cls_flow, self.res_flow
        first, last = path[1], path[-2]
        amount = min(spare[first], spare[last])
        for i in range(2, len(path) - 2, 2):  # resource → class steps undo flow: at most what is there
            amount = min(amount, cls_flow[path[i + 1]][path[i]])
        for i in range(1, len(path) - 2):
            u, v = path[i], path[i + 1]
            if u < n_cls:
                _add(cls_flow[u], v, amount)
                _add(res_flow[v - n_cls], u, amount)
            else:
                _add(cls_flow[v], u, -amount)
                _add(res_flow[u - n_cls], v, -amount)
        spare[first] -= amount
        spare[last] -= amount
        if not spare[first]:
            self.cls_open -= len(self.out_nodes[first])
        if not spare[last]:
            self.res_open -= len(self.in_nodes[last - n_cls])


def _add(flows: dict[int, int], key: int, amount: int) -> None:
    left = flows.get(key, 0) + amount
    if left:
        flows[key] = left
    else:
        del flows[key]  # only used arcs stay, so undoing one is never offered at zero


def assign_greedy(demands: list[Demand], capacity: dict[Hashable, int]) -> Assignment:
    """The nearest-first baseline on the same input: all allowed pairs by cost, then class (as given), then resource
    (as given in ``capacity``); a pair takes as many of the class's needs as the resource still has places for."""
    _check(demands, capacity)
    res_order = {r: i for i, r in enumerate(capacity)}
    pairs = sorted(
        (w, c, res_order[r])
        for c, (_key, count, costs) in enumerate(demands)
        if count > 0
        for r, w in costs.items()
        if capacity.get(r, 0) > 0
    )
    res_keys = list(capacity)
    left_cls = [count for _key, count, _costs in demands]
    left_res = [capacity[r] for r in res_keys]
    taken = []
    for _w, c, r in pairs:
        n = min(left_cls[c], left_res[r])
        if n:
            left_cls[c] -= n
            left_res[r] -= n
            taken.append((c, r, n))
    taken.sort()
    return [(demands[c][0], res_keys[r], n) for c, r, n in taken]


def assign_near(demands: list[Demand], capacity: dict[Hashable, int], *,
                nearest: int = 10) -> tuple[Assignment, Assignment]:
    """(best, greedy): the least-cost maximum assignment over each class's `nearest` cheapest resources plus the
    arcs greedy used, and the greedy baseline. Greedy's assignment is feasible on those arcs, so the result still
    matches at least as many as greedy and, at an equal count, costs no more; a county's ~300,000 allowed arcs
    shrink to ~25,000 (one search per augmenting path is what costs)."""
    greedy = assign_greedy(demands, capacity)
    used: dict[Hashable, set] = {}
    for key, resource, _n in greedy:
        used.setdefault(key, set()).add(resource)
    sparse = []
    for key, count, costs in demands:
        keep = dict(sorted(costs.items(), key=lambda kv: kv[1])[:nearest])
        for resource in used.get(key, ()):
            keep[resource] = costs[resource]
        sparse.append((key, count, keep))
    return assign_min_cost(sparse, capacity), greedy


def assignment_quality(result: Assignment, demands: list[Demand]) -> tuple[int, float]:
    """(needs matched, mean cost of matched needs; 0.0 if none)."""
    costs = {key: allowed for key, _count, allowed in demands}
    matched = 0
    total = 0.0
    for key, resource, n in result:
        matched += n
        total += n * costs[key][resource]
    return matched, (total / matched if matched else 0.0)


def classes_of(needs: Iterable[tuple[Hashable, dict[Hashable, float]]]) -> tuple[list[Demand], dict[Hashable, int]]:
    """Group single needs (need key, {resource: cost}) into classes with identical allowed costs.

    Returns the demands (class key = 0, 1, ... in order of first appearance) and {need key: class key}."""
    by_signature: dict[frozenset, int] = {}
    demands: list[Demand] = []
    class_of: dict[Hashable, int] = {}
    for need, costs in needs:
        if need in class_of:
            raise ValueError(f"need {need!r} given twice")
        signature = frozenset(costs.items())
        c = by_signature.get(signature)
        if c is None:
            c = by_signature[signature] = len(demands)
            demands.append((c, 0, dict(costs)))
        key, count, allowed = demands[c]
        demands[c] = (key, count + 1, allowed)
        class_of[need] = c
    return demands, class_of


def members_of(class_of: dict[Hashable, Hashable]) -> dict[Hashable, list[Hashable]]:
    """{need key: class key} (from ``classes_of``) turned into {class key: [need keys]}, in the order given."""
    members: dict[Hashable, list[Hashable]] = {}
    for need, c in class_of.items():
        members.setdefault(c, []).append(need)
    return members


def expand(result: Assignment, members: dict[Hashable, list[Hashable]]) -> list[tuple[Hashable, Hashable]]:
    """Class results back to single needs: (need key, resource key), each need at most once, members taken in order."""
    taken = {c: 0 for c in members}
    out = []
    for c, resource, n in result:
        start = taken[c]
        chosen = members[c][start:start + n]
        if len(chosen) < n:
            raise ValueError(f"class {c!r}: {start + n} needs assigned, only {len(members[c])} in it")
        taken[c] = start + n
        out.extend((need, resource) for need in chosen)
    return out
