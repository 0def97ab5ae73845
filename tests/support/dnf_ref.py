"""Reference answers from dnf itself (dnf 4's Python API, the code behind
`dnf install`) for rootsmith's resolver tests.

Reads a JSON job on stdin:
  {"repos": [[name, dir] or [name, dir, priority, cost]...], "with_repo": bool,
   "arch": "x86_64", "workdir": dir,
   "requests": [{"specs": [spec...], "exclude": [pattern...],
                 "ks_exclude": [name...], "weak": bool}...]}
and prints one result per request:
  [{"packages": [nevra or nevra@repo...]} | {"error": text, "problems": [[line...]...],
                                "no_match": [spec...]}...]

Each request is what `dnf install SPEC...` does with an empty installroot:
`install_specs` (names, globs, NEVRAs, capabilities, files, `@group`,
`@group/mandatory,default,...` as Anaconda writes a kickstart's group options,
`@^environment`), then `resolve`. `exclude` acts as `--exclude` (dnf's
`excludepkgs`); `ks_exclude` as a kickstart's `-name` lines (install_specs'
excludes, which also drop group members). rootsmith installs the target
arch and noarch only, while dnf's x86_64 pool also offers i686 packages: the
caller gives dnf repositories without them (see `without_arches` in
dnf_ref.rs, which says why excluding them is not the same).

The configuration is dnf's built-in defaults (best=False, obsoletes=True,
installonlypkgs, group_package_types mandatory,default,conditional), as the
CLI has them with a dnf.conf that sets nothing; repositories get
module_hotfixes so that modular filtering hides nothing (rootsmith has no
modularity).
"""
import json
import os
import sys

import dnf
import dnf.exceptions
import dnf.rpm

job = json.load(sys.stdin)
work = job["workdir"]
arch = job["arch"]

base = dnf.Base()
conf = base.conf
conf.installroot = os.path.join(work, "root")
conf.cachedir = os.path.join(work, "cache")
conf.persistdir = os.path.join(work, "root/var/lib/dnf")
conf.logdir = os.path.join(work, "log")
conf.reposdir = []
conf.gpgcheck = False
conf.skip_if_unavailable = False
conf.substitutions["arch"] = arch
conf.substitutions["basearch"] = dnf.rpm.basearch(arch)
conf.substitutions["releasever"] = "1"
for d in (conf.installroot, conf.cachedir, conf.logdir):
    os.makedirs(d, exist_ok=True)
for name, path, *weights in job["repos"]:
    options = dict(zip(("priority", "cost"), weights))
    base.repos.add_new_repo(name, conf, baseurl=["file://" + os.path.abspath(path)],
                            module_hotfixes=True, **options)
base.fill_sack(load_system_repo=False)
base.read_comps(arch_filter=True)


def set_excludes(patterns):
    """`--exclude` for this request only: the sack's excludes recomputed."""
    base.sack.reset_excludes()
    conf.excludepkgs = list(patterns)
    base._setup_excludes_includes(only_main=True)


def run(req):
    set_excludes(req.get("exclude", []))
    conf.install_weak_deps = req.get("weak", True)
    base.reset(goal=True)
    try:
        base.install_specs(req["specs"], exclude=req.get("ks_exclude", []))
    except dnf.exceptions.MarkingErrors as e:
        return {"error": str(e), "problems": [],
                "no_match": list(e.no_match_pkg_specs) + list(e.no_match_group_specs)
                + list(e.error_pkg_specs) + list(e.error_group_specs)}
    try:
        base.resolve()
    except dnf.exceptions.DepsolveError as e:
        return {"error": str(e), "problems": base._goal.problem_rules(), "no_match": []}
    label = (lambda p: "%s@%s" % (p, p.reponame)) if job.get("with_repo") else str
    return {"packages": sorted(label(p) for p in base.transaction.install_set)}


json.dump([run(r) for r in job["requests"]], sys.stdout)
