"""Fixtures for the ingest tests: a fictional act rendered as PDF, HTML and text, plus helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

ACT_TITLE = "Lov om prøveboliger"
ACT_VERSION = "Lov nr. 512 af 3. juni 2021"
RUNNING_HEADER = "Lov om prøveboliger - Side {page} af {total}"

LONG_STK = " ".join(
    [
        "Kommunalbestyrelsen skal i forbindelse med den årlige styringsdialog vurdere, om prøveboligerne "
        "har bidraget til en mere blandet beboersammensætning i de afdelinger, som aftalen omfatter.",
        "Vurderingen skal bygge på oplysninger om udlejningen, fraflytningen og ventelisterne i afdelingerne, "
        "og den skal sammenholdes med de mål, som kommunen og boligorganisationen har fastsat i aftalen.",
        "Boligorganisationen stiller de nødvendige oplysninger til rådighed senest den 1. marts, jf. § 12 a, stk. 2.",
    ]
    * 4
)

# (chapter number, chapter heading, [(paragraph line, [more lines])]) — the act as lines of text.
ACT: list[tuple[str, str, list[list[str]]]] = [
    ("1", "Formål og anvendelsesområde", [
        [
            "§ 1. Formålet med loven er at give kommunalbestyrelsen mulighed for at afprøve nye former for "
            "udlejning af almene familieboliger i en afgrænset periode.",
            "Stk. 2. Loven gælder for almene boligorganisationer og deres afdelinger, jf. § 3.",
        ],
        [
            "§ 2. Ved en prøvebolig forstås i denne lov en almen familiebolig, som kommunalbestyrelsen og "
            "boligorganisationen har aftalt at udleje efter reglerne i kapitel 2. En prøvebolig udlejes på de "
            "samme vilkår som andre almene familieboliger, medmindre andet følger af denne lov.",
        ],
    ]),
    ("2", "Udlejning af prøveboliger", [
        [
            "§ 3. Kommunalbestyrelsen kan efter aftale med boligorganisationen beslutte, at op til 10 pct. af de "
            "ledige familieboliger i en afdeling udlejes som prøveboliger. Aftalen indgås som led i "
            "styringsdialogen og skal være skriftlig.",
            "Stk. 2. En aftale efter stk. 1 skal indeholde:",
            "1) de afdelinger, som aftalen omfatter,",
            "2) kriterierne for udlejning, herunder",
            "a) hensyn til børnefamilier og",
            "b) hensyn til personer med tilknytning til arbejdsmarkedet, og",
            "3) aftalens varighed, som højst kan være 4 år.",
            "Stk. 3. Aftalen offentliggøres på kommunens hjemmeside.",
        ],
        [f"§ 4. {LONG_STK}"],
    ]),
    ("3", "Tilsyn", [
        [
            "§ 12. Boligorganisationen fører en fortegnelse over de boliger, der er udlejet som prøveboliger, "
            "og over de lejere, der har fået anvist en prøvebolig efter § 3.",
        ],
        [
            "§ 12 a. Kommunalbestyrelsen fører tilsyn med, at prøveboligerne udlejes i overensstemmelse med "
            "aftalen efter § 3, og kan kræve de oplysninger, der er nødvendige for tilsynet.",
            "Stk. 2. Boligorganisationen indsender hvert år senest den 1. marts en redegørelse for udlejningen af "
            "prøveboliger til kommunalbestyrelsen. Redegørelsen indgår i styringsdialogen efter almenboliglovens "
            "§ 164, og kommunalbestyrelsen drøfter den med boligorganisationen på det årlige dialogmøde.",
        ],
    ]),
    ("4", "Ikrafttræden", [["§ 13. Loven træder i kraft den 1. juli 2021."]]),
]


def act_lines() -> list[str]:
    """The act as text lines, the way a consolidated law reads."""
    lines = [ACT_TITLE, ACT_VERSION, ""]
    for number, heading, provisions in ACT:
        lines += [f"Kapitel {number}", heading, ""]
        for provision in provisions:
            lines += provision + [""]
    return lines


def render_act_pdf(path: Path) -> Path:
    """The act as a 4-page PDF (one chapter per page) with a running header and a page-number footer."""
    from fpdf import FPDF

    class LawPDF(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, RUNNING_HEADER.format(page=self.page_no(), total="{nb}"), new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, str(self.page_no()), align="C")

    pdf = LawPDF()
    pdf.set_title(ACT_TITLE)
    pdf.alias_nb_pages()
    for index, (number, heading, provisions) in enumerate(ACT):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        if index == 0:
            pdf.multi_cell(0, 6, ACT_TITLE, new_x="LMARGIN", new_y="NEXT")
            pdf.multi_cell(0, 6, ACT_VERSION, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        pdf.multi_cell(0, 6, f"Kapitel {number}", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        for provision in provisions:
            for line in provision:
                pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    pdf.output(str(path))
    return path


def render_act_html(path: Path) -> Path:
    """The act as a retsinformation-style page with navigation, scripts and a footer around it."""
    import html

    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>{ACT_TITLE}</title><style>p {{margin: 0}}</style><script>var menu = 'Forside';</script></head>",
        "<body><header><nav><a href='/'>Forside</a> <a href='/love'>Love</a></nav></header>",
        "<div class='document-content'>",
        f"<p class='Titel2'>{ACT_TITLE}</p><p class='Dato'>{ACT_VERSION}</p>",
    ]
    for number, heading, provisions in ACT:
        parts.append(f"<p class='Kapitel'>Kapitel {number}</p><p class='KapitelOverskrift2'>{heading}</p>")
        for provision in provisions:
            for line in provision:
                if line.startswith("§"):
                    nr, _, rest = line.partition(". ")
                    parts.append(f"<p class='Paragraf'><span class='ParagrafNr'>{nr}.</span>&nbsp;{html.escape(rest)}</p>")
                elif line.startswith("Stk."):
                    nr, rest = line[:7], line[8:]
                    parts.append(f"<p class='Stk2'><span class='StkNr'>{nr}</span> {html.escape(rest)}</p>")
                else:
                    parts.append(f"<p class='Liste1'>{html.escape(line)}</p>")
    parts.append("</div><footer>Retsinformation - kontakt os</footer><aside>Relaterede love</aside></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


@pytest.fixture
def act_pdf(tmp_path: Path) -> Path:
    return render_act_pdf(tmp_path / "proeveboligloven.pdf")


@pytest.fixture
def act_html(tmp_path: Path) -> Path:
    return render_act_html(tmp_path / "proeveboligloven.html")


@pytest.fixture
def act_txt(tmp_path: Path) -> Path:
    path = tmp_path / "proeveboligloven.txt"
    path.write_text("\n".join(act_lines()), encoding="utf-8")
    return path
