#!/usr/bin/env python3
"""Regenerate k8s-schemas/kubernetes.json, the strict schemas that
`platformgen check` validates every object against.

Usage:
    python3 scripts/vendor_kubernetes_schemas.py

Source: the strict JSON Schemas bundled with the `kubernetes-validate` PyPI
package (Apache-2.0; the version pinned in requirements-test.txt, installed by
scripts/test), which are generated from the Kubernetes OpenAPI of each release.

Custom resources come from the CRD schemas vendored in crd-schemas/, made to
mean what the API server accepts the same way scripts/validate_manifests.py
does (`nullable`, preserved unknown fields, a closed top level).

Only what platformgen needs is kept:
* the versions the spec's `platform.kubernetesVersion` accepts (SUPPORTED);
* the kinds of the kind registry (src/object/kinds.rs), and the
  definitions their schemas reach;
* no `description`s or `x-kubernetes-*` annotations (validation ignores them).

Definitions are deduplicated across versions: each definition name holds the
list of its distinct bodies, and each version says which body it uses. The
file is embedded into the binary (src/validate/kubernetes_schemas.rs).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import kubernetes_validate
import kubernetes_validate.utils as kv

sys.path.insert(0, str(Path(__file__).resolve().parent))
from validate_manifests import _relax_crd_schema  # noqa: E402

SUPPORTED = ["1.33", "1.34", "1.35", "1.36", "1.37"]
ROOT = Path(__file__).resolve().parent.parent
KINDS_RS = ROOT / "src" / "object" / "kinds.rs"
OUTPUT = ROOT / "k8s-schemas" / "kubernetes.json"
DEFINITIONS_REF = "/api/_definitions.json#/$defs/"
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"


def registry_kinds(origin: str = "built_in") -> list[tuple[str, str, str]]:
    text = KINDS_RS.read_text(encoding="utf-8")
    # A custom kind also names its operator (a fourth argument), and rustfmt
    # may put the arguments on lines of their own.
    found = re.findall(
        r'Kind::' + origin + r'\(\s*"([^"]*)",\s*"([^"]*)",\s*"([^"]*)"\s*[,)]', text
    )
    if not found:
        sys.exit(f"no built-in kind found in {KINDS_RS}")
    return sorted(set(found))


def strip(node, refs: set[str]):
    """A schema without annotations; collects the definitions it refers to."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            # A property may be called `description`: only the annotation
            # (a string) goes.
            if key == "description" and isinstance(value, str):
                continue
            if key.startswith("x-kubernetes-") or key in ("$id", "$schema"):
                continue
            if key == "$ref" and isinstance(value, str):
                # Kinds' schemas refer to `_definitions.json` by path, its
                # definitions to each other within the document.
                prefix = next((p for p in (DEFINITIONS_REF, "#/$defs/") if value.startswith(p)), None)
                if prefix is None:
                    sys.exit(f"unexpected $ref {value}")
                name = value[len(prefix) :]
                refs.add(name)
                out[key] = "#/$defs/" + name
                continue
            out[key] = strip(value, refs)
        return out
    if isinstance(node, list):
        return [strip(v, refs) for v in node]
    return node


def main() -> None:
    bundled = {kv.major_minor(v): v for v in kv.all_versions()}
    kinds = registry_kinds()
    custom = registry_kinds("custom")
    definitions: dict[str, list] = {}
    # Custom resources: the same in every version; their metadata is the
    # core ObjectMeta of the version the render targets.
    for group, api_version, kind in custom:
        path = ROOT / "crd-schemas" / group / f"{kind.lower()}_{api_version}.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        _relax_crd_schema(schema)
        # As in validate_manifests.py: the API server keeps only apiVersion,
        # kind, metadata and the schema's own fields.
        properties = schema.setdefault("properties", {})
        for known in ("apiVersion", "kind"):
            properties.setdefault(known, {})
        properties["metadata"] = {"$ref": DEFINITIONS_REF + OBJECT_META}
        schema.setdefault("additionalProperties", False)
        refs: set[str] = set()
        definitions[f"crd.{group}.{api_version}.{kind}"] = [strip(schema, refs)]
    versions: dict[str, dict] = {}
    for version in SUPPORTED:
        if version not in bundled:
            sys.exit(f"kubernetes-validate has no schemas for Kubernetes {version}")
        folder = f"kubernetes-json-schema/v{bundled[version]}-local-strict"
        all_defs = kv.schema_contents(f"{folder}/_definitions.json", version)["$defs"]
        chosen: dict[str, int] = {f"crd.{g}.{v}.{k}": 0 for g, v, k in custom}
        kind_defs: dict[str, str] = {}
        pending: list[tuple[str, dict]] = []
        for group, api_version, kind in kinds:
            prefix = f"{group.split('.')[0]}-" if group else ""
            name = f"{folder}/{kind.lower()}-{prefix}{api_version}.json"
            schema = kv.schema_contents(name, version)
            gvk = {"group": group, "version": api_version, "kind": kind}
            if gvk not in schema.get("x-kubernetes-group-version-kind", []):
                sys.exit(f"{name} is not the schema of {gvk}")
            key = f"{group}/{api_version}/{kind}" if group else f"{api_version}/{kind}"
            kind_def = f"kind.{group}.{api_version}.{kind}"
            kind_defs[key] = kind_def
            pending.append((kind_def, schema))
        seen: set[str] = set()
        while pending:
            name, schema = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            refs: set[str] = set()
            body = strip(schema, refs)
            variants = definitions.setdefault(name, [])
            if body not in variants:
                variants.append(body)
            chosen[name] = variants.index(body)
            for ref in sorted(refs):
                if ref not in seen:
                    pending.append((ref, all_defs[ref]))
        for group, api_version, kind in custom:
            key = f"{group}/{api_version}/{kind}"
            kind_defs[key] = f"crd.{group}.{api_version}.{kind}"
        versions[version] = {
            "kinds": dict(sorted(kind_defs.items())),
            "definitions": dict(sorted(chosen.items())),
        }
    out = {
        "source": (
            f"kubernetes-validate {kubernetes_validate.__version__} (PyPI, Apache-2.0), "
            "strict schemas; regenerate with scripts/vendor_kubernetes_schemas.py"
        ),
        "versions": versions,
        "definitions": dict(sorted(definitions.items())),
    }
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(json.dumps(out, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(definitions)} definitions, {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
