"""The warning signs planted in the styringsrapporter, with the reason a reviewer should give.

Values are resolved from the generated figures, so a spec that points at a figure that
was not printed fails loudly. Egeskov Almene Boliger has none by design.
"""

from __future__ import annotations

from ingest.samples.manifest import PlantedFigure, WarningSign
from ingest.samples.model import SampleGenerationError
from ingest.samples.orgs import FJORDBO, LINDEGAARDEN, Organisation

# (organisation, styringsår, afdeling label or None, figure_type, reason)
_SPECS: tuple[tuple[Organisation, int, str | None, str, str], ...] = (
    (FJORDBO, 2025, "Afd. 3 Fjordparken", "ledige_boliger",
     "4 ledige boliger pr. 31.12. svarer til 2,7 % af afdelingens 148 boliger og ligger over 2 %-grænsen."),
    (FJORDBO, 2025, "Afd. 3 Fjordparken", "tab_ved_lejeledighed_pr_m2",
     "Tab ved lejeledighed på 9,6 kr. pr. m² er næsten dobbelt så højt som landsgennemsnittet på 5,4 kr. pr. m²."),
    (FJORDBO, 2025, "Afd. 3 Fjordparken", "fraflytningsprocent",
     "Fraflytningsprocenten på 13,2 % i familieboliger ligger klart over landsniveauet på 10,4 %."),
    (FJORDBO, 2025, "Afd. 5 Strandhaven", "effektivitetstal",
     "Effektivitetstallet på 67 % er under 70 % (rød afdeling)."),
    (FJORDBO, 2026, "Afd. 3 Fjordparken", "ledige_boliger",
     "Ledigheden er steget fra 4 til 7 boliger (4,7 % af boligerne) og er vedvarende over 2 %-grænsen."),
    (FJORDBO, 2026, "Afd. 3 Fjordparken", "tab_ved_lejeledighed_pr_m2",
     "Tab ved lejeledighed er steget fra 9,6 til 14,8 kr. pr. m², næsten tre gange landsgennemsnittet på "
     "5,4 kr. pr. m²."),
    (FJORDBO, 2026, "Afd. 3 Fjordparken", "fraflytningsprocent",
     "Fraflytningsprocenten i familieboligerne er steget fra 13,2 % til 16,9 % mod et landsniveau på 10,4 %."),
    (FJORDBO, 2026, "Afd. 5 Strandhaven", "effektivitetstal",
     "Effektivitetstallet er faldet fra 67 % til 64 % og er fortsat rødt (under 70 %); handleplanen er ikke "
     "vedtaget."),
    (LINDEGAARDEN, 2025, "Afd. 1 Lindehaven", "opsparede_henlaeggelser_pr_bolig",
     "Opsparede henlæggelser på 12.400 kr. pr. bolig i en afdeling fra 1958 er under en tredjedel af "
     "landsgennemsnittet på 44.300 kr., og store arbejder venter."),
    (LINDEGAARDEN, 2025, "Afd. 1 Lindehaven", "aarlige_henlaeggelser_pr_bolig",
     "Årlige henlæggelser på 4.100 kr. pr. bolig er lave for en gammel afdeling med store kommende arbejder."),
    (LINDEGAARDEN, 2025, None, "restancer",
     "Restancerne er steget fra 318 t.kr. til 441 t.kr. (+39 %)."),
    (LINDEGAARDEN, 2025, "Afd. 4 Rosenhaven", "afdelingsbestyrelse",
     "Afdelingen med 88 boliger har ingen afdelingsbestyrelse."),
    (LINDEGAARDEN, 2026, "Afd. 1 Lindehaven", "opsparede_henlaeggelser_pr_bolig",
     "Opsparede henlæggelser er faldet fra 12.400 til 9.800 kr. pr. bolig (landsgennemsnit 44.300 kr.) i en "
     "afdeling fra 1958 med arbejder for anslået 38,5 mio. kr. foran sig."),
    (LINDEGAARDEN, 2026, "Afd. 1 Lindehaven", "aarlige_henlaeggelser_pr_bolig",
     "Årlige henlæggelser på 4.300 kr. pr. bolig er fortsat for lave til de kommende arbejder."),
    (LINDEGAARDEN, 2026, None, "dispositionsfond_disponibel",
     "Den disponible del af dispositionsfonden er faldet til 0,9 mio. kr. (2.830 kr. pr. lejemålsenhed) og er "
     "under bestyrelsens eget minimum på 4.000 kr. pr. lejemålsenhed."),
    (LINDEGAARDEN, 2026, None, "restancer",
     "Restancerne er steget for andet år i træk, fra 441 t.kr. til 587 t.kr. (+33 %)."),
    (LINDEGAARDEN, 2026, "Afd. 4 Rosenhaven", "afdelingsbestyrelse",
     "Afdelingen har fortsat ingen afdelingsbestyrelse; aftalen om at forsøge at vælge en er ikke opfyldt."),
    (LINDEGAARDEN, 2026, None, "vurdering_vedligeholdelse",
     "Organisationen vurderer vedligeholdelsesstanden som tilfredsstillende, selv om afd. 1 Lindehaven har meget "
     "lave opsparede henlæggelser og store kommende arbejder."),
)


def _find(figures: list[PlantedFigure], afdeling: str | None, figure_type: str, year: int) -> PlantedFigure | None:
    return next(
        (f for f in figures if f.afdeling == afdeling and f.figure_type == figure_type and f.regnskabsaar == year),
        None,
    )


def planted_warnings(figures_by_report: dict[tuple[str, int], list[PlantedFigure]]) -> list[WarningSign]:
    """Resolve the warning specs against the figures of each (organisation name, styringsår) report."""
    signs: list[WarningSign] = []
    for org, year, afdeling, figure_type, reason in _SPECS:
        figures = figures_by_report[(org.name, year)] + figures_by_report.get((org.name, year - 1), [])
        current = _find(figures, afdeling, figure_type, year - 1)
        previous = _find(figures, afdeling, figure_type, year - 2)
        if current is None and not figure_type.startswith("vurdering"):
            raise SampleGenerationError(
                f"Advarslen {figure_type} for {afdeling or org.name} {year} peger på et tal, der ikke er trykt."
            )
        signs.append(WarningSign(
            org=org.name, styringsaar=year, afdeling=afdeling, figure_type=figure_type,
            value=current.value if current else None, previous_value=previous.value if previous else None,
            reason=reason,
        ))
    return signs
