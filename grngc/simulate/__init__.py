"""Simulated time courses with known networks, for benchmarks, demos and tests.

Every simulator returns ``(tc, truth)``: a :class:`TimeCourse` and a ``(p, p)`` 0/1 matrix with
``truth[i, j] = 1`` when ``i -> j`` (the past of ``i`` drives ``j``); self-loops are left 0.

* :func:`lorenz96` -- ``dx_j/dt = (x_{j+1} - x_{j-2}) x_{j-1} - x_j + F`` (indices mod p), as in
  the neural Granger causality literature (Tank et al. 2021): sampled every ``dt``, Gaussian noise.
* :func:`var` -- a stationary sparse VAR(lag) process, as in Neural-GC's ``simulate_var``.
* :func:`grn` -- a random sparse regulatory graph driving Hill-kinetics ODEs with noise
  (``dx_j/dt = v_j \\prod_r h_r(x_r) - \\gamma_j x_j + \\sigma dW``), several time courses.
* :func:`grn_cells`, :func:`differentiation_cells` -- single cells (:mod:`grngc.simulate.cells`).
"""
from .bulk import lorenz96, var, random_regulatory_graph, grn, to_anndata, truth_to_edges  # noqa: F401
from .cells import differentiation_cells, grn_cells  # noqa: F401
