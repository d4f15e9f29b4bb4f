"""A fictional act, "Lov om prøveboliger" (alias proeveboligloven), as a DocModel and as HTML.

The act does not exist. It is written to exercise the legal-structure parser: chapters
with headings, §§ including lettered ones (§ 4 a, § 4 b), Stk. 2-4, numbered items "1)"
and litra "a)".
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

from ingest.samples.manifest import Clause
from ingest.samples.model import FICTION_NOTICE, DocModel, Para, Spacer
from knowledge.legal import LegalRef

ACT_ID = "proeveboligloven"
LAW_TITLE = "Lov om prøveboliger"
VERSION_LINE = "LOV nr. 999 af 1. juli 2025"
LAW_DATE = dt.date(2025, 7, 1)
IN_FORCE = dt.date(2026, 1, 1)
NOTICE_TEXT = (f"{FICTION_NOTICE}. Loven findes ikke og er ikke gældende ret; den er skrevet til test og "
               "demonstration af lovstruktur (kapitler, paragraffer, stykker, numre og litra).")


@dataclass(frozen=True)
class Item:
    """A numbered item '1)' with optional litra 'a)'."""

    text: str
    litra: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stk:
    """One stykke of a paragraph."""

    text: str
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Paragraf:
    """A § with its stykker; nr is the display form ('4 a')."""

    nr: str
    stk: tuple[Stk, ...]


@dataclass(frozen=True)
class Kapitel:
    """A chapter with number, heading and paragraphs."""

    nr: int
    heading: str
    paragraffer: tuple[Paragraf, ...]


S, I = Stk, Item  # noqa: E741 - short names keep the law text readable
LAW: tuple[Kapitel, ...] = (
    Kapitel(1, "Formål og anvendelsesområde", (
        Paragraf("1", (
            S("Formålet med loven er at give boligsøgende, der ikke har haft et selvstændigt lejemål i de seneste "
              "2 år, mulighed for at afprøve en almen familiebolig med en tidsbegrænset lejeaftale og en "
              "støtteplan, før de får et lejemål på almindelige vilkår."),
            S("Loven gælder for almene boligorganisationer og kommuner, der har indgået en aftale om prøveboliger "
              "efter § 3."),
        )),
        Paragraf("2", (
            S("I denne lov forstås ved:", (
                I("Prøvebolig: En almen familiebolig, der efter aftale mellem kommunalbestyrelsen og "
                  "boligorganisationen udlejes tidsbegrænset efter reglerne i denne lov."),
                I("Prøvelejer: En boligsøgende, som kommunalbestyrelsen har anvist til en prøvebolig efter § 4."),
                I("Støtteplan: En skriftlig plan for den støtte, som kommunalbestyrelsen yder prøvelejeren i "
                  "lejeperioden."),
            )),
            S("En prøvebolig er fortsat en almen familiebolig i enhver anden henseende end lejeaftalens varighed."),
        )),
    )),
    Kapitel(2, "Aftale om prøveboliger og udlejning", (
        Paragraf("3", (
            S("Kommunalbestyrelsen og boligorganisationens bestyrelse kan aftale, at indtil 5 pct. af de boliger, "
              "der bliver ledige i en afdeling i løbet af et år, udlejes som prøveboliger."),
            S("Aftalen skal indeholde:", (
                I("de afdelinger, som aftalen omfatter,"),
                I("det højeste antal prøveboliger pr. år i hver afdeling,"),
                I("kriterierne for, hvilke boligsøgende der kan anvises, og"),
                I("fordelingen af udgifterne efter § 6."),
            )),
            S("Aftalen kan ikke omfatte afdelinger, hvor der er aftalt fleksibel udlejning af mere end halvdelen af "
              "de ledige boliger, eller hvor kommunalbestyrelsen har besluttet at begrænse den kommunale "
              "anvisning."),
            S("Aftalen indgås for højst 4 år ad gangen og drøftes på det årlige dialogmøde i styringsdialogen."),
        )),
        Paragraf("4", (
            S("Kommunalbestyrelsen anviser prøvelejere til prøveboliger. Anvisningen sker efter en konkret "
              "vurdering af den boligsøgendes behov og går forud for ventelisten."),
            S("Kommunalbestyrelsen udarbejder en støtteplan for hver prøvelejer, inden lejeaftalen indgås. "
              "Støtteplanen skal angive:", (
                I("hvem der er prøvelejerens faste kontaktperson i kommunen,"),
                I("hvilken støtte prøvelejeren modtager, herunder", (
                    "hjælp til økonomi og betaling af husleje,",
                    "hjælp til kontakt med naboer og afdelingsbestyrelse og",
                    "hjælp til at fastholde beskæftigelse eller uddannelse, og",
                )),
                I("hvornår og hvordan støtteplanen følges op."),
            )),
            S("Prøvelejeren skal have en kopi af støtteplanen."),
        )),
        Paragraf("4 a", (
            S("En lejeaftale om en prøvebolig indgås for 12 måneder. Lejeaftalen skal tydeligt angive, at der er "
              "tale om en prøvebolig efter denne lov."),
            S("Lejeaftalen kan forlænges én gang med indtil 6 måneder, hvis", (
                I("prøvelejeren i det væsentlige har overholdt støtteplanen, og"),
                I("boligorganisationen og kommunalbestyrelsen er enige om forlængelsen."),
            )),
            S("Ved lejeperiodens udløb tilbyder boligorganisationen prøvelejeren et tidsubegrænset lejemål i "
              "boligen, medmindre prøvelejeren groft har misligholdt lejeaftalen. Boligorganisationen giver "
              "prøvelejeren og kommunalbestyrelsen skriftlig besked senest 3 måneder før lejeperiodens udløb."),
        )),
        Paragraf("4 b", (
            S("Tilbydes prøvelejeren ikke et tidsubegrænset lejemål efter § 4 a, stk. 3, anviser "
              "kommunalbestyrelsen en anden bolig eller et andet botilbud inden lejeperiodens udløb."),
        )),
        Paragraf("5", (
            S("Boligorganisationen kan ikke opsige en prøvelejer i lejeperioden, medmindre der foreligger forhold, "
              "der efter almenlejeloven giver ret til at ophæve lejeaftalen."),
            S("Prøvelejeren kan opsige lejeaftalen med 1 måneds varsel til den 1. i en måned."),
        )),
        Paragraf("5 a", (
            S("Prøvelejeren har samme rettigheder som afdelingens øvrige lejere, herunder ret til at deltage i "
              "afdelingsmødet og til at være valgbar til afdelingsbestyrelsen."),
            S("Prøvelejeren kan ikke fremleje boligen eller bytte den med en anden bolig i lejeperioden."),
        )),
    )),
    Kapitel(3, "Økonomi", (
        Paragraf("6", (
            S("Kommunalbestyrelsen betaler lejen for en prøvebolig, der står tom, fra det tidspunkt, hvor boligen "
              "er klar til indflytning, og indtil en prøvelejer er anvist."),
            S("Kommunalbestyrelsen garanterer for prøvelejerens forpligtelse til at istandsætte boligen ved "
              "fraflytning. Garantien bortfalder, når prøvelejeren har fået et tidsubegrænset lejemål."),
            S("Udgifter efter stk. 1 og 2 kan ikke afholdes af afdelingen eller af boligorganisationens "
              "dispositionsfond."),
        )),
        Paragraf("7", (
            S("Staten refunderer 50 pct. af kommunens udgifter efter § 6, stk. 1 og 2. Ministeren fastsætter "
              "nærmere regler om refusionen, herunder om frister for anmodning om refusion."),
        )),
    )),
    Kapitel(4, "Klage", (
        Paragraf("8", (
            S("Kommunalbestyrelsens afgørelse om anvisning til en prøvebolig og om støtteplanens indhold kan "
              "påklages til Ankestyrelsen inden 4 uger efter, at afgørelsen er meddelt."),
            S("Tvister mellem prøvelejeren og boligorganisationen om lejeforholdet afgøres af beboerklagenævnet "
              "efter reglerne i almenlejeloven."),
            S("Klage har ikke opsættende virkning, medmindre klageinstansen bestemmer andet."),
        )),
    )),
    Kapitel(5, "Opfølgning og styringsdialog", (
        Paragraf("9", (
            S("Boligorganisationen oplyser i styringsrapporten antallet af prøveboliger i hver afdeling og "
              "antallet af prøvelejere, der har fået et tidsubegrænset lejemål."),
            S("Kommunalbestyrelsen og boligorganisationen drøfter ordningen på dialogmødet og kan aftale "
              "ændringer af aftalen efter § 3."),
        )),
        Paragraf("9 a", (
            S("Kommunalbestyrelsen indberetter hvert år senest den 1. marts følgende oplysninger om det "
              "foregående kalenderår til ministeren:", (
                I("antallet af prøveboliger fordelt på boligorganisationer og afdelinger,"),
                I("antallet af prøvelejere, der ved lejeperiodens udløb har fået", (
                    "et tidsubegrænset lejemål i prøveboligen,",
                    "en anden bolig eller et andet botilbud efter § 4 b eller",
                    "ingen bolig, og",
                )),
                I("kommunens udgifter efter § 6, stk. 1 og 2."),
            )),
            S("Ministeren kan fastsætte regler om indberetningens form og indhold."),
        )),
        Paragraf("10", (
            S("Ministeren evaluerer ordningen senest 3 år efter lovens ikrafttræden og offentliggør "
              "evalueringen."),
        )),
    )),
    Kapitel(6, "Ikrafttræden", (
        Paragraf("11", (
            S("Loven træder i kraft den 1. januar 2026."),
            S("Aftaler om prøveboliger kan indgås fra lovens ikrafttræden. Lejeaftaler om prøveboliger kan "
              "tidligst have virkning fra den 1. marts 2026."),
            S("Loven revideres i folketingsåret 2029-30."),
        )),
    )),
)


@dataclass
class BuiltLaw:
    """The act as a DocModel plus its provisions keyed by mark."""

    doc: DocModel
    provisions: dict[str, Clause] = field(default_factory=dict)


def provision_ref(paragraf: Paragraf, stk_no: int) -> LegalRef:
    """Reference of a stykke; a § with a single stykke is referenced without 'stk.'."""
    return LegalRef(ACT_ID, paragraf.nr, stk_no if len(paragraf.stk) > 1 else None, None, None)


def build_law() -> BuiltLaw:
    """The act laid out like a printed law: version line, title, centred chapter headings."""
    doc = DocModel(
        title=LAW_TITLE, header=f"{LAW_TITLE} (fiktiv) – {VERSION_LINE}", blocks=[],
        subject=f"{VERSION_LINE}. I kraft fra 1. januar 2026.",
        keywords=["lov", LAW_TITLE, ACT_ID, VERSION_LINE, FICTION_NOTICE], author="Fiktiv lovgiver",
    )
    built = BuiltLaw(doc=doc)
    doc.add(
        Para(NOTICE_TEXT, style="notice"),
        Spacer(6),
        Para(VERSION_LINE, style="center_bold"),
        Para(LAW_TITLE, style="center_title"),
        Para("(Fiktiv lov til demonstration)", style="center_italic"),
    )
    for kapitel in LAW:
        doc.add(Spacer(3), Para(f"Kapitel {kapitel.nr}", style="center_bold", keep_with_next=True),
                Para(kapitel.heading, style="center_italic", keep_with_next=True))
        for paragraf in kapitel.paragraffer:
            for n, stk in enumerate(paragraf.stk, start=1):
                ref = provision_ref(paragraf, n)
                mark = ref.canonical_id
                built.provisions[mark] = Clause(
                    number=ref.canonical_id, label=ref.label, text=stk.text, page=None,
                    chapter=f"Kapitel {kapitel.nr}. {kapitel.heading}",
                )
                prefix = f"**§ {paragraf.nr}.**" if n == 1 else f"__Stk. {n}.__"
                doc.add(Para(f"{prefix} {stk.text}", markdown=True, marks=(mark,)))
                for i, item in enumerate(stk.items, start=1):
                    doc.add(Para(f"{i}) {item.text}", style="item", indent=6))
                    for j, litra in enumerate(item.litra):
                        doc.add(Para(f"{chr(ord('a') + j)}) {litra}", style="item", indent=12))
                if stk.items:
                    doc.add(Spacer(1))
    doc.add(Spacer(6), Para(f"{FICTION_NOTICE}.", style="center_italic"))
    return built


def render_law_html() -> str:
    """The act as HTML in the style of retsinformation.dk (classes Paragraf, Stk2, Liste1 ...)."""
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="da">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{esc(LAW_TITLE)} (fiktiv)</title>",
        f'<meta name="dc.title" content="{esc(LAW_TITLE)}">',
        f'<meta name="dc.identifier" content="{esc(VERSION_LINE)}">',
        f'<meta name="dc.date" content="{LAW_DATE.isoformat()}">',
        f'<meta name="almen.valid_from" content="{IN_FORCE.isoformat()}">',
        f'<meta name="description" content="{esc(NOTICE_TEXT)}">',
        "</head>",
        "<body>",
        '<div class="document-content">',
        f'<p class="Fiktiv"><strong>{esc(NOTICE_TEXT)}</strong></p>',
        f'<p class="Titel">{esc(VERSION_LINE)}</p>',
        f'<h1 class="Titel2">{esc(LAW_TITLE)}</h1>',
    ]
    for kapitel in LAW:
        out.append(f'<h2 class="Kapitel" id="Kap{kapitel.nr}">Kapitel {kapitel.nr}</h2>')
        out.append(f'<h3 class="KapitelOverskrift2">{esc(kapitel.heading)}</h3>')
        for paragraf in kapitel.paragraffer:
            pid = "P" + paragraf.nr.replace(" ", "")
            for n, stk in enumerate(paragraf.stk, start=1):
                if n == 1:
                    out.append(f'<p class="Paragraf" id="{pid}"><span class="ParagrafNr">§ {esc(paragraf.nr)}.</span> '
                               f"{esc(stk.text)}</p>")
                else:
                    out.append(f'<p class="Stk2" id="{pid}S{n}"><span class="StkNr">Stk. {n}.</span> '
                               f"{esc(stk.text)}</p>")
                for i, item in enumerate(stk.items, start=1):
                    out.append(f'<p class="Liste1"><span class="Liste1Nr">{i})</span> {esc(item.text)}</p>')
                    for j, litra in enumerate(item.litra):
                        out.append(f'<p class="Liste2"><span class="Liste2Nr">{chr(ord("a") + j)})</span> '
                                   f"{esc(litra)}</p>")
    out += [f'<p class="Fiktiv">{esc(FICTION_NOTICE)}.</p>', "</div>", "</body>", "</html>", ""]
    return "\n".join(out)
