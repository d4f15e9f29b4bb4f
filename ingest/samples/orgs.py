"""The fictional organisations of Egeskov Kommune and their key figures per regnskabsår.

Levels follow report-anatomy.md (husleje ~899 kr./m², fraflytning familieboliger ~10,4 %,
opsparede henlæggelser ~44.300 kr. pr. bolig, tab ved lejeledighed ~5,4 kr./m²,
vedligeholdelse ~137 kr./m², effektivitetstal rød under 70 %). Fjordbo and Lindegården
carry planted warning signs; Egeskov Almene Boliger is deliberately unremarkable.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AfdelingYear:
    """Key figures of one afdeling for one regnskabsår."""

    husleje: int  # kr. pr. m² pr. år
    ledige: int  # ledige boliger pr. 31.12.
    tab: float  # tab ved lejeledighed, kr. pr. m²
    fraflytning: float  # %
    aarlige: int  # årlige henlæggelser, kr. pr. bolig
    opsparede: int  # opsparede henlæggelser, kr. pr. bolig
    vedligehold: int  # kr. pr. m²
    effektivitet: int  # %
    bestyrelse: bool


@dataclass(frozen=True)
class Afdeling:
    """An afdeling with its figures keyed by regnskabsår."""

    nr: int
    name: str
    boligtype: str
    boliger: int
    opfoert: int
    years: dict[int, AfdelingYear]
    planned_works: str
    planned_cost_mio: float

    @property
    def label(self) -> str:
        return f"Afd. {self.nr} {self.name}"


@dataclass(frozen=True)
class Economy:
    """Organisation-level economy for one regnskabsår (kroner)."""

    dispositionsfond: int
    disponibel: int
    arbejdskapital: int
    adm_bidrag: int  # kr. pr. lejemålsenhed
    restancer: int


@dataclass(frozen=True)
class Letting:
    """Number of lettings in a regnskabsår by letting rule."""

    venteliste: int
    fleksibel: int
    kombineret: int
    kommunal_anvisning: int

    @property
    def total(self) -> int:
        return self.venteliste + self.fleksibel + self.kombineret + self.kommunal_anvisning


@dataclass(frozen=True)
class Organisation:
    """A fictional housing organisation in Egeskov Kommune."""

    key: str  # short slug used in file names
    name: str
    administrator: str
    address: str
    org_nr: str
    formand: str
    direktoer: str
    lejemaalsenheder: int
    minimum_pr_lme: int  # bestyrelsens eget minimum for disponibel dispositionsfond, kr. pr. lejemålsenhed
    afdelinger: tuple[Afdeling, ...]
    economy: dict[int, Economy]
    letting: dict[int, Letting]

    @property
    def boliger(self) -> int:
        return sum(a.boliger for a in self.afdelinger)

    def afdeling(self, nr: int) -> Afdeling:
        return next(a for a in self.afdelinger if a.nr == nr)


Y = AfdelingYear

FJORDBO = Organisation(
    key="fjordbo",
    name="Boligselskabet Fjordbo",
    administrator="Kystbo Administration A/S",
    address="Havnevej 12, 9990 Egeskov",
    org_nr="9901",
    formand="Birgitte Lund Skov",
    direktoer="Torben Kjær Mølgaard",
    lejemaalsenheder=412,
    minimum_pr_lme=2_000,
    afdelinger=(
        Afdeling(1, "Skovbrynet", "Familieboliger", 96, 1972, {
            2024: Y(862, 0, 1.8, 9.4, 11_200, 41_800, 128, 92, True),
            2025: Y(889, 1, 2.1, 10.1, 11_600, 43_900, 134, 90, True),
        }, "Nye vinduer og facadeisolering", 14.5),
        Afdeling(2, "Havnegade", "Familieboliger", 64, 1994, {
            2024: Y(1_012, 0, 0.9, 8.1, 9_800, 52_600, 118, 101, True),
            2025: Y(1_041, 0, 1.1, 8.8, 10_100, 55_100, 121, 99, True),
        }, "Udskiftning af køkkener", 4.2),
        Afdeling(3, "Fjordparken", "Familieboliger", 148, 1969, {
            2024: Y(934, 4, 9.6, 13.2, 12_900, 38_100, 152, 81, True),
            2025: Y(968, 7, 14.8, 16.9, 13_400, 37_400, 161, 78, True),
        }, "Renovering af altaner og trappeopgange", 21.0),
        Afdeling(4, "Kollegiet Mågen", "Ungdomsboliger", 60, 2004, {
            2024: Y(1_096, 1, 4.2, 38.5, 6_100, 36_800, 104, 94, True),
            2025: Y(1_128, 1, 4.6, 40.4, 6_300, 38_900, 109, 95, True),
        }, "Nyt ventilationsanlæg", 3.1),
        Afdeling(5, "Strandhaven", "Ældreboliger", 40, 1988, {
            2024: Y(876, 0, 1.2, 11.8, 10_400, 45_200, 141, 67, True),
            2025: Y(905, 0, 1.9, 12.1, 10_700, 47_000, 147, 64, True),
        }, "Tilgængelighed i fællesarealer", 2.6),
    ),
    economy={
        2023: Economy(18_600_000, 6_200_000, 3_100_000, 4_150, 212_000),
        2024: Economy(19_400_000, 6_500_000, 3_400_000, 4_290, 228_000),
        2025: Economy(19_900_000, 6_100_000, 3_600_000, 4_420, 236_000),
    },
    letting={2024: Letting(41, 9, 6, 11), 2025: Letting(38, 14, 8, 12)},
)

EGESKOV_ALMENE = Organisation(
    key="egeskov-almene-boliger",
    name="Egeskov Almene Boliger",
    administrator="Almen Drift Egeskov A/S",
    address="Torvegade 4, 9990 Egeskov",
    org_nr="9902",
    formand="Karen Vestergaard Holm",
    direktoer="Henrik Bjerre Nielsen",
    lejemaalsenheder=322,
    minimum_pr_lme=1_800,
    afdelinger=(
        Afdeling(1, "Egebakken", "Ældreboliger", 48, 1996, {
            2024: Y(842, 0, 0.8, 9.8, 10_900, 51_400, 131, 97, True),
            2025: Y(866, 0, 0.6, 9.2, 11_200, 53_800, 134, 98, True),
        }, "Udskiftning af tagpap", 2.4),
        Afdeling(2, "Møllevangen", "Familieboliger", 120, 1978, {
            2024: Y(818, 0, 1.4, 8.6, 12_300, 58_900, 139, 95, True),
            2025: Y(839, 0, 1.2, 8.2, 12_700, 61_200, 142, 96, True),
        }, "Energirenovering af klimaskærm (forventet helhedsplan)", 48.0),
        Afdeling(3, "Kirkeengen", "Familieboliger", 86, 2009, {
            2024: Y(905, 0, 1.1, 7.9, 10_200, 47_600, 122, 103, True),
            2025: Y(927, 1, 1.3, 8.4, 10_500, 49_800, 126, 102, True),
        }, "Maling af træværk og vinduer", 1.8),
        Afdeling(4, "Solsikken", "Familieboliger", 60, 2001, {
            2024: Y(1_016, 0, 0.5, 6.8, 8_900, 46_900, 127, 99, True),
            2025: Y(1_038, 0, 0.7, 7.3, 9_200, 48_700, 131, 100, True),
        }, "Nye badeværelser", 5.5),
    ),
    economy={
        2023: Economy(24_800_000, 9_400_000, 4_200_000, 3_980, 164_000),
        2024: Economy(25_600_000, 9_900_000, 4_400_000, 4_060, 158_000),
        2025: Economy(26_500_000, 10_300_000, 4_500_000, 4_140, 151_000),
    },
    letting={2024: Letting(28, 4, 0, 6), 2025: Letting(26, 4, 0, 6)},
)

LINDEGAARDEN = Organisation(
    key="lindegaarden",
    name="Boligforeningen Lindegården",
    administrator="Boligforeningen Lindegården (egen administration)",
    address="Lindealle 2, 9990 Egeskov",
    org_nr="9903",
    formand="Ole Bach Kristensen",
    direktoer="Susanne Friis Dahl",
    lejemaalsenheder=318,
    minimum_pr_lme=4_000,
    afdelinger=(
        Afdeling(1, "Lindehaven", "Familieboliger", 112, 1958, {
            2024: Y(792, 1, 2.6, 10.6, 4_100, 12_400, 158, 84, True),
            2025: Y(821, 1, 3.0, 10.9, 4_300, 9_800, 166, 83, True),
        }, "Nyt tag, vinduer og faldstammer", 38.5),
        Afdeling(2, "Bøgely", "Familieboliger", 74, 1985, {
            2024: Y(884, 0, 1.6, 9.1, 11_400, 44_800, 131, 91, True),
            2025: Y(903, 0, 1.4, 9.6, 11_700, 46_300, 136, 92, True),
        }, "Renovering af legeplads og stier", 1.2),
        Afdeling(3, "Kastanjegården", "Ældreboliger", 36, 1999, {
            2024: Y(901, 0, 2.2, 10.6, 10_100, 42_900, 127, 96, True),
            2025: Y(926, 0, 1.9, 11.1, 10_300, 45_100, 130, 95, True),
        }, "Udskiftning af elevatorer", 2.2),
        Afdeling(4, "Rosenhaven", "Familieboliger", 88, 1976, {
            2024: Y(856, 0, 1.9, 10.2, 11_900, 43_500, 138, 89, False),
            2025: Y(874, 1, 2.3, 10.7, 12_200, 45_400, 141, 88, False),
        }, "Nye altaner", 6.8),
    ),
    economy={
        2023: Economy(7_900_000, 1_900_000, 1_200_000, 4_610, 318_000),
        2024: Economy(7_200_000, 1_400_000, 900_000, 4_780, 441_000),
        2025: Economy(6_600_000, 900_000, 600_000, 4_960, 587_000),
    },
    letting={2024: Letting(30, 3, 0, 7), 2025: Letting(33, 3, 0, 8)},
)

ORGANISATIONS: tuple[Organisation, ...] = (FJORDBO, EGESKOV_ALMENE, LINDEGAARDEN)
