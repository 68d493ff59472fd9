rule preprocess:
    """Normalize (counts only), select genes, order samples by time or diffusion pseudotime."""
    input:
        data=raw_input,
        tfs=optional_file("tfs"),
        gene_list=optional_file("gene_list"),
    output:
        prepared="results/{ds}/prepared.h5ad",
        qc=report(
            "results/{ds}/figures/qc.png",
            caption="../report/qc.rst",
            category="{ds}",
            subcategory="1. preprocessing",
        ),
        record="results/{ds}/preprocess.json",
    params:
        grngc=GRNGC,
        args=lambda wc: preprocess_args(wc.ds),
    log:
        "results/logs/{ds}/preprocess.log",
    benchmark:
        "results/benchmarks/{ds}/preprocess.tsv"
    conda:
        ENV_CPU
    shell:
        "{params.grngc} preprocess {input.data:q} -o {output.prepared} --qc {output.qc} "
        "--record {output.record} {params.args} > {log} 2>&1"
