"""Judging networks: thresholds and annotation against a reference (:mod:`.threshold`), comparing methods
(:mod:`.compare`) and the stability of seeds (:mod:`.stability`). The metrics themselves are in
:mod:`grngc.evaluate.metrics`."""
