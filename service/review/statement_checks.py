"""Checks that read the report's own words: a positive statement held against the figures, and
something the report says is due ('Aftalen skal evalueres i februar 2027') that it does not say is done.

``StatementChecks`` is mixed into the Evaluator (service.review.checks), which gives it the report and
the figure access.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from knowledge.sentences import split_sentences
from knowledge.text import fold
from service.agreements.agreement import Agreement
from service.domain.afdelinger import AfdelingInfo, AfdelingMention, find_afdelinger
from service.domain.deadlines import read_when
from service.review.check_results import _OPS, FOLLOW_UP, MISSING, OK, FigureRef, Finding
from service.review.checklist import Item, Reference, Rule
from service.review.model import ReportExtraction
from service.review.numbers import format_number

AFDELING_TERM = "<afdeling>"  # a statement term satisfied by a mention of an afdeling (see checklist.yaml)


class StatementChecks:
    """Statement rules (mixed into the Evaluator)."""

    if TYPE_CHECKING:
        cur: ReportExtraction
        agreements: list[Agreement]

        def afdeling_keys(self) -> list[tuple[int | str, str]]: ...

        def figure(self, name: str, afd: int | str | None) -> tuple[float, list[FigureRef], str] | None: ...

        def label_of(self, name: str) -> str: ...

        def _missing(self, rule: Rule, label: str | None, what: str | None = None,
                     name: str | None = None) -> Finding: ...

        def _reference_for(self, rule: Rule, key: int | str | None) -> tuple[float, str, Reference | None] | None: ...

    def _statement(self, item: Item) -> Finding:
        rule = item.rule
        statement = None
        for passage in self.cur.passages:
            for sentence in split_sentences(passage.text):
                low = fold(sentence)
                if any(fold(t) in low for t in rule.statement_terms) and any(
                        re.search(r"\b" + re.escape(fold(t)) + r"\b", low) for t in rule.positive_terms) \
                        and not re.search(r"\bikke\b|\bmangelfuld|\butilstraekkelig|\bdaarlig", low):
                    statement = (sentence.strip(), passage.page)
                    break
            if statement:
                break
        afd_values = [(label, got) for key, label in self.afdeling_keys()
                      if (got := self.figure(rule.figure, key)) is not None]
        if not afd_values and (org := self.figure(rule.figure, None)) is not None:
            afd_values = [("organisationen", org)]  # a report with figures for the organisation only
        if not afd_values:
            return self._missing(rule, None)
        ref = self._reference_for(rule, None)
        if statement is None or ref is None:
            return Finding(None, OK, "Rapporten indeholder ingen positiv vurdering af "
                                     f"{rule.statement_terms[0]}, som strider mod nøgletallene.")
        limit = ref[0] * rule.factor
        test, word = _OPS[rule.op or "<"]
        low_ones = [(label, got) for label, got in afd_values if test(got[0], limit)]
        quote, page = statement
        where = f" (s. {page})" if page else ""
        if not low_ones:
            return Finding(None, OK, f"Organisationen skriver: »{quote}«{where}; nøgletallene modsiger det ikke.")
        refs = [r for _, got in low_ones for r in got[1]]
        listed = ", ".join(f"{label} {got[2]}" for label, got in low_ones)
        factor = "" if rule.factor == 1 else f"{format_number(rule.factor)} × "
        reason = (f"Organisationen skriver: »{quote}«{where}, men {self.label_of(rule.figure).lower()} er {word} "
                  f"{factor}{ref[1]} i {listed}.")
        return Finding(None, FOLLOW_UP, reason, refs)


    def _stated(self, item: Item) -> list[Finding]:
        """A threshold check whose figure the report does not give, but whose fact it states in words
        ('Dispositionsfonden har dækket tab i afd. 1'): every group of ``statement_terms`` in one sentence."""
        # '<afdeling>' asks for a sentence about an afdeling, by number or by name ('I år er Lindely rød')
        need_afdeling = AFDELING_TERM in item.rule.statement_terms
        groups = [re.compile(r"\b(?:" + fold(g) + r")") for g in item.rule.statement_terms if g != AFDELING_TERM]
        known = {a.nr: a.name for a in self.cur.afdelinger if a.nr is not None and a.name}
        out: list[Finding] = []
        for passage in self.cur.passages:
            for sentence in split_sentences(passage.text):
                low = fold(sentence)
                if not all(g.search(low) for g in groups) or re.search(r"\b(?:ikke|ingen|intet)\b", low):
                    continue
                mentions = find_afdelinger(sentence, known)
                if need_afdeling and not mentions:
                    continue
                key = groups[0].search(low)
                if key is not None and len({m.nr for m in mentions}) > 1:  # 'Afd. 2 er rød, afd. 1 er gul'
                    mentions = [m for m in mentions if m.end <= key.start()][-1:] or mentions
                label = _afdeling_label(mentions, self.cur.afdelinger)
                where = f" (s. {passage.page})" if passage.page else ""
                out.append(Finding(label, FOLLOW_UP, f"Rapporten skriver: »{sentence.strip()}«{where}."))
        return out

    def _due(self, item: Item) -> list[Finding]:
        """Something the report says is due ('Aftalen ... skal evalueres senest 31. december 2026') and does not say
        is done: one finding per statement, for the afdeling the passage is about (else the organisation)."""
        rule = item.rule
        findings: list[Finding] = []
        known = {a.nr: a.name for a in self.cur.afdelinger if a.nr is not None and a.name}
        for passage in self.cur.passages:
            sentences = split_sentences(passage.text)
            for i, sentence in enumerate(sentences):
                low = fold(sentence)
                if not (_has(low, rule.statement_terms) and _has(low, rule.subject_terms)):
                    continue
                if not re.search(r"\b(?:skal|skulle|bør|burde|senest|inden|i\s+løbet\s+af|efter\s+et|hvert)\b", sentence,
                                 re.IGNORECASE) and not read_when(sentence).deadline:
                    continue
                rest = " ".join(sentences[i:i + 2])
                if any(fold(t) in fold(rest) for t in rule.done_terms) and not re.search(
                        r"\bikke\b|\bendnu\b", fold(rest)):
                    continue
                mentions = find_afdelinger(sentence, known) or find_afdelinger(passage.text, known)
                label = _afdeling_label(mentions, self.cur.afdelinger) or self._afdeling_of_figures(passage.text)
                where = f" (s. {passage.page})" if passage.page else ""
                not_done = " Rapporten skriver ikke, at den er gennemført."
                findings.append(Finding(label, FOLLOW_UP, f"Rapporten skriver: »{sentence.strip()}«{where}.{not_done}"))
        findings += self._agreements_due(item)
        if not findings:
            return [Finding(None, MISSING, "Rapporten nævner ingen aftale, der skal evalueres.")]
        return findings

    def _present(self, item: Item) -> list[Finding]:
        """Something the report states that a caseworker must follow up ('Revisor har taget forbehold for ...'),
        unless the same sentence says there is none ('uden forbehold og uden bemærkninger')."""
        rule = item.rule
        findings: list[Finding] = []
        known = {a.nr: a.name for a in self.cur.afdelinger if a.nr is not None and a.name}
        for passage in self.cur.passages:
            sentences = split_sentences(passage.text)
            for i, sentence in enumerate(sentences):
                low = fold(sentence)
                # the subject may be the sentence before's ('3 boliger stod tomme. Kommunen har ikke visiteret ...')
                context = low if i == 0 else fold(sentences[i - 1]) + " " + low
                if not (_has(low, rule.statement_terms) and _has(context, rule.subject_terms)):
                    continue
                if any(fold(t) in low for t in rule.done_terms):
                    continue
                where = f" (s. {passage.page})" if passage.page else ""
                mentions = find_afdelinger(sentence, known) or find_afdelinger(passage.text, known)
                label = _afdeling_label(mentions, self.cur.afdelinger) or self._afdeling_of_figures(passage.text)
                findings.append(Finding(label, FOLLOW_UP, f"Rapporten skriver: »{sentence.strip()}«{where}."))
        return findings or [Finding(None, OK, f"Rapporten nævner ingen {rule.statement_terms[0]} fra "
                                              f"{rule.subject_terms[0]}.")]

    def _afdeling_of_figures(self, text: str) -> str | None:
        """The afdeling whose figures were read from this very paragraph (a section under an afdeling's name)."""
        labels = {f.afdeling for f in self.cur.figures if f.source == text and f.afdeling_nr is not None}
        return labels.pop() if len(labels) == 1 else None

    def _agreements_due(self, item: Item) -> list[Finding]:
        """The organisation's agreements in force that say they are to be evaluated ('Aftalen evalueres årligt')."""
        rule = item.rule
        out: list[Finding] = []
        for agreement in self.agreements:
            for sentence in split_sentences(agreement.text):
                low = fold(sentence)
                if _has(low, rule.statement_terms) and _has(low, rule.subject_terms):
                    source = agreement.citation or agreement.source_title
                    out.append(Finding(agreement.afdeling, FOLLOW_UP,
                                       f"Aftalen skal evalueres: »{sentence.strip()}« ({source}). Er evalueringen "
                                       "sat på dagsordenen?"))
                    break
        return out



def _afdeling_label(mentions: list[AfdelingMention], afdelinger: list[AfdelingInfo]) -> str | None:
    """'Afd. 2 Engen' when a text names exactly one afdeling, else None (the organisation)."""
    numbered = [m for m in mentions if m.nr is not None]
    if len({m.nr for m in numbered}) != 1:
        return None
    m = numbered[0]
    known = next((a.label for a in afdelinger if a.nr == m.nr), None)
    return known or f"Afd. {m.nr} {m.name}".strip()


def _has(low: str, terms: list[str]) -> bool:
    return any(re.search(r"\b" + re.escape(fold(t)), low) for t in terms)
