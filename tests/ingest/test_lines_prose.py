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
    assert is_table_line("2 Hedelund Fam. 200 905 3 1,2 9,8 41.300")


def test_the_wrapped_sentence_stays_in_its_paragraph() -> None:
    blocks = lines_to_blocks(PARAGRAPH + ["", "Afdeling Boliger Husleje", "2 Hedelund 200 905", "4 Lundbo 96 877"])
    assert blocks[0].kind == "paragraph" and "4,18 mio. kr. mod" in blocks[0].text
    assert "Restancerne faldt" in blocks[0].text or (blocks[1].kind == "paragraph"
                                                    and "Restancerne" in blocks[1].text)
    assert any(b.kind == "table" and "Hedelund 200 905" in b.text for b in blocks)


def test_a_running_header_between_the_halves_of_a_sentence_is_dropped() -> None:
    from ingest.loaders.pdf import remove_running_lines

    pages = [["Beretning 2025", "Alle afdelinger har planer. De opsparede henlæggelser"],
             ["Mejsebo · Beretning 2025 og styringsrapport 2026", "er i gennemsnit 41.800 kr. pr. bolig.", "Udlejning"]]
    out = remove_running_lines([list(p) for p in pages])
    assert out[1][0] == "er i gennemsnit 41.800 kr. pr. bolig."
    kept = [["Beretning 2025", "Planer og opsparing."], ["Mejsebo · Beretning 2025", "er et ord her", "x"]]
    assert remove_running_lines([list(p) for p in kept])[1][0] == "Mejsebo · Beretning 2025"  # the page before ended
