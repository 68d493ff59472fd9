rule summarize:
    """One table and one figure across all datasets."""
    input:
        tables=expand("results/{ds}/compare/compare.tsv", ds=SHEET),
    output:
        table="results/summary.tsv",
        html=report("results/summary.html", caption="../report/summary_table.rst", category="Summary"),
        plot=report("results/summary.png", caption="../report/summary.rst", category="Summary"),
    params:
        grngc=GRNGC,
        tables=lambda wc, input: " ".join(f"{ds}={t}" for ds, t in zip(SHEET, input.tables)),
        prefix=lambda wc, output: output.table[: -len(".tsv")],
    log:
        "results/logs/summarize.log",
    benchmark:
        "results/benchmarks/summarize.tsv"
    conda:
        ENV_CPU
    shell:
        "{params.grngc} summarize {params.tables} -o {params.prefix} > {log} 2>&1"
