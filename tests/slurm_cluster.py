"""A real single-node SLURM cluster for tests: munge, slurmctld and slurmd on 127.0.0.1, with one fake
GPU (a gres backed by /dev/null that the scheduler hands out; torch still finds no CUDA).

Needs root and the Debian packages ``slurmctld slurmd slurm-client munge`` (``.ci/run`` installs
them). Everything lives in one folder; only the daemons started here are stopped, by their PIDs.

    python tests/slurm_cluster.py start DIR     # prints the SLURM_CONF to export
    python tests/slurm_cluster.py stop DIR
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

DAEMONS = ("munged", "slurmctld", "slurmd")
# Job steps (srun inside a batch job) read the default config path: Snakemake's SLURM job step clears
# SLURM_* variables, SLURM_CONF included. We link our config there only when nothing is there.
DEFAULT_CONF = Path("/etc/slurm/slurm.conf")


def unavailable_reason() -> str | None:
    """Why a cluster cannot be started here (None when it can)."""
    if os.geteuid() != 0:
        return "the SLURM daemons must be started as root"
    missing = [d for d in ("munged", "slurmctld", "slurmd", "sbatch", "squeue") if shutil.which(d) is None]
    if missing:
        return f"not installed: {', '.join(missing)} (apt-get install slurmctld slurmd slurm-client munge)"
    if not Path("/etc/munge/munge.key").exists():
        return "no /etc/munge/munge.key"
    return None


def _conf(d: Path, node: str, cpus: int, mem_mb: int) -> str:
    return f"""ClusterName=grngctest
SlurmctldHost={node}(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket={d}/munge/munge.socket.2
CredType=cred/munge
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldLogFile={d}/slurmctld.log
SlurmdLogFile={d}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
GresTypes=gpu
ReturnToService=2
MinJobAge=3600  # keep finished jobs visible to scontrol for the tests
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName={node} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={mem_mb} Gres=gpu:1 State=UNKNOWN
PartitionName=cpu Nodes={node} Default=YES MaxTime=INFINITE State=UP
PartitionName=gpu Nodes={node} MaxTime=INFINITE State=UP
"""


def start(d: str | os.PathLike, timeout: float = 60.0) -> dict:
    """Start munge, slurmctld and slurmd with their files in ``d``; wait until the node is idle.
    Returns the environment to run clients with (``SLURM_CONF``)."""
    d = Path(d).resolve()
    for sub in ("state", "spool", "munge"):
        (d / sub).mkdir(parents=True, exist_ok=True)
    shutil.chown(d / "munge", "munge", "munge")
    os.chmod(d / "munge", 0o755)
    node = socket.gethostname()
    mem_mb = max(1000, int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20 * 0.8))
    (d / "slurm.conf").write_text(_conf(d, node, os.cpu_count() or 1, mem_mb))
    (d / "gres.conf").write_text(f"NodeName={node} Name=gpu File=/dev/null\n")
    env = {**os.environ, "SLURM_CONF": str(d / "slurm.conf")}
    if not DEFAULT_CONF.exists() and not DEFAULT_CONF.is_symlink():
        DEFAULT_CONF.parent.mkdir(parents=True, exist_ok=True)
        DEFAULT_CONF.symlink_to(d / "slurm.conf")
        (d / "linked_default_conf").write_text(str(DEFAULT_CONF))
    elif DEFAULT_CONF.resolve() != (d / "slurm.conf"):
        raise RuntimeError(f"{DEFAULT_CONF} exists and is not ours: this machine has a SLURM of its own; "
                           "not starting a test cluster beside it")
    try:
        return _start_daemons(d, env, timeout)
    except BaseException:
        stop(d)  # whatever was started, and the config link, go again
        raise


def _start_daemons(d: Path, env: dict, timeout: float) -> dict:
    subprocess.run(["runuser", "-u", "munge", "--", "munged", "--socket", str(d / "munge" / "munge.socket.2"),
                    "--pid-file", str(d / "munge" / "munged.pid"), "--log-file", str(d / "munge" / "munged.log"),
                    "--seed-file", str(d / "munge" / "munged.seed"), "--force"], check=True, env=env)
    subprocess.run(["slurmctld", "-i"], check=True, env=env)
    subprocess.run(["slurmd"], check=True, env=env)
    t0 = time.time()
    while time.time() - t0 < timeout:
        out = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True, env=env)
        if out.returncode == 0 and out.stdout.strip() in {"idle", "mixed", "allocated"}:
            return env
        time.sleep(1)
    log = (d / "slurmctld.log").read_text()[-2000:] if (d / "slurmctld.log").exists() else ""
    raise RuntimeError(f"the SLURM node did not come up in {timeout:.0f} s; slurmctld.log ends:\n{log}")


def _pids(d: Path) -> list[int]:
    pids = []
    for f in (d / "slurmd.pid", d / "slurmctld.pid", d / "munge" / "munged.pid"):
        try:
            pids.append(int(f.read_text().split()[0]))
        except (OSError, ValueError, IndexError):
            pass
    return pids


def stop(d: str | os.PathLike) -> None:
    """Stop only the daemons started in ``d`` (by the PIDs in their pid files); remove our config link."""
    d = Path(d).resolve()
    if (d / "linked_default_conf").exists() and DEFAULT_CONF.is_symlink() and DEFAULT_CONF.resolve() == d / "slurm.conf":
        DEFAULT_CONF.unlink()
    for pid in _pids(d):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


if __name__ == "__main__":
    what, folder = sys.argv[1], sys.argv[2]
    if what == "start":
        reason = unavailable_reason()
        if reason:
            sys.exit(f"cannot start SLURM: {reason}")
        env = start(folder)
        print(f"export SLURM_CONF={env['SLURM_CONF']}")
    else:
        stop(folder)
