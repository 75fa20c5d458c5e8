"""The scenario tree: which decisions are shared, and with what probability.

A scenario `s` follows the base until its branch year `b_s`; from then on it
has its own decisions. Variables are indexed by tree node

    n(y, s) = (y, "base")  if y < b_s
              (y, s)       otherwise

so non-anticipativity holds by construction (no equality constraints). The
probability of node (y, base) is the base's own plus that of every scenario
still on the base path in year y.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.instance import BASE, Instance

Node = tuple[int, str]  # (year, owner scenario)


@dataclass(frozen=True)
class Tree:
    years: tuple[int, ...]
    scenarios: tuple[str, ...]  # base first
    probability: dict[str, float]
    branch: dict[str, int]
    nodes: tuple[Node, ...]
    node_probability: dict[Node, float]

    @classmethod
    def from_instance(cls, inst: Instance) -> Tree:
        """The tree of inst's scenarios. Without a base scenario (a decomposition's subproblem:
        one scenario alone, planner.solving.decompose) the base path is only the trunk it follows:
        base-path nodes up to its branch year, none after."""
        names = ([BASE] if BASE in inst.scenarios else []) + [s for s in inst.scenarios if s != BASE]
        prob = {s: inst.scenarios[s].probability if s in inst.scenarios else 0.0 for s in names}
        branch = {
            s: (inst.scenarios[s].branch_year if s != BASE else 10**9) for s in names if s in inst.scenarios
        }
        branch.setdefault(BASE, 10**9)
        years = tuple(inst.years)
        nodes: list[Node] = []
        nprob: dict[Node, float] = {}
        for y in years:
            for s in names:
                n = (y, s) if y >= branch[s] else (y, BASE)
                if n not in nprob:
                    nodes.append(n)
                    nprob[n] = 0.0
                nprob[n] += prob[s]
        return cls(years, tuple(names), prob, branch, tuple(nodes), nprob)

    def node(self, y: int, s: str) -> Node:
        return (y, s) if y >= self.branch[s] else (y, BASE)

    def path(self, s: str) -> list[Node]:
        return [self.node(y, s) for y in self.years]

    def paths(self) -> dict[str, list[Node]]:
        """One path per distinct scenario path (scenarios that never branch share the base's)."""
        out: dict[tuple, str] = {}
        for s in self.scenarios:
            out.setdefault(tuple(self.path(s)), s)
        return {s: list(p) for p, s in out.items()}

    def ancestors(self, n: Node) -> list[Node]:
        """Nodes on the path to n, n included, oldest first."""
        y, o = n
        return [self.node(t, o) for t in self.years if t <= y]

    def parent(self, n: Node) -> Node | None:
        y, o = n
        i = self.years.index(y)
        return None if i == 0 else self.node(self.years[i - 1], o)

    def scenarios_through(self, n: Node) -> list[str]:
        """Scenarios whose path passes through node n (every one still on the base path at a base node)."""
        return [s for s in self.scenarios if self.node(n[0], s) == n]

    def nodes_at(self, y: int) -> list[Node]:
        return [n for n in self.nodes if n[0] == y]

    def own_nodes(self) -> dict[str, list[Node]]:
        """Per scenario, the nodes only its path passes through: its own response once it has
        branched (the base's: the years after every other scenario has branched)."""
        out: dict[str, list[Node]] = {}
        for n in self.nodes:
            through = self.scenarios_through(n)
            if len(through) == 1:
                out.setdefault(through[0], []).append(n)
        return out


def own_variables(m, tree: Tree) -> dict[str, list]:
    """Per scenario, the model's variables that belong to it alone (branch polishing re-solves these
    with everything else held): those indexed by one of its own nodes, whose keys end in
    (year, owner), and those indexed by its path, whose keys end in the scenario's name
    (budget slack, CVaR tail). Here-and-now variables (new storage, the VaR level) belong to none."""
    import pyomo.environ as pyo

    years, names = set(tree.years), set(tree.scenarios)
    owner = {n: s for s, nodes in tree.own_nodes().items() for n in nodes}
    owners = set(owner.values())
    out: dict[str, list] = {}
    for comp in m.component_objects(pyo.Var, descend_into=True):
        for index, v in comp.items():
            key = index if isinstance(index, tuple) else (index,)
            if len(key) >= 2 and key[-2] in years and key[-1] in names:
                s = owner.get((key[-2], key[-1]))
            elif key and key[-1] in names:
                s = key[-1] if key[-1] in owners else None
            else:
                s = None
            if s is not None:
                out.setdefault(s, []).append(v)
    return out
