"""Readers and writers: expression inputs, reference networks, edge lists, atomic outputs."""
from .atomic import atomic_path, write_json, write_text, write_tsv
from .expression import FORMATS, detect_format, read_expression, timecourse_from_anndata
from .network import read_edges, read_reference, scores_to_edges, write_edges

__all__ = [
    "FORMATS", "atomic_path", "detect_format", "read_edges", "read_expression", "read_reference",
    "scores_to_edges", "timecourse_from_anndata", "write_edges", "write_json", "write_text", "write_tsv",
]
