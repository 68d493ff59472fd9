"""Plain Markdown tables (no extra dependency)."""
from __future__ import annotations

import pandas as pd


def markdown_table(df: pd.DataFrame, floatfmt: str = ".3f") -> str:
    def fmt(v):
        if isinstance(v, float):
            return "" if pd.isna(v) else format(v, floatfmt)
        return str(v)

    head = "| " + " | ".join(map(str, df.columns)) + " |"
    sep = "| " + " | ".join("---" for _ in df.columns) + " |"
    body = ["| " + " | ".join(fmt(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, sep, *body])


def html_tables(sections) -> str:
    """A small self-contained HTML page of titled tables (for the Snakemake report)."""
    style = ("<style>body{font-family:sans-serif;font-size:13px} table{border-collapse:collapse;margin-bottom:1em}"
             "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right} th{background:#eee}</style>")
    body = []
    for title, df in sections:
        body.append(f"<h3>{title}</h3>")
        body.append(df.to_html(index=False, float_format=lambda x: f"{x:.3f}", na_rep="") if len(df) else "<p>(none)</p>")
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{style}</head><body>{''.join(body)}</body></html>\n"
