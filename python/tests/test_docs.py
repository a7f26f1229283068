"""The ```python examples of docs/PYTHON.md run, in order, in one fresh
interpreter, in a directory where `sarx synth` made cohort.csv."""
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def blocks(path):
    text = open(path, encoding="utf-8").read()
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_python_examples(tmp_path, sarx_cli):
    code = blocks(os.path.join(ROOT, "docs", "PYTHON.md"))
    assert len(code) >= 5
    subprocess.run([sarx_cli, "synth", "2000", "--seed", "1", "--bad", "0.05", "-o", str(tmp_path / "cohort.csv")],
                   check=True, capture_output=True)
    script = tmp_path / "examples.py"
    # a guard: LocalCluster's worker processes import the main module
    script.write_text("if __name__ == '__main__':\n" +
                      "".join("    " + line + "\n" if line else "\n" for b in code for line in b.splitlines()))
    import sarx
    env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(sarx_cli)) + os.pathsep + os.environ["PATH"],
               PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(sarx.__file__))))
    r = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    out = r.stdout
    assert "probable_sarcopenia" in out and "rejected" in out
    assert "range grip_kg 250 0-100 kg" in out
    assert "\nTrue\n" in out  # the Dask summary is the summary of the whole file
