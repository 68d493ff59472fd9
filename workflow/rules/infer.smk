rule infer:
    """GRNGC on one dataset with one seed: the GPU job (runs on CPU, with a warning, where there is none).
    A preempted or killed job leaves a checkpoint that the rerun continues from (--resume)."""
    input:
        prepared="results/{ds}/prepared.h5ad",
    output:
        edges="results/{ds}/grngc/seed{seed}/edges.tsv",
        scores="results/{ds}/grngc/seed{seed}/scores.npy",
        run="results/{ds}/grngc/seed{seed}/run.json",
    params:
        grngc=GRNGC,
        outdir=lambda wc, output: str(Path(output.edges).parent),
        args=lambda wc: infer_args(wc.ds),
    threads: config["infer"]["threads"]
    resources:
        gpu=config["infer"]["gpu"],
        mem_mb=infer_resource("mem_mb"),
        runtime=infer_resource("runtime"),
    log:
        "results/logs/{ds}/infer_seed{seed}.log",
    benchmark:
        "results/benchmarks/{ds}/infer_seed{seed}.tsv"
    conda:
        ENV_GPU if config["infer"]["gpu"] else ENV_CPU
    shell:
        "OMP_NUM_THREADS={threads} {params.grngc} infer {input.prepared} -o {params.outdir} --seed {wildcards.seed} "
        "--threads {threads} {params.args} --resume > {log} 2>&1"


rule aggregate_seeds:
    """Mean-rank aggregate of the seeds' networks and their top-k stability."""
    input:
        runs=seed_runs,
        prepared="results/{ds}/prepared.h5ad",
    output:
        edges="results/{ds}/grngc/edges.tsv",
        stability="results/{ds}/grngc/stability.tsv",
        plot=report(
            "results/{ds}/figures/stability.png",
            caption="../report/stability.rst",
            category="{ds}",
            subcategory="2. inference",
        ),
    params:
        grngc=GRNGC,
        runs=lambda wc, input: named_by_seed(input.runs),
    log:
        "results/logs/{ds}/aggregate_seeds.log",
    benchmark:
        "results/benchmarks/{ds}/aggregate_seeds.tsv"
    conda:
        ENV_CPU
    shell:
        "{params.grngc} aggregate {params.runs} -o {output.edges} --genes-from {input.prepared} "
        "--stability {output.stability} --plot {output.plot} --title {wildcards.ds} > {log} 2>&1"


rule sweep_lambda:
    """Held-out loss and seed stability for one lambda over the lags: one job per dataset and lambda."""
    input:
        prepared="results/{ds}/prepared.h5ad",
    output:
        table="results/{ds}/sweep/lam{lam}.tsv",
    params:
        grngc=GRNGC,
        lags=" ".join(str(x) for x in config["sweep"]["lags"]),
        args=lambda wc: infer_args(wc.ds),
    threads: config["infer"]["threads"]
    resources:
        gpu=config["infer"]["gpu"],
        mem_mb=infer_resource("mem_mb"),
        runtime=infer_resource("runtime"),
    log:
        "results/logs/{ds}/sweep_lam{lam}.log",
    benchmark:
        "results/benchmarks/{ds}/sweep_lam{lam}.tsv"
    conda:
        ENV_GPU if config["infer"]["gpu"] else ENV_CPU
    shell:
        "OMP_NUM_THREADS={threads} {params.grngc} sweep {input.prepared} {params.args} --lams {wildcards.lam} "
        "--lags {params.lags} -o {output.table} > {log} 2>&1"


rule sweep:
    """The sweep over lambda x lag, with the setting recommended without ground truth (one-SE rule)."""
    input:
        tables=lambda wc: expand("results/{ds}/sweep/lam{lam}.tsv", ds=wc.ds, lam=config["sweep"]["lams"]),
    output:
        table="results/{ds}/sweep.tsv",
    params:
        grngc=GRNGC,
    log:
        "results/logs/{ds}/sweep.log",
    benchmark:
        "results/benchmarks/{ds}/sweep.tsv"
    conda:
        ENV_CPU
    shell:
        "{params.grngc} sweep-merge {input.tables} -o {output.table} > {log} 2>&1"
