"""A fresh process computing statistics loads only what statistics need (the first call of a
script or of the CLI is most of its run time)."""

from __future__ import annotations

import subprocess
import sys


def test_first_statistics_call_skips_pandas_acero_and_numpy_random(tmp_path):
    (tmp_path / "a.csv").write_text("x,y,z\n1,a,0.5\n2,b,\n,a,1e3\n3,c,0\n")
    script = (
        "import sys\n"
        "from datajourney.tfdv import generate_statistics_from_csv\n"
        f"stats = generate_statistics_from_csv({str(tmp_path / 'a.csv')!r})\n"
        "print(stats.datasets[0].num_examples)\n"
        "print(sorted(m for m in ('pandas', 'pyarrow.acero', 'numpy.random') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["4", "[]"]
