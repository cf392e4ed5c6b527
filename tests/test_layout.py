"""The package layout: old module paths resolve to the moved modules, and the layers hold."""

import importlib

import pytest

from symrep._aliases import ALIASES


@pytest.mark.parametrize("old", sorted(ALIASES))
def test_old_module_path_is_the_moved_module(old):
    moved = importlib.import_module(ALIASES[old])
    again = importlib.import_module(old)
    assert again is moved
    assert again.__name__ == ALIASES[old] and again.__spec__.name == ALIASES[old]


def test_from_import_of_an_old_name_gives_the_moved_module():
    from symrep import lp, matching  # noqa: F401 - the import itself is under test
    from symrep.exact import lp as new_lp
    from symrep.measures import matching as new_matching

    assert lp is new_lp and matching is new_matching
