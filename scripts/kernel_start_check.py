"""Starts the Jupyter kernel N times, as scripts/run-notebooks.sh does, and counts hung starts.

Each start is a fresh kernel from the kernelspec (jupyter_client's KernelManager, the library under
nbconvert/nbclient), waited for with wait_for_ready like nbclient's startup_timeout, then given one
trivial cell. A start that does not answer within the timeout is "hung": its Java threads are dumped
with jstack into the output folder before the kernel is killed; each kernel's log goes there too. Called by scripts/kernel-start-check.sh.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

from jupyter_client import KernelManager


def loop_threads(dump):
    """Names of rapaio-jupyter-kernel's channel loop threads ("Heartbeat-0", "Shell-0", ...) in a dump."""
    names = []
    for line in dump.splitlines():
        if line.startswith('"'):
            name = line[1:line.index('"', 1)]
            if name.startswith(("Heartbeat-", "Shell-")):
                names.append(name)
    return sorted(names)


def one_start(kernel, timeout, log_path, dump_path):
    """Returns (ok, seconds to ready or None, detail)."""
    km = KernelManager(kernel_name=kernel)
    t0 = time.monotonic()
    with open(log_path, "w") as log:
        km.start_kernel(stdout=log, stderr=subprocess.STDOUT)
    kc = km.client()
    kc.start_channels()
    try:
        try:
            kc.wait_for_ready(timeout=timeout)
        except RuntimeError as e:
            pid = km.provisioner.pid if km.provisioner else None
            detail = f"no answer in {timeout:g} s ({e})"
            if pid and km.is_alive():
                dump = subprocess.run(["jstack", str(pid)], capture_output=True, text=True).stdout
                with open(dump_path, "w") as f:
                    f.write(dump)
                detail += f"; jstack in {dump_path}; loop threads: {', '.join(loop_threads(dump)) or 'none'}"
            return False, None, detail
        ready = time.monotonic() - t0
        reply = kc.execute_interactive("1 + 1", timeout=timeout, output_hook=lambda msg: None)
        status = reply["content"]["status"]
        if status != "ok":
            return False, ready, f"the cell answered {status}"
        return True, ready, "ready, cell ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--kernel", default="java")
    ap.add_argument("--out", default="build/kernel-start-check")
    a = ap.parse_args()
    if a.n < 1:
        sys.exit("kernel-start-check: N must be a positive number of starts")
    os.makedirs(a.out, exist_ok=True)
    for old in os.listdir(a.out):
        if old.startswith(("start-", "hung-")):
            os.remove(os.path.join(a.out, old))
    hung, times = 0, []
    for i in range(1, a.n + 1):
        ok, ready, detail = one_start(a.kernel, a.timeout, os.path.join(a.out, f"start-{i}.log"),
                                      os.path.join(a.out, f"hung-{i}.jstack"))
        if ready is not None:
            times.append(ready)
        shown = f"{ready:.1f} s" if ready is not None else "-"
        print(f"start {i}/{a.n}: {'ok  ' if ok else 'HUNG'} {shown:>7}  {detail}", flush=True)
        hung += 0 if ok else 1
    spread = (f"; ready in median {statistics.median(times):.1f} s, max {max(times):.1f} s"
              if times else "")
    print(f"kernel starts: {a.n}, answered at first attempt: {a.n - hung}, hung: {hung}{spread}")
    sys.exit(1 if hung else 0)


if __name__ == "__main__":
    main()
