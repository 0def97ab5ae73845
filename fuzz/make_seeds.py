#!/usr/bin/env python3
"""Regenerate the committed seed corpora (fuzz/seeds/TARGET/) from real
repository metadata: small slices of the CentOS Stream 9 fixtures in
../shared/fixtures/repos and of the test distribution's repodata
(target/test-distro, built by the e2e tests). Each seed is a few KB at most.

Usage: python3 fuzz/make_seeds.py      (from anywhere in the repo)
"""

import glob
import gzip
import hashlib
import html
import os
import re
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "fuzz", "seeds")
FIXTURES = os.path.join(ROOT, "..", "shared", "fixtures", "repos")
DISTRO = os.path.join(ROOT, "target", "test-distro", "x86_64", "repodata")
MAX_SEED = 6000


def read(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return f.read()


def repodata_dirs():
    dirs = sorted(glob.glob(os.path.join(FIXTURES, "*", "repodata")))
    if os.path.isdir(DISTRO):
        dirs.append(DISTRO)
    return dirs


def one(directory, pattern):
    found = sorted(glob.glob(os.path.join(directory, pattern)))
    return found[0] if found else None


def elements(data, tag):
    """Every whole <tag ...>...</tag> element, in file order."""
    pattern = rb"<%s[ >].*?</%s>" % (tag, tag)
    return re.findall(pattern, data, re.S)


def head(data, tag):
    """Everything before the first <tag>: the prolog and the root's start tag."""
    at = re.search(rb"<%s[ >]" % tag, data)
    return data[: at.start()] if at else b""


def write(target, name, data):
    assert len(data) <= MAX_SEED, (target, name, len(data))
    d = os.path.join(SEEDS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def smallest(items, pred=lambda x: True, n=1):
    return sorted((x for x in items if pred(x)), key=lambda x: (len(x), x))[:n]


def document(prolog, items, close):
    return prolog + b"\n".join(items) + b"\n" + close + b"\n"


def repomd(dirs):
    for d in dirs:
        path = os.path.join(d, "repomd.xml")
        if os.path.exists(path):
            write("repomd", label(d) + ".xml", read(path))


def label(d):
    parts = d.split(os.sep)
    return "test-distro" if "test-distro" in parts else parts[-2]


def primary(dirs):
    for d in dirs:
        path = one(d, "*-primary.xml*")
        if not path:
            continue
        data = read(path)
        pkgs = elements(data, b"package")
        prolog = head(data, b"package")
        picks = {
            "smallest": smallest(pkgs, n=2),
            "rich": smallest(pkgs, lambda p: b'name="(' in p),
            "pre": smallest(pkgs, lambda p: b'pre="1"' in p),
            "epoch": smallest(pkgs, lambda p: re.search(rb'epoch="[1-9]', p)),
            "entity": smallest(pkgs, lambda p: b"&amp;" in p or b"&lt;" in p),
            "files": smallest(pkgs, lambda p: b"<file" in p),
            "noarch": smallest(pkgs, lambda p: b"<arch>noarch</arch>" in p),
            "obsoletes": smallest(pkgs, lambda p: b"<rpm:obsoletes>" in p),
            "weak": smallest(pkgs, lambda p: b"<rpm:recommends>" in p or b"<rpm:supplements>" in p),
        }
        for kind, chosen in picks.items():
            if chosen and all(len(p) < MAX_SEED - len(prolog) - 20 for p in chosen):
                write("primary", f"{label(d)}-{kind}.xml", document(prolog, chosen, b"</metadata>"))


def filelists(dirs):
    for d in dirs:
        path = one(d, "*-filelists.xml*")
        if not path:
            continue
        data = read(path)
        pkgs = elements(data, b"package")
        prolog = head(data, b"package") or data.split(b"</filelists>")[0]
        chosen = smallest(pkgs) + smallest(pkgs, lambda p: p.count(b"<file") >= 3, n=2)
        write("filelists", f"{label(d)}.xml", document(prolog, chosen, b"</filelists>"))
        dirs_ = smallest(pkgs, lambda p: b'type="dir"' in p and b'type="ghost"' in p)
        if dirs_ and len(dirs_[0]) < MAX_SEED - 300:
            write("filelists", f"{label(d)}-dir-ghost.xml", document(prolog, dirs_, b"</filelists>"))


def comps(dirs):
    for d in dirs:
        path = one(d, "*comps*.xml*")
        if not path:
            continue
        data = read(path)
        prolog = head(data, b"group")
        groups = elements(data, b"group")
        envs = elements(data, b"environment")
        chosen = smallest(groups, n=2)
        chosen += smallest(groups, lambda g: b'type="conditional"' in g)
        chosen += smallest(groups, lambda g: b"xml:lang" in g)
        chosen += smallest(envs, lambda e: b"<optionlist>" in e)
        chosen += smallest(elements(data, b"category"))
        # Translated names make real groups large: keep two languages.
        chosen = [re.sub(rb'\s*<(name|description) xml:lang="(?!de|ja)[^"]*">[^<]*</\1>', b"", g)
                  for g in chosen]
        doc = document(prolog, chosen, b"</comps>")
        if len(doc) > MAX_SEED:
            doc = document(prolog, chosen[:2] + chosen[-1:], b"</comps>")
        write("comps", f"{label(d)}.xml", doc)


def deps(dirs):
    names = set()
    for d in dirs:
        path = one(d, "*-primary.xml*")
        if not path:
            continue
        data = read(path)
        for m in re.finditer(rb'<rpm:entry name="([^"]*)"([^>]*)/>', data):
            name = html.unescape(m.group(1).decode())
            if name.startswith("("):
                names.add(name)
    # Rich dependencies, shortest first, one of each shape of operators.
    shapes = {}
    for n in sorted(names, key=lambda n: (len(n), n)):
        shape = tuple(w for w in n.replace("(", " ").replace(")", " ").split()
                      if w in ("and", "or", "if", "unless", "else", "with", "without"))
        shapes.setdefault((shape, n.count("(") > 1 + n.count("()")), n)
    texts = set(shapes.values())
    texts |= {
        "glibc", "glibc >= 2.34", "bash = 0:5.1.8-4.el9", "foo >= 1:2.0-3",
        "libc.so.6()(64bit)", "libc.so.6(GLIBC_2.34)(64bit)", "/usr/bin/sh",
        "python3.9dist(idna) < 3", "config(foo) == 1.0-1", "kernel-core =< 5.14",
        "(a or b or c)", "(a and (b and c))", "(a with b)", "(a without b)",
        "(a if b else c)", "(a unless b else c)", "(a,\tor\n\x0b\x0c\r b,)",
        "(a( or b)", "(and or or)", "(a >= or)", "(a = 0:)", "(a else b)",
        "((a if b) or c)", "((a unless b) and c)", "(a with (b and c))",
        "(a if (b unless c))", "(a or b) junk", "foo >= 1 2", "(a or", "()",
        # Regressions: an epoch-0 version that looks like an epoch; one
        # group deeper than dep::MAX_DEPTH.
        "bash = 0:5:.", "(" * 129 + "a" + ")" * 129,
    }
    for t in sorted(texts):
        write("dep", hashlib.sha1(t.encode()).hexdigest()[:16], t.encode())


def main():
    dirs = repodata_dirs()
    if not dirs:
        raise SystemExit("no repodata found under ../shared/fixtures/repos or target/test-distro")
    shutil.rmtree(SEEDS, ignore_errors=True)
    repomd(dirs)
    primary(dirs)
    filelists(dirs)
    comps(dirs)
    deps(dirs)
    for t in sorted(os.listdir(SEEDS)):
        files = os.listdir(os.path.join(SEEDS, t))
        size = sum(os.path.getsize(os.path.join(SEEDS, t, f)) for f in files)
        print(f"{t}: {len(files)} seeds, {size} bytes")


if __name__ == "__main__":
    main()
