"""GRNGC itself: windows, gradient scores and the gradient penalty (:mod:`.gradients`), training one model and
the models of a run (:mod:`.train`), choosing ``lambda`` and ``lag`` without ground truth (:mod:`.sweep`).
The forecasting models are in :mod:`grngc.models`."""


def __getattr__(name):
    # grngc.granger was one module until the layout of docs/layout.md: its functions still resolve here, with a
    # DeprecationWarning that says where they went (removed in grngc 0.3)
    import importlib
    import warnings

    gradients = importlib.import_module(".gradients", __name__)
    if name.startswith("__") or not hasattr(gradients, name):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(f"grngc.granger.{name} has moved to grngc.granger.gradients.{name}; import it from there",
                  DeprecationWarning, stacklevel=2)
    return getattr(gradients, name)
