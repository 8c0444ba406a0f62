#!/usr/bin/env python3
"""Validate rendered Kubernetes manifests against upstream schemas.

Usage:
    python3 scripts/validate_manifests.py \\
        --kubernetes-version 1.33 --kubernetes-version 1.37 \\
        --crd-schemas crd-schemas PATH...

Each PATH is a multi-document YAML file or a directory (searched recursively
for *.yaml / *.yml, skipping kustomization files and dotfiles).

Every document is checked:

* Core kinds (any API group that the Kubernetes OpenAPI of that version
  serves) against the strict schemas bundled with kubernetes-validate, once
  per requested Kubernetes version: unknown fields are errors.
* Custom resources against <crd-schemas>/<group>/<kind>_<version>.json.
  Unknown fields are errors wherever the schema says so, and also at the top
  level (see CrdSchemas._load). Their metadata is checked against the strict
  ObjectMeta of each requested Kubernetes version.
* A document whose kind has no schema at all is an error: nothing is passed
  without validation.

Output: one line per failure,
    FILE:DOCINDEX KIND/NAMESPACE/NAME (version X): message (at path a.b.c)
(DOCINDEX counts documents in the file from 0; NAMESPACE is "-" when unset;
X is the Kubernetes version, or the apiVersion of a custom resource) and a
summary line
    validate-manifests: N documents, M failed
Exit status: 0 all valid, 1 any failure (or no document found), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

try:
    import jsonschema
    import jsonschema.exceptions
    import jsonschema.validators
    import kubernetes_validate.utils as kv
    import referencing
    import yaml
except ImportError as err:  # pragma: no cover - environment problem
    sys.stderr.write(
        f"validate-manifests: missing Python module ({err}).\n"
        "Run the tests with scripts/test, or install the test dependencies with\n"
        "    python3 -m pip install -r requirements-test.txt\n"
    )
    sys.exit(2)

USAGE_ERROR = 2
# Errors printed per document and version; more usually means one root cause.
MAX_ERRORS_PER_CHECK = 20
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
# The $id of kubernetes-validate's _definitions.json; its per-kind schemas
# refer to it as "/api/_definitions.json#/$defs/...".
K8S_DEFINITIONS_ID = "https://kubernetes.io/api/_definitions.json"


class UsageError(Exception):
    pass


# --------------------------------------------------------------------------
# YAML loading


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's safe (YAML 1.1) loader, refusing duplicate mapping keys.

    kubectl rejects a mapping that sets the same key twice, while PyYAML
    silently keeps the last value; a renderer bug of that kind must not pass.
    """


def _construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:  # unhashable key; construct_mapping reports it
            continue
        if duplicate:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_documents(path: Path) -> tuple[list[tuple[int, Any]], list[tuple[int, str]]]:
    """Read a multi-document YAML file.

    Returns [(docindex, document)] of the non-empty documents and
    [(docindex, message)] of the documents that could not be read. A document
    that fails to construct (a duplicate key, an unknown tag) does not stop
    the others; a syntax error ends the file.
    """
    docs: list[tuple[int, Any]] = []
    errors: list[tuple[int, str]] = []
    index = 0
    try:
        with path.open("rb") as f:
            loader = _Loader(f)
            try:
                while loader.check_node():
                    node = loader.get_node()
                    try:
                        doc = loader.construct_document(node)
                    except yaml.constructor.ConstructorError as err:
                        errors.append((index, " ".join(str(err).split())))
                    else:
                        if doc is not None:
                            docs.append((index, doc))
                    index += 1
            finally:
                loader.dispose()
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as err:
        errors.append((index, " ".join(str(err).split())))
    return docs, errors


def yaml_files(paths: Iterable[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            yield path
        elif path.is_dir():
            found = []
            for root, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in files:
                    if name.startswith("."):
                        continue
                    if name in ("kustomization.yaml", "kustomization.yml"):
                        continue
                    if name.endswith((".yaml", ".yml")):
                        found.append(Path(root) / name)
            # Sorted, so the report is the same on every machine.
            yield from sorted(found)
        else:
            raise UsageError(f"no such file or directory: {raw}")


# --------------------------------------------------------------------------
# Schemas


class CoreSchemas:
    """Strict schemas of the core kinds of one Kubernetes version.

    kubernetes_validate.validate() re-reads and re-compiles the schema (and
    its 1.5 MB _definitions.json) on every call; this keeps one compiled
    validator per kind instead, built from the same files in the same way.
    """

    def __init__(self, version: str) -> None:
        bundled = {kv.major_minor(v): v for v in kv.all_versions()}
        if version not in bundled:
            raise UsageError(
                f"kubernetes-validate {kv.__version__} has no schemas for Kubernetes "
                f"{version} (it has {', '.join(sorted(bundled, key=_version_key))})"
            )
        self.version = version
        self.schema_dir = f"v{bundled[version]}-local-strict"
        definitions = kv.schema_contents(
            f"kubernetes-json-schema/{self.schema_dir}/_definitions.json", version
        )
        self.defs_resource = referencing.Resource.from_contents(definitions)
        self.registry = self.defs_resource @ referencing.Registry()
        # (group, version, kind) triples served by this Kubernetes version,
        # and the API groups they belong to: a group listed here is core, so
        # its kinds are never looked up among the CRD schemas.
        self.gvks: set[tuple[str, str, str]] = set()
        for schema in definitions["$defs"].values():
            for gvk in schema.get("x-kubernetes-group-version-kind", ()):
                self.gvks.add((gvk["group"], gvk["version"], gvk["kind"]))
        self.groups = {g for g, _, _ in self.gvks}
        self._validators: dict[tuple[str, str, str], Any] = {}
        self.metadata_validator = self._compile(
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$id": "https://kubernetes.io/api/objectmeta",
                "$ref": f"{K8S_DEFINITIONS_ID}#/$defs/{OBJECT_META}",
            }
        )

    def _compile(self, schema: dict) -> Any:
        resource = referencing.Resource.from_contents(schema)
        registry = resource @ self.registry
        return jsonschema.validators.Draft202012Validator(schema, registry=registry)

    def validator(self, group: str, api_version: str, kind: str) -> Any | None:
        key = (group, api_version, kind)
        if key not in self._validators:
            self._validators[key] = self._load(group, api_version, kind)
        return self._validators[key]

    def _load(self, group: str, api_version: str, kind: str) -> Any | None:
        if (group, api_version, kind) not in self.gvks:
            return None
        # File naming of kubernetes-validate: the first label of the group,
        # e.g. rbac.authorization.k8s.io/v1 Role -> role-rbac-v1.json.
        prefix = f"{group.split('.')[0]}-" if group else ""
        name = f"kubernetes-json-schema/{self.schema_dir}/{kind.lower()}-{prefix}{api_version}.json"
        try:
            schema = kv.schema_contents(name, self.version)
        except FileNotFoundError:
            return None
        # The file name drops most of the group; make sure it is this kind.
        if {"group": group, "version": api_version, "kind": kind} not in schema.get(
            "x-kubernetes-group-version-kind", []
        ):
            return None
        return self._compile(schema)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def _python_pattern(pattern: str) -> str:
    """A CRD pattern (Go RE2 syntax) in Python re syntax.

    The one difference met in practice: RE2 takes inline flags anywhere
    (prometheus-operator writes "^(?i)(abort|warn)?$"), Python only at the
    start; before an anchor they mean the same, so they move to the front.
    """
    try:
        re.compile(pattern)
        return pattern
    except re.error:
        pass
    moved = re.sub(r"^\^\(\?([a-zA-Z]+)\)", r"(?\1)^", pattern)
    try:
        re.compile(moved)
        return moved
    except re.error:
        pass
    # RE2 also scopes a flag to the rest of its group ("^((?i)january|...)"
    # in AlertmanagerConfig's time intervals). Python has no such form short
    # of rewriting the group; applying `i` to the whole pattern accepts a
    # little more (other parts case-insensitively), never less.
    widened = "(?i)" + pattern.replace("(?i)", "")
    re.compile(widened)  # still invalid: let the schema load fail loudly
    return widened


def _relax_crd_schema(node: Any) -> None:
    """Restore the meaning of two OpenAPI extensions in the catalog's schemas.

    The catalog's JSON Schemas are OpenAPI v3 CRD schemas with
    additionalProperties: false added to every object. Two OpenAPI notions
    need translating back so that what the API server accepts passes here:
    nullable: true (JSON Schema spells it as a "null" type), and
    x-kubernetes-preserve-unknown-fields: true (the object keeps any field,
    so additionalProperties: false added next to it is wrong).
    """
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            node["pattern"] = _python_pattern(node["pattern"])
        if node.get("nullable") is True and isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        if (
            node.get("x-kubernetes-preserve-unknown-fields") is True
            and node.get("additionalProperties") is False
        ):
            del node["additionalProperties"]
        for value in node.values():
            _relax_crd_schema(value)
    elif isinstance(node, list):
        for value in node:
            _relax_crd_schema(value)


class CrdSchemas:
    """Schemas of custom resources, one file per group, kind and version."""

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise UsageError(f"--crd-schemas: not a directory: {root}")
        self.root = root
        self._validators: dict[tuple[str, str, str], Any] = {}

    def path(self, group: str, api_version: str, kind: str) -> Path:
        return self.root / group / f"{kind.lower()}_{api_version}.json"

    def validator(self, group: str, api_version: str, kind: str) -> Any | None:
        key = (group, api_version, kind)
        if key not in self._validators:
            path = self.path(group, api_version, kind)
            self._validators[key] = self._load(path) if path.is_file() else None
        return self._validators[key]

    @staticmethod
    def _load(path: Path) -> Any:
        schema = json.loads(path.read_text(encoding="utf-8"))
        _relax_crd_schema(schema)
        # The catalog leaves the top level open and metadata as a bare
        # object. The API server keeps only apiVersion, kind, metadata and the
        # schema's own fields, so anything else is an unknown field; metadata
        # is checked separately against the core ObjectMeta.
        properties = schema.setdefault("properties", {})
        for known in ("apiVersion", "kind", "metadata"):
            properties.setdefault(known, {})
        schema.setdefault("additionalProperties", False)
        # Files that do not name a dialect are OpenAPI-derived: Draft 7.
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
        cls.check_schema(schema)
        return cls(schema)


# --------------------------------------------------------------------------
# Validation


def _describe(error: jsonschema.exceptions.ValidationError, prefix: tuple = ()) -> tuple[str, str]:
    # For anyOf/oneOf failures, name the branch error that explains most.
    error = jsonschema.exceptions.best_match([error])
    path = ".".join(str(p) for p in (*prefix, *error.absolute_path)) or "<root>"
    message = " ".join(error.message.split())
    expected = error.validator_value if error.validator == "type" else None
    if (
        expected is not None
        and "string" in expected
        and not isinstance(error.instance, (str, dict, list))
    ):
        # A YAML 1.1 reader turned an unquoted scalar (on, yes, 1_000,
        # 2024-01-01, 12:30:45) into a bool, number or date.
        message += "; a YAML 1.1 reader does not see a string here: quote the scalar"
    return message, path


def _errors(validator: Any, instance: Any, prefix: tuple = ()) -> list[tuple[str, str]]:
    found = sorted(
        validator.iter_errors(instance),
        key=lambda e: ([str(p) for p in e.absolute_path], e.message),
    )
    out = [_describe(e, prefix) for e in found[:MAX_ERRORS_PER_CHECK]]
    if len(found) > MAX_ERRORS_PER_CHECK:
        out.append((f"... and {len(found) - MAX_ERRORS_PER_CHECK} more errors", "<root>"))
    return out


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


class Validator:
    def __init__(self, versions: list[str], crd_root: Path) -> None:
        self.core = [CoreSchemas(v) for v in versions]
        self.crds = CrdSchemas(crd_root)
        self.core_groups = set().union(*(c.groups for c in self.core))

    def check(self, doc: Any) -> list[tuple[str, str, str]]:
        """Return [(version label, message, path)] for one document."""
        if not isinstance(doc, dict):
            return [("-", f"document is a {type(doc).__name__}, not a mapping", "<root>")]
        failures: list[tuple[str, str, str]] = []
        api = doc.get("apiVersion")
        kind = doc.get("kind")
        if not isinstance(api, str) or not api or api.count("/") > 1:
            return [("-", f"apiVersion missing or invalid: {_short(api)}", "apiVersion")]
        if not isinstance(kind, str) or not kind:
            return [("-", f"kind missing or invalid: {_short(kind)}", "kind")]
        group, _, version = api.rpartition("/")
        metadata = doc.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        if not isinstance(name, str) or not name:
            # Every object the renderer writes is applied by name.
            failures.append(("-", "metadata.name is missing or empty", "metadata.name"))

        if group in self.core_groups:
            for core in self.core:
                validator = core.validator(group, version, kind)
                if validator is None:
                    failures.append(
                        (
                            core.version,
                            f"Kubernetes {core.version} does not serve {kind} in {api}",
                            "<root>",
                        )
                    )
                    continue
                failures += [(core.version, m, p) for m, p in _errors(validator, doc)]
            return failures

        validator = self.crds.validator(group, version, kind)
        if validator is None:
            where = self.crds.path(group, version, kind)
            failures.append(
                ("-", f"no schema for {kind} in {api}: neither a core kind nor {where}", "<root>")
            )
            return failures
        failures += [(api, m, p) for m, p in _errors(validator, doc)]
        if isinstance(metadata, dict):
            for core in self.core:
                errs = _errors(core.metadata_validator, metadata, ("metadata",))
                failures += [(core.version, m, p) for m, p in errs]
        return failures


def _label(doc: Any) -> str:
    if not isinstance(doc, dict):
        return "?/-/?"
    metadata = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
    kind = doc.get("kind") or "?"
    namespace = metadata.get("namespace") or "-"
    name = metadata.get("name") or "?"
    return f"{kind}/{namespace}/{name}"


def parse_args(argv: list[str]) -> argparse.Namespace:
    default_crds = Path(__file__).resolve().parent.parent / "crd-schemas"
    parser = argparse.ArgumentParser(
        prog="validate_manifests.py",
        description="Validate Kubernetes manifests: core kinds strictly against the "
        "Kubernetes OpenAPI (kubernetes-validate), custom resources against CRD schemas.",
    )
    parser.add_argument(
        "--kubernetes-version",
        action="append",
        required=True,
        metavar="X.Y",
        help="Kubernetes version to validate core kinds against (repeatable)",
    )
    parser.add_argument(
        "--crd-schemas",
        type=Path,
        default=default_crds,
        metavar="DIR",
        help=f"directory of <group>/<kind>_<version>.json schemas (default: {default_crds})",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="YAML file or directory")
    return parser.parse_args(argv)


def normalize_version(raw: str) -> str:
    parts = raw.removeprefix("v").split(".")
    if len(parts) < 2 or not all(p.isdigit() for p in parts):
        raise UsageError(f"--kubernetes-version: expected MAJOR.MINOR, got {raw!r}")
    return f"{int(parts[0])}.{int(parts[1])}"


def main(argv: list[str]) -> int:
    args = parse_args(argv)  # exits with status 2 on a usage error
    try:
        versions = list(dict.fromkeys(normalize_version(v) for v in args.kubernetes_version))
        validator = Validator(versions, args.crd_schemas)
        files = list(dict.fromkeys(yaml_files(args.paths)))
    except UsageError as err:
        sys.stderr.write(f"validate-manifests: {err}\n")
        return USAGE_ERROR

    documents = 0
    failed = 0
    out = sys.stdout
    for path in files:
        docs, read_errors = load_documents(path)
        lines: list[tuple[int, str]] = []
        for index, doc in docs:
            failures = validator.check(doc)
            if failures:
                failed += 1
                label = _label(doc)
                for version, message, at in failures:
                    lines.append(
                        (
                            index,
                            f"{path}:{index} {label} (version {version}): {message} (at path {at})",
                        )
                    )
        for index, message in read_errors:
            failed += 1
            lines.append(
                (index, f"{path}:{index} ?/-/? (version -): YAML error: {message} (at path <root>)")
            )
        documents += len(docs) + len(read_errors)
        # In document order (sort is stable: a document's lines keep theirs).
        for _, line in sorted(lines, key=lambda item: item[0]):
            out.write(line + "\n")
    if documents == 0:
        out.write(f"validate-manifests: no YAML documents found in {' '.join(args.paths)}\n")
    out.write(f"validate-manifests: {documents} documents, {failed} failed\n")
    return 0 if failed == 0 and documents > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
