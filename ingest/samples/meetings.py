"""Last year's dialogmøder (autumn 2025): participants, summaries per agenda item and agreements.

Each agreement also carries what the organisation's styringsrapport 2026 says about it
(status 'opfyldt', 'i_gang', 'ikke_opfyldt' or 'ikke_naevnt' = not mentioned at all).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

AGENDA: tuple[str, ...] = (
    "Velkomst og præsentation af deltagerne",
    "Opfølgning på sidste års aftaler",
    "Gennemgang af dokumentationspakken",
    "Årets tilsynstema og effektivitet",
    "Udlejning og anvisning",
    "Beboersammensætning og boligsociale indsatser",
    "Renovering, nybyggeri og fysiske forhold",
    "Nye aftaler og næste møde",
)

KOMMUNE_CHAIR = ("Mette Kragh Andersen", "afdelingsleder, Borgerservice og Bolig")
KOMMUNE_CASEWORKER = ("Jonas Brix Thomsen", "sagsbehandler, tilsyn med almene boliger (referent)")
KOMMUNE_SOCIAL = ("Lise Dam Hviid", "boligsocial konsulent, Socialforvaltningen")
KOMMUNE_AELDRE = ("Anders Krog Mikkelsen", "visitationschef, Ældre og Sundhed")


@dataclass(frozen=True)
class Agreement:
    """One numbered agreement and its status in next year's styringsrapport."""

    number: int
    text: str
    type: str
    afdeling: str | None
    deadline: dt.date | None
    deadline_text: str
    responsible: str
    status: str
    status_text: str | None


@dataclass(frozen=True)
class Meeting:
    """A dialogmøde between Egeskov Kommune and one organisation."""

    org_key: str
    date: dt.date
    time: str
    place: str
    kommune: tuple[tuple[str, str], ...]
    organisation: tuple[tuple[str, str], ...]
    summaries: tuple[str, ...]  # one per AGENDA item
    agreements: tuple[Agreement, ...]


PLACE = "Egeskov Rådhus, mødelokale 2"
NEXT = "Aftalerne fremgår nedenfor. Næste dialogmøde holdes i efteråret 2026, og kommunen indkalder."

FJORDBO_MEETING = Meeting(
    org_key="fjordbo",
    date=dt.date(2025, 9, 23),
    time="kl. 9.30-11.30",
    place=PLACE,
    kommune=(KOMMUNE_CHAIR, KOMMUNE_CASEWORKER, KOMMUNE_SOCIAL),
    organisation=(
        ("Birgitte Lund Skov", "formand for organisationsbestyrelsen"),
        ("Torben Kjær Mølgaard", "direktør, Kystbo Administration A/S"),
        ("Pia Nørgaard", "driftschef"),
    ),
    summaries=(
        "Mette Kragh Andersen bød velkommen, og deltagerne præsenterede sig. Referatet offentliggøres "
        "på kommunens hjemmeside, når begge parter har godkendt det.",
        "Aftalerne fra dialogmødet i 2024 om kommunal anvisning og om kvartalsvise driftsmøder er fulgt. "
        "Der er ingen udestående aftaler.",
        "Organisationens økonomi er sund: dispositionsfonden er øget til 19,4 mio. kr., og den disponible del "
        "udgør 6,5 mio. kr. Kommunen hæftede sig ved afd. 3 Fjordparken, hvor der var 4 ledige boliger ved "
        "årets udgang, og hvor tabet ved lejeledighed er steget til 9,6 kr. pr. m² mod et landsgennemsnit på "
        "5,4 kr. pr. m². Fraflytningsprocenten i afdelingen var 13,2 %. Organisationen oplyste, at ledigheden "
        "især gælder de store 4-værelses boliger.",
        "Årets tilsynstema er de røde afdelinger. Afd. 5 Strandhaven har et effektivitetstal på 67 % og er "
        "dermed rød. Organisationen forklarede det med høje udgifter til renhold og fællesarealer. Kommunen "
        "bad om, at organisationsbestyrelsen fastsætter mål og en handleplan for afdelingen.",
        "Den kommunale anvisning af hver 4. ledige familiebolig fungerer tilfredsstillende; kommunen anviste "
        "11 boliger i 2024. Organisationen ønsker fleksibel udlejning i afd. 3 Fjordparken med fortrin for "
        "boligsøgende i arbejde eller under uddannelse, og kommunen er positiv over for at friholde afdelingen "
        "for kommunal anvisning i en periode.",
        "Den boligsociale medarbejder i Fjordparken er finansieret til og med 2026. Kommunens boligsociale "
        "konsulent deltager fortsat i netværksmøderne i afdelingen.",
        "Fjordbo forbereder renovering af altaner og trappeopgange i afd. 3 Fjordparken. Der er ikke planer "
        "om nybyggeri.",
        NEXT,
    ),
    agreements=(
        Agreement(
            1,
            "Egeskov Kommune fortsætter den kommunale anvisning af hver 4. ledige familiebolig i "
            "Boligselskabet Fjordbo efter almenboliglovens § 59, stk. 1. Afd. 3 Fjordparken friholdes for "
            "anvisning, når en aftale om fleksibel udlejning i afdelingen er indgået.",
            "kommunal_anvisning", None, None, "løbende", "Egeskov Kommune, Borgerservice og Bolig",
            "opfyldt",
            "Aftale 1 om kommunal anvisning er opfyldt: kommunen anviste 12 familieboliger i 2025, og "
            "afd. 3 Fjordparken er friholdt for anvisning fra 1. april 2026.",
        ),
        Agreement(
            2,
            "Boligselskabet Fjordbo sender et udkast til aftale om fleksibel udlejning efter almenboliglovens "
            "§ 60, stk. 1 for afd. 3 Fjordparken til Egeskov Kommune inden 1. februar 2026.",
            "fleksibel_udlejning", "Afd. 3 Fjordparken", dt.date(2026, 2, 1), "inden 1. februar 2026",
            "Boligselskabet Fjordbo",
            "opfyldt",
            "Aftale 2 er opfyldt: udkastet blev sendt i januar 2026, og Aftale om fleksibel udlejning og "
            "kommunal anvisning 2026-2029 er underskrevet og gælder fra 1. april 2026.",
        ),
        Agreement(
            3,
            "Organisationsbestyrelsen fastsætter mål og en handleplan for afd. 5 Strandhaven, der har et rødt "
            "effektivitetstal, og sender dem til kommunen senest 31. marts 2026.",
            "tilsyn_opfoelgning", "Afd. 5 Strandhaven", dt.date(2026, 3, 31), "senest 31. marts 2026",
            "Boligselskabet Fjordbo, organisationsbestyrelsen",
            "i_gang",
            "Aftale 3 er i gang: handleplanen for afd. 5 Strandhaven er endnu ikke vedtaget. Et udkast med mål "
            "for renhold og energiforbrug behandles på organisationsbestyrelsens møde i juni 2026 og sendes "
            "derefter til kommunen.",
        ),
        Agreement(
            4,
            "Boligselskabet Fjordbo orienterer hvert kvartal kommunen om antallet af ledige boliger i afd. 3 "
            "Fjordparken, herunder boliger, der har været ledige i mere end 3 måneder.",
            "tilsyn_opfoelgning", "Afd. 3 Fjordparken", None, "løbende", "Boligselskabet Fjordbo",
            "ikke_naevnt", None,
        ),
    ),
)

EGESKOV_ALMENE_MEETING = Meeting(
    org_key="egeskov-almene-boliger",
    date=dt.date(2025, 10, 28),
    time="kl. 13.00-14.30",
    place=PLACE,
    kommune=(KOMMUNE_CHAIR, KOMMUNE_CASEWORKER, KOMMUNE_AELDRE),
    organisation=(
        ("Karen Vestergaard Holm", "formand for organisationsbestyrelsen"),
        ("Henrik Bjerre Nielsen", "direktør, Almen Drift Egeskov A/S"),
    ),
    summaries=(
        "Mette Kragh Andersen bød velkommen, og deltagerne præsenterede sig.",
        "Aftalerne fra 2024 om kommunal anvisning og om fleksibel udlejning i afd. 3 Kirkeengen er fulgt.",
        "Dokumentationspakken giver ikke anledning til bemærkninger. Dispositionsfonden udgør 25,6 mio. kr., "
        "heraf 9,9 mio. kr. disponibelt. Der var ingen ledige boliger ved årets udgang, og nøgletallene for "
        "husleje, fraflytning og henlæggelser ligger på eller tæt på landsniveauet.",
        "Ingen af organisationens afdelinger er røde; effektivitetstallene ligger mellem 95 % og 103 %.",
        "Kommunen anviste 6 familieboliger i 2024 efter § 59, stk. 1. Den fleksible udlejning i afd. 3 "
        "Kirkeengen med fortrin for boligsøgende med arbejde i kommunen har virket efter hensigten. To "
        "ældreboliger i afd. 1 Egebakken stod kortvarigt tomme; kommunen har betalt tomgangslejen.",
        "Der er ingen særlige boligsociale udfordringer. Der er aktive afdelingsbestyrelser i alle fire "
        "afdelinger.",
        "Organisationen overvejer at søge Landsbyggefonden om renoveringsstøtte til en energirenovering af "
        "afd. 2 Møllevangen. Kommunen bad om at blive orienteret tidligt af hensyn til kommunal garanti og "
        "eventuel genhusning.",
        NEXT,
    ),
    agreements=(
        Agreement(
            1,
            "Egeskov Kommune anviser fortsat hver 4. ledige familiebolig i Egeskov Almene Boliger efter "
            "almenboliglovens § 59, stk. 1, og kommunen betaler lejen for anviste boliger, der står tomme.",
            "kommunal_anvisning", None, None, "løbende", "Egeskov Kommune og Egeskov Almene Boliger",
            "ikke_naevnt", None,
        ),
        Agreement(
            2,
            "Egeskov Kommune og Egeskov Almene Boliger evaluerer visitationen til ældreboligerne i afd. 1 "
            "Egebakken og sender en fælles status til Ældre- og Sundhedsudvalget senest 31. marts 2026.",
            "aeldreboliger", "Afd. 1 Egebakken", dt.date(2026, 3, 31), "senest 31. marts 2026",
            "Egeskov Kommune, Ældre og Sundhed, og Egeskov Almene Boliger",
            "opfyldt",
            "Aftale 2 er opfyldt: den fælles status om visitationen til ældreboligerne i afd. 1 Egebakken "
            "blev sendt til Ældre- og Sundhedsudvalget i marts 2026.",
        ),
        Agreement(
            3,
            "Egeskov Almene Boliger orienterer løbende kommunen om forberedelsen af en ansøgning til "
            "Landsbyggefonden om renoveringsstøtte til afd. 2 Møllevangen og sender et udkast til helhedsplan "
            "senest 31. oktober 2026.",
            "helhedsplan", "Afd. 2 Møllevangen", dt.date(2026, 10, 31), "senest 31. oktober 2026",
            "Egeskov Almene Boliger",
            "i_gang",
            "Aftale 3 er i gang: tilstandsvurderingen af afd. 2 Møllevangen er færdig, og udkastet til "
            "helhedsplan ventes sendt til kommunen i september 2026.",
        ),
        Agreement(
            4,
            "Den fleksible udlejning efter almenboliglovens § 60, stk. 1 i afd. 3 Kirkeengen med fortrin for "
            "boligsøgende med arbejde i Egeskov Kommune videreføres i 2026.",
            "fleksibel_udlejning", "Afd. 3 Kirkeengen", None, "løbende",
            "Egeskov Almene Boliger og Egeskov Kommune",
            "opfyldt",
            "Aftale 4 er opfyldt: den fleksible udlejning i afd. 3 Kirkeengen er videreført, og 4 boliger blev "
            "udlejet efter de fleksible kriterier i 2025.",
        ),
    ),
)

LINDEGAARDEN_MEETING = Meeting(
    org_key="lindegaarden",
    date=dt.date(2025, 10, 7),
    time="kl. 10.00-12.00",
    place=PLACE,
    kommune=(KOMMUNE_CHAIR, KOMMUNE_CASEWORKER, KOMMUNE_SOCIAL),
    organisation=(
        ("Ole Bach Kristensen", "formand for organisationsbestyrelsen"),
        ("Susanne Friis Dahl", "direktør"),
        ("Kim Lauritsen", "økonomiansvarlig"),
    ),
    summaries=(
        "Mette Kragh Andersen bød velkommen, og deltagerne præsenterede sig.",
        "Aftalen fra 2024 om en tilstandsvurdering af afd. 1 Lindehaven er ikke gennemført. Organisationen "
        "oplyste, at opgaven er udskudt på grund af manglende ressourcer i administrationen.",
        "Kommunen hæftede sig ved tre forhold. De opsparede henlæggelser i afd. 1 Lindehaven, der er opført "
        "i 1958, er 12.400 kr. pr. bolig mod et landsgennemsnit på ca. 44.300 kr., og de årlige henlæggelser "
        "er lave. Restancerne er steget fra 318 t.kr. til 441 t.kr. Den disponible del af dispositionsfonden "
        "er faldet til 1,4 mio. kr. og nærmer sig bestyrelsens eget minimum på 4.000 kr. pr. lejemålsenhed.",
        "Ingen afdelinger er røde; effektivitetstallene ligger mellem 84 % og 96 %.",
        "Kommunen anviste 7 familieboliger i 2024. Tomgangen i ældreboligerne i afd. 3 Kastanjegården har "
        "kostet kommunen tomgangsleje, og parterne vil se på en hurtigere procedure for genudlejning. "
        "Organisationen stiller fortsat boliger i afd. 2 Bøgely til rådighed for unge under uddannelse.",
        "Afd. 4 Rosenhaven har ikke haft en afdelingsbestyrelse siden afdelingsmødet i 2023, og "
        "organisationsbestyrelsen varetager afdelingsbestyrelsens opgaver. Kommunen opfordrede til et nyt "
        "forsøg på at vælge en afdelingsbestyrelse.",
        "Afd. 1 Lindehaven står over for udskiftning af tag, vinduer og faldstammer til anslået 38,5 mio. kr. "
        "Med de nuværende henlæggelser kan arbejderne ikke finansieres uden markante huslejestigninger, og "
        "parterne drøftede muligheden for en helhedsplan med støtte fra Landsbyggefonden.",
        NEXT,
    ),
    agreements=(
        Agreement(
            1,
            "Boligforeningen Lindegården får udarbejdet en tilstandsvurdering og en opdateret 30-årig "
            "vedligeholdelsesplan for afd. 1 Lindehaven, undersøger sammen med Landsbyggefonden muligheden "
            "for en helhedsplan og sender planen til kommunen senest 31. marts 2026.",
            "helhedsplan", "Afd. 1 Lindehaven", dt.date(2026, 3, 31), "senest 31. marts 2026",
            "Boligforeningen Lindegården",
            "i_gang",
            "Aftale 1 er i gang: tilstandsvurderingen af afd. 1 Lindehaven blev gennemført i april 2026. Den "
            "opdaterede vedligeholdelsesplan og dialogen med Landsbyggefonden om en helhedsplan ventes "
            "afsluttet i efteråret 2026.",
        ),
        Agreement(
            2,
            "Organisationsbestyrelsen redegør for, hvordan den disponible del af dispositionsfonden holdes over "
            "bestyrelsens eget minimum på 4.000 kr. pr. lejemålsenhed, og sender redegørelsen til kommunen "
            "inden 1. juni 2026.",
            "tilsyn_opfoelgning", None, dt.date(2026, 6, 1), "inden 1. juni 2026",
            "Boligforeningen Lindegården, organisationsbestyrelsen",
            "ikke_naevnt", None,
        ),
        Agreement(
            3,
            "Egeskov Kommune og Boligforeningen Lindegården aftaler en procedure for hurtigere genudlejning af "
            "ledige ældreboliger i afd. 3 Kastanjegården senest 31. januar 2026.",
            "aeldreboliger", "Afd. 3 Kastanjegården", dt.date(2026, 1, 31), "senest 31. januar 2026",
            "Egeskov Kommune, Ældre og Sundhed, og Boligforeningen Lindegården",
            "opfyldt",
            "Aftale 3 er opfyldt: proceduren for genudlejning af ældreboligerne i afd. 3 Kastanjegården blev "
            "aftalt i januar 2026, og der var ingen ledige ældreboliger ved årets udgang.",
        ),
        Agreement(
            4,
            "Boligforeningen Lindegården stiller efter almenboliglovens § 59, stk. 2 op til 4 familieboliger om "
            "året i afd. 2 Bøgely til rådighed for kommunens anvisning af unge under uddannelse.",
            "aftalt_anvisning", "Afd. 2 Bøgely", None, "løbende", "Boligforeningen Lindegården",
            "opfyldt",
            "Aftale 4 er opfyldt: kommunen anviste i 2025 tre unge under uddannelse til boliger i afd. 2 "
            "Bøgely efter § 59, stk. 2.",
        ),
        Agreement(
            5,
            "Boligforeningen Lindegården indkalder til et ekstraordinært afdelingsmøde i afd. 4 Rosenhaven med "
            "henblik på at vælge en afdelingsbestyrelse senest 31. marts 2026.",
            "tilsyn_opfoelgning", "Afd. 4 Rosenhaven", dt.date(2026, 3, 31), "senest 31. marts 2026",
            "Boligforeningen Lindegården",
            "ikke_opfyldt",
            "Aftale 5 er ikke opfyldt: der blev holdt ekstraordinært afdelingsmøde i afd. 4 Rosenhaven i marts "
            "2026, men der var ikke kandidater nok til at vælge en afdelingsbestyrelse. "
            "Organisationsbestyrelsen varetager fortsat afdelingsbestyrelsens opgaver.",
        ),
    ),
)

MEETINGS: dict[str, Meeting] = {
    m.org_key: m for m in (FJORDBO_MEETING, EGESKOV_ALMENE_MEETING, LINDEGAARDEN_MEETING)
}
