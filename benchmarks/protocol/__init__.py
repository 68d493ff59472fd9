"""The bulk accuracy protocol: every method on every development family, settings chosen
leave-one-family-out under rules written down before the run that reports.

A newcomer's map:

* :mod:`protocol.rules`: the pre-registered rules (families, pool, criterion, tie-break). Committed before
  the run that reports; the report refuses to run on a registration whose file changed after its results.
* :mod:`protocol.candidates`: the candidates as plain data (single models, baselines, rank means).
* :mod:`protocol.cache`: scores cached per (method settings, code version, dataset).
* :mod:`protocol.compute`: runs what is missing.
* :mod:`protocol.selection`: the family-out choice, and its replay from a results table.
* :mod:`protocol.report`: the tables (external families apart from our simulator's) and ``docs/accuracy.md``.

Run: ``python benchmarks/protocol`` (``--help`` for workers, families and methods).
"""
