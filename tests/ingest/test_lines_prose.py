"""A wrapped line of running text with figures in it is prose, not a table row (PDF and text loaders)."""

from __future__ import annotations

from ingest.loaders._lines import is_table_line, lines_to_blocks

PARAGRAPH = [
    "Regnskabet viser et lille overskud. Dispositionsfonden udgjorde ved årets udgang i alt",
    "4,18 mio. kr. mod 4,40 mio. kr. sidste år, og arbejdskapitalen var 0,72 mio. kr.",
    "Restancerne faldt til 64.000 kr. fra 81.000 kr.",
]


def test_a_sentence_with_figures_is_not_a_table_row() -> None:
    assert not is_table_line(PARAGRAPH[1])
    assert not is_table_line(PARAGRAPH[2])
    assert is_table_line("Dispositionsfond i alt 21.400 20.900 19.800")
    assert is_table_line("2 Hedebo Fam. 200 905 3 1,2 9,8 41.300")


def test_the_wrapped_sentence_stays_in_its_paragraph() -> None:
    blocks = lines_to_blocks(PARAGRAPH + ["", "Afdeling Boliger Husleje", "2 Hedebo 200 905", "4 Lundbo 96 877"])
    assert blocks[0].kind == "paragraph" and "4,18 mio. kr. mod" in blocks[0].text
    assert "Restancerne faldt" in blocks[0].text or (blocks[1].kind == "paragraph"
                                                    and "Restancerne" in blocks[1].text)
    assert any(b.kind == "table" and "Hedebo 200 905" in b.text for b in blocks)
