"""Searching for counterexamples: networks that agree with f but differ at a hidden layer."""

from symrep.search.engine import (
    FOUND,
    IMPOSSIBLE,
    METHODS,
    MODES,
    NONE_WITHIN,
    OBJECTIVES,
    STOPPED,
    UNAVAILABLE,
    UNREACHABLE,
    Infeasibility,
    Objective,
    SearchBounds,
    SearchResult,
    add_search_parser,
    cmd_search,
    everywhere_proof,
    parse_objectives,
    search,
    smt_available,
)

__all__ = ['FOUND', 'IMPOSSIBLE', 'Infeasibility', 'METHODS', 'MODES', 'NONE_WITHIN', 'OBJECTIVES', 'Objective', 'STOPPED', 'SearchBounds', 'SearchResult', 'UNAVAILABLE', 'UNREACHABLE', 'add_search_parser', 'cmd_search', 'everywhere_proof', 'parse_objectives', 'search', 'smt_available']
