"""Sphinx configuration of grngc's documentation (``make docs``; CI builds it with warnings as errors)."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

project = "grngc"
author = "the grngc developers"
copyright = "2026, the grngc developers"
extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.mathjax"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_heading_anchors = 3  # links to sections: [text](page.md#a-heading)
myst_enable_extensions = ["dollarmath"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_numpy_docstring = True
html_theme = "alabaster"
html_title = "grngc"
html_static_path = ["_static"]
html_css_files = ["tables.css"]  # wide tables scroll inside the text column
suppress_warnings = ["myst.header"]  # pages generated from benchmarks start at any heading level
