"""Readers and writers: expression inputs (:mod:`~grngc.io.expression`, :mod:`~grngc.io.formats`),
reference networks (:mod:`~grngc.io.reference`), edge lists (:mod:`~grngc.io.network`), exports for
other tools (:mod:`~grngc.io.export`), output folders and atomic writes; and the pipeline's first stage,
preprocessing with scanpy (:mod:`~grngc.io.preprocess`: AnnData in, the engine's input out)."""
from .atomic import atomic_path, write_json, write_text, write_tsv
from .expression import read_expression, timecourse_from_anndata
from .formats import FORMATS, detect_format
from .network import read_edges, read_scored_edges, scores_to_edges, write_edges
from .reference import read_reference

__all__ = [
    "FORMATS", "atomic_path", "detect_format", "read_edges", "read_scored_edges", "read_expression", "read_reference",
    "scores_to_edges", "timecourse_from_anndata", "write_edges", "write_json", "write_text", "write_tsv",
]
