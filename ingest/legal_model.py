"""The parsed statute: Afsnit / Kapitel / § / stk. / nr. / litra, amending acts' sections and notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.legal_meta import ActVersion
from knowledge.legal import LegalRef, act_display


@dataclass(frozen=True)
class LegalChapter:
    """A chapter: number ('13', '4 a') and heading ('Tilsyn og styringsdialog')."""

    number: str
    heading: str = ""
    part: str = ""  # the Afsnit it belongs to, e.g. 'Afsnit II. Tilsyn'

    @property
    def label(self) -> str:
        """'Kapitel 13. Tilsyn og styringsdialog' (or 'Kapitel 13' without a heading)."""
        return f"Kapitel {self.number}. {self.heading}" if self.heading else f"Kapitel {self.number}"


@dataclass
class LegalItem:
    """A numbered item '1)' (litra None) or a litra 'a)' under item nr within a stk."""

    nr: int | None
    litra: str | None
    text: str


@dataclass
class LegalUnit:
    """One stk. of a § (stk 1 is the text right after '§ N.'), the unit legislation is chunked by."""

    act: str
    paragraph: str  # display form: '164', '54 a'
    stk: int
    text: str
    chapter: LegalChapter | None = None
    section: str = ""  # a sub-heading (mellemrubrik) above the §, if any
    page_start: int | None = None
    page_end: int | None = None
    items: list[LegalItem] = field(default_factory=list)
    stk_end: int | None = None  # 'Stk. 2-5. (Udelades)' -> stk 2, stk_end 5
    placeholder: str = ""  # 'Ophævet' / 'Udelades' when the unit holds nothing else
    notes: list[int] = field(default_factory=list)  # official notes referred to by a marker ('prøvelejemål.2)')

    @property
    def ref(self) -> LegalRef:
        """The reference to this stk., e.g. almenboligloven:§164:stk2."""
        return LegalRef(self.act, self.paragraph, self.stk)

    @property
    def last_stk(self) -> int:
        return self.stk_end or self.stk

    @property
    def stk_label(self) -> str:
        """'stk. 2' or 'stk. 2-5'."""
        return f"stk. {self.stk}-{self.stk_end}" if self.stk_end else f"stk. {self.stk}"

    @property
    def pages(self) -> tuple[int | None, int | None]:
        """(first page, last page) of the unit's text; None for unpaged formats."""
        return self.page_start, self.page_end

    def item_refs(self) -> list[LegalRef]:
        """References to the numbered items of this stk. (nr. 1, nr. 2, ...)."""
        numbers = dict.fromkeys(i.nr for i in self.items if i.nr is not None and i.litra is None)
        return [LegalRef(self.act, self.paragraph, self.stk, nr) for nr in numbers]


@dataclass
class LegalProvision:
    """A § with its stk. units ('§§ 7-8. (Ophævet)' is one provision with paragraph_end '8')."""

    act: str
    paragraph: str
    chapter: LegalChapter | None
    section: str = ""
    units: list[LegalUnit] = field(default_factory=list)
    paragraph_end: str = ""

    @property
    def ref(self) -> LegalRef:
        """The reference to the whole §, e.g. almenboligloven:§164."""
        return LegalRef(self.act, self.paragraph)

    @property
    def heading(self) -> str:
        """'§ 51 b' or '§§ 7-8'."""
        return f"§§ {self.paragraph}-{self.paragraph_end}" if self.paragraph_end else f"§ {self.paragraph}"

    @property
    def placeholder(self) -> str:
        """'Ophævet' when the whole § is a placeholder."""
        return self.units[0].placeholder if len(self.units) == 1 else ""


@dataclass
class LegalAmendment:
    """An amending act's ikrafttrædelse section printed after a consolidated act's last §."""

    intro: str  # 'Lov nr. 310 af 14. marts 2025 (...) indeholder følgende ikrafttrædelsesbestemmelse:'
    version: ActVersion | None
    provisions: list[LegalProvision] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.version.text if self.version else self.intro.rstrip(":")


@dataclass
class LegalNote:
    """An official note ('1) Loven indeholder bestemmelser, der gennemfører ...')."""

    nr: int
    text: str
    page: int | None = None


@dataclass
class LegalDocument:
    """A parsed act or executive order: identity, version and its provisions."""

    act: str
    kind: str  # 'lov' or 'bekendtgoerelse'
    title: str
    version: str = ""  # e.g. 'LBK nr. 1278 af 18/11/2015'
    valid_from: str = ""  # ISO date of the version line, when known
    act_type: str = ""  # 'LBK', 'BEK' or 'LOV'
    act_number: str = ""
    act_date: str = ""  # ISO date of the version
    preamble: list[str] = field(default_factory=list)  # 'Herved bekendtgøres ...' and similar
    parts: list[str] = field(default_factory=list)  # 'Afsnit I. Almindelige bestemmelser'
    chapters: list[LegalChapter] = field(default_factory=list)
    provisions: list[LegalProvision] = field(default_factory=list)
    amendments: list[LegalAmendment] = field(default_factory=list)
    notes: list[LegalNote] = field(default_factory=list)
    # Text after the provisions (signature, appendices) as (line, page), kept so nothing is lost.
    trailing: list[tuple[str, int | None]] = field(default_factory=list)

    @property
    def units(self) -> list[LegalUnit]:
        """Every stk. of every § in document order (the amending acts' sections are not the act's)."""
        return [u for p in self.provisions for u in p.units]

    @property
    def act_name(self) -> str:
        """Display name of the act, e.g. 'almenboligloven'."""
        return act_display(self.act)
