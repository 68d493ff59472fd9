rule threshold:
    """Scores to a network: top_k, quantile, score or the knee of the sorted scores."""
    input:
        edges="results/{ds}/grngc/edges.tsv",
        runs=seed_runs,
    output:
        network="results/{ds}/network.tsv",
        graphml="results/{ds}/network.graphml",
    params:
        grngc=GRNGC,
        args=lambda wc: threshold_args(wc.ds),
    log:
        "results/logs/{ds}/threshold.log",
    benchmark:
        "results/benchmarks/{ds}/threshold.tsv"
    conda:
        ENV_CPU
    shell:
        "{params.grngc} threshold {input.edges} -o {output.network} --graphml {output.graphml} {params.args} "
        "--knee-from {input.runs} > {log} 2>&1"


rule annotate:
    """Mark each network edge against the reference; ranking and threshold metrics."""
    input:
        network="results/{ds}/network.tsv",
        edges="results/{ds}/grngc/edges.tsv",
        prepared="results/{ds}/prepared.h5ad",
        reference=optional_file("reference"),
        tfs=optional_file("tfs"),
    output:
        annotated=report(
            "results/{ds}/network_annotated.tsv",
            caption="../report/annotated.rst",
            category="{ds}",
            subcategory="3. network",
        ),
        metrics="results/{ds}/metrics.json",
    params:
        grngc=GRNGC,
        reference=lambda wc: reference_arg(wc.ds),
        kind=lambda wc: SHEET[wc.ds]["reference_kind"],
        tfs=lambda wc, input: f"--tfs {input.tfs[0]}" if input.tfs else "",
        regulators=lambda wc: regulators_arg(wc.ds),
    log:
        "results/logs/{ds}/annotate.log",
    benchmark:
        "results/benchmarks/{ds}/annotate.tsv"
    conda:
        ENV_CPU
    shell:
        "{params.grngc} annotate {input.network} --edges {input.edges} --genes-from {input.prepared} "
        "{params.reference} --kind {params.kind} {params.tfs} {params.regulators} -o {output.annotated} "
        "--metrics {output.metrics} > {log} 2>&1"


rule figures:
    """Score heatmap, the network drawn (and as an interactive page), and the training curves of every seed."""
    input:
        edges="results/{ds}/grngc/edges.tsv",
        annotated="results/{ds}/network_annotated.tsv",
        prepared="results/{ds}/prepared.h5ad",
        runs=seed_records,
        reference=optional_file("reference"),
    output:
        heatmap=report(
            "results/{ds}/figures/heatmap.png",
            caption="../report/heatmap.rst",
            category="{ds}",
            subcategory="3. network",
        ),
        network=report(
            "results/{ds}/figures/network.png",
            caption="../report/network.rst",
            category="{ds}",
            subcategory="3. network",
        ),
        interactive=report(
            "results/{ds}/figures/network.html",
            caption="../report/interactive.rst",
            category="{ds}",
            subcategory="3. network",
        ),
        loss=report(
            "results/{ds}/figures/loss.png",
            caption="../report/loss.rst",
            category="{ds}",
            subcategory="2. inference",
        ),
    params:
        grngc=GRNGC,
        reference=lambda wc: reference_arg(wc.ds),
        runs=lambda wc, input: named_by_seed(input.runs),
    log:
        "results/logs/{ds}/figures.log",
    benchmark:
        "results/benchmarks/{ds}/figures.tsv"
    conda:
        ENV_CPU
    shell:
        "({params.grngc} plot heatmap {input.edges} --genes-from {input.prepared} {params.reference} "
        "--title {wildcards.ds} -o {output.heatmap} && "
        "{params.grngc} plot network {input.annotated} --title {wildcards.ds} -o {output.network} && "
        "{params.grngc} plot interactive {input.annotated} --title {wildcards.ds} -o {output.interactive} && "
        "{params.grngc} plot loss {params.runs} --title {wildcards.ds} -o {output.loss}) > {log} 2>&1"
