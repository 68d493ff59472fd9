# grngc: gene regulatory networks from time-ordered expression (GRNGC), per dataset of the sheet:
# preprocess -> infer (one job per seed) -> aggregate -> threshold -> annotate -> compare -> report.
# The logic lives in the grngc package; the rules below call its command line.
from snakemake.utils import min_version

min_version("8.20")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/preprocess.smk"
include: "workflow/rules/infer.smk"
include: "workflow/rules/network.smk"
include: "workflow/rules/compare.smk"
include: "workflow/rules/report.smk"


# seconds-long rules run on the node that runs snakemake, not as cluster jobs
localrules:
    all,
    aggregate_seeds,
    sweep,
    threshold,
    annotate,
    figures,
    summarize,


rule all:
    input:
        all_outputs(),
