"""Last year's figure for a figure of this year's report: the one rule the checks and the note both use.

Last year's value of a figure (same type, same afdeling, same boligtype) is read from last year's
styringsrapport when there is one, else from the previous-year column of this year's report (the
most recent earlier year when the table has several).
"""

from __future__ import annotations

from dataclasses import dataclass

from service.review.model import Figure, ReportExtraction

FigureKey = tuple[str, int | str | None, str | None]


def afdeling_key(f: Figure) -> int | str | None:
    """An afdeling by number when known, else by label; None for the organisation."""
    return f.afdeling_nr if f.afdeling_nr is not None else f.afdeling


def figure_key(f: Figure) -> FigureKey:
    """(type, afdeling, boligtype): what makes two figures the same figure in two years."""
    return (f.figure_type, afdeling_key(f), f.boligtype)


@dataclass(frozen=True)
class LastYearFigure:
    """Last year's figure and where it was read."""

    figure: Figure
    from_previous_report: bool  # False: the previous-year column of this year's report
    report_year: int | None = None  # the styringsår of last year's report, when read from it


class LastYear:
    """Last year's figures of one review (see the module docstring)."""

    def __init__(self, current: ReportExtraction, previous: ReportExtraction | None) -> None:
        self._figures: dict[FigureKey, LastYearFigure] = {}
        column = sorted(current.previous_in_report, key=lambda f: f.year or 0)
        for f in column:  # ascending years: the most recent earlier year is written last and wins
            self._figures[figure_key(f)] = LastYearFigure(f, False)
        if previous is not None:
            year = previous.identity.styringsaar
            for f in previous.figures:
                self._figures[figure_key(f)] = LastYearFigure(f, True, year)

    def get(self, figure_type: str, afdeling: int | str | None, boligtype: str | None = None) -> LastYearFigure | None:
        """Last year's figure of a type for an afdeling (None = the organisation), or None."""
        return self._figures.get((figure_type, afdeling, boligtype))

    def of(self, figure: Figure) -> LastYearFigure | None:
        """Last year's value of this year's ``figure``."""
        return self._figures.get(figure_key(figure))
