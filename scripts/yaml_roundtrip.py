#!/usr/bin/env python3
"""Check that a YAML stream reads back as exactly the expected data under both
YAML 1.1 and YAML 1.2.

Usage: python3 scripts/yaml_roundtrip.py DOC.yaml EXPECTED.json

DOC.yaml may hold several documents. EXPECTED.json is a JSON list with one
entry per document. The stream is loaded with PyYAML (`yaml.safe_load_all`,
YAML 1.1: the resolver family of kubectl, kustomize and Helm) and with
ruamel.yaml (`YAML(typ='safe', pure=True)`, YAML 1.2). Types are compared
strictly: "on" vs True, "1" vs 1, 1 vs 1.0 and True vs 1 all differ.

Prints every mismatch with its path, the expected value and what each reader
produced, then `yaml-roundtrip: N documents, M mismatches`.
Exit status: 0 if both readers agree with EXPECTED.json, 1 on any mismatch,
2 on bad usage or missing Python packages.

This is the test oracle for src/emit/yaml.rs (see its round-trip unit test).
"""

import json
import math
import sys

INSTALL_HINT = "pip install -r requirements-test.txt"



class Note(str):
    """Shown as is in place of a value: a placeholder or a load error."""


MISSING = Note("<missing>")
ABSENT = Note("<absent>")


def usage_error(message):
    print(f"yaml-roundtrip: {message}", file=sys.stderr)
    sys.exit(2)


def import_readers():
    try:
        import yaml
    except ImportError:
        usage_error(f"PyYAML is not installed; run `{INSTALL_HINT}`")
    try:
        from ruamel.yaml import YAML
    except ImportError:
        usage_error(f"ruamel.yaml is not installed; run `{INSTALL_HINT}`")

    def pyyaml(text):
        return list(yaml.safe_load_all(text))

    def ruamel(text):
        # load_all is lazy: drain it while the YAML object is alive.
        return list(YAML(typ="safe", pure=True).load_all(text))

    return [("pyyaml (YAML 1.1)", pyyaml), ("ruamel (YAML 1.2)", ruamel)]


def kind(value):
    """The JSON type of a value, or the Python type name for anything JSON
    cannot hold (datetime, bytes, ...). bool is checked before int because
    bool is a subclass of int in Python."""
    if value is None:
        return "null"
    for python_type, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str"),
                              (list, "list"), (dict, "map")):
        if isinstance(value, python_type):
            return name
    return type(value).__name__


def key_path(path, key):
    # json.dumps shows control characters and quotes unambiguously.
    shown = json.dumps(key) if isinstance(key, str) else f"{key!r} ({kind(key)})"
    return f"{path}[{shown}]"


def compare(path, expected, got, mismatches):
    """Records (expected, got) under each differing path in `mismatches`."""
    expected_kind, got_kind = kind(expected), kind(got)
    if expected_kind != got_kind:
        mismatches[path] = (expected, got)
    elif expected_kind == "map":
        for key, value in expected.items():
            # A str key never equals a bool, int or None key from the reader.
            if key in got:
                compare(key_path(path, key), value, got[key], mismatches)
            else:
                mismatches[key_path(path, key)] = (value, MISSING)
        for key, value in got.items():
            if not (isinstance(key, str) and key in expected):
                mismatches[key_path(path, key)] = (ABSENT, value)
    elif expected_kind == "list":
        for i in range(max(len(expected), len(got))):
            item_path = f"{path}[{i}]"
            if i >= len(got):
                mismatches[item_path] = (expected[i], MISSING)
            elif i >= len(expected):
                mismatches[item_path] = (ABSENT, got[i])
            else:
                compare(item_path, expected[i], got[i], mismatches)
    elif expected_kind == "float":
        # == alone would accept -0.0 for 0.0.
        if expected != got or math.copysign(1, expected) != math.copysign(1, got):
            mismatches[path] = (expected, got)
    elif expected != got:
        mismatches[path] = (expected, got)


def show(value):
    if isinstance(value, Note):
        return str(value)
    text = repr(value)
    if len(text) > 200:
        text = text[:200] + "..."
    return f"{text} ({kind(value)})"


def main(argv):
    if len(argv) != 3:
        usage_error("usage: python3 scripts/yaml_roundtrip.py DOC.yaml EXPECTED.json")
    doc_path, expected_path = argv[1], argv[2]
    readers = import_readers()

    # Read bytes and decode strictly: text mode would translate \r\n.
    with open(doc_path, "rb") as f:
        text = f.read().decode("utf-8")
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    if not isinstance(expected, list):
        usage_error(f"{expected_path} must hold a JSON list of documents")

    # path -> {reader name -> (expected, got)}, in order of first report.
    by_path = {}
    for name, load in readers:
        mismatches = {}
        try:
            documents = load(text)
        except Exception as error:  # any reader failure is a mismatch
            # PyYAML errors span several lines (context, position, problem).
            detail = " / ".join(line.strip() for line in str(error).splitlines() if line.strip())
            mismatches["$"] = (expected, Note(f"<load error: {type(error).__name__}: {detail}>"))
        else:
            compare("$", expected, documents, mismatches)
        for path, pair in mismatches.items():
            by_path.setdefault(path, {})[name] = pair

    for path, per_reader in by_path.items():
        expected_here = next(iter(per_reader.values()))[0]
        print(f"mismatch at {path}: expected {show(expected_here)}")
        for name, _ in readers:
            if name in per_reader:
                print(f"    {name}: {show(per_reader[name][1])}")
            else:
                print(f"    {name}: ok")

    print(f"yaml-roundtrip: {len(expected)} documents, {len(by_path)} mismatches")
    return 1 if by_path else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
