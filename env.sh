#!/usr/bin/env bash
# Run a command inside the project's Python environment, creating it first if it is missing.
#
#   ./env.sh python scripts/train_shallow.py     # pinned stack (the course's: Python 3.6, TF 1.8)
#   STACK=tf1 ./env.sh python -m pytest          # tf1 stack (Python 3.7, TF 1.15.5, the last TF1)
#   STACK=modern ./env.sh python -m pytest       # modern stack (Python 3.11, TF 2.x via tf.compat.v1)
#   ./env.sh jupyter notebook notebooks/         # the notebooks, served on 127.0.0.1 with a token
#
# The environment lives in .venv-<stack>/, holds the project as an editable install (so
# `import tf_models` works from any directory), and is rebuilt when its requirements files or
# setup.py change, so running this twice is cheap and safe.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
stack=${STACK:-pinned}

case "$stack" in
  pinned) want=3.6; reqs=(requirements.txt requirements-test.txt requirements-jupyter.txt) ;;
  tf1) want=3.7; reqs=(requirements-tf1.txt) ;;
  modern) want=3.11; reqs=(requirements-modern.txt) ;;
  *) echo "error: STACK must be 'pinned', 'tf1' or 'modern', not '$stack'" >&2; exit 2 ;;
esac
venv="$root/.venv-$stack"

find_python() {
  # 1. an explicit choice, 2. pythonX.Y on PATH, 3. the newest pyenv install of X.Y.
  local var="PYTHON${want/./}" cand
  if [ -n "${!var:-}" ]; then echo "${!var}"; return 0; fi
  if cand=$(command -v "python$want" 2>/dev/null) && "$cand" -c 'import venv' 2>/dev/null; then
    echo "$cand"; return 0
  fi
  local proot
  proot=$( (pyenv root 2>/dev/null) || echo "${PYENV_ROOT:-$HOME/.pyenv}")
  for cand in $(ls -d "$proot"/versions/"$want".* 2>/dev/null | sort -V -r); do
    if [ -x "$cand/bin/python$want" ]; then echo "$cand/bin/python$want"; return 0; fi
  done
  return 1
}

# What the environment is built from: the requirement files and the project's own setup.py.
stamp() { (cd "$root" && cat "${reqs[@]}" setup.py) | sha256sum | cut -d' ' -f1; }

ready() { [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" = "$(stamp)" ]; }

# One builder at a time: a second env.sh started meanwhile waits, then finds the environment ready.
if ! ready && command -v flock >/dev/null 2>&1; then
  exec 9>"$root/.venv-$stack.lock"
  flock 9
fi
if ! ready; then
  if ! py=$(find_python); then
    if [ "$stack" = pinned ]; then
      echo "error: Python 3.6 not found (the pinned TensorFlow 1.8 stack installs only on 3.6). Install it (e.g. 'pyenv install 3.6.15') or set PYTHON36=/path/to/python3.6; or use the modern stack: STACK=modern ./env.sh $*" >&2
    elif [ "$stack" = tf1 ]; then
      echo "error: Python 3.7 not found (TensorFlow 1.15.5 installs only on Python 3.5 to 3.7). Install it (e.g. 'pyenv install 3.7.17') or set PYTHON37=/path/to/python3.7; or use the modern stack: STACK=modern ./env.sh $*" >&2
    else
      echo "error: Python 3.11 not found for the modern stack. Install it (e.g. 'pyenv install 3.11') or set PYTHON311=/path/to/python3.11." >&2
    fi
    exit 2
  fi
  echo "env.sh: creating the $stack environment in $venv with $py (one time, about a minute)" >&2
  rm -rf "$venv"
  "$py" -m venv "$venv"
  # A fresh 3.6 venv ships pip 18, whose resolver cannot install this stack: upgrade it first.
  if [ "$stack" = pinned ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pip==21.3.1" \
      2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  fi
  req_args=()
  for r in "${reqs[@]}"; do req_args+=(-r "$root/$r"); done
  # (this machine's pip configuration names an extra local index that may be absent: drop
  # pip's warnings about it, keep everything else it says)
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${req_args[@]}" \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  # The project itself, editable: the working tree stays the code that runs. Its dependencies
  # are the pinned ones just installed (--no-deps: setup.py names them without versions).
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$root" \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  stamp > "$venv/.requirements.sha256"
fi

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
