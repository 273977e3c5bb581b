#!/usr/bin/env bash
# Developer entry point.
#   ./dev.sh demo [--port N] [--demo-password P]   run the demo site on localhost
#   ./dev.sh test [pytest args...]                 ruff check, ruff format --check, pytest
# Both create .venv and install the project into it first when needed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

VENV=.venv

# The newest Python >= 3.12 on PATH or under pyenv (Django 6), else python3 (>= 3.11,
# Django 5.2 LTS). $PYTHON overrides the choice.
pick_python() {
    local candidate
    local pyenv_pythons
    pyenv_pythons=$(ls -d "$(pyenv root 2>/dev/null || echo /nonexistent)"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV || true)
    for candidate in python3.14 python3.13 python3.12 $pyenv_pythons; do
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
            echo "$candidate"
            return
        fi
    done
    echo python3
}
PYTHON="${PYTHON:-$(pick_python)}"

die() {
    echo "dev.sh: $*" >&2
    exit 1
}

ensure_python() {
    command -v "$PYTHON" >/dev/null 2>&1 || die "'$PYTHON' not found; install Python >= 3.11 or set PYTHON=/path/to/python3.11"
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
        die "Jixiao needs Python >= 3.11, but '$PYTHON' is $("$PYTHON" -V 2>&1); set PYTHON=/path/to/python3.11"
}

ensure_venv() {
    [[ -x "$VENV/bin/python" ]] && return 0
    ensure_python
    # Debian/Ubuntu ship venv (with ensurepip) in a separate package.
    if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        local pkg
        pkg="python3-venv"
        if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg"
        else
            die "Python's venv module is missing; run: sudo apt-get install -y $pkg"
        fi
    fi
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
}

ensure_installed() {
    # Reinstall only when pyproject.toml (dependencies, entry points) changed;
    # the editable install picks up source changes by itself.
    local stamp
    stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -d' ' -f1)"
    [[ -e "$stamp" ]] && return 0
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e '.[test]'
    rm -f "$VENV"/.installed-*
    touch "$stamp"
}

# ECharts for the dashboards: the pinned npm tarball, checked against its sha512 and
# unpacked into the static files (never committed, never loaded from a CDN).
ensure_assets() {
    "$VENV/bin/python" -m jixiao.web.assets || die "could not install the browser assets (ECharts) from the npm registry"
}

# The browser journeys drive Debian's Chromium (never a downloaded browser build).
ensure_chromium() {
    [[ -x /usr/bin/chromium ]] && return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "dev.sh: installing Debian's chromium for the browser tests" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "dev.sh: /usr/bin/chromium is missing; run: sudo apt-get install -y chromium" >&2
        echo "        (browser tests are skipped without it, and fail under CI=true)" >&2
    fi
}

# Responsibility letters (PDF) embed real CJK TrueType fonts: WenQuanYi Micro Hei
# (黑体-like) and AR PL UMing (宋体-like). JIXIAO_CJK_FONT names another font file.
ensure_fonts() {
    local sans="${JIXIAO_CJK_FONT:-/usr/share/fonts/truetype/wqy/wqy-microhei.ttc}"
    local serif=/usr/share/fonts/truetype/arphic/uming.ttc
    [[ -f "$sans" && -f "$serif" ]] && return 0
    local pkgs="fonts-wqy-microhei fonts-arphic-uming"
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "dev.sh: installing the CJK fonts for responsibility letters ($pkgs)" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null
    elif [[ -f "$sans" ]]; then
        # The 宋体-like body font is optional: letters fall back to the sans font.
        echo "dev.sh: $serif is missing; for 宋体-like letter text run: sudo apt-get install -y fonts-arphic-uming" >&2
    else
        die "CJK font for the PDF letters is missing ($sans); run: sudo apt-get install -y $pkgs"
    fi
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
demo)
    ensure_venv
    ensure_installed
    ensure_assets
    ensure_fonts
    exec "$VENV/bin/jixiao" demo "$@"
    ;;
test)
    ensure_venv
    ensure_installed
    ensure_assets
    ensure_chromium
    ensure_fonts
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    status=0
    "$VENV/bin/pytest" "$@" || status=$?
    exit "$status"
    ;;
*)
    echo "usage: ./dev.sh demo [--port N] [--demo-password P]" >&2
    echo "       ./dev.sh test [pytest args...]" >&2
    exit 2
    ;;
esac
