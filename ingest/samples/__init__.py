"""Fictional sample documents (styringsrapporter, referater, an aftale, a fictional act) and their manifest.

``python -m ingest.samples [--out DIR]`` regenerates ``knowledge/samples/``; the manifest is the
ground truth (figures with pages, agreements, warning signs) for tests of later features.
"""

from __future__ import annotations

from ingest.samples.generate import generate_samples
from ingest.samples.manifest import (
    AfdelingInfo,
    Clause,
    Manifest,
    PlantedAgreement,
    PlantedFigure,
    SampleFile,
    StatusStatement,
    WarningSign,
    load_manifest,
)
from ingest.samples.model import FICTION_NOTICE, SampleGenerationError

__all__ = [
    "FICTION_NOTICE", "AfdelingInfo", "Clause", "Manifest", "PlantedAgreement", "PlantedFigure", "SampleFile",
    "SampleGenerationError", "StatusStatement", "WarningSign", "generate_samples", "load_manifest",
]
