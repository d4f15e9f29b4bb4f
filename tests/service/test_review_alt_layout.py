"""A styringsrapport written differently from our samples: running text, other wording, other column order.

The report is generated here with fpdf2 (another organisation, another municipality, other labels,
figures in prose, a wide table with the columns in another order, year columns newest first). The
extractor must find at least 80 % of its figures with the right value, unit and page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from ingest.loaders import load_file
from service.review.extract import extract_report


@dataclass(frozen=True)
class Truth:
    """A figure planted in the alternative report."""

    figure_type: str
    afdeling_nr: int | None
    value: float
    unit: str
    page: int


class _Writer:
    def __init__(self) -> None:
        self.pdf = FPDF(format="A4")
        self.pdf.set_margins(18, 16, 18)
        self.pdf.set_auto_page_break(True, 18)
        self.truth: list[Truth] = []

    @property
    def page(self) -> int:
        return self.pdf.page_no()

    def new_page(self) -> None:
        self.pdf.add_page()
        self.pdf.set_font("Times", "I", 8)
        self.pdf.cell(0, 5, "Andelsboligforeningen Bøgevang - Solbjerg Kommune", new_x="LMARGIN", new_y="NEXT")

    def heading(self, text: str) -> None:
        self.pdf.set_font("Times", "B", 14)
        self.pdf.ln(3)
        self.pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")

    def text(self, text: str, *facts: tuple[str, int | None, float, str]) -> None:
        self.pdf.set_font("Times", "", 11)
        for ftype, afd, value, unit in facts:
            self.truth.append(Truth(ftype, afd, value, unit, self.page))
        self.pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def table(self, header: list[str], widths: list[float], rows: list[list[str]],
              facts: list[list[tuple[str, int | None, float, str]]]) -> None:
        pdf = self.pdf
        pdf.set_font("Times", "B", 9)
        y = pdf.get_y()
        x = pdf.l_margin
        for text, w in zip(header, widths):
            pdf.set_xy(x, y)
            pdf.multi_cell(w, 4.5, text, border=0, align="C")
            x += w
        pdf.set_y(y + 14)
        pdf.set_font("Times", "", 9)
        for row, row_facts in zip(rows, facts):
            for text, w in zip(row, widths):
                pdf.cell(w, 6, text, border="B", align="R" if text[:1].isdigit() else "L")
            pdf.ln(6)
            for ftype, afd, value, unit in row_facts:
                self.truth.append(Truth(ftype, afd, value, unit, self.page))
        pdf.ln(3)


def write_alternative_report(path: Path) -> list[Truth]:
    """Write the alternative report; return the planted figures."""
    w = _Writer()
    w.pdf.set_title("Bøgevang - styringsrapport")
    w.new_page()
    w.pdf.set_font("Times", "B", 18)
    w.pdf.multi_cell(0, 10, "Styringsrapport 2026: Andelsboligforeningen Bøgevang", new_x="LMARGIN", new_y="NEXT")
    w.text("Tilsynskommune: Solbjerg Kommune. Rapporten dækker regnskabsåret 2025 og indgår i styringsdialogen "
           "for styringsåret 2026.")
    w.text("Foreningen består af 3 afdelinger.", ("antal_afdelinger", None, 3, "antal"))
    w.heading("Foreningens økonomi")
    w.text("Tallene nedenfor er fra årsregnskaberne; den nyeste kolonne står først.")
    w.table(
        ["Post", "2025", "2024"], [90, 40, 40],
        [["Dispositionsfondens saldo", "12,4 mio. kr.", "11,9 mio. kr."],
         ["heraf disponibelt", "3,2 mio. kr.", "3,5 mio. kr."],
         ["Lejerestancer (t.kr.)", "312", "280"],
         ["Arbejdskapital", "1,1 mio. kr.", "0,9 mio. kr."]],
        [[("dispositionsfond", None, 12_400_000, "kr")], [("dispositionsfond_disponibel", None, 3_200_000, "kr")],
         [("restancer", None, 312_000, "kr")], [("arbejdskapital", None, 1_100_000, "kr")]],
    )
    w.text("Administrationsbidraget udgjorde 4.150 kr. pr. lejemålsenhed i 2025, og foreningen har i alt "
           "500 lejemålsenheder.",
           ("administrationsbidrag_pr_lejemaal", None, 4150, "kr/lejemålsenhed"),
           ("antal_lejemaalsenheder", None, 500, "antal"))
    w.text("Bestyrelsen har fastsat et minimum for den disponible del på 5.000 kr. pr. lejemålsenhed.",
           ("dispositionsfond_minimum_pr_lejemaal", None, 5000, "kr/lejemålsenhed"))
    w.heading("Afdelingerne i 2025")
    w.text("Afdeling 1 - Kirsebærhaven (familieboliger): Den gennemsnitlige leje var 934 kr. pr. m² om året. "
           "Ved årets udgang var der 3 tomme boliger, og lejetabet som følge af ledighed udgjorde 6,2 kr. pr. m². "
           "Fraflytningsfrekvensen var 14,5 %.",
           ("husleje_pr_m2", 1, 934, "kr/m2"), ("ledige_boliger", 1, 3, "antal"),
           ("tab_ved_lejeledighed_pr_m2", 1, 6.2, "kr/m2"), ("fraflytningsprocent", 1, 14.5, "%"))
    w.text("Afdeling 2 - Pilegården (ældreboliger): Huslejen lå på 1.012 kr. pr. m². Der var ingen ledige boliger "
           "pr. 31. december, og tabet ved lejeledighed var 0,8 kr./m². Fraflytningsprocenten endte på 11,0 %.",
           ("husleje_pr_m2", 2, 1012, "kr/m2"), ("tab_ved_lejeledighed_pr_m2", 2, 0.8, "kr/m2"),
           ("fraflytningsprocent", 2, 11.0, "%"))
    w.text("Afdeling 3 - Mosekrogen (ungdomsboliger): Lejen udgjorde 1.150 kr. pr. m² årligt, og der stod "
           "2 ledige boliger ved årsskiftet. Huslejetabet var 3,9 kr. pr. m², mens fraflytningen var 41,2 %.",
           ("husleje_pr_m2", 3, 1150, "kr/m2"), ("ledige_boliger", 3, 2, "antal"),
           ("tab_ved_lejeledighed_pr_m2", 3, 3.9, "kr/m2"), ("fraflytningsprocent", 3, 41.2, "%"))
    w.new_page()
    w.heading("Drift og vedligehold")
    w.text("Tabellen viser driftsnøgletal pr. afdeling. Kolonnerne står i en anden rækkefølge end i "
           "Landsbyggefondens skema.")
    rows = [["Afd. 1 Kirsebærhaven", "Ja", "72 %", "152", "31.200", "9.800"],
            ["Afd. 2 Pilegården", "Nej", "96 %", "128", "47.900", "11.300"],
            ["Afd. 3 Mosekrogen", "Ja", "88 %", "117", "40.100", "6.900"]]
    facts = []
    for nr, row in enumerate(rows, start=1):
        facts.append([
            ("afdelingsbestyrelse", nr, 1.0 if row[1] == "Ja" else 0.0, "bool"),
            ("effektivitetstal", nr, float(row[2].rstrip(" %")), "%"),
            ("vedligeholdelse_pr_m2", nr, float(row[3]), "kr/m2"),
            ("opsparede_henlaeggelser_pr_bolig", nr, float(row[4].replace(".", "")), "kr/bolig"),
            ("aarlige_henlaeggelser_pr_bolig", nr, float(row[5].replace(".", "")), "kr/bolig"),
        ])
    w.table(["Afdeling", "Beboervalgt afdelingsbestyrelse", "Effektivitetstal", "Vedligehold kr./m²",
             "Opsparet i alt kr. pr. bolig", "Henlagt i året kr. pr. bolig"],
            [40, 28, 24, 24, 28, 30], rows, facts)
    w.heading("Udlejning")
    w.text("I 2025 blev 41 boliger udlejet fra ventelisten, 5 ved fleksibel udlejning, 0 ved kombineret udlejning "
           "og 9 efter kommunal anvisning.",
           ("udlejning_venteliste", None, 41, "antal"), ("udlejning_fleksibel", None, 5, "antal"),
           ("udlejning_kombineret", None, 0, "antal"), ("udlejning_kommunal_anvisning", None, 9, "antal"))
    w.heading("Foreningens bemærkninger og ønsker")
    w.text("Bestyrelsen ønsker en aftale med kommunen om fleksibel udlejning i Kirsebærhaven.")
    w.pdf.output(str(path))
    return w.truth


def precision_recall(truth: list[Truth], figures: list) -> tuple[float, float, list[str]]:  # type: ignore[type-arg]
    """Precision and recall of extracted figures against the planted ones (value, unit and page must match)."""
    got = {(f.figure_type, f.afdeling_nr): f for f in figures if f.boligtype is None}
    misses = []
    hits = 0
    for t in truth:
        f = got.get((t.figure_type, t.afdeling_nr))
        if f is not None and abs(f.value - t.value) < 1e-6 and f.unit == t.unit and f.page == t.page:
            hits += 1
        else:
            misses.append(f"{t.figure_type}/{t.afdeling_nr}: ventet {t.value} {t.unit} s. {t.page}, fik "
                          + (f"{f.value} {f.unit} s. {f.page}" if f else "intet"))
    types = {t.figure_type for t in truth}
    extracted = [f for f in got.values() if f.figure_type in types]
    precision = hits / len(extracted) if extracted else 0.0
    return precision, hits / len(truth), misses


def test_alternative_layout_recall_is_at_least_80_percent(tmp_path: Path) -> None:
    path = tmp_path / "boegevang-2026.pdf"
    truth = write_alternative_report(path)
    result = extract_report(load_file(path, max_bytes=10_000_000))
    precision, recall, misses = precision_recall(truth, result.figures)
    print(f"\nAlternativt layout: {len(truth)} plantede nøgletal, recall {recall:.2f}, precision {precision:.2f}")
    for miss in misses:
        print("  mangler:", miss)
    assert result.identity.organisation == "Andelsboligforeningen Bøgevang"
    assert result.identity.styringsaar == 2026 and result.identity.municipality == "Solbjerg Kommune"
    assert recall >= 0.8, misses
    assert precision >= 0.8
    # the newest-first year columns are read by year, not by position
    disp = result.get("dispositionsfond")
    assert disp is not None and disp.value == 12_400_000
    assert any(f.figure_type == "dispositionsfond" and f.value == 11_900_000 for f in result.previous_in_report)


def write_sectioned_docx(path: Path) -> list[Truth]:
    """A Word report: one section per afdeling with 'label: value' lines, and a table with afdelinger as columns."""
    import docx

    d = docx.Document()
    d.add_heading("Styringsrapport for styringsåret 2026", level=0)
    d.add_paragraph("Boligorganisation: Boligselskabet Havbrisen")
    d.add_paragraph("Tilsynskommune: Nordvig Kommune")
    truth: list[Truth] = []
    d.add_heading("Økonomi", level=1)
    for label, value, ftype, v, unit in (
        ("Dispositionsfond, samlet", "8.450.000 kr.", "dispositionsfond", 8_450_000, "kr"),
        ("Dispositionsfond, disponibel andel", "2.100.000 kr.", "dispositionsfond_disponibel", 2_100_000, "kr"),
        ("Arbejdskapital", "-150.000 kr.", "arbejdskapital", -150_000, "kr"),
        ("Restancer hos nuværende og fraflyttede lejere", "0,2 mio. kr.", "restancer", 200_000, "kr"),
    ):
        d.add_paragraph(f"{label}: {value}")
        truth.append(Truth(ftype, None, v, unit, 0))
    afdelinger = [(1, "Strandvejen", "familieboliger", 910, 2, 4.8, 12.0, 52_000, 128, "ja"),
                  (2, "Klitten", "familieboliger", 865, 0, 1.1, 8.9, 18_500, 141, "nej")]
    for nr, name, btype, leje, ledige, tab, fraf, opsp, vedl, best in afdelinger:
        d.add_heading(f"Afdeling {nr} {name}", level=2)
        d.add_paragraph(f"Boligtype: {btype}")
        d.add_paragraph(f"Husleje (kr./m²/år): {leje}")
        d.add_paragraph(f"Antal ledige lejemål pr. 31.12.: {ledige}")
        d.add_paragraph(f"Lejetab pga. ledighed (kr./m²): {str(tab).replace('.', ',')}")
        d.add_paragraph(f"Fraflytning i procent: {str(fraf).replace('.', ',')}")
        d.add_paragraph(f"Opsparede henlæggelser (kr. pr. lejemål): {opsp:,}".replace(",", "."))
        d.add_paragraph(f"Vedligeholdelse i alt, kr. pr. m²: {vedl}")
        d.add_paragraph(f"Afdelingsbestyrelse: {best}")
        truth += [Truth("husleje_pr_m2", nr, leje, "kr/m2", 0), Truth("ledige_boliger", nr, ledige, "antal", 0),
                  Truth("tab_ved_lejeledighed_pr_m2", nr, tab, "kr/m2", 0),
                  Truth("fraflytningsprocent", nr, fraf, "%", 0),
                  Truth("opsparede_henlaeggelser_pr_bolig", nr, opsp, "kr/bolig", 0),
                  Truth("vedligeholdelse_pr_m2", nr, vedl, "kr/m2", 0),
                  Truth("afdelingsbestyrelse", nr, 1.0 if best == "ja" else 0.0, "bool", 0)]
    d.add_heading("Effektivitet og henlæggelser", level=1)
    table = d.add_table(rows=3, cols=3)
    for r, cells in enumerate([["Nøgletal", "Afd. 1 Strandvejen", "Afd. 2 Klitten"],
                               ["Effektivitetstal (pct.)", "81", "67"],
                               ["Årlige henlæggelser pr. bolig", "12.300 kr.", "7.900 kr."]]):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    truth += [Truth("effektivitetstal", 1, 81, "%", 0), Truth("effektivitetstal", 2, 67, "%", 0),
              Truth("aarlige_henlaeggelser_pr_bolig", 1, 12_300, "kr/bolig", 0),
              Truth("aarlige_henlaeggelser_pr_bolig", 2, 7_900, "kr/bolig", 0)]
    d.save(str(path))
    return [Truth(t.figure_type, t.afdeling_nr, t.value, t.unit, None) for t in truth]  # type: ignore[arg-type]


def test_sectioned_word_report_with_afdelinger_as_columns(tmp_path: Path) -> None:
    path = tmp_path / "havbrisen-2026.docx"
    truth = write_sectioned_docx(path)
    result = extract_report(load_file(path, max_bytes=10_000_000))
    precision, recall, misses = precision_recall(truth, result.figures)
    print(f"\nWord-rapport med afsnit pr. afdeling: {len(truth)} nøgletal, recall {recall:.2f}, "
          f"precision {precision:.2f}")
    for miss in misses:
        print("  mangler:", miss)
    assert result.identity.organisation == "Boligselskabet Havbrisen"
    assert result.identity.municipality == "Nordvig Kommune" and result.identity.styringsaar == 2026
    assert recall >= 0.8, misses
    assert precision >= 0.8
