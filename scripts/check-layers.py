#!/usr/bin/env python3
"""The library's layers, checked on what the linker sees.

The include check (check-includes.sh) cannot see a cycle that runs through
the public headers: every folder includes ave/*.h, and which folder defines
a function is not written in any include. The object files say it exactly:
each folder's undefined symbols are resolved against every other folder's
definitions (nm), which gives the folder graph the archive really has.

Layers, lowest first; a folder may call its own layer and those below:
    base      logging, the one global state
    config    option tables, settings, profiles, environment
    core      the job: errors, progress, outputs, metrics, timeline
    cache     the results cache
    stages    every other folder; a stage calls no other stage
    pipeline  the registry and the runner, and review (the editor's server,
              which reads an output folder as render does): the folders
              above the stages
The check fails on an edge that goes up or sideways between stages, and on
any cycle (which the first rule already excludes; tsort confirms it).

usage: check-layers.py BUILD_DIR SOURCE_DIR [--dot FILE]
"""
import collections
import os
import subprocess
import sys

LAYERS = {"base": 0, "config": 1, "core": 2, "cache": 3, "pipeline": 5, "review": 5}
STAGE_LAYER = 4


def layer(folder):
    return LAYERS.get(folder, STAGE_LAYER)


def objects(build, source):
    """(folder, object path) for every current source file of src/."""
    objdir = os.path.join(build, "CMakeFiles", "ave.dir", "src")
    for folder in sorted(os.listdir(os.path.join(source, "src"))):
        srcdir = os.path.join(source, "src", folder)
        if not os.path.isdir(srcdir):
            continue
        for name in sorted(os.listdir(srcdir)):
            if name.endswith(".c"):
                obj = os.path.join(objdir, folder, name + ".o")
                if not os.path.exists(obj):
                    sys.exit("check-layers: %s is missing: build first" % obj)
                yield folder, obj


def symbols(obj):
    out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBRVW":
            defined.add(parts[2])
        elif len(parts) == 2 and parts[0] == "U":
            used.add(parts[1])
    return defined, used


def graph(build, source):
    owner, uses = {}, []
    for folder, obj in objects(build, source):
        defined, used = symbols(obj)
        for sym in defined:
            owner[sym] = folder
        uses.append((folder, os.path.basename(obj)[:-4], used))
    edges = collections.defaultdict(set)
    for folder, name, used in uses:
        for sym in used:
            to = owner.get(sym)
            if to and to != folder:
                edges[(folder, to)].add("%s: %s" % (name, sym))
    return edges


def has_cycle(edges):
    pairs = "".join("%s %s\n" % e for e in edges)
    r = subprocess.run(["tsort"], input=pairs, capture_output=True, text=True)
    return r.returncode != 0 or "loop" in r.stderr


def write_dot(edges, path):
    folders = sorted({f for e in edges for f in e}, key=lambda f: (layer(f), f))
    with open(path, "w") as out:
        out.write("digraph layers {\n  rankdir=BT; node [shape=box, fontname=sans];\n")
        for rank in sorted({layer(f) for f in folders}):
            same = " ".join('"%s";' % f for f in folders if layer(f) == rank)
            out.write("  { rank=same; %s }\n" % same)
        for (a, b), why in sorted(edges.items()):
            bad = layer(b) > layer(a) or (layer(a) == STAGE_LAYER and layer(b) == STAGE_LAYER)
            out.write('  "%s" -> "%s" [label="%d"%s];\n' % (
                a, b, len(why), ", color=red" if bad else ", color=gray40"))
        out.write("}\n")


def main(argv):
    if len(argv) not in (3, 5) or (len(argv) == 5 and argv[3] != "--dot"):
        sys.exit(__doc__)
    edges = graph(argv[1], argv[2])
    if len(argv) == 5:
        write_dot(edges, argv[4])
    status = 0
    for (a, b), why in sorted(edges.items()):
        if layer(b) > layer(a):
            print("layers: %s calls up into %s (%s)" % (a, b, ", ".join(sorted(why)[:3])),
                  file=sys.stderr)
            status = 1
        elif layer(a) == STAGE_LAYER and layer(b) == STAGE_LAYER:
            print("layers: stage %s calls stage %s (%s)" % (a, b, ", ".join(sorted(why)[:3])),
                  file=sys.stderr)
            status = 1
    if has_cycle(edges):
        print("layers: the folder graph has a cycle", file=sys.stderr)
        status = 1
    if status == 0:
        print("layers: %d folders, %d edges, all downward, no cycle" % (
            len({f for e in edges for f in e}), len(edges)))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
