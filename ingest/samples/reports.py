"""Build the styringsrapport of one organisation for one styringsår as a DocModel.

Every planted figure is registered with a mark on the table row (or paragraph) it is
printed in, so the renderer can tell on which page it ended up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ingest.samples.manifest import PlantedFigure, StatusStatement
from ingest.samples.meetings import MEETINGS
from ingest.samples.model import (
    FICTION_NOTICE,
    MUNICIPALITY,
    DocModel,
    Heading,
    PageBreak,
    Para,
    Spacer,
    Table,
    TableRow,
    fmt_date,
    fmt_kr,
    fmt_mio,
    fmt_number,
    fmt_pct,
    fmt_tkr,
)
from ingest.samples.orgs import Organisation
from ingest.samples.prose import PROSE

SUBMITTED = {2025: dt.date(2025, 6, 20), 2026: dt.date(2026, 6, 19)}
APPROVED = {2025: dt.date(2025, 6, 17), 2026: dt.date(2026, 6, 16)}
SECTIONS = (
    "1. Stamdata",
    "2. Organisationens økonomi",
    "3. Afdelingernes nøgletal",
    "4. Udlejning",
    "5. Vedligeholdelse og henlæggelser",
    "6. Effektivitet og beboerdemokrati",
    "7. Organisationens bemærkninger",
    "8. Ønsker til aftaler med kommunen",
)


@dataclass
class BuiltReport:
    """A styringsrapport ready to render, with its planted facts keyed by mark."""

    doc: DocModel
    figures: dict[str, PlantedFigure] = field(default_factory=dict)
    statuses: dict[str, StatusStatement] = field(default_factory=dict)
    unmentioned: list[StatusStatement] = field(default_factory=list)


class _Figures:
    def __init__(self, built: BuiltReport, regnskabsaar: int) -> None:
        self.built = built
        self.regnskabsaar = regnskabsaar
        self.section = ""

    def add(
        self, figure_type: str, afdeling: str | None, value: float, unit: str, text: str, context: str,
        *, regnskabsaar: int | None = None,
    ) -> str:
        """Register a printed figure (of the report's regnskabsår unless given) and return its mark."""
        mark = f"fig{len(self.built.figures) + 1}"
        self.built.figures[mark] = PlantedFigure(
            figure_type=figure_type, afdeling=afdeling, value=float(value), unit=unit, text=text, page=None,
            context=context, section=self.section, regnskabsaar=regnskabsaar or self.regnskabsaar,
        )
        return mark


def report_title(org: Organisation, styringsaar: int) -> str:
    """'Styringsrapport 2026 – Boligselskabet Fjordbo'."""
    return f"Styringsrapport {styringsaar} – {org.name}"


def build_styringsrapport(org: Organisation, styringsaar: int, referat_path: str) -> BuiltReport:
    """Build the report; referat_path is the manifest path of last year's referat (2026 only)."""
    ra = styringsaar - 1
    doc = DocModel(
        title=report_title(org, styringsaar),
        header=report_title(org, styringsaar),
        blocks=[],
        subject=f"Dokumentationspakke til styringsdialogen med {MUNICIPALITY}, regnskabsår {ra}",
        keywords=["styringsrapport", org.name, MUNICIPALITY, str(styringsaar), FICTION_NOTICE],
        author=org.name,
    )
    built = BuiltReport(doc=doc)
    figs = _Figures(built, ra)
    prose = PROSE[(org.key, styringsaar)]
    _front_page(doc, figs, org, styringsaar)
    _economy(doc, figs, org, ra, prose.economy)
    _afdelinger(doc, figs, org, ra)
    _letting(doc, figs, org, ra, prose.letting)
    doc.add(PageBreak(), Heading(SECTIONS[4]), Para(prose.maintenance))
    doc.add(Table(
        header=["Afdeling", f"Større planlagte arbejder {styringsaar}-{styringsaar + 9}", "Anslået udgift"],
        widths=[40, 90, 40], align=["L", "L", "R"],
        rows=[TableRow([a.label, a.planned_works, f"{fmt_number(a.planned_cost_mio, 1)} mio. kr."]) for a in org.afdelinger],
    ))
    doc.add(Heading(SECTIONS[5]), Para(prose.effectiveness))
    _remarks(doc, built, org, styringsaar, referat_path)
    return built


def _front_page(doc: DocModel, figs: _Figures, org: Organisation, styringsaar: int) -> None:
    ra = styringsaar - 1
    doc.add(
        Para(f"Styringsrapport {styringsaar}", style="title"),
        Para(org.name, style="subtitle"),
        Para(f"Dokumentationspakke til styringsdialogen med {MUNICIPALITY}. Styringsåret {styringsaar} "
             f"omfatter regnskabsåret {ra}."),
        Para(f"{FICTION_NOTICE}. Organisationen, kommunen, personerne og alle tal er opdigtede.", style="notice"),
        Heading(SECTIONS[0]),
    )
    figs.section = SECTIONS[0]
    n_afd, n_bol, n_lme = len(org.afdelinger), org.boliger, org.lejemaalsenheder
    rows = [
        TableRow(["Boligorganisation", org.name]),
        TableRow(["Organisationsnummer", f"{org.org_nr} (fiktivt)"]),
        TableRow(["Adresse", org.address]),
        TableRow(["Administrator", org.administrator]),
        TableRow(["Tilsynskommune", MUNICIPALITY]),
        TableRow(["Styringsår", str(styringsaar)]),
        TableRow(["Regnskabsår", f"{ra} (1. januar-31. december {ra})"]),
        TableRow(["Antal afdelinger", str(n_afd)],
                 (figs.add("antal_afdelinger", None, n_afd, "antal", str(n_afd), "Antal afdelinger"),)),
        TableRow(["Antal boliger", fmt_number(n_bol)],
                 (figs.add("antal_boliger", None, n_bol, "antal", fmt_number(n_bol), "Antal boliger"),)),
        TableRow(["Antal lejemålsenheder", fmt_number(n_lme)],
                 (figs.add("antal_lejemaalsenheder", None, n_lme, "antal", fmt_number(n_lme), "Antal lejemålsenheder"),)),
        TableRow(["Formand for organisationsbestyrelsen", org.formand]),
        TableRow(["Direktør", org.direktoer]),
        TableRow(["Indsendt til kommunen", fmt_date(SUBMITTED[styringsaar])]),
    ]
    doc.add(Table(header=["Oplysning", "Værdi"], widths=[70, 100], rows=rows, font_size=9.5))
    doc.add(Heading("Indhold", level=2))
    doc.add(*[Para(s, style="item", indent=4) for s in SECTIONS])


def _economy(doc: DocModel, figs: _Figures, org: Organisation, ra: int, prose: str) -> None:
    doc.add(PageBreak(), Heading(SECTIONS[1]))
    figs.section = SECTIONS[1]
    doc.add(Para(f"Beløb fra organisationens regnskab for {ra - 1} og {ra}. Restancer omfatter tilgodehavender "
                 "hos nuværende og fraflyttede lejere."))
    prev, cur = org.economy[ra - 1], org.economy[ra]
    lme = org.lejemaalsenheder
    prev_pr, cur_pr = round(prev.disponibel / lme), round(cur.disponibel / lme)
    spec = [
        ("Dispositionsfond i alt", "dispositionsfond", prev.dispositionsfond, cur.dispositionsfond, fmt_mio, "kr"),
        ("Heraf disponibel del", "dispositionsfond_disponibel", prev.disponibel, cur.disponibel, fmt_mio, "kr"),
        ("Disponibel del pr. lejemålsenhed", "dispositionsfond_disponibel_pr_lejemaal", prev_pr, cur_pr, fmt_kr,
         "kr/lejemålsenhed"),
        ("Bestyrelsens minimum pr. lejemålsenhed", "dispositionsfond_minimum_pr_lejemaal", org.minimum_pr_lme,
         org.minimum_pr_lme, fmt_kr, "kr/lejemålsenhed"),
        ("Arbejdskapital", "arbejdskapital", prev.arbejdskapital, cur.arbejdskapital, fmt_mio, "kr"),
        ("Administrationsbidrag pr. lejemålsenhed", "administrationsbidrag_pr_lejemaal", prev.adm_bidrag,
         cur.adm_bidrag, fmt_kr, "kr/lejemålsenhed"),
        ("Restancer", "restancer", prev.restancer, cur.restancer, fmt_tkr, "kr"),
    ]
    rows = [
        TableRow([label, fmt(p), fmt(c)], (
            figs.add(ftype, None, p, unit, fmt(p), label, regnskabsaar=ra - 1),
            figs.add(ftype, None, c, unit, fmt(c), label),
        ))
        for label, ftype, p, c, fmt, unit in spec
    ]
    doc.add(Table(header=["Nøgletal", f"Regnskab {ra - 1}", f"Regnskab {ra}"], widths=[80, 45, 45],
                  align=["L", "R", "R"], rows=rows, font_size=9.5))
    doc.add(Para(prose))


def _afdelinger(doc: DocModel, figs: _Figures, org: Organisation, ra: int) -> None:
    doc.add(PageBreak(), Heading(SECTIONS[2]))
    figs.section = SECTIONS[2]
    doc.add(Para(f"Nøgletal for regnskabsåret {ra} pr. afdeling. Ledige boliger er opgjort pr. 31. december {ra}. "
                 "Husleje, tab ved lejeledighed og vedligeholdelse er opgjort pr. m² boligareal."))
    rows_a, rows_b = [], []
    for afd in org.afdelinger:
        y, lab = afd.years[ra], afd.label
        cells_a = [lab, afd.boligtype, str(afd.opfoert), str(afd.boliger), fmt_number(y.husleje), str(y.ledige),
                   fmt_number(y.tab, 1), fmt_pct(y.fraflytning)]
        marks_a = (
            figs.add("antal_boliger", lab, afd.boliger, "antal", cells_a[3], lab),
            figs.add("husleje_pr_m2", lab, y.husleje, "kr/m2", cells_a[4], lab),
            figs.add("ledige_boliger", lab, y.ledige, "antal", cells_a[5], lab),
            figs.add("tab_ved_lejeledighed_pr_m2", lab, y.tab, "kr/m2", cells_a[6], lab),
            figs.add("fraflytningsprocent", lab, y.fraflytning, "%", cells_a[7], lab),
        )
        rows_a.append(TableRow(cells_a, marks_a))
        cells_b = [lab, fmt_number(y.aarlige), fmt_number(y.opsparede), fmt_number(y.vedligehold),
                   fmt_pct(y.effektivitet, 0), "Ja" if y.bestyrelse else "Nej"]
        marks_b = (
            figs.add("aarlige_henlaeggelser_pr_bolig", lab, y.aarlige, "kr/bolig", cells_b[1], lab),
            figs.add("opsparede_henlaeggelser_pr_bolig", lab, y.opsparede, "kr/bolig", cells_b[2], lab),
            figs.add("vedligeholdelse_pr_m2", lab, y.vedligehold, "kr/m2", cells_b[3], lab),
            figs.add("effektivitetstal", lab, y.effektivitet, "%", cells_b[4], lab),
            figs.add("afdelingsbestyrelse", lab, 1.0 if y.bestyrelse else 0.0, "bool", cells_b[5], lab),
        )
        rows_b.append(TableRow(cells_b, marks_b))
    doc.add(Heading("3.1 Udlejning og husleje", level=2))
    doc.add(Table(
        header=["Afdeling", "Boligtype", "Opført", "Antal boliger", "Husleje kr. pr. m² pr. år", "Ledige boliger",
                "Tab ved lejeledighed kr. pr. m²", "Fraflytning %"],
        widths=[34, 25, 14, 17, 22, 17, 22, 19], align=["L", "L", "C", "R", "R", "R", "R", "R"], rows=rows_a,
    ))
    doc.add(Heading("3.2 Vedligeholdelse, effektivitet og beboerdemokrati", level=2))
    doc.add(Table(
        header=["Afdeling", "Årlige henlæggelser kr. pr. bolig", "Opsparede henlæggelser kr. pr. bolig",
                "Vedligeholdelse kr. pr. m²", "Effektivitetstal", "Afdelingsbestyrelse"],
        widths=[34, 25, 27, 26, 24, 34], align=["L", "R", "R", "R", "R", "C"], rows=rows_b,
    ))
    doc.add(Para("Effektivitetstallet sammenligner afdelingens faktiske driftsudgifter med modelberegnede udgifter. "
                 "Afdelinger under 70 % betegnes som røde.", style="small"))


def _letting(doc: DocModel, figs: _Figures, org: Organisation, ra: int, prose: str) -> None:
    doc.add(PageBreak(), Heading(SECTIONS[3]))
    figs.section = SECTIONS[3]
    let = org.letting[ra]
    doc.add(Para(f"Udlejninger af familieboliger i regnskabsåret {ra} fordelt på de anvendte udlejningsregler."))
    spec = [
        ("Venteliste (intern og ekstern)", "udlejning_venteliste", let.venteliste),
        ("Fleksibel udlejning (almenboliglovens § 60)", "udlejning_fleksibel", let.fleksibel),
        ("Kombineret udlejning (almenboliglovens § 51 b)", "udlejning_kombineret", let.kombineret),
        ("Kommunal anvisning (almenboliglovens § 59)", "udlejning_kommunal_anvisning", let.kommunal_anvisning),
    ]
    rows = [
        TableRow([label, str(n), fmt_pct(100 * n / let.total)], (figs.add(ftype, None, n, "antal", str(n), label),))
        for label, ftype, n in spec
    ]
    rows.append(TableRow(["I alt", str(let.total), fmt_pct(100.0)], bold=True))
    doc.add(Table(header=["Udlejningsregel", "Antal udlejninger", "Andel"], widths=[100, 35, 35],
                  align=["L", "R", "R"], rows=rows, font_size=9.5))
    doc.add(Para(prose))


def _remarks(doc: DocModel, built: BuiltReport, org: Organisation, styringsaar: int, referat_path: str) -> None:
    prose = PROSE[(org.key, styringsaar)]
    doc.add(PageBreak(), Heading(SECTIONS[6]))
    doc.add(*[Para(text) for text in prose.remarks])
    if styringsaar == 2026:
        meeting = MEETINGS[org.key]
        doc.add(Para(f"**Opfølgning på aftaler fra dialogmødet den {fmt_date(meeting.date)}**", markdown=True))
        for agreement in meeting.agreements:
            statement = StatusStatement(
                agreement_number=agreement.number, referat=referat_path, status=agreement.status,
                text=agreement.status_text, page=None,
            )
            if agreement.status_text is None:
                built.unmentioned.append(statement)
                continue
            mark = f"status{agreement.number}"
            built.statuses[mark] = statement
            doc.add(Para(agreement.status_text, marks=(mark,)))
    doc.add(Heading(SECTIONS[7]))
    doc.add(*[Para(f"{i}. {text}", style="item", indent=2) for i, text in enumerate(prose.wishes, start=1)])
    doc.add(Spacer(3), Para(f"Styringsrapporten er godkendt af organisationsbestyrelsen den {fmt_date(APPROVED[styringsaar])}.",
                 style="small"))
