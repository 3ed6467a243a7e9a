#!/usr/bin/env bash
# Real clients against localvault: the Django + Transit example (Django and
# hvac from PyPI), the hvac suite under hvac's current release and 0.11.x
# (Debian's), the node-vault suite and the Go api client suite. Each suite
# starts its own localvault on a free port and stops it. Virtual environments
# live inside the repo (gitignored); pip, npm and go use their default caches.
#
#   bash .ci/clients.sh            # everything
#   bash .ci/clients.sh go node    # some: django, hvac, hvac-0.11, node, go
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SUITE_TIMEOUT=${SUITE_TIMEOUT:-600}

# Django 6 needs Python >= 3.12: take the newest 3.12+ there is, else python3
# (requirements.txt then pins Django's 5.2 LTS line).
pick_python() {
  local pyenv_root=${PYENV_ROOT:-$HOME/.pyenv} cand
  for cand in python3.13 python3.12 "$pyenv_root"/versions/3.13*/bin/python3 \
      "$pyenv_root"/versions/3.12*/bin/python3 python3; do
    if command -v "$cand" >/dev/null 2>&1 &&
        "$cand" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 9))' >/dev/null 2>&1; then
      echo "$cand"
      return 0
    fi
  done
  echo "no usable python3 (with venv and ensurepip) found" >&2
  return 1
}

# venv DIR REQUIREMENTS: create the virtual environment if needed, install.
venv() {
  local dir=$1 req=$2
  if [ ! -x "$dir/bin/python" ]; then
    "$PYTHON" -m venv "$dir" || return 1
  fi
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$req"
}
export -f venv

PASSED=()
FAILED=()
suite() {
  local name=$1
  shift
  echo
  echo "== clients: $name"
  local start=$SECONDS
  # Shell functions run in a child bash so that timeout can stop them.
  if timeout "$SUITE_TIMEOUT" bash -c '"$@"' _ "$@"; then
    PASSED+=("$name")
    echo "== clients: $name ok ($((SECONDS - start))s)"
  else
    FAILED+=("$name")
    echo "== clients: $name FAILED ($((SECONDS - start))s)"
  fi
}

wanted() {
  [ ${#SELECTED[@]} -eq 0 ] && return 0
  local s
  for s in "${SELECTED[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}
SELECTED=("$@")

echo "== clients: build localvault"
[ -d node_modules ] || npm ci --no-audit --no-fund || exit 1
npm run build --silent || { [ -f dist/src/main.js ] || exit 1; }

if wanted django || wanted hvac || wanted hvac-0.11; then
  PYTHON=$(pick_python) || exit 1
  echo "== clients: python $("$PYTHON" --version 2>&1) ($PYTHON)"
  export PYTHON
fi

if wanted django; then
  run_django() {
    venv examples/django-transit/.venv examples/django-transit/requirements.txt &&
      (cd examples/django-transit && .venv/bin/python -m django --version &&
        .venv/bin/python manage.py test --verbosity 2)
  }
  export -f run_django
  suite django run_django
fi

run_hvac() {
  local tag=$1
  venv "clients/python/.venv-$tag" "clients/python/requirements-$tag.txt" &&
    (cd clients/python && ".venv-$tag/bin/python" -m pytest -q)
}
export -f run_hvac
if wanted hvac; then suite "hvac (current)" run_hvac current; fi
if wanted hvac-0.11; then suite "hvac 0.11" run_hvac 0.11; fi

if wanted node; then
  suite node-vault npx tap --disable-coverage clients/node/node-vault.test.mjs
fi

if wanted go; then
  run_go() {
    (cd clients/go && go mod download && go test -count=1 ./...)
  }
  export -f run_go
  suite "go api client" run_go
fi

echo
echo "== clients: ${#PASSED[@]} suites green${PASSED:+ (${PASSED[*]})}; ${#FAILED[@]} failing${FAILED:+ (${FAILED[*]})}"
[ ${#FAILED[@]} -eq 0 ]
