"""Median seconds of libsolv (python3-solv) loading a repository's
primary.xml.gz: add_rpmmd + createwhatprovides, as dnf's sack does.
Job on stdin: {"repo": DIR, "runs": N}."""
import glob
import json
import statistics
import sys
import time

import solv

job = json.load(sys.stdin)
src = glob.glob(job["repo"] + "/repodata/*-primary.xml.gz")[0]
times = []
for _ in range(job["runs"]):
    t = time.perf_counter()
    pool = solv.Pool()
    pool.setdisttype(solv.Pool.DISTTYPE_RPM)
    pool.setarch("x86_64")
    repo = pool.add_repo("r")
    f = solv.xfopen(src)
    repo.add_rpmmd(f, None, 0)
    f.close()
    pool.createwhatprovides()
    times.append(time.perf_counter() - t)
json.dump(statistics.median(times), sys.stdout)
