#!/usr/bin/env bash
# Run a command inside the project's Python environment, creating it first if it is missing.
#
#   ./env.sh python scripts/train_shallow.py     # the stack this machine can run (see below)
#   ./env.sh python -m pytest                    # the whole test suite in the same environment
#   STACK=modern ./env.sh python -m pytest       # a stack by name: pinned, tf1 or modern
#   ./env.sh jupyter notebook notebooks/         # the notebooks, served on 127.0.0.1 with a token
#   ./env.sh --which                             # which stack and Python it would use; builds nothing
#
# With STACK unset it takes the pinned stack (the course's: Python 3.6, TensorFlow 1.8) where a
# Python 3.6 is found on a platform that has the course's wheels (Linux or macOS on x86-64), and
# otherwise the modern stack (CPython 3.11.2 to 3.13, TensorFlow 2 through tf.compat.v1), saying so
# in one line. PYTHON36, PYTHON37 and PYTHON_MODERN (or PYTHON311) name an interpreter explicitly.
#
# The environment lives in .venv-<stack>/, holds the project as an editable install (so
# `import tf_models` works from any directory), and is rebuilt when its requirements files,
# setup.py or the chosen Python change, so running this twice is cheap and safe.
#
# The choosing and building are in tools/bootstrap.py, run by any Python 3 found here: this script
# keeps to bash 3.2 and shell builtins, so that it runs on macOS as on Linux.
set -euo pipefail

case "${BASH_SOURCE[0]}" in
  */*) here=${BASH_SOURCE[0]%/*} ;;
  *) here=. ;;
esac
root=$(cd "$here" && pwd)

usage() {
  echo "usage: ./env.sh COMMAND [ARG...]   run COMMAND in the project's environment (built if missing)"
  echo "       ./env.sh                    build the environment if missing, and say where it is"
  echo "       ./env.sh --which            print the stack, Python and environment it would use; build nothing"
  echo "STACK=pinned|tf1|modern chooses the stack; PYTHON36, PYTHON37, PYTHON_MODERN choose the interpreter."
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  --which)
    if [ $# -ne 1 ]; then echo "error: --which takes no further arguments" >&2; exit 2; fi ;;
  -*) echo "error: unknown option '$1' (./env.sh --help lists the options)" >&2; exit 2 ;;
esac

# A Python 3 to run the bootstrap with: the first on PATH, else one named explicitly, else pyenv's.
bootstrap_python() {
  local cand
  for cand in python3 python3.13 python3.12 python3.11 python3.10 python3.9 python3.8 python3.7 \
      python3.6 python "${PYTHON_MODERN:-}" "${PYTHON311:-}" "${PYTHON37:-}" "${PYTHON36:-}" \
      "${PYENV_ROOT:-${HOME:-}/.pyenv}"/versions/3.*/bin/python3; do
    [ -n "$cand" ] || continue
    cand=$(command -v "$cand" 2>/dev/null) || continue
    if "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 6))' >/dev/null 2>&1; then
      echo "$cand"
      return 0
    fi
  done
  return 1
}
if ! py=$(bootstrap_python); then
  echo "error: env.sh needs a Python 3 (3.6 or newer) to start with and found none; install CPython 3.11 to 3.13 (python.org, your system's packages, or pyenv)" >&2
  exit 2
fi

if [ "${1:-}" = --which ]; then
  exec "$py" "$root/tools/bootstrap.py" which --root "$root"
fi

# Builds the environment if it is missing or out of date (one builder at a time), then prints
# "<stack> <environment directory>".
out=$("$py" "$root/tools/bootstrap.py" ensure --root "$root") || exit $?
stack=${out%% *}
venv=${out#* }

export VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH"
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}   # keep TensorFlow's C++ start-up chatter out of the output
# Jupyter reads the project's configuration (jupyter_config/: serve on 127.0.0.1 only, with a
# token) instead of ~/.jupyter, whose settings could widen that, and keeps its data (kernel specs,
# runtime files) in this environment, so that its kernels run this environment's Python and not
# a "python3" kernel named in ~/.local/share/jupyter. JUPYTER_PLATFORM_DIRS takes jupyter_core 5's
# standard paths and silences its notice about them.
export JUPYTER_CONFIG_DIR="$root/jupyter_config" JUPYTER_DATA_DIR="$venv/share/jupyter" JUPYTER_PLATFORM_DIRS=1
# NumPy's OpenBLAS kernels: where the bundled OpenBLAS does not know this CPU, the core type that
# tools/openblas_core.py chose and verified for it (cached in the environment; see
# docs/performance.md). Where the user set OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE, both stay as they are.
if [ -z "${OPENBLAS_CORETYPE+set}" ] && [ -z "${OPENBLAS_L2_SIZE+set}" ]; then
  openblas_core=$("$venv/bin/python" "$root/tools/openblas_core.py" || true)
  if [ -n "$openblas_core" ]; then export OPENBLAS_CORETYPE="$openblas_core"; fi
fi
cd "$root"
if [ $# -eq 0 ]; then
  echo "env.sh: the $stack environment is ready in $venv" >&2
  exit 0
fi
exec "$@"
