"""The entry point :func:`search`: check the arguments, plan the methods, try them on each data set, verify a find.

Every result states its bounds.  A bounded search that finished finds "none within these
bounds" -- never "none"; one stopped by its budget says so and is not exhaustive.  An
objective that no network can meet on the data is reported ``impossible`` with the reason.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from symrep.claims.files import Problem
from symrep.claims.verdicts import verify_problem
from symrep.errors import InputError, SymrepError
from symrep.exact.numbers import Matrix, as_matrix
from symrep.networks.network import Network, forward
from symrep.search.claim_file import _claims, _function_claim
from symrep.search.everywhere import _cross_check, everywhere_proof
from symrep.search.layerwise import _layerwise
from symrep.search.objectives import (
    FOUND,
    FOUND_NAME,
    IMPOSSIBLE,
    METHODS,
    MODES,
    NONE_WITHIN,
    STOPPED,
    UNAVAILABLE,
    UNREACHABLE,
    Objective,
    parse_objectives,
)
from symrep.search.orbit import _orbit
from symrep.search.results import Infeasibility, SearchBounds, SearchResult
from symrep.search.smt import _smt, smt_available
from symrep.search.task import ProgressCallback, _Data, _data, _impossible, _Outcome, _point_sets, _Task

__all__ = ["pick_network", "search"]


def pick_network(problem: Problem, network: str | None) -> str:
    """The network to search from: the one named, or the file's only network."""
    names = [n for n, _ in problem.networks]
    if network is None:
        if len(names) != 1:
            raise InputError(f"name the network to search from (defined: {', '.join(names)})")
        return names[0]
    if network not in names:
        raise InputError(f"network {network!r} is not defined (defined: {', '.join(names)})")
    return network


def search(
    source: Problem | Network,
    *,
    network: str | None = None,
    layer: int,
    objective: Any,
    data: Any = None,
    mode: str = "data",
    extra_points: int = 0,
    nonzero_outputs: bool = False,
    method: str = "auto",
    bounds: SearchBounds | dict | None = None,
    seed: int = 0,
    progress: ProgressCallback | None = None,
) -> SearchResult:
    """Search for a network with f's architecture that agrees with f but represents layer *layer* differently.

    Parameters
    ----------
    source
        A :class:`~symrep.claims.Problem` (a claim file; its data are used) or a :class:`~symrep.network.Network`.
    network
        The name of f in the problem (optional when it has one network).
    layer
        A hidden layer, ``1 .. depth - 1``.
    objective
        One objective or several (see the module docstring), e.g. ``"no-match,isomorphic-not-equal"``.
    data
        Data points (one row each); required for a Network, optional for a Problem (replaces its data).
    mode
        ``"data"``: identical output activations on the data; ``"everywhere"``: the same function.
    extra_points
        Number of data points the search may add (integer coordinates in ``[-point_range, point_range]``).
    nonzero_outputs
        Require the output activations (on the data, added points included) not to be all zero.
    method
        ``"auto"`` (layerwise, then smt when z3 is installed and mode is data), ``"orbit"``,
        ``"layerwise"`` or ``"smt"``.
    bounds
        :class:`SearchBounds` or a dict of its fields.
    seed
        Seed of the random part of the candidate order (the order is deterministic given it).
    progress
        Called as ``progress(done, total)``.

    Returns
    -------
    SearchResult
        With a verified claim file when ``status == "found"``.

    Examples
    --------
    >>> from symrep.networks.network import Layer
    >>> f = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, -1], [1, -1]], "identity")], name="f")
    >>> r = search(f, data=[[1, 1], [-1, -1]], layer=1, objective="no-match,isomorphic-not-equal")
    >>> r.status, [[str(x) for x in row] for row in r.network.layers[0].weights]
    ('found', [['-1', '0'], ['0', '-1']])
    """
    t0 = time.perf_counter()
    if mode not in MODES:
        raise InputError(f"mode {mode!r} is not one of {', '.join(MODES)}")
    if method not in METHODS:
        raise InputError(f"method {method!r} is not one of {', '.join(METHODS)}")
    b = SearchBounds.of(bounds)
    objectives = parse_objectives(objective)
    f, network, inputs, src = _source(source, network, data)
    _check_arguments(f, network, inputs, layer, extra_points)
    f = Network(f.layers, name=network)
    task = _Task(f, network, layer, objectives, mode, bool(nonzero_outputs), b, int(seed),
                 t0 + float(b.max_seconds), progress, src)
    run = _Run(task, method, inputs, t0)
    if method == "smt" and not smt_available():
        return run.result(UNAVAILABLE, message="the smt method needs z3: pip install 'symrep[smt]' (or pip install z3-solver)")
    if method == "smt" and mode == "everywhere":
        return run.result(UNAVAILABLE,
                          message="the smt method searches on the data only (mode='data'); use layerwise for everywhere")
    run.plan = _plan(method, mode, objectives, f, layer)
    return _drive(run, extra_points)


def _source(source: Problem | Network, network: str | None, data: Any) -> tuple[Network, str, Matrix, str | None]:
    """f, its name, the data and the claim file it came from (if any)."""
    if isinstance(source, Problem):
        network = pick_network(source, network)
        inputs = source.inputs if data is None else as_matrix(data, "data")
        return source.network(network), network, inputs, source.source
    if isinstance(source, Network):
        if data is None:
            raise InputError("data points are needed to search from a Network (data=[[...], ...])")
        return source, network or source.name or "f", as_matrix(data, "data"), None
    raise InputError(f"expected a Problem or a Network, got {type(source).__name__}")


def _check_arguments(f: Network, network: str, inputs: Matrix, layer: Any, extra_points: Any) -> None:
    if network == FOUND_NAME:
        raise InputError(f"network name {FOUND_NAME!r} is reserved for the network the search finds; rename {network!r}")
    if not inputs or len(inputs[0]) != f.widths[0]:
        raise InputError(f"the data points need {f.widths[0]} coordinates each (network {network!r} takes {f.widths[0]} inputs)")
    if isinstance(layer, bool) or not isinstance(layer, int) or not 1 <= layer <= f.depth - 1:
        raise InputError(f"layer {layer!r} is not a hidden layer of {network!r} (between 1 and {f.depth - 1}); "
                         "the input and output layers are the same in every network that agrees with it")
    if isinstance(extra_points, bool) or not isinstance(extra_points, int) or not 0 <= extra_points <= 8:
        raise InputError(f"extra_points must be an integer between 0 and 8, got {extra_points!r}")


def _plan(method: str, mode: str, objectives: tuple[Objective, ...], f: Network, layer: int) -> list[str]:
    """The methods to try, in order."""
    if method != "auto":
        return [method]
    orbit_ok = all(o.name == "max-match-at-most" and o.k is not None and o.k >= 2 * f.widths[layer] for o in objectives)
    if orbit_ok:
        return ["orbit"]
    return ["layerwise", "smt"] if mode == "data" and smt_available() else ["layerwise"]


@dataclass
class _Run:
    """A search under way: what was tried, what it found out, and the evidence kept."""

    task: _Task
    method: str
    inputs: Matrix
    t0: float
    plan: list[str] = field(default_factory=list)
    evidence: list[Infeasibility] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=lambda: {"infeasible": 0, "smt_rejected": 0})
    attempts: list[dict[str, Any]] = field(default_factory=list)
    impossible: list[str] = field(default_factory=list)
    candidates: int = 0
    exhaustive: bool = True
    space: list[str] = field(default_factory=list)
    last_msg: str = ""
    orbit_shown: tuple[_Data, _Outcome] | None = None
    sets_tried: int = 0

    def result(self, status: str, **kw: Any) -> SearchResult:
        t = self.task
        r = SearchResult(status, kw.pop("method", self.method), t.mode, t.objectives, t.layer, t.f, t.name,
                         kw.pop("inputs", self.inputs), bounds=t.bounds, source=t.source, **kw)
        r.seconds = time.perf_counter() - self.t0
        return r


def _drive(run: _Run, extra_points: int) -> SearchResult:
    """Try the plan on the data, then on the data with each set of extra points, until a find or a bound."""
    task, b = run.task, run.task.bounds
    for pts, _last in _point_sets(task, run.inputs, extra_points):
        if run.sets_tried >= b.max_point_sets:
            run.exhaustive = False
            run.last_msg = f"{b.max_point_sets} sets of extra points tried"
            break
        if task.out_of_time():
            run.exhaustive = False
            run.last_msg = f"time bound of {b.max_seconds} s reached"
            break
        run.sets_tried += 1
        D = _data(task, tuple(run.inputs) + tuple(pts), tuple(pts))
        why = _impossible(task, D)
        if why is not None:
            run.impossible.append(why)
            if extra_points == 0:
                return run.result(IMPOSSIBLE, message=why, attempts=[{"method": "precheck", "status": IMPOSSIBLE, "reason": why}])
            continue
        found = _try_plan(run, D, len(pts))
        if found is not None:
            return found
    return _not_found(run, extra_points)


def _attempt(run: _Run, m: str, D: _Data) -> _Outcome:
    if m == "orbit":
        return _orbit(run.task, D)
    if m == "layerwise":
        return _layerwise(run.task, D, run.evidence, run.stats, run.candidates)
    return _smt(run.task, D, run.evidence, run.stats, run.candidates)


def _try_plan(run: _Run, D: _Data, added: int) -> SearchResult | None:
    """Each method of the plan on one data set; the result if one finds a network."""
    for m in run.plan:
        t1 = time.perf_counter()
        out = _attempt(run, m, D)
        run.candidates += out.candidates
        run.space = run.space or out.space
        run.attempts.append({"method": m, "status": out.status, "candidates": out.candidates,
                             "seconds": round(time.perf_counter() - t1, 3), "points_added": added,
                             "message": out.message})
        if out.status == FOUND:
            return _finish(run, D, out, m)
        if out.status == UNREACHABLE:
            run.orbit_shown = run.orbit_shown or (D, out)
        if out.status != NONE_WITHIN:
            run.exhaustive = run.exhaustive and m == "orbit" and out.status == UNREACHABLE
        run.last_msg = out.message
        if out.status == STOPPED and "time bound" in out.message:
            break
    return None


def _not_found(run: _Run, extra_points: int) -> SearchResult:
    """The result when no method found a network: the orbit element shown, or none within / stopped."""
    if run.orbit_shown is not None:
        D, out = run.orbit_shown
        r = _finish(run, D, out, "orbit")
        r.status = UNREACHABLE
        return r
    if run.impossible and run.sets_tried == len(run.impossible) and run.exhaustive:
        msg = f"every set of {extra_points} extra points in the grid was ruled out: {run.impossible[0]}"
        return run.result(NONE_WITHIN, message=msg, attempts=run.attempts, candidates=run.candidates, exhaustive=True,
                          search_space=run.space)
    status = NONE_WITHIN if run.exhaustive else STOPPED
    msg = ("no network within these bounds meets the objective" if status == NONE_WITHIN
           else f"no network found before a bound stopped the search ({run.last_msg})")
    return run.result(status, method=run.plan[-1] if len(run.plan) == 1 else run.method, message=msg,
                      attempts=run.attempts, candidates=run.candidates, exhaustive=status == NONE_WITHIN,
                      search_space=run.space, evidence=run.evidence, infeasible=run.stats["infeasible"])


def _everywhere(task: _Task, net: Network, method: str) -> dict[str, Any]:
    """The proof that *net* computes f's function (symmetry for an orbit element, else the kink decomposition)."""
    proof: dict[str, Any]
    if method == "orbit":
        proof = {"holds": True, "method": "symmetry",
                 "summary": "the network is f with hidden neurons permuted and positively rescaled (relu(s t) = s relu(t) "
                            "for s > 0), so it computes the same function",
                 "cross_check": _cross_check(task.f, net)}
    else:
        proof = everywhere_proof(task.f, net, task.layer)
    if not proof["holds"]:  # pragma: no cover - the solver enforces these coordinates
        raise SymrepError("internal error: the network found is not equal to f everywhere")
    cc = proof.get("cross_check", {})
    if cc.get("equal") is False:  # pragma: no cover
        raise SymrepError(f"internal error: {cc.get('by')} finds the functions different")
    return proof


def _finish(run: _Run, D: _Data, out: _Outcome, method: str) -> SearchResult:
    """Build the claims for a network found, verify them, and return the result."""
    task, net = run.task, out.network
    if net is None:  # pragma: no cover - every method returns a network with FOUND and UNREACHABLE
        raise SymrepError("internal error: no network to report")
    acts = forward(net, D.inputs)
    if acts[-1] != D.Y:  # pragma: no cover - every method checks this before reporting
        raise SymrepError("internal error: the network found does not agree with f on the data")
    r = run.result(FOUND, method=method, inputs=D.inputs, added=D.added, network=net,
                   candidates=run.candidates, search_space=out.space, message=out.message + (f"; {out.how}" if out.how else ""),
                   evidence=run.evidence, infeasible=run.stats["infeasible"], attempts=run.attempts)
    r.claims = _claims(task, D, net, method)
    if task.mode == "everywhere":
        r.everywhere = _everywhere(task, net, method)
        claim = _function_claim(task, r)
        if claim is not None:
            r.claims.insert(1, claim)
    verdicts = verify_problem(r.problem())
    r.verdicts = [(v.claim.id, v.holds, v.claim.expect) for v in verdicts]
    bad = [v for v in verdicts if not v.as_expected]
    if bad:  # pragma: no cover - a bug in the search, never reported as a finding
        raise SymrepError(f"internal error: claim {bad[0].claim.id!r} of the result is not as expected: {bad[0].explanation}")
    return r
