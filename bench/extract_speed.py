"""Full pipeline speed (reading through entities, figures and events) over >= 2,000 documents on one core.

    python bench/extract_speed.py [--docs 2000] [--repeat 3]

Prints documents/s, characters/s (median of the repeats) and peak memory. Run with `taskset -c 0` to
hold it to one core. Target: 30,000 characters/s/core.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import read_speed

if __name__ == "__main__":
    if "--full" not in sys.argv:
        sys.argv.append("--full")
    read_speed.main()
