"""Model zoos: every unordered pair of inputs, every common layer, every eps and measure, on Dask.

``symrep zoo`` (:mod:`symrep.cli.zoo`) is the command; this package is the library under it:
:mod:`~symrep.zoo.inputs` (inputs by content hash), :mod:`~symrep.zoo.tasks` (one (pair, layer)
comparison, run on a worker), :mod:`~symrep.zoo.engine` (the Dask cluster, scattering, results as
they finish), :mod:`~symrep.zoo.store` (the SQLite results store), :mod:`~symrep.zoo.recheck`
(stored results re-checked by the standalone checker) and :mod:`~symrep.zoo.plots`.  Dask is
optional (``pip install 'symrep[zoo]'``) and imported only when a cluster is needed.
See docs/zoo.md.
"""
