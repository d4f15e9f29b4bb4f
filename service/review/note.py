"""What the forberedelsesnotat says: header, summary, key figures, flagged items, agreements, agenda, questions.

``build_note`` turns a Review into renderer-neutral blocks (service.review.note_blocks), which are
rendered to Markdown and Word. Every figure carries its report page; every rule its source.
"""

from __future__ import annotations

import re

from service.agreements.agreement import AGREEMENT_TYPES
from service.domain.dates import format_danish_date
from service.domain.wording import count
from service.review.check_results import FOLLOW_UP, MISSING, OK
from service.review.check_texts import change_text
from service.review.labels import FIGURE_BY_NAME
from service.review.last_year import LastYear
from service.review.model import Figure
from service.review.note_blocks import DRAFT_MARK, NHeading, NList, Note, NPara, NTable
from service.review.numbers import format_quantity
from service.review.result import Review

_SEVERITY = {"høj": "høj prioritet", "middel": "middel prioritet", "lav": "lav prioritet"}
# Figures shown in the key-figure tables, in this order.
ORG_FIGURES = ("antal_afdelinger", "antal_boliger", "antal_lejemaalsenheder", "dispositionsfond",
               "dispositionsfond_disponibel", "dispositionsfond_disponibel_pr_lejemaal",
               "dispositionsfond_minimum_pr_lejemaal", "arbejdskapital", "administrationsbidrag_pr_lejemaal",
               "restancer", "udlejning_venteliste", "udlejning_fleksibel", "udlejning_kombineret",
               "udlejning_kommunal_anvisning")
AFDELING_FIGURES = ("antal_boliger", "husleje_pr_m2", "ledige_boliger", "lejeledighed", "tab_ved_lejeledighed_pr_m2",
                    "fraflytningsprocent", "aarlige_henlaeggelser_pr_bolig", "opsparede_henlaeggelser_pr_bolig",
                    "vedligeholdelse_pr_m2", "effektivitetstal", "afdelingsbestyrelse")


def _page(f: Figure | None) -> str:
    return f"s. {f.page}" if f is not None and f.page else ""


def _reference_map(review: Review) -> dict[str, str]:
    """figure type -> a short reference level ('5,4 kr./m² (2021)') from the checklist."""
    cl = review.checklist
    out: dict[str, str] = {}
    for item in cl.items:
        rule = item.rule
        figure = rule.figure
        if figure in cl.derived:
            figure = cl.derived[figure].numerator
        if rule.reference and rule.reference in cl.references:
            ref = cl.references[rule.reference]
            text = f"{format_quantity(ref.value, ref.unit)} ({ref.year})"
            if rule.figure == "effektivitetstal":
                text = f"rød under {text}"
            elif rule.figure in cl.derived:
                text = f"{text} af boligerne"
            elif ref.unit == "%" and FIGURE_BY_NAME[figure].unit == "bool":
                text = f"{text} af afdelingerne har en"
            out.setdefault(figure, text)
        elif rule.reference_by_boligtype:
            parts = []
            for btype, name in rule.reference_by_boligtype.items():
                ref = cl.references[name]
                parts.append(f"{btype if btype != 'default' else 'alle'} {format_quantity(ref.value, ref.unit)}")
            year = cl.references[next(iter(rule.reference_by_boligtype.values()))].year
            out.setdefault(figure, "; ".join(parts) + f" ({year})")
    return out


def _fraflytning_ref(review: Review, f: Figure) -> str | None:
    cl = review.checklist
    for item in cl.items:
        if item.rule.figure == "fraflytningsprocent" and item.rule.reference_by_boligtype:
            info = review.report.afdeling_info(f.afdeling_nr)
            btype = info.boligtype if info else None
            name = item.rule.reference_by_boligtype.get(btype or "", item.rule.reference_by_boligtype.get("default"))
            if name:
                ref = cl.references[name]
                return f"{format_quantity(ref.value, ref.unit)} ({ref.year}, {btype or 'alle boligtyper'})"
    return None


def _figure_row(review: Review, f: Figure, refs: dict[str, str], with_afdeling: bool,
                last_year: LastYear) -> list[str]:
    last_figure = last_year.of(f)
    ft = FIGURE_BY_NAME.get(f.figure_type)
    label = ft.label if ft else f.figure_type
    if f.boligtype:
        label += f" ({f.boligtype})"
    this_year = f"{f.display} ({_page(f)})" if f.page else f.display
    if last_figure is None:
        last, change = "–", "–"
    else:
        prev = last_figure.figure
        where = _page(prev)
        year = last_figure.report_year if last_figure.from_previous_report else None
        if year:
            where = f"rapport {year}, {where}" if where else f"rapport {year}"
        last = f"{prev.display} ({where})" if where else prev.display
        change = change_text(prev.value, f.value, f.unit)
    ref = refs.get(f.figure_type, "–")
    if f.figure_type == "fraflytningsprocent" and f.afdeling_nr is not None:
        ref = _fraflytning_ref(review, f) or ref
    row = [label, this_year, last, change, ref]
    return ([f.afdeling or ""] + row) if with_afdeling else row


def _key_figure_tables(review: Review, note: Note) -> None:
    refs = _reference_map(review)
    last_year = LastYear(review.report, review.previous)
    figs = review.report.figures
    org_rows = [_figure_row(review, f, refs, False, last_year)
                for name in ORG_FIGURES for f in figs if f.figure_type == name and f.afdeling is None]
    org_rows += [_figure_row(review, f, refs, False, last_year) for f in figs if f.afdeling is None
                 and f.figure_type not in ORG_FIGURES]
    header = ["Nøgletal", "I år (side)", "Sidste år", "Ændring", "Referenceniveau"]
    note.add(NHeading("Nøgletal", 1))
    note.add(NPara("Tallene er aflæst i styringsrapporten; sidetal henviser til rapporten. Ændringer er beregnet "
                   "af almen. Referenceniveauernes kilder står i afsnittet 'Referenceniveauer'."))
    note.add(NHeading("Organisationen", 2))
    if org_rows:
        note.add(NTable(header, org_rows))
    else:
        note.add(NPara("Rapporten indeholder ingen nøgletal på organisationsniveau, som almen kunne aflæse."))
    afd_figs = [f for f in figs if f.afdeling is not None]
    note.add(NHeading("Afdelingerne", 2))
    if not afd_figs:
        note.add(NPara("Rapporten indeholder ingen nøgletal pr. afdeling, som almen kunne aflæse."))
        return
    order = {name: i for i, name in enumerate(AFDELING_FIGURES)}
    afd_figs.sort(key=lambda f: (f.afdeling_nr if f.afdeling_nr is not None else 10_000, f.afdeling or "",
                                 order.get(f.figure_type, 100)))
    note.add(NTable(["Afdeling"] + header, [_figure_row(review, f, refs, True, last_year) for f in afd_figs]))


def summary_text(review: Review) -> str:
    """A Danish paragraph with the main findings, counts only (computed, not written by a model)."""
    ident = review.report.identity
    org = ident.organisation or "organisationen"
    flagged = review.flagged
    high = [c for c in flagged if c.item.severity == "høj"]
    missing = [c for c in review.checks if c.status == MISSING]
    parts = [f"Styringsrapporten {ident.styringsaar or ''} fra {org} er gennemgået med tjeklisten (version "
             f"{review.checklist.version}, {count(len(review.checks), 'punkt', 'punkter')})."]
    parts[0] = parts[0].replace("  ", " ")
    if flagged:
        topics = ", ".join(c.item.topic.lower() for c in flagged)
        parts.append(f"{count(len(flagged), 'punkt', 'punkter')} giver anledning til opfølgning ({len(high)} med høj "
                     f"prioritet): {topics}.")
    else:
        parts.append("Ingen punkter giver anledning til opfølgning.")
    if missing:
        parts.append(f"{count(len(missing), 'punkt', 'punkter')} kunne ikke vurderes, fordi data mangler.")
    if review.followups:
        counts: dict[str, int] = {}
        for fu in review.followups:
            counts[fu.status_label] = counts.get(fu.status_label, 0) + 1
        listed = ", ".join(f"{n} {label}" for label, n in counts.items())
        parts.append(f"Af {count(len(review.followups), 'aftale', 'aftaler')} fra sidste dialogmøde er {listed} "
                     "ifølge rapporten.")
        overdue = [fu for fu in review.followups if fu.overdue]
        if overdue:
            parts.append(f"{count(len(overdue), 'aftale', 'aftaler')} har en overskredet frist uden at være opfyldt.")
    elif review.referat_title is None:
        parts.append("Der er ikke fundet et referat fra sidste års dialogmøde i vidensbasen.")
    return " ".join(parts)


def _flagged_section(review: Review, note: Note) -> None:
    note.add(NHeading("Punkter til opfølgning", 1))
    if not review.flagged:
        note.add(NPara("Ingen af tjeklistens punkter giver anledning til opfølgning."))
        return
    for check in review.flagged:
        note.add(NHeading(f"{check.item.topic} ({_SEVERITY[check.item.severity]})", 2))
        note.add(NList([f.reason for f in check.flagged]))
        note.add(NPara(f"Spørgsmål: {check.item.question}"))
        note.add(NPara(f"Regel: {check.rule_text}"))
        note.add(NPara(f"Grundlag: {'; '.join(check.basis_labels)}."))
        cites = review.citations.get(check.item.id, [])
        if cites:
            note.add(NPara("Relevante regler og vejledning i vidensbasen:"))
            note.add(NList([f"{c.label}: »{c.quote}«" for c in cites]))


def _other_checks(review: Review, note: Note) -> None:
    rest = [c for c in review.checks if c.status != FOLLOW_UP]
    if not rest:
        return
    note.add(NHeading("Øvrige punkter i tjeklisten", 1))
    rows = []
    for c in rest:
        if c.status == OK:
            why = "Ingen bemærkninger. " + c.rule_text
        else:
            why = c.findings[0].reason if c.findings else "Data mangler."
        rows.append([c.item.topic, c.status, why])
    note.add(NTable(["Punkt", "Status", "Begrundelse"], rows))


def _followup_section(review: Review, note: Note) -> None:
    note.add(NHeading("Opfølgning på sidste års aftaler", 1))
    if review.referat_title is None:
        note.add(NPara("Der er ikke fundet et referat fra sidste års dialogmøde med organisationen i vidensbasen. "
                       "Indlæs referatet (dokumenttype 'referat', samme organisation), så kan almen følge op på "
                       "aftalerne."))
        return
    note.add(NPara(f"Aftalerne er hentet fra '{review.referat_title}'. Rapportens udsagn er fundet ud fra aftalens "
                   "nummer eller de ord, aftalen og rapportens bemærkninger har til fælles."))
    if not review.followups:
        note.add(NPara("Referatet indeholder ingen aftaler, som almen kunne aflæse."))
        return
    rows = []
    for fu in review.followups:
        a = fu.agreement
        deadline = a.deadline_text or "–"
        if fu.overdue:
            deadline += " (frist overskredet)"
        said = fu.statement or "ikke omtalt"
        if fu.statement and fu.page:
            said += f" (s. {fu.page})"
        where = f"s. {a.page}" if a.page else ""
        text = a.text + (f" [{where}]" if where else "")
        rows.append([str(a.number) if a.number is not None else "–", text, AGREEMENT_TYPES.get(a.type, a.type),
                     deadline, said, fu.status_label])
    note.add(NTable(["Nr.", "Aftale (referat)", "Type", "Frist", "Hvad rapporten siger", "Status"], rows))


def _wishes(review: Review, note: Note) -> None:
    note.add(NHeading("Organisationens ønsker til aftaler", 1))
    if not review.report.wishes:
        note.add(NPara("Rapporten indeholder ingen ønsker til aftaler, som almen kunne aflæse."))
        return
    items = [re.sub(r"^\s*(?:\d{1,2}[.)]|[-•*])\s+", "", w.text) + (f" (s. {w.page})" if w.page else "")
             for w in review.report.wishes]
    note.add(NList(items, ordered=True))


def _agenda(review: Review) -> list[str]:
    flagged = review.flagged
    topics = [c.item.topic.lower() for c in flagged if c.item.id not in ("effektivitet",)]
    red = [f.afdeling for c in flagged if c.item.id == "effektivitet" for f in c.flagged if f.afdeling]
    not_mentioned = [fu for fu in review.followups if fu.status in ("ikke_omtalt", "ikke_opfyldt") or fu.overdue]
    agenda = ["Velkomst og præsentation af deltagerne."]
    if review.followups:
        agenda.append(f"Opfølgning på sidste års aftaler ({count(len(review.followups), 'aftale', 'aftaler')}"
                      + (f"; særligt aftale {', '.join(str(f.agreement.number) for f in not_mentioned if f.agreement.number)}"
                         if not_mentioned else "") + ").")
    else:
        agenda.append("Opfølgning på sidste års aftaler.")
    agenda.append("Gennemgang af dokumentationspakken: økonomi, afdelinger med kritiske værdier, udlejning, "
                  "vedligeholdelse og henlæggelser" + (f" – særligt {', '.join(topics)}" if topics else "") + ".")
    agenda.append("Årets tilsynstema og effektivitet" + (f" – røde afdelinger: {', '.join(red)}" if red else "") + ".")
    agenda.append("Udlejning og anvisning: kommunal anvisning, fleksibel og kombineret udlejning, ældre- og "
                  "ungdomsboliger.")
    agenda.append("Beboersammensætning, boligsociale indsatser og helhedsplaner.")
    agenda.append("Renovering, nybyggeri og fysiske forhold.")
    agenda.append("Nye aftaler og ansvarsfordeling (organisationens ønsker); næste møde.")
    return agenda


def _family(review: Review, figure: str) -> str:
    """The base figure of a check ('lejeledighed_andel' -> 'ledige_boliger'): checks on one figure ask alike."""
    derived = review.checklist.derived.get(figure)
    return _family(review, derived.numerator) if derived else figure


def _questions(review: Review) -> list[str]:
    """The questions for the meeting: one per flagged figure and afdelinger (a level and its change ask the
    same), then agreements, wishes and missing data; no question twice."""
    out: list[str] = []
    asked: set[tuple[str, tuple[str, ...]]] = set()
    for check in review.flagged:
        names = [f.afdeling for f in check.flagged if f.afdeling]
        key = (_family(review, check.item.rule.figure) or check.item.id, tuple(names))
        if key in asked:
            continue
        asked.add(key)
        prefix = f"{', '.join(names)}: " if names else ""
        out.append(prefix + check.item.question)
    for fu in review.followups:
        a = fu.agreement
        num = f"aftale {a.number}" if a.number is not None else "aftalen"
        short = a.text if len(a.text) <= 140 else a.text[:137].rsplit(" ", 1)[0] + " ..."
        if fu.status == "ikke_omtalt":
            out.append(f"Hvad er status på {num} fra sidste dialogmøde ('{short}')? Den er ikke omtalt i rapporten.")
        elif fu.status == "ikke_opfyldt" or fu.overdue:
            out.append(f"{num[0].upper() + num[1:]} ('{short}') er ikke opfyldt"
                       + (f" (frist {a.deadline_text})" if a.deadline_text else "")
                       + ": hvad er planen, og hvornår forventes den opfyldt?")
    if review.report.wishes:
        out.append("Hvad skal de aftaler, organisationen ønsker, konkret indeholde, og hvem gør hvad hvornår?")
    missing = [c for c in review.checks if c.status == MISSING and not re.search(
        r"Sidste års|referenceniveau", c.findings[0].reason if c.findings else "")]  # the data is there
    for c in missing[:3]:
        out.append(f"Rapporten oplyser ikke data til punktet '{c.item.topic.lower()}': kan organisationen oplyse dem?")
    return list(dict.fromkeys(out))


def _references(review: Review, note: Note) -> None:
    note.add(NHeading("Referenceniveauer", 1))
    rows = [[r.label, format_quantity(r.value, r.unit), str(r.year), r.source]
            for r in review.checklist.references.values()]
    note.add(NTable(["Niveau", "Værdi", "År", "Kilde"], rows))


def build_note(review: Review) -> Note:
    """The note's blocks (header, summary, figures, flagged items, agreements, agenda, questions)."""
    ident = review.report.identity
    org = ident.organisation or "(ukendt organisation)"
    year = ident.styringsaar
    title = f"Forberedelsesnotat: dialogmøde med {org}" + (f", styringsår {year}" if year else "")
    note = Note(title)
    note.add(NHeading(title, 0), NPara(DRAFT_MARK, "strong"))
    header_rows = [
        ["Organisation", org],
        ["Styringsår", str(year) if year else "ukendt"],
        ["Regnskabsår", str(ident.regnskabsaar) if ident.regnskabsaar else "ukendt"],
        ["Tilsynskommune", ident.municipality or "ukendt"],
        ["Styringsrapport", ident.title + (f" ({ident.pages} sider)" if ident.pages else "")],
        ["Sidste års rapport", review.previous_origin or "ikke fundet"],
        ["Referat fra sidste dialogmøde", review.referat_title or "ikke fundet"],
        ["Dato", format_danish_date(review.created)],
        ["Tjekliste", f"version {review.checklist.version} (opdateret {review.checklist.updated})"],
    ]
    note.add(NTable(["Oplysning", "Værdi"], header_rows))
    note.add(NHeading("Sammenfatning", 1), NPara(summary_text(review)))
    main = [f.reason for c in review.flagged if c.item.severity == "høj" for f in c.flagged]
    main += [f.reason for c in review.flagged if c.item.severity != "høj" for f in c.flagged]
    if main:
        note.add(NPara("Hovedfund:"), NList(main[:8]))
    _key_figure_tables(review, note)
    _flagged_section(review, note)
    _followup_section(review, note)
    _wishes(review, note)
    note.add(NHeading("Forslag til dagsorden", 1), NList(_agenda(review), ordered=True))
    note.add(NHeading("Spørgsmål til boligorganisationen", 1))
    questions = _questions(review)
    note.add(NList(questions, ordered=True) if questions else NPara("Ingen særlige spørgsmål ud over dagsordenen."))
    _other_checks(review, note)
    _references(review, note)
    note.add(NHeading("Om notatet", 1))
    note.add(NPara("Notatet er et udkast dannet automatisk af almen. Alle tal er aflæst i styringsrapporten (med "
                   "sidetal), alle ændringer og sammenligninger er beregnet af almen efter tjeklistens regler, og "
                   "hver regel angiver sin kilde. Kontrollér tallene mod rapporten, før notatet bruges."))
    if review.warnings:
        note.add(NPara("Bemærkninger fra gennemgangen:"), NList(review.warnings))
    return note
