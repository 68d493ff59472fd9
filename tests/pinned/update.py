"""Rewrite the pinned behaviour (tests/test_pinned_behaviour.py) from what the code does now. Run it only
when a change of the command line, the pipeline's job graph or the demo's score is intended, and say so in
the commit: ``python tests/pinned/update.py``."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import test_pinned_behaviour as pinned  # noqa: E402

if __name__ == "__main__":
    for name, text in pinned.help_texts().items():
        (pinned.PINNED / "help" / f"{name}.txt").write_text(text)
    (pinned.PINNED / "dryrun_jobs.tsv").write_text(pinned.dryrun_jobs(Path("/tmp/grngc-pinned-dryrun")))
    (pinned.PINNED / "demo_auroc.txt").write_text(f"{pinned.demo_auroc():.3f}\n")
    print(f"rewrote {pinned.PINNED}")
