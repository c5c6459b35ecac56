# Sourced by scripts/serve and scripts/test: make .venv hold the pinned
# dependencies of pyproject.toml (extras in $1), reinstalling only when they change.
# With the dev extra come the development tools too (devtools/: the local Neo4j of the
# tests and benchmarks, and `graph-engine neo4j`), a package of their own so that the
# engine's wheel carries no process management.
ensure_venv() {
    local extras="${1:-}"
    local python="${PYTHON:-python3}"
    if [ ! -x .venv/bin/python ]; then
        "$python" -m venv .venv
    fi
    local packages=(-e ".${extras:+[$extras]}")
    local pins=(pyproject.toml)
    if [[ ",$extras," == *,dev,* ]]; then
        packages+=(-e ./devtools)
        pins+=(devtools/pyproject.toml)
    fi
    local stamp
    stamp=".venv/.installed${extras:+-$extras}-$(cat "${pins[@]}" | sha256sum | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        .venv/bin/python -m pip install --quiet --disable-pip-version-check "${packages[@]}"
        touch "$stamp"
    fi
}

# Tools that tests run beside the Python suite, each pinned and installed into an ignored
# folder of the checkout: graphql-http's GraphQL-over-HTTP audit (npm, from
# tests/http_audit/package-lock.json) and the ariadne-codegen client generator (its own
# environment: it needs graphql-core 3.2, the server 3.3). Reinstalled only when their
# pins change.
ensure_test_tools() {
    local python="${PYTHON:-python3}"
    local audit=tests/http_audit
    if ! command -v npm >/dev/null 2>&1; then
        echo "the GraphQL-over-HTTP audit needs Node.js and npm on the PATH" >&2
        return 1
    fi
    local stamp
    stamp="$audit/node_modules/.installed-$(sha256sum "$audit/package-lock.json" | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        npm ci --prefix "$audit" --no-audit --no-fund --loglevel=error
        touch "$stamp"
    fi
    local codegen=tests/typed_client
    stamp="$codegen/.venv/.installed-$(sha256sum "$codegen/requirements.txt" | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        if [ ! -x "$codegen/.venv/bin/python" ]; then
            "$python" -m venv "$codegen/.venv"
        fi
        "$codegen/.venv/bin/python" -m pip install --quiet --disable-pip-version-check \
            -r "$codegen/requirements.txt"
        touch "$stamp"
    fi
}
