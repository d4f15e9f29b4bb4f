"""The built-in corpus describes the current law (issue 15): current version numbers, no replaced
order presented as current, every provision note naming its version, and the 2026 rules stated.

The truth is the fact sheet checked against the current texts (shared/domain/facts-2026.md):
almenboligloven LBK nr. 207 af 25/01/2026, driftsbekendtgørelsen BEK nr. 1642 af 07/12/2023 and
udlejningsbekendtgørelsen BEK nr. 977 af 21/08/2024. Checks work sentence by sentence with the
splitter the answers use, because an extracted sentence must not mislead on its own: a sentence
that names a replaced version must itself say that the version is replaced or earlier.
Front-matter source titles are not checked: they name the edition of the source they describe.
"""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import pytest

from knowledge.legal import parse_canonical_id
from knowledge.sentences import split_sentences

CORPUS_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "corpus"
CORPUS_FILES = sorted(CORPUS_DIR.glob("*.md"))
PROVISION_NOTES = [p for p in CORPUS_FILES if frontmatter.load(str(p)).metadata.get("kind") == "notat"]

# The current version of each act, as a note writes it in its front matter (`version:`).
CURRENT = {
    "almenboligloven": "LBK nr. 207 af 25/01/2026",
    "driftsbekendtgoerelsen": "BEK nr. 1642 af 07/12/2023",
    "udlejningsbekendtgoerelsen": "BEK nr. 977 af 21/08/2024",
}
# Every version (number, year) the corpus may mention, by act: the current one first, then the
# replaced consolidations, orders and their amending orders (facts.md F2, F5, F8; facts-2026.md).
VERSIONS = {
    "almenboligloven": [(207, 2026), (1171, 2024), (1877, 2021), (1203, 2020), (119, 2019), (1116, 2017),
                        (1103, 2016), (1278, 2015), (1023, 2013), (884, 2011), (1040, 2010), (1204, 2009),
                        (1000, 2008)],
    "driftsbekendtgoerelsen": [(1642, 2023), (70, 2018), (1368, 2018), (1089, 2022), (359, 2023)],
    "udlejningsbekendtgoerelsen": [(977, 2024), (1360, 2018), (164, 2019), (519, 2019), (1223, 2017)],
}
_ACT_OF_VERSION = {v: act for act, versions in VERSIONS.items() for v in versions}
_CURRENT_VERSIONS = {versions[0] for versions in VERSIONS.values()}

# "LBK nr. 207 af 25/01/2026", "bek. nr. 70 af 26. januar 2018", "BEK 70/2018", "driftsbekendtgørelse nr. 70 af
# 26/1/2018"; not "lov nr. 374 af 22. maj 1996" (an act, not a consolidation) nor "vejledning nr. 9932".
_VERSION_RE = re.compile(
    r"\b(?:LBK|BEK|bek\.|lovbekendtgørelse|(?:drifts|udlejnings)?bekendtgørelse)(?:n|en|s)?\s+(?:nr\.\s*)?"
    r"(?P<nr>\d{1,4})\s*(?:/\s*(?P<y1>\d{4})\b|af\s+\d{1,2}(?:\s*/\s*\d{1,2}\s*/\s*|\.\s*[a-zæøå]+\s+)(?P<y2>\d{4}))",
    re.IGNORECASE,
)
# Words that mark a sentence as describing an earlier state of the law.
_HISTORICAL_RE = re.compile(
    r"\b(?:afløst\w*|ophæv\w*|tidligere|forrige|ældre|erstat\w*|historisk\w*|dengang|oprindelig\w*)\b", re.IGNORECASE
)
_CLAIMS_CURRENT_RE = re.compile(r"\b(?:gældende|nuværende|aktuelle)\b", re.IGNORECASE)


def _body(path: Path) -> str:
    post = frontmatter.load(str(path))
    return "\n\n".join([str(post.metadata.get("title", "")), str(post.metadata.get("confidence", "")), post.content])


def _sentences(path: Path) -> list[str]:
    return split_sentences(_body(path))


def versions_in(sentence: str) -> list[tuple[int, int]]:
    """The (number, year) of every LBK/BEK version a sentence cites."""
    return [(int(m.group("nr")), int(m.group("y1") or m.group("y2"))) for m in _VERSION_RE.finditer(sentence)]


def version_problems(sentence: str) -> list[str]:
    """Why a sentence misstates a version: unknown number, or a replaced one not marked as earlier."""
    problems = []
    cited = versions_in(sentence)
    for nr, year in cited:
        act = _ACT_OF_VERSION.get((nr, year))
        if act is None:
            problems.append(f"ukendt version nr. {nr}/{year} (tilføj den til VERSIONS med sin lov)")
        elif (nr, year) not in _CURRENT_VERSIONS:
            if not _HISTORICAL_RE.search(sentence):
                problems.append(f"afløst version nr. {nr}/{year} ({act}) uden at sige, at den er afløst")
            elif _CLAIMS_CURRENT_RE.search(sentence) and VERSIONS[act][0] not in cited:
                problems.append(f"afløst version nr. {nr}/{year} ({act}) kaldt gældende")
    return problems


def test_the_version_checker_catches_what_it_must() -> None:
    assert version_problems("Driftsbekendtgørelsen er bek. nr. 70 af 26. januar 2018.")
    assert version_problems("Reglen står i BEK 1360/2018 om udlejning.")
    assert version_problems("Den gældende lov er LBK nr. 1203 af 3/8/2020, som tidligere blev ændret.")
    assert version_problems("Udlejningsbekendtgørelsen er BEK nr. 999 af 1/1/2025.")
    assert not version_problems("BEK nr. 1642 af 07/12/2023 afløste BEK nr. 70 af 26/1/2018.")
    assert not version_problems("Den gældende lov er LBK nr. 207 af 25/01/2026, som afløste LBK nr. 1171 af 11/11/2024.")
    assert not version_problems("Almenboligloven blev vedtaget som lov nr. 374 af 22. maj 1996.")


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_no_note_cites_a_replaced_or_unknown_version_as_current(path: Path) -> None:
    problems = [(s, p) for s in _sentences(path) for p in version_problems(s)]
    assert not problems, problems


@pytest.mark.parametrize("path", PROVISION_NOTES, ids=lambda p: p.name)
def test_every_provision_note_declares_the_current_version_of_its_act(path: Path) -> None:
    post = frontmatter.load(str(path))
    act = parse_canonical_id(post.metadata["provision"]).act
    assert act in CURRENT, f"ingen kendt gældende version for {act}"
    assert post.metadata.get("version") == CURRENT[act], "front matter skal angive den gældende version"
    assert CURRENT[act] in post.content, "teksten skal nævne den version, notatet beskriver"


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_the_old_benefit_lists_appear_only_as_history(path: Path) -> None:
    """§§ 51 b, 51 c and 59, stk. 6 name kontanthjælp only since LBK 207/2026 (facts-2026 F104, F108)."""
    stale = [s for s in _sentences(path)
             if re.search(r"integrationsydelse|uddannelseshjælp", s, re.I) and not _HISTORICAL_RE.search(s)]
    assert not stale, stale


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_no_note_says_the_order_fixes_the_styringsrapport_deadline(path: Path) -> None:
    """The municipality sets the deadline (BEK 1642/2023 § 112, stk. 3); no sentence may imply a date in the order."""
    wrong = [s for s in _sentences(path)
             if re.search(r"\bfrist", s, re.I) and re.search(r"styringsrapport", s, re.I)
             and re.search(r"driftsbekendtgørelse", s, re.I)
             and not re.search(r"kommunalbestyrelsen|kommunen|ingen dato|ikke fastsat", s, re.I)]
    assert not wrong, wrong


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_no_note_says_the_current_texts_could_not_be_read(path: Path) -> None:
    """§ 164 and kapitel 21 have been checked against the current texts (facts-2026, Læsevejledning)."""
    stale = [s for s in _sentences(path)
             if re.search(r"kunne ikke læses|ikke kunne læses|ikke bekræftet i kilderne", s, re.I)
             and re.search(r"§ 164|§ 112|kapitel 21|tilsyn og styringsdialog", s, re.I)]
    assert not stale, stale


def _section(path: Path, heading: str) -> str:
    """The text under the first ``## `` heading that matches ``heading`` (a regex), up to the next one."""
    body = frontmatter.load(str(path)).content
    parts = re.split(r"^## ", body, flags=re.M)
    for part in parts[1:]:
        title, _, text = part.partition("\n")
        if re.search(heading, title):
            return text
    raise AssertionError(f"{path.name}: intet afsnit '{heading}'")


# (note, heading of the section, patterns the section must state, patterns it must not state)
CONTENT_FACTS = [
    ("bestemmelse-almenboligloven-51b.md", r"^Stk\. 1\b",
     [r"kontanthjælp efter lov om aktiv socialpolitik", r"førtidspension", r"ressourceforløbsydelse"],
     [r"integrationsydelse", r"uddannelseshjælp", r"overgangsydelse"]),
    ("bestemmelse-almenboligloven-51b.md", r"^Stk\. 8\b", [r"12 måneder", r"afdelingen må ikke belastes"], []),
    ("bestemmelse-almenboligloven-51c.md", r"^Stk\. 1\b", [r"kontanthjælp efter lov om aktiv socialpolitik"],
     [r"integrationsydelse", r"uddannelseshjælp"]),
    ("bestemmelse-almenboligloven-164.md", r"^Stk\. 3\b", [r"lægges til grund for dialogmøderne"], [r"kunne ikke"]),
    ("bestemmelse-driftsbekendtgoerelsen-112.md", r"^Stk\. 1\b", [r"skriftligt og med passende varsel"], []),
    ("bestemmelse-driftsbekendtgoerelsen-112.md", r"^Stk\. 2\b", [r"hjemsted"], []),
    ("bestemmelse-driftsbekendtgoerelsen-112.md", r"^Stk\. 3\b",
     [r"ingen dato", r"fastsætter kommunalbestyrelsen selv fristen"], []),
    ("bestemmelse-driftsbekendtgoerelsen-112.md", r"^Stk\. 5\b",
     [r"\(1\) en evaluering", r"\(2\) en forklaring på centrale regnskabstal", r"\(3\) et eventuelt behov for at indgå aftaler",
      r"\(4\) status for de aftaler"], []),
    ("bestemmelse-driftsbekendtgoerelsen-112.md", r"^Stk\. 7\b",
     [r"\(1\) et referat", r"både boligorganisationens og kommunens vurdering", r"\(2\) en kort beskrivelse af de aftaler"], []),
    ("bestemmelse-driftsbekendtgoerelsen-112.md", r"^Stk\. 8\b", [r"indberette redegørelsen"], []),
    ("bestemmelse-driftsbekendtgoerelsen-110.md", r"^Stk\. 1\b",
     [r"tilsynet med boligorganisationen af kommunalbestyrelsen i den kommune, hvor organisationen har hjemsted",
      r"kommune, hvor afdelingen ligger"], []),
    ("bestemmelse-driftsbekendtgoerelsen-116-118.md", r"^Stk\. 1\b", [r"forhøje eller nedsætte lejen"], []),
    ("bestemmelse-driftsbekendtgoerelsen-116-118.md", r"^Stk\. 2\b", [r"Social- og Boligstyrelsen"], []),
    ("bestemmelse-driftsbekendtgoerelsen-74.md", r"^Stk\. 1\b", [r"inden 6 måneder"], []),
    ("bestemmelse-almenboligloven-54-55.md", r"^Stk\. 5\b", [r"betaler kommunen lejen", r"istandsætte"], []),
    ("bestemmelse-almenboligloven-54-55.md", r"§ 55, stk\. 8", [r"§ 54, stk\. 5 ikke"], []),
    ("bestemmelse-almenboligloven-60.md", r"^Stk\. 1\b", [r"§ 63"], [r"kan også bruges til udslusningsboliger"]),
    ("bestemmelse-almenboligloven-60.md", r"^Stk\. 2\b", [r"senest 4 år"], []),
    ("bestemmelse-almenboligloven-60.md", r"^Stk\. 4\b", [r"senest 4 år", r"fastsættes og offentliggøres af kommunalbestyrelsen"], []),
    ("bestemmelse-almenboligloven-60.md", r"§ 60 a", [r"§ 60 a, stk\. 2", r"senest 4 år"], []),
    ("bestemmelse-almenboligloven-165.md", r"^Stk\. 3\b", [r"forretningsfører", r"ledelsen"], []),
    ("bestemmelse-almenboligloven-165.md", r"§ 165 a", [r"udsatte boligområder", r"forebyggelsesområder"], []),
    ("bestemmelse-almenboligloven-165.md", r"§ 168\b", [r"daglige bøder"], []),
    ("bestemmelse-almenboligloven-168b.md", r"^Stk\. 6\b", [r"genhusningsforpligtelsen"], []),
    ("bestemmelse-almenboligloven-169.md", r"^Stk\. 1\b", [r"ikke pligt til styringsdialog"], []),
    ("bestemmelse-almenboligloven-61a.md", r"^Stk\. 1\b", [r"40 pct", r"tre gange", r"60 pct", r"55 pct"], []),
    ("bestemmelse-almenboligloven-61b.md", r"forebyggelsesområde er", [r"30 pct", r"to gange", r"65 pct"], []),
    ("lovgrundlag.md", r"gældende versioner", list(map(re.escape, CURRENT.values())), []),
]


@pytest.mark.parametrize(("name", "heading", "must", "must_not"), CONTENT_FACTS,
                         ids=[f"{n}:{h}" for n, h, _, _ in CONTENT_FACTS])
def test_the_2026_rules_are_stated_where_a_caseworker_looks(name: str, heading: str, must: list[str],
                                                            must_not: list[str]) -> None:
    text = _section(CORPUS_DIR / name, heading)
    missing = [p for p in must if not re.search(p, text, re.I)]
    present = [p for p in must_not if re.search(p, text, re.I)]
    assert not missing and not present, {"mangler": missing, "må ikke stå": present}
