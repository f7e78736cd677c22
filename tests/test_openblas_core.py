"""tools/openblas_core.py: which OpenBLAS core type NumPy should use, decided from the CPU's flags
and verified by test products in a child process.

The decision is tested with a stand-in for the child (``FakeProbe``), so these tests need no
particular CPU and never change the OpenBLAS variables of this process. One test runs the real
child as the environment is (whatever OPENBLAS_CORETYPE it holds): its products must be right.
"""
import os
import subprocess
import sys

import pytest

from conftest import ROOT, load_script

pytestmark = pytest.mark.slow  # starts processes: not in the fast run (-m "not slow")

core = load_script("openblas_core", folder="tools")
TOOL = os.path.join(ROOT, "tools", "openblas_core.py")

AVX512_CPU = {"vendor": "GenuineIntel", "family": "6", "model": "167",
              "flags": ["avx", "avx2", "avx512f", "fma", "sse4_2"]}
ROUNDED = [[1.0, 2.0], [3.0], [1.5, 2.5], [3.5]]  # float64 products, then float32 ones


def result(cores, exact=True, rounded=None):
    """What one probe reports: the cores OpenBLAS took, its exact checks, its rounded products."""
    return {"cores": cores, "exact": [exact] * 26, "rounded": rounded or ROUNDED}


class FakeProbe(object):
    """probe(core) for ``decide``: {core asked for: its result}; remembers what it was asked."""

    def __init__(self, results):
        self.results, self.asked = results, []

    def __call__(self, coretype):
        self.asked.append(coretype)
        return self.results[coretype]


# ---- flags -> candidates -------------------------------------------------------------------

@pytest.mark.parametrize("flags, names", [
    (["avx", "avx2", "fma", "avx512f"], ["Haswell", "Sandybridge"]),
    (["avx", "avx2", "fma"], ["Haswell", "Sandybridge"]),
    (["avx", "avx2"], ["Sandybridge"]),          # AVX2 without FMA: not Haswell's kernels
    (["avx", "fma"], ["Sandybridge"]),
    (["sse2", "sse4_2"], []),
    ([], []),
])
def test_the_cpu_flags_name_the_core_types_it_can_run(flags, names):
    assert [name for name, _ in core.candidates(flags)] == names


def test_cpuinfo_gives_the_first_processors_flags(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(u"processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n"
                       u"model\t\t: 167\nflags\t\t: fpu sse2 avx fma avx2\n\n"
                       u"processor\t: 1\nflags\t\t: fpu\n")
    cpu = core._parse_cpuinfo(str(cpuinfo))
    assert cpu == {"vendor": "GenuineIntel", "family": "6", "model": "167",
                   "flags": ["avx", "avx2", "fma", "fpu", "sse2"]}
    assert [name for name, _ in core.candidates(cpu["flags"])] == ["Haswell", "Sandybridge"]


# ---- the decision --------------------------------------------------------------------------

def test_a_cpu_the_build_does_not_know_gets_the_verified_haswell_kernels():
    probe = FakeProbe({None: result(["Prescott"]), "Haswell": result(["Haswell"])})
    assert core.decide(AVX512_CPU["flags"], probe) == "Haswell"
    assert probe.asked == [None, "Haswell"]


@pytest.mark.parametrize("default", ["SkylakeX", "Haswell", "Zen", "SomeFutureLake"])
def test_a_build_that_knows_the_cpu_is_left_alone(default):
    """A core as good as the candidate, or one newer than the table: no second probe, no choice."""
    probe = FakeProbe({None: result([default])})
    assert core.decide(AVX512_CPU["flags"], probe) is None
    assert probe.asked == [None]


def test_no_openblas_means_nothing_to_choose():
    """NumPy on another BLAS (MKL, Accelerate): no 'Core:' line, nothing set."""
    assert core.decide(AVX512_CPU["flags"], FakeProbe({None: result([])})) is None
    assert core.decide(AVX512_CPU["flags"], FakeProbe({None: None})) is None


@pytest.mark.parametrize("wrong", [
    result(["Haswell"], exact=False),                                     # an integer product off
    result(["Haswell"], rounded=[[1.0, 2.0 + 1e-6], [3.0], [1.5, 2.5], [3.5]]),  # float64 off
    result(["Haswell"], rounded=[[1.0, 2.0], [3.0], [1.5, 2.5], [3.51]]),        # float32 off
    result(["Haswell"], rounded=ROUNDED[:2]),                             # products missing
    result(["Prescott"]),                                                 # the build ignored it
    result(["Haswell", "Prescott"]),                                      # one library ignored it
    None,                                                                 # the child failed
])
def test_a_candidate_that_disagrees_falls_back_to_the_next_then_to_the_default(wrong):
    said, warned = [], []
    probe = FakeProbe({None: result(["Prescott"]), "Haswell": wrong,
                       "Sandybridge": result(["Sandybridge"])})
    assert core.decide(AVX512_CPU["flags"], probe, said.append, warned.append) == "Sandybridge"
    assert probe.asked == [None, "Haswell", "Sandybridge"]
    probe = FakeProbe({None: result(["Prescott"]), "Haswell": wrong, "Sandybridge": wrong})
    assert core.decide(AVX512_CPU["flags"], probe, said.append, warned.append) is None
    assert "keeps its default Prescott kernels" in said[-1]
    if wrong is not None and wrong["cores"] == ["Haswell"]:
        assert any("disagreed" in line for line in warned), warned


def test_rounding_differences_are_agreement():
    """Another summation order moves the last bits: within RTOL of the default's products."""
    close = [[1.0, 2.0 * (1 + 1e-13)], [3.0], [1.5 * (1 + 1e-6), 2.5], [3.5]]
    probe = FakeProbe({None: result(["Prescott"]), "Haswell": result(["Haswell"], rounded=close)})
    assert core.decide(AVX512_CPU["flags"], probe) == "Haswell"


def test_wrong_default_kernels_are_left_alone():
    probe = FakeProbe({None: result(["Prescott"], exact=False)})
    assert core.decide(AVX512_CPU["flags"], probe) is None
    assert probe.asked == [None]


# ---- the user's variables, and the cache ---------------------------------------------------

def never(coretype):
    raise AssertionError("probed %r" % coretype)


@pytest.mark.parametrize("environ", [{"OPENBLAS_CORETYPE": "Zen"}, {"OPENBLAS_L2_SIZE": "262144"},
                                     {"OPENBLAS_CORETYPE": ""}])
def test_a_variable_the_user_set_wins(environ, tmp_path):
    cache = tmp_path / "cache"
    said = []
    assert core.choose(environ, str(cache), said.append, probe=never, cpu=AVX512_CPU) is None
    assert not cache.exists()
    assert "the user's choice" in said[0]


def test_the_answer_is_cached_per_cpu(tmp_path):
    cache = str(tmp_path / "cache")
    probe = FakeProbe({None: result(["Prescott"]), "Haswell": result(["Haswell"])})
    assert core.choose({}, cache, probe=probe, cpu=AVX512_CPU) == "Haswell"
    assert core.choose({}, cache, probe=never, cpu=AVX512_CPU) == "Haswell"  # from the file
    other_cpu = dict(AVX512_CPU, flags=["avx"])
    probe = FakeProbe({None: result(["Sandybridge"])})
    assert core.choose({}, cache, probe=probe, cpu=other_cpu) is None          # decided afresh
    assert probe.asked == [None]
    assert core.choose({}, cache, probe=never, cpu=other_cpu) is None          # "nothing" cached


def test_a_damaged_cache_is_decided_afresh(tmp_path):
    cache = tmp_path / "cache"
    cache.write_text(u'{"key": "%s", "core": "$(rm -rf ~)"}' % core.cache_key(
        AVX512_CPU, core.numpy_identity()))
    probe = FakeProbe({None: result(["Prescott"]), "Haswell": result(["Haswell"])})
    assert core.choose({}, str(cache), probe=probe, cpu=AVX512_CPU) == "Haswell"
    assert probe.asked == [None, "Haswell"]


# ---- the real child, and the command -----------------------------------------------------

def test_the_probe_computes_every_product_right_in_this_environment():
    """The child as this environment runs NumPy (with the core type env.sh chose, if any)."""
    probe = core.run_probe(None)
    assert probe is not None
    assert len(probe["exact"]) >= 24 and all(probe["exact"])
    assert [len(r) for r in probe["rounded"]] == [740, 20, 740, 20]
    assert core.agrees(probe, probe)


def run_tool(*args, **env):
    environ = dict(os.environ, LC_ALL="C", **env)
    out = subprocess.Popen([sys.executable, TOOL] + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=environ, universal_newlines=True)
    stdout, stderr = out.communicate(timeout=300)
    return out.returncode, stdout, stderr


def test_the_command_prints_nothing_where_the_user_set_a_variable(tmp_path):
    cache = tmp_path / "cache"
    user = {} if core.user_has_chosen(os.environ) else {"OPENBLAS_L2_SIZE": "262144"}
    status, out, err = run_tool("--explain", "--cache", str(cache), **user)
    assert (status, out) == (0, "")
    assert "the user's choice" in err
    assert not cache.exists()


def test_the_command_says_bad_arguments_in_one_line():
    status, out, err = run_tool("--shel")  # no abbreviations: a typo is an error
    assert status == 2 and out == ""
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
    status, out, err = run_tool("--help")
    assert status == 0 and "--shell" in out and "OPENBLAS_L2_SIZE" in out


def test_shell_prints_an_export_line(monkeypatch, capsys):
    monkeypatch.setattr(core, "choose", lambda *args, **kw: "Haswell")
    assert core.main(["--shell", "--no-cache"]) == 0
    assert capsys.readouterr().out == "export OPENBLAS_CORETYPE=Haswell\n"
    monkeypatch.setattr(core, "choose", lambda *args, **kw: None)
    assert core.main(["--shell", "--no-cache"]) == 0
    assert capsys.readouterr().out == ""
