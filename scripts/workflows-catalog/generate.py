#!/usr/bin/env python3
"""Generate analyzer/data/workflows-catalog.tsv: the Google Cloud Workflows standard library,
expression helpers and connectors.

Inputs (next to this script):
  stdlib.tsv           standard-library functions and expression helpers, hand-transcribed from
                       the reference pages (source URL per row)
  connectors.txt       the connectors listed on the connectors reference, with their API versions
                       and the long-running operation types of the reference table
  connector_extra.tsv  connector functions not derived from Discovery documents (gke.*, helper
                       methods) and explicit long-running overrides

Connector methods are generated from Google API Discovery documents
(discoveries/<api>.<version>.json of googleapis/discovery-artifact-manager): the resource nesting
joined with '.', then the method name, prefixed with googleapis.<api>.<version>.

Usage:
  generate.py --discovery-git PATH/TO/discovery-artifact-manager(.git) [--rev REV]
  generate.py --discovery-dir DIR_WITH_<api>.<version>.json
Options: --out FILE (default: analyzer/data/workflows-catalog.tsv in this repository),
         --date YYYY-MM-DD (default: today, UTC), --repo-url URL (used in the header).

With --discovery-git, a document whose blob is missing at REV (snapshots may omit files of 4 MiB
and more, e.g. compute.v1.json) is read from the newest earlier commit that has it; the header
names the commit actually used for every document.

Python 3 standard library only.
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO_ROOT, "analyzer", "data", "workflows-catalog.tsv")

KIND_ORDER = {"function": 0, "helper": 1, "connector": 2}
FLAG_ORDER = ["blocking", "long-running", "policy"]
OPERATION_TYPES = {"Operation", "GoogleLongrunningOperation", "GoogleLongrunning__Operation"}
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")

PAGES = [
    "https://cloud.google.com/workflows/docs/reference/stdlib/overview",
    "https://cloud.google.com/workflows/docs/reference/stdlib/expression-helpers",
    "https://cloud.google.com/workflows/docs/reference/syntax/expressions#blocking-calls",
    "https://cloud.google.com/workflows/docs/reference/googleapis",
    "https://cloud.google.com/workflows/docs/connectors",
]


def read_rows(path):
    """Non-comment, non-blank lines of a tab-separated file, split on tabs."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            rows.append((lineno, line.split("\t")))
    return rows


class DiscoverySource:
    def __init__(self, git_dir=None, rev="HEAD", directory=None, repo_url=None):
        self.git_dir = git_dir
        self.rev = rev
        self.directory = directory
        self.repo_url = repo_url.rstrip("/") if repo_url else None
        self.used = []  # (api.version, location string)
        if git_dir:
            self.rev_sha = self._git("rev-parse", rev + "^{commit}").strip()

    def _git(self, *args, check=True):
        res = subprocess.run(["git", "--git-dir", self.git_dir] + list(args),
                             capture_output=True, text=True)
        if check and res.returncode != 0:
            raise RuntimeError("git %s failed: %s" % (" ".join(args), res.stderr.strip()))
        return res.stdout if res.returncode == 0 else None

    def load(self, api, version):
        fname = "%s.%s.json" % (api, version)
        if self.directory:
            path = os.path.join(self.directory, fname)
            with open(path, encoding="utf-8") as fh:
                doc = json.load(fh)
            self.used.append((fname, path, doc.get("revision", "?")))
            return doc
        path = "discoveries/" + fname
        commits = [self.rev_sha]
        text = self._git("show", "%s:%s" % (self.rev_sha, path), check=False)
        if text is None:
            log = self._git("log", "--format=%H", self.rev_sha, "--", path)
            commits = log.split()
            for sha in commits:
                text = self._git("show", "%s:%s" % (sha, path), check=False)
                if text is not None:
                    commits = [sha]
                    break
        if text is None:
            raise RuntimeError("no readable version of %s in %s" % (path, self.git_dir))
        doc = json.loads(text)
        sha = commits[0]
        loc = ("%s/blob/%s/%s" % (self.repo_url, sha, path)) if self.repo_url else \
            "%s@%s:%s" % (self.git_dir, sha, path)
        self.used.append((fname, loc, doc.get("revision", "?")))
        return doc


def walk_methods(resources, prefix):
    """Yield (dotted path, method dict) for every method under a Discovery 'resources' map."""
    for rname in sorted(resources):
        res = resources[rname]
        path = prefix + [rname]
        for mname in sorted(res.get("methods", {})):
            yield path, mname, res["methods"][mname]
        yield from walk_methods(res.get("resources", {}), path)


def connector_entries(source, service, versions, lro_types, lro_methods):
    entries = {}
    for version in versions:
        doc = source.load(service, version)
        if doc.get("name") != service or doc.get("version") != version:
            raise RuntimeError("%s.%s: document says %s %s" % (service, version,
                                                               doc.get("name"), doc.get("version")))
        methods = [([], m, doc["methods"][m]) for m in sorted(doc.get("methods", {}))]
        methods += list(walk_methods(doc.get("resources", {}), []))
        for path, mname, method in methods:
            name = ".".join(["googleapis", service, version] + path + [mname])
            flags = {"blocking"}
            ref = (method.get("response") or {}).get("$ref", "")
            in_operations = bool(path) and path[-1].lower().endswith("operations")
            if "Operation" in lro_types and ref in OPERATION_TYPES and not in_operations:
                flags.add("long-running")
            elif mname in lro_methods and any(
                    t != "Operation" and ref.endswith(t) for t in lro_types):
                flags.add("long-running")
            entries[name] = flags
    return entries


def split_list(value):
    return [] if value.strip() in ("", "-") else [v.strip() for v in value.split(",") if v.strip()]


CONNECTOR_SUFFIX = {
    frozenset(["blocking"]): "",
    frozenset(["blocking", "long-running"]): "+",
    frozenset(): "-",
}


def write_catalog(path, date, sources, catalog):
    """Writes the catalog: functions and helpers one per line, connector methods grouped by
    resource path (a fifth of the size, which the web app's download feels)."""
    functions = []
    resources = {}
    for (kind, name), flags in catalog.items():
        if kind == "connector":
            resource, method = name.rsplit(".", 1)
            suffix = CONNECTOR_SUFFIX.get(frozenset(flags))
            if suffix is None:
                raise SystemExit("%s: no notation for flags %s" % (name, sorted(flags)))
            resources.setdefault(resource, []).append(method + suffix)
        else:
            fl = ",".join(f for f in FLAG_ORDER if f in flags) or "-"
            functions.append((KIND_ORDER[kind], name, "%s\t%s\t%s" % (kind, name, fl)))
    out = [
        "# Google Cloud Workflows: standard library functions and connectors.",
        "# Generated by scripts/workflows-catalog/generate.py on %s from:" % date,
    ]
    out += ["#   " + s for s in sources]
    out += [
        "# Lines: `function NAME FLAGS` and `helper NAME FLAGS` (FLAGS: blocking, long-running,",
        "# policy, comma-separated, or -), then `connectors RESOURCE METHODS`: the connector",
        "# methods of one resource path, space-separated. A connector method blocks unless it",
        "# ends in `-`; one ending in `+` also waits for the long-running operation it starts.",
    ]
    out += [l[2] for l in sorted(functions)]
    out += ["connectors\t%s\t%s" % (r, " ".join(sorted(m))) for r, m in sorted(resources.items())]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--discovery-git", help="git dir of a discovery-artifact-manager clone")
    src.add_argument("--discovery-dir", help="directory holding <api>.<version>.json files")
    ap.add_argument("--rev", default="HEAD", help="revision to read (with --discovery-git)")
    ap.add_argument("--repo-url",
                    default="https://github.com/googleapis/discovery-artifact-manager",
                    help="URL of the Discovery repository, for the header")
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--date", default=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"))
    args = ap.parse_args()

    catalog = {}  # (kind, name) -> set(flags)
    sources = list(PAGES)

    def add(kind, name, flags, where):
        if kind not in KIND_ORDER:
            raise SystemExit("%s: unknown kind %r" % (where, kind))
        if not NAME_RE.match(name):
            raise SystemExit("%s: bad name %r" % (where, name))
        flags = set(split_list(flags)) if isinstance(flags, str) else set(flags)
        unknown = flags - set(FLAG_ORDER)
        if unknown:
            raise SystemExit("%s: unknown flags %s" % (where, sorted(unknown)))
        catalog.setdefault((kind, name), set()).update(flags)

    def add_source(url):
        if url and url not in sources:
            sources.append(url)

    for lineno, cols in read_rows(os.path.join(HERE, "stdlib.tsv")):
        if len(cols) != 4:
            raise SystemExit("stdlib.tsv:%d: expected 4 columns" % lineno)
        add(cols[0], cols[1], cols[2], "stdlib.tsv:%d" % lineno)
        add_source(cols[3])

    skipped = []
    source = DiscoverySource(git_dir=args.discovery_git, rev=args.rev,
                             directory=args.discovery_dir, repo_url=args.repo_url)
    for lineno, cols in read_rows(os.path.join(HERE, "connectors.txt")):
        if len(cols) < 4:
            raise SystemExit("connectors.txt:%d: expected at least 4 columns" % lineno)
        service = cols[0].strip()
        versions = split_list(cols[1])
        add_source("https://cloud.google.com/workflows/docs/reference/googleapis/%s/Overview"
                   % service)
        entries = connector_entries(source, service, versions,
                                    split_list(cols[2]), split_list(cols[3]))
        for name, flags in entries.items():
            if not NAME_RE.match(name):
                # e.g. container's ".well-known.getOpenid-configuration": not a valid
                # Workflows call name, so not callable as a connector.
                skipped.append(name)
                continue
            add("connector", name, flags, "connectors.txt:%d" % lineno)

    for lineno, cols in read_rows(os.path.join(HERE, "connector_extra.tsv")):
        if len(cols) != 4:
            raise SystemExit("connector_extra.tsv:%d: expected 4 columns" % lineno)
        add(cols[0], cols[1], cols[2], "connector_extra.tsv:%d" % lineno)
        add_source(cols[3])

    for fname, loc, revision in source.used:
        sources.append("%s (Discovery revision %s)" % (loc, revision))

    write_catalog(args.out, args.date, sources, catalog)

    counts = {}
    for (kind, _), _ in catalog.items():
        counts[kind] = counts.get(kind, 0) + 1
    for name in skipped:
        print("skipped (not a valid call name): %s" % name, file=sys.stderr)
    print("wrote %s: %s" % (args.out, ", ".join("%s=%d" % (k, counts.get(k, 0))
                                                 for k in KIND_ORDER)), file=sys.stderr)


if __name__ == "__main__":
    main()
