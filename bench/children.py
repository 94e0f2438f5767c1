"""What the benchmarks share: running a measurement in a child process of its own
(so its memory peak and its imports are its own) and reading what it reports."""

import json
import subprocess
import sys


def run_json_child(script: str, *arguments: str) -> dict:
    """Run `script` with `arguments` in a new Python process; the last line it prints
    is JSON: return it."""
    result = subprocess.run(
        [sys.executable, script, *arguments], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])
