rule baseline:
    """A method of grngc.methods (GENIE3, TIGRESS, GRNBoost2, ...) run by the pipeline where the sheet gives no result file."""
    input:
        prepared="results/{ds}/prepared.h5ad",
    output:
        edges="results/{ds}/baselines/{method}.tsv",
    params:
        grngc=GRNGC,
        args=lambda wc: baseline_args(wc.method),
        regulators=lambda wc: regulators_arg(wc.ds),
    threads: 2
    log:
        "results/logs/{ds}/baseline_{method}.log",
    benchmark:
        "results/benchmarks/{ds}/baseline_{method}.tsv"
    conda:
        ENV_CPU
    shell:
        "{params.grngc} baseline {wildcards.method} {input.prepared} -o {output.edges} {params.args} {params.regulators} "
        "--n-jobs {threads} > {log} 2>&1"


rule compare:
    """GRNGC against GENIE3 and TIGRESS (the user's files or the pipeline's runs): metrics, overlap, curves."""
    input:
        unpack(baseline_edges),
        grngc="results/{ds}/grngc/edges.tsv",
        prepared="results/{ds}/prepared.h5ad",
        reference=optional_file("reference"),
    output:
        table="results/{ds}/compare/compare.tsv",
        html=report(
            "results/{ds}/compare/compare.html",
            caption="../report/compare.rst",
            category="{ds}",
            subcategory="4. comparison",
        ),
        roc=report(
            "results/{ds}/compare/roc.png",
            caption="../report/roc.rst",
            category="{ds}",
            subcategory="4. comparison",
        ),
        pr=report(
            "results/{ds}/compare/pr.png",
            caption="../report/pr.rst",
            category="{ds}",
            subcategory="4. comparison",
        ),
    params:
        grngc=GRNGC,
        methods=lambda wc, input: " ".join(f"{m}={input[m]}" for m in ("grngc", *BASELINE_METHODS) if m in input.keys()),
        reference=lambda wc: reference_arg(wc.ds),
        kind=lambda wc: SHEET[wc.ds]["reference_kind"],
        regulators=lambda wc: regulators_arg(wc.ds),
        prefix=lambda wc, output: output.table[: -len(".tsv")],
        plotdir=lambda wc, output: str(Path(output.table).parent),
        consensus="--consensus" if config["compare"]["consensus"] else "",
        top_k=f"--top-k {config['compare']['top_k']}" if config["compare"]["top_k"] else "",
    log:
        "results/logs/{ds}/compare.log",
    benchmark:
        "results/benchmarks/{ds}/compare.tsv"
    conda:
        ENV_CPU
    shell:
        "{params.grngc} compare {params.methods} --genes-from {input.prepared} {params.reference} --kind {params.kind} "
        "{params.regulators} {params.consensus} "
        "{params.top_k} --plot {params.plotdir} -o {params.prefix} > {log} 2>&1"
