"""The pipeline's configuration and dataset sheet: validated against JSON schemas, with messages that
name the file, the row, the field and the fix (a misspelled key gets a "did you mean").

The schemas live in ``workflow/schemas/``; these functions take their paths so that they can be tested
without Snakemake.
"""
from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd

from ..timecourse import InputError

FILE_FIELDS = ("path", "reference", "tfs", "gene_list", "genie3", "tigress")


def _load_schema(path) -> dict:
    import yaml

    return yaml.safe_load(Path(path).read_text())


def _suggest(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(sorted(known))}"


def _fill_defaults(obj: dict, schema: dict) -> None:
    for key, sub in schema.get("properties", {}).items():
        if key not in obj and "default" in sub:
            default = sub["default"]
            obj[key] = dict(default) if isinstance(default, dict) else (list(default) if isinstance(default, list) else default)
        if isinstance(obj.get(key), dict) and sub.get("type") == "object":
            _fill_defaults(obj[key], sub)


def _unknown_keys(obj: dict, schema: dict, where: str) -> None:
    props = schema.get("properties", {})
    if schema.get("additionalProperties", True) is False:
        for key in obj:
            if key not in props:
                raise InputError(f"{where}: unknown key {key!r}{_suggest(key, props)}")
    for key, sub in props.items():
        if isinstance(obj.get(key), dict) and sub.get("type") == "object":
            _unknown_keys(obj[key], sub, f"{where} {key}")


def _validate(obj: dict, schema: dict, where: str, what: str, top: str) -> None:
    """jsonschema validation whose message names the field (``what`` key/field) that is wrong."""
    import jsonschema

    try:
        jsonschema.validate(obj, schema)
    except jsonschema.ValidationError as err:
        field = ".".join(str(p) for p in err.absolute_path) or top
        raise InputError(f"{where}: {what} {field if what == 'key' else repr(field)}: {err.message}") from None


def validate_config(config: dict, schema_path, source: str = "config") -> dict:
    """Check ``config`` against the schema (unknown keys, types, allowed values); fill defaults."""
    schema = _load_schema(schema_path)
    config = dict(config or {})
    _unknown_keys(config, schema, source)
    _fill_defaults(config, schema)
    _validate(config, schema, source, "key", "(top level)")
    return config


def _cell(value, spec: dict):
    """Sheet cells arrive as strings: empty -> None, numbers for numeric fields."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    value = str(value).strip()
    if value == "":
        return None
    kind = spec.get("type")
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value  # let the schema say what is wrong
    return value


def load_sheet(path, schema_path, base_dir=".") -> list[dict]:
    """Read and validate the dataset sheet; every file it names must exist (relative to ``base_dir``)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such dataset sheet; set `datasets:` in the config to a TSV with columns "
                         "id and path (see config/README.md)")
    schema = _load_schema(schema_path)
    props = schema["properties"]
    sheet = pd.read_csv(path, sep="\t", dtype=str, comment="#", skip_blank_lines=True).dropna(how="all")
    if len(sheet.columns) == 1 and any(sep in sheet.columns[0] for sep in (",", ";", " ")):
        raise InputError(f"{path}: the sheet must be tab-separated; its header {sheet.columns[0]!r} has no tab "
                         "(save it as TSV: one tab between columns)")
    problems = []
    for col in sheet.columns:
        if col not in props:
            problems.append(f"{path}: column {col!r} is not a sheet column{_suggest(col, props)}")
    for col in schema.get("required", []):
        if col not in sheet.columns:
            problems.append(f"{path}: the sheet has no column {col!r} (required: {', '.join(schema['required'])})")
    if problems:
        _raise_all(problems)
    rows, seen = [], {}
    for n, raw in enumerate(sheet.to_dict("records"), start=2):  # row 1 is the header
        row = {k: _cell(v, props[k]) for k, v in raw.items()}
        row = {k: v for k, v in row.items() if v is not None}
        where = f"{path}: row {n} (id={row.get('id', '?')})"
        _fill_defaults(row, schema)
        try:
            _validate(row, schema, where, "field", "(row)")
        except InputError as err:
            problems.append(str(err))
            continue
        if row["id"] in seen:
            problems.append(f"{where}: id {row['id']!r} is already used in row {seen[row['id']]}; ids must be unique")
        seen[row["id"]] = n
        for field in FILE_FIELDS:
            if field in row and not (Path(base_dir) / row[field]).exists():
                problems.append(f"{where}: field {field!r}: {row[field]} does not exist (paths are relative to "
                                f"{Path(base_dir).resolve()}); fix the path or empty the cell")
        if row.get("genes") == "list" and "gene_list" not in row:
            problems.append(f"{where}: genes=list needs a gene_list file")
        if not any(p.startswith(where) for p in problems):
            problems.extend(_check_against_data(row, Path(base_dir), where))
        rows.append(row)
    if problems:
        _raise_all(problems)
    if not rows:
        raise InputError(f"{path}: the sheet lists no dataset; add a row with id and path")
    return rows


def _data_columns(path: Path, fmt: str | None) -> tuple[list[str], list[str]] | None:
    """``(sample columns, genes)`` of a dataset, read cheaply (an .h5ad's obs and var only, a table's
    header); ``None`` for formats whose keys are fixed (DREAM, BEELINE)."""
    from ..io.formats import detect_format

    fmt = fmt or detect_format(path)
    if fmt == "h5ad":
        import anndata as ad

        adata = ad.read_h5ad(path, backed="r")  # obs and var in memory, X left on disk
        try:
            return [str(c) for c in adata.obs.columns], [str(g) for g in adata.var_names]
        finally:
            adata.file.close()
    if fmt == "table":
        from ..io.formats import sniff_sep

        header = pd.read_csv(path, sep=sniff_sep(path), nrows=0).columns
        return [str(c) for c in header], [str(c) for c in header]
    return None


def _check_against_data(row: dict, base_dir: Path, where: str) -> list[str]:
    """What can be checked before any job runs by reading only the data's column names: the time and
    series keys name columns of the data, and the reference joins at least two of its genes."""
    from ..io.columns import find_column

    try:
        cols = _data_columns(base_dir / row["path"], row.get("format"))
    except Exception:  # noqa: BLE001 - an unreadable file fails its own preprocess job, with the reason, and
        return []      # the other datasets still run (--keep-going)
    if cols is None:
        return []
    obs, genes = cols
    problems = []
    table = row.get("format") == "table" or str(row["path"]).lower().endswith((".csv", ".tsv", ".txt", ".tab"))
    for field, role in (("time_key", "time"), ("series_key", "series")):
        if row.get(field):
            try:
                find_column(obs, row[field], role, f"{where}: field {field!r}", "the data's sample table (obs)",
                            case_insensitive=table)
            except InputError as err:
                problems.append(str(err))
    if row.get("reference"):
        from ..io import read_reference

        try:
            ref = read_reference(base_dir / row["reference"])
        except InputError as err:
            return problems + [f"{where}: field 'reference': {err}"]
        from ..evaluate.metrics import reference_coverage

        if reference_coverage(ref, genes)["edges_in_genes"] == 0:
            named = sorted(set(ref["regulator"]) | set(ref["target"]))[:3]
            problems.append(f"{where}: field 'reference': none of the {len(ref)} edges of {row['reference']} joins two "
                            f"genes of {row['path']} (reference genes e.g. {named}, data genes e.g. {genes[:3]}); "
                            "check the gene naming (symbols vs Ensembl ids, case, organism) or empty the cell")
    return problems


def _raise_all(problems: list[str]) -> None:
    """Every problem of the sheet at once (one fix-and-rerun round instead of one per problem)."""
    if len(problems) == 1:
        raise InputError(problems[0])
    raise InputError(f"{len(problems)} problems in the dataset sheet:\n" + "\n".join(f"  - {p}" for p in problems))
