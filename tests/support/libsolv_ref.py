"""Reference answers from libsolv (python3-solv) for rootsmith's solver tests.

Reads a JSON job on stdin:
  {"primary": path or [path...], "arch": "x86_64", "weak": bool, "batches": [[spec...]...],
   "exclude": [glob...], "repeat": n}
and prints one result per batch:
  [{"packages": [nevra...], "problems": [...], "solve_seconds": [...]}...]
Only packages of the target arch and noarch are considered, like rootsmith's
arch-filtered pool (libsolv would otherwise also offer i686 multilib packages).
"""
import fnmatch
import json
import sys
import time

import solv

job = json.load(sys.stdin)
pool = solv.Pool()
pool.setdisttype(solv.Pool.DISTTYPE_RPM)
pool.setarch(job["arch"])
primaries = job["primary"] if isinstance(job["primary"], list) else [job["primary"]]
repos = []
for i, path in enumerate(primaries):
    repo = pool.add_repo("repo%d" % i)
    f = solv.xfopen(path)
    repo.add_rpmmd(f, None)
    f.close()
    repos.append(repo)

arches = (job["arch"], "noarch")
exclude = job.get("exclude", [])
considered = [
    s.id for repo in repos for s in repo.solvables
    if s.arch in arches and not any(fnmatch.fnmatchcase(s.name, p) for p in exclude)
]
pool.set_considered_list(considered)
pool.addfileprovides()
pool.createwhatprovides()



def jobs_for(specs):
    jobs = []
    for spec in specs:
        sel = pool.select(spec, solv.Selection.SELECTION_NAME)
        if sel.isempty():
            flags = (solv.Selection.SELECTION_PROVIDES | solv.Selection.SELECTION_FILELIST
                     | solv.Selection.SELECTION_REL)
            sel = pool.select(spec, flags)
        if sel.isempty():
            # Keep the job so the problem is reported, like dnf's "no match".
            jobs.append(pool.Job(solv.Job.SOLVER_INSTALL | solv.Job.SOLVER_SOLVABLE_PROVIDES,
                                 pool.str2id(spec)))
        else:
            jobs += sel.jobs(solv.Job.SOLVER_INSTALL)
    return jobs


def solve(specs):
    jobs = jobs_for(specs)
    seconds = []
    for _ in range(max(1, job.get("repeat", 1))):
        solver = pool.Solver()
        if not job["weak"]:
            solver.set_flag(solv.Solver.SOLVER_FLAG_IGNORE_RECOMMENDED, 1)
        start = time.perf_counter()
        problems = solver.solve(jobs)
        seconds.append(time.perf_counter() - start)
    packages = [] if problems else sorted(s.str() for s in solver.transaction().newsolvables())
    return {"packages": packages, "problems": [str(p) for p in problems],
            "solve_seconds": seconds}


json.dump([solve(specs) for specs in job["batches"]], sys.stdout)
