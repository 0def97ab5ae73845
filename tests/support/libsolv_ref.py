"""Reference answers from libsolv (python3-solv) for rootsmith's solver tests,
with the jobs built the way dnf 4 builds them for `dnf install SPEC...`.

Reads a JSON job on stdin:
  {"primary": path or [path...], "filelists": [path or null, ...] (optional, one per primary),
   "arch": "x86_64", "weak": bool, "batches": [[spec...]...],
   "exclude": [glob...], "repeat": n}
and prints one result per batch:
  [{"packages": [nevra...], "problems": [...], "solve_seconds": [...]}...]
Only packages of the target arch and noarch are considered, as rootsmith's arch
policy has it without multilib (libsolv would otherwise also offer i686 packages).

dnf's job for a spec (dnf/base.py install, hawkey Subject._get_best_selectors,
libdnf Goal): a name selects every package of that name plus the packages that
obsolete one of them (matched by name and version, as rpm matches obsoletes), as
one SOLVER_SOLVABLE_ONE_OF job; a glob gives one such job per matching name; a
capability or a file selects its providers. Installonly packages (dnf's
installonlypkgs) are SOLVER_MULTIVERSION.
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
filelists = job.get("filelists") or [None] * len(primaries)
repos = []
for i, (path, files) in enumerate(zip(primaries, filelists)):
    repo = pool.add_repo("repo%d" % i)
    f = solv.xfopen(path)
    repo.add_rpmmd(f, None)
    f.close()
    # dnf reads the full file lists too (file dependencies outside primary's subset).
    if files:
        f = solv.xfopen(files)
        repo.add_rpmmd(f, None, solv.Repo.REPO_EXTEND_SOLVABLES)
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



considered_set = set(considered)
INSTALLONLY = ["kernel", "kernel-PAE", "installonlypkg(kernel)", "installonlypkg(kernel-module)",
               "installonlypkg(vm)", "multiversion(kernel)"]


# By package id: the considered packages whose Obsoletes match it.
obsoleted_by = {}
for sid in considered:
    s = pool.solvables[sid]
    for obs in s.lookup_deparray(solv.SOLVABLE_OBSOLETES):
        for t in pool.whatprovides(obs):
            if t.matchesdep(solv.SOLVABLE_NAME, obs):
                obsoleted_by.setdefault(t.id, []).append(s)


def obsoleters(targets):
    return [s for t in targets for s in obsoleted_by.get(t.id, [])]


def one_of(solvables):
    ids = sorted({s.id for s in solvables})
    return pool.Job(solv.Job.SOLVER_INSTALL | solv.Job.SOLVER_SOLVABLE_ONE_OF, pool.towhatprovides(ids))


def by_name(name):
    return [s for s in pool.whatprovides(pool.str2id(name)) if s.name == name and s.id in considered_set]


def jobs_for(specs):
    jobs = [pool.Job(solv.Job.SOLVER_MULTIVERSION | solv.Job.SOLVER_SOLVABLE_PROVIDES, pool.str2id(n))
            for n in INSTALLONLY]
    for spec in specs:
        if any(c in spec for c in "*?[") and not spec.startswith("/"):
            names = sorted({pool.solvables[i].name for i in considered
                            if fnmatch.fnmatchcase(pool.solvables[i].name, spec)})
            for name in names:
                found = by_name(name)
                jobs.append(one_of(found + obsoleters(found)))
            if names:
                continue
        found = by_name(spec)
        if found:
            jobs.append(one_of(found + obsoleters(found)))
            continue
        flags = (solv.Selection.SELECTION_PROVIDES | solv.Selection.SELECTION_FILELIST
                 | solv.Selection.SELECTION_REL)
        sel = pool.select(spec, flags)
        if sel.isempty():
            # Keep the job so the problem is reported, like dnf's "no match".
            jobs.append(pool.Job(solv.Job.SOLVER_INSTALL | solv.Job.SOLVER_SOLVABLE_PROVIDES,
                                 pool.str2id(spec)))
        else:
            jobs.append(one_of(sel.solvables()))
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
