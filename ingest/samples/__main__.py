"""Command line: python -m ingest.samples [--out DIR]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingest.samples.generate import generate_samples
from ingest.samples.model import SampleGenerationError

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "knowledge" / "samples"


def main(argv: list[str] | None = None) -> int:
    """Generate the sample documents; print a short Danish summary."""
    parser = argparse.ArgumentParser(
        prog="python -m ingest.samples",
        description="Dan fiktive eksempeldokumenter (styringsrapporter, referater, aftale, lov) og manifest.json.",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"Mappe til filerne (standard: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    try:
        manifest = generate_samples(args.out)
    except SampleGenerationError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 1
    n_fig = sum(len(f.figures) for f in manifest.files)
    n_agr = sum(len(f.agreements) for f in manifest.files)
    print(f"Skrev {len(manifest.files)} filer og manifest.json i {args.out} "
          f"({n_fig} nøgletal, {n_agr} aftaler, {len(manifest.warning_signs)} advarselstegn).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
