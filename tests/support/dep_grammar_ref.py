"""Peer answers for tests/rpm_dep_grammar.rs: how rpm 4.18 and libsolv read
dependency strings.

rpm: librpm's own rich-dependency parser, called through ctypes
(`rpmrichParse`, and `rpmrichParseForTag` for Requires and Conflicts, the
two rule sets rpmbuild applies). Its callback events (enter a group, a simple
dependency, an operator, leave a group) give the tree rpm saw.

libsolv: python3-solv's `Pool.parserpmrichdep` (the parser dnf uses for
repodata). The bindings do not take a parsed dependency apart, but libsolv
interns every relation: building our tree with `Pool.rel2id` gives the very
same id if and only if libsolv parsed the same structure.

A JSON job on stdin:
  {"mode": "extract", "primaries": [path...]}
      -> {"entries": [[tag, arch, text]...]}: every dependency name starting
         with "(" in those primary.xml files, each (tag, arch, text) once.
  {"mode": "compare", "items": [{"text": str, "ours": tree or null}...]}
      -> {"rpm_version": str, "results": [{"libsolv": ..., "rpm": ...}...]}
  where a tree is ["dep", name, op, evr] (op and evr "" when unversioned) or
  [op, child...] with op and/or/with/without/if/unless (if/unless: then,
  cond[, else]).
On a missing peer: {"skip": why}.
"""
import ctypes
import gzip
import json
import sys

job = json.load(sys.stdin)

if job["mode"] == "extract":
    import xml.etree.ElementTree as ET

    RPM = "{http://linux.duke.edu/metadata/rpm}"
    COMMON = "{http://linux.duke.edu/metadata/common}"
    TAGS = {"provides", "requires", "conflicts", "obsoletes", "recommends",
            "suggests", "supplements", "enhances"}
    seen = set()
    out = []
    for path in job["primaries"]:
        opener = gzip.open if path.endswith(".gz") else open
        arch = None
        for event, el in ET.iterparse(opener(path, "rb"), events=("start", "end")):
            if event == "start":
                continue
            if el.tag == COMMON + "arch":
                arch = el.text
            elif el.tag.startswith(RPM) and el.tag[len(RPM):] in TAGS:
                for entry in el:
                    name = entry.get("name")
                    key = (el.tag[len(RPM):], arch, name)
                    if name.startswith("(") and key not in seen:
                        seen.add(key)
                        out.append(list(key))
            elif el.tag == COMMON + "package":
                el.clear()
    json.dump({"entries": out}, sys.stdout)
    sys.exit(0)

try:
    import solv
except ImportError as e:
    json.dump({"skip": "python3-solv: %s" % e}, sys.stdout)
    sys.exit(0)
try:
    librpm = ctypes.CDLL("librpm.so.9")
except OSError as e:
    json.dump({"skip": "librpm.so.9 (rpm 4.18): %s" % e}, sys.stdout)
    sys.exit(0)

rpm_version = ctypes.c_char_p.in_dll(librpm, "RPMVERSION").value.decode()

# include/rpm/rpmds.h and rpmtag.h
PARSE_SIMPLE, PARSE_ENTER, PARSE_LEAVE, PARSE_OP = 1, 2, 3, 4
OPS = {1: "single", 2: "and", 3: "or", 4: "if", 5: "else", 6: "with", 7: "without", 8: "unless"}
SENSE_LESS, SENSE_GREATER, SENSE_EQUAL = 2, 4, 8
TAG_REQUIRENAME, TAG_CONFLICTNAME = 1049, 1054

CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p,
                            ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_uint,
                            ctypes.c_int, ctypes.c_void_p)
librpm.rpmrichParse.argtypes = [ctypes.POINTER(ctypes.c_void_p),
                                ctypes.POINTER(ctypes.c_char_p), CALLBACK, ctypes.c_void_p]
librpm.rpmrichParse.restype = ctypes.c_int
librpm.rpmrichParseForTag.argtypes = [ctypes.POINTER(ctypes.c_void_p),
                                      ctypes.POINTER(ctypes.c_char_p), CALLBACK,
                                      ctypes.c_void_p, ctypes.c_int]
librpm.rpmrichParseForTag.restype = ctypes.c_int


def sense_op(sense):
    op = ""
    if sense & SENSE_LESS:
        op += "<"
    if sense & SENSE_GREATER:
        op += ">"
    if sense & SENSE_EQUAL:
        op += "="
    return op


def rpm_parse(text, tag=None):
    """rpm's verdict: ok, its message, bytes consumed, and its tree."""
    raw = text.encode()
    events = []

    def callback(_data, kind, n, nl, e, el, sense, op, _emsg):
        if kind == PARSE_SIMPLE:
            name = ctypes.string_at(n, nl).decode()
            evr = ctypes.string_at(e, el).decode() if e else None
            events.append(("simple", name, sense_op(sense) if evr is not None else "", evr or ""))
        elif kind == PARSE_ENTER:
            events.append(("enter",))
        elif kind == PARSE_LEAVE:
            events.append(("leave",))
        elif kind == PARSE_OP:
            events.append(("op", OPS[op]))
        return 0

    cb = CALLBACK(callback)
    buf = ctypes.create_string_buffer(raw)
    start = ctypes.addressof(buf)
    p = ctypes.c_void_p(start)
    emsg = ctypes.c_char_p()
    if tag is None:
        rc = librpm.rpmrichParse(ctypes.byref(p), ctypes.byref(emsg), cb, None)
    else:
        rc = librpm.rpmrichParseForTag(ctypes.byref(p), ctypes.byref(emsg), cb, None, tag)
    out = {"ok": rc == 0, "emsg": emsg.value.decode() if emsg.value else None,
           "consumed": p.value - start if rc == 0 else None}
    if rc == 0 and tag is None:
        stack, root = [], None
        for ev in events:
            if ev[0] == "enter":
                stack.append({"ops": [], "operands": []})
            elif ev[0] == "simple":
                stack[-1]["operands"].append(["dep", ev[1], ev[2], ev[3]])
            elif ev[0] == "op":
                stack[-1]["ops"].append(ev[1])
            else:
                group = stack.pop()
                node = ["group", group["ops"], group["operands"]]
                if stack:
                    stack[-1]["operands"].append(node)
                else:
                    root = node
        out["tree"] = root
    return out


pool = solv.Pool()
pool.setdisttype(solv.Pool.DISTTYPE_RPM)
FLAGS = {"<": solv.REL_LT, "<=": solv.REL_LT | solv.REL_EQ, "=": solv.REL_EQ,
         ">=": solv.REL_GT | solv.REL_EQ, ">": solv.REL_GT}
CHAIN = {"and": solv.REL_AND, "or": solv.REL_OR, "with": solv.REL_WITH}


def build(tree):
    """Our tree as libsolv relations (right-nested chains, `a if (b else c)`)."""
    op = tree[0]
    if op == "dep":
        name = pool.str2id(tree[1])
        if not tree[2]:
            return name
        return pool.rel2id(name, pool.str2id(tree[3]), FLAGS[tree[2]])
    kids = [build(t) for t in tree[1:]]
    if op in CHAIN:
        acc = kids[-1]
        for k in reversed(kids[:-1]):
            acc = pool.rel2id(k, acc, CHAIN[op])
        return acc
    if op == "without":
        return pool.rel2id(kids[0], kids[1], solv.REL_WITHOUT)
    rel = solv.REL_COND if op == "if" else solv.REL_UNLESS
    cond = kids[1] if len(kids) == 2 else pool.rel2id(kids[1], kids[2], solv.REL_ELSE)
    return pool.rel2id(kids[0], cond, rel)


results = []
for item in job["items"]:
    text, ours = item["text"], item["ours"]
    dep = pool.parserpmrichdep(text)
    libsolv = {"ok": dep is not None}
    if dep is not None:
        libsolv["str"] = dep.str()
        if ours is not None:
            libsolv["same"] = build(ours) == dep.id
    results.append({
        "libsolv": libsolv,
        "rpm": {
            "plain": rpm_parse(text),
            "requires": rpm_parse(text, TAG_REQUIRENAME),
            "conflicts": rpm_parse(text, TAG_CONFLICTNAME),
        },
    })
json.dump({"rpm_version": rpm_version, "results": results}, sys.stdout)
