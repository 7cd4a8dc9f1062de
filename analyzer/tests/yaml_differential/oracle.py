"""The oracle of tests/yaml_differential.rs: libyaml itself (C), through PyYAML's CSafeLoader.

Reads a JSON list of YAML texts on stdin and writes, for each, the node trees libyaml
composes (scalars with their style, every node with libyaml's 0-based line and column)
and, if it rejects the text, where.
"""
import json
import sys

import yaml

if not getattr(yaml, "__with_libyaml__", False):
    sys.exit("PyYAML is built without libyaml: install python3-yaml (scripts/setup.sh --test)")

STYLES = {None: "plain", "": "plain", "'": "quoted", '"': "quoted", "|": "literal", ">": "folded"}


def tree(node):
    at = [node.start_mark.line, node.start_mark.column]
    if isinstance(node, yaml.ScalarNode):
        return ["scalar", at, STYLES[node.style], node.value]
    if isinstance(node, yaml.SequenceNode):
        return ["seq", at, [tree(item) for item in node.value]]
    return ["map", at, [[tree(k), tree(v)] for k, v in node.value]]


def compose(text):
    docs = []
    try:
        for doc in yaml.compose_all(text, Loader=yaml.CSafeLoader):
            # An empty document (`---` alone) composes to None; Baton reads it as a null.
            docs.append(tree(doc) if doc is not None else None)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return {"docs": docs, "error": [mark.line, mark.column] if mark else None}
    except yaml.YAMLError:
        return {"docs": docs, "error": None}
    return {"docs": docs}


json.dump([compose(text) for text in json.load(sys.stdin)], sys.stdout)
