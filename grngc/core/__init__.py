"""The engine under every entry point (the command line, ``grngc.tl``, ``grngc.infer``, the pipeline):

* :mod:`~grngc.core.scaling`: per-gene scaling and lag-1 pairs of samples (numpy only);
* :mod:`~grngc.core.run`: checks, the choice of mode, one model, an ensemble, the single-cell mode;
* :mod:`~grngc.core.members`: the ensemble's members and the lag of each edge;
* :mod:`~grngc.core.combine`: every way networks are combined (seeds, members, jobs, consensus);
* :mod:`~grngc.core.runtime`: device, threads, progress, checkpoints, signals;
* :mod:`~grngc.core.record`, :mod:`~grngc.core.result`: the run record and the result.

The windows, the gradient penalty and the scores are in :mod:`grngc.granger.gradients`, training in
:mod:`grngc.granger.train`, the models in :mod:`grngc.models`.
"""
