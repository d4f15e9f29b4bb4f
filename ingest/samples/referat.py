"""Build dialogmøde-referater and the agreement document (aftale) as DocModels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ingest.samples.manifest import Clause, PlantedAgreement
from ingest.samples.meetings import AGENDA, KOMMUNE_CHAIR, Meeting
from ingest.samples.model import (
    FICTION_NOTICE,
    MUNICIPALITY,
    DocModel,
    Heading,
    Para,
    Spacer,
    Table,
    TableRow,
    fmt_date,
    fmt_weekday_date,
)
from ingest.samples.orgs import Organisation

AFTALE_TITLE = "Aftale om fleksibel udlejning og kommunal anvisning 2026-2029"
AFTALE_SIGNED = dt.date(2026, 3, 16)


@dataclass
class BuiltReferat:
    """A referat ready to render, with its agreements keyed by mark."""

    doc: DocModel
    agreements: dict[str, PlantedAgreement] = field(default_factory=dict)


@dataclass
class BuiltAftale:
    """An agreement document ready to render, with its clauses keyed by mark."""

    doc: DocModel
    clauses: dict[str, Clause] = field(default_factory=dict)


def referat_title(org: Organisation, meeting: Meeting) -> str:
    """'Referat af dialogmøde 23. september 2025 – Boligselskabet Fjordbo'."""
    return f"Referat af dialogmøde {fmt_date(meeting.date)} – {org.name}"


def build_referat(org: Organisation, meeting: Meeting) -> BuiltReferat:
    """Referat with date, participants, agenda, a summary per item and numbered agreements."""
    title = referat_title(org, meeting)
    doc = DocModel(
        title=title, header=f"Referat af dialogmøde {meeting.date.year} – {org.name} og {MUNICIPALITY}", blocks=[],
        subject=f"Styringsdialog {meeting.date.year} mellem {MUNICIPALITY} og {org.name}",
        keywords=["referat", "dialogmøde", org.name, MUNICIPALITY, str(meeting.date.year), FICTION_NOTICE],
    )
    built = BuiltReferat(doc=doc)
    doc.add(
        Para("Referat af dialogmøde", style="title"),
        Para(f"{org.name} og {MUNICIPALITY}", style="subtitle"),
        Para(f"Styringsdialog {meeting.date.year} (styringsrapport {meeting.date.year}, regnskabsår "
             f"{meeting.date.year - 1})"),
        Para(f"{FICTION_NOTICE}. Organisationen, kommunen og personerne er opdigtede.", style="notice"),
        Para(f"**Mødedato:** {fmt_weekday_date(meeting.date)}, {meeting.time}", markdown=True),
        Para(f"**Sted:** {meeting.place}", markdown=True),
        Para(f"**Referent:** {meeting.kommune[1][0]}", markdown=True),
        Heading("Deltagere"),
        Para(f"Fra {MUNICIPALITY}:"),
        *[Para(f"- {name}, {role}", style="item", indent=4) for name, role in meeting.kommune],
        Para(f"Fra {org.name}:"),
        *[Para(f"- {name}, {role}", style="item", indent=4) for name, role in meeting.organisation],
        Heading("Dagsorden"),
        *[Para(f"{i}. {item}", style="item", indent=4) for i, item in enumerate(AGENDA, start=1)],
        Heading("Referat"),
    )
    for i, (item, summary) in enumerate(zip(AGENDA, meeting.summaries, strict=True), start=1):
        doc.add(Heading(f"Punkt {i}. {item}", level=2), Para(summary))
    doc.add(
        Heading("Aftaler"),
        Para("Parterne indgik følgende aftaler. Status på aftalerne følges op i organisationens styringsrapport "
             f"{meeting.date.year + 1} og på næste dialogmøde."),
    )
    for agreement in meeting.agreements:
        mark = f"aftale{agreement.number}"
        built.agreements[mark] = PlantedAgreement(
            number=agreement.number, text=agreement.text, type=agreement.type, organisation=org.name,
            afdeling=agreement.afdeling, deadline=agreement.deadline.isoformat() if agreement.deadline else None,
            deadline_text=agreement.deadline_text, responsible=agreement.responsible, page=None,
        )
        doc.add(Para(
            f"**Aftale {agreement.number}.** {agreement.text}\n__Ansvarlig:__ {agreement.responsible}. "
            f"__Frist:__ {agreement.deadline_text}.",
            markdown=True, marks=(mark,),
        ))
    doc.add(Para(f"Referatet er godkendt af begge parter og offentliggøres på {MUNICIPALITY}s hjemmeside.",
                 style="small"))
    return built


_CLAUSES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Parter", "Aftalen er indgået mellem Egeskov Kommune, Rådhuspladsen 1, 9990 Egeskov, og Boligselskabet "
     "Fjordbo, Havnevej 12, 9990 Egeskov.", ()),
    ("Baggrund og formål", "Aftalen følger op på dialogmødet den 23. september 2025, hvor parterne aftalte at "
     "styrke udlejningen i afd. 3 Fjordparken. Formålet er at nedbringe ledigheden og fraflytningen i afdelingen "
     "og samtidig sikre kommunen boliger til boligsociale formål i de øvrige afdelinger.", ()),
    ("Aftalens område", "Aftalen omfatter familieboligerne i afd. 1 Skovbrynet, afd. 2 Havnegade og afd. 3 "
     "Fjordparken. Ungdomsboligerne i afd. 4 Kollegiet Mågen og ældreboligerne i afd. 5 Strandhaven er ikke "
     "omfattet.", ()),
    ("Kommunal anvisning", "Egeskov Kommune anviser hver 4. ledige familiebolig i afd. 1 Skovbrynet og afd. 2 "
     "Havnegade efter almenboliglovens § 59, stk. 1. Afd. 3 Fjordparken friholdes for kommunal anvisning i "
     "aftaleperioden.", ()),
    ("Fleksibel udlejning", "Halvdelen af de ledige familieboliger i afd. 3 Fjordparken udlejes efter "
     "almenboliglovens § 60, stk. 1 med fortrin for boligsøgende, der opfylder mindst ét af følgende kriterier:",
     ("1) er i ordinær beskæftigelse,", "2) er under en uddannelse, der giver ret til SU, eller",
      "3) har fået tilbudt arbejde i Egeskov Kommune.",
      "De øvrige ledige boliger i afdelingen udlejes efter ventelisten.")),
    ("Økonomi", "Egeskov Kommune betaler lejen for anviste boliger, der står tomme, og garanterer for lejerens "
     "forpligtelse til istandsættelse ved fraflytning. Tab ved lejeledighed i afd. 3 Fjordparken afholdes efter "
     "de almindelige regler.", ()),
    ("Opfølgning", "Boligselskabet Fjordbo sender hvert kvartal kommunen en opgørelse over udlejninger efter "
     "aftalen og over ledige boliger. Aftalen evalueres årligt på dialogmødet i styringsdialogen.", ()),
    ("Varighed og opsigelse", "Aftalen gælder fra 1. april 2026 til 31. marts 2029. Hver part kan opsige aftalen "
     "med 6 måneders varsel til den 1. i en måned. Parterne drøfter en ny aftale senest 6 måneder før udløb.", ()),
)


def build_aftale(org: Organisation, formand_role: str = "formand for organisationsbestyrelsen") -> BuiltAftale:
    """The agreement between Egeskov Kommune and org: parties, period, numbered clauses, signatures."""
    doc = DocModel(
        title=AFTALE_TITLE, header=f"{AFTALE_TITLE} – {MUNICIPALITY} og {org.name}", blocks=[],
        subject=f"Aftale mellem {MUNICIPALITY} og {org.name}",
        keywords=["aftale", "fleksibel udlejning", "kommunal anvisning", org.name, MUNICIPALITY, "2026",
                  FICTION_NOTICE],
    )
    built = BuiltAftale(doc=doc)
    doc.add(
        Para(AFTALE_TITLE, style="title"),
        Para(f"mellem {MUNICIPALITY} og {org.name}", style="subtitle"),
        Para("Aftaleperiode: 1. april 2026 - 31. marts 2029"),
        Para(f"{FICTION_NOTICE}. Parterne og aftalens indhold er opdigtede.", style="notice"),
    )
    for n, (heading, text, extra) in enumerate(_CLAUSES, start=1):
        mark = f"punkt{n}"
        label = f"{n}. {heading}"
        built.clauses[mark] = Clause(number=str(n), label=label, text=text, page=None)
        doc.add(Heading(label, level=2), Para(text, marks=(mark,)))
        doc.add(*[Para(item, style="item", indent=6) for item in extra])
    doc.add(Spacer(8), Para(f"Egeskov, den {fmt_date(AFTALE_SIGNED)}", keep_with_next=True), Spacer(4))
    doc.add(Table(
        header=[f"For {MUNICIPALITY}", f"For {org.name}"], widths=[85, 85], plain=True,
        rows=[
            TableRow(["", ""]),
            TableRow(["", ""]),
            TableRow(["_______________________________", "_______________________________"]),
            TableRow([KOMMUNE_CHAIR[0], org.formand]),
            TableRow([KOMMUNE_CHAIR[1], formand_role]),
        ],
        font_size=9.5,
    ))
    return built
