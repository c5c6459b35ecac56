# Sourced by scripts/serve and scripts/test: make .venv hold the pinned
# dependencies of pyproject.toml (extras in $1), reinstalling only when they change.
ensure_venv() {
    local extras="${1:-}"
    local python="${PYTHON:-python3}"
    if [ ! -x .venv/bin/python ]; then
        "$python" -m venv .venv
    fi
    local stamp
    stamp=".venv/.installed${extras:+-$extras}-$(sha256sum pyproject.toml | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras:+[$extras]}"
        touch "$stamp"
    fi
}
