"""The organisations' own words in their styringsrapporter, keyed by (org key, styringsår).

Status statements about last year's agreements are not here: the report builder takes
them from meetings.py so that referat and report cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportProse:
    """Free text of one styringsrapport."""

    economy: str
    letting: str
    maintenance: str
    effectiveness: str
    remarks: tuple[str, ...]
    wishes: tuple[str, ...]


PROSE: dict[tuple[str, int], ReportProse] = {
    ("fjordbo", 2025): ReportProse(
        economy="Organisationen har haft en stabil økonomi i 2024. Dispositionsfonden er øget, og "
        "arbejdskapitalen er styrket. Restancerne er på niveau med sidste år.",
        letting="Ledigheden er koncentreret i afd. 3 Fjordparken, hvor især de store 4-værelses boliger "
        "er svære at udleje. I de øvrige afdelinger er der venteliste til alle boligtyper.",
        maintenance="Alle afdelinger har en 30-årig vedligeholdelsesplan, som blev opdateret i 2024. "
        "Henlæggelserne vurderes at være tilstrækkelige til de planlagte arbejder.",
        effectiveness="Afd. 5 Strandhaven er rød med et effektivitetstal under 70 %. Organisationen vil "
        "analysere udgifterne til renhold og fællesarealer. Alle afdelinger har en afdelingsbestyrelse.",
        remarks=(
            "Opfølgning på aftaler fra dialogmødet i 2024: aftalerne om kommunal anvisning og kvartalsvise "
            "driftsmøder er fulgt.",
            "Bestyrelsen følger udviklingen i afd. 3 Fjordparken tæt. Ledigheden er steget i løbet af året, "
            "og tabet ved lejeledighed er steget tilsvarende. Der er ansat en udlejningsmedarbejder med "
            "særligt fokus på afdelingen.",
        ),
        wishes=(
            "Fjordbo ønsker en aftale om fleksibel udlejning i afd. 3 Fjordparken med fortrin for "
            "boligsøgende i beskæftigelse eller under uddannelse.",
            "Fjordbo ønsker at drøfte en midlertidig friholdelse af afd. 3 Fjordparken for kommunal "
            "anvisning.",
        ),
    ),
    ("fjordbo", 2026): ReportProse(
        economy="Økonomien er fortsat stabil. Den disponible del af dispositionsfonden er faldet en smule, "
        "fordi fonden har dækket en del af tabet ved lejeledighed i afd. 3 Fjordparken.",
        letting="Ledigheden i afd. 3 Fjordparken er steget yderligere, og flere familier er fraflyttet "
        "afdelingen. Den nye aftale om fleksibel udlejning forventes at virke fra foråret 2026.",
        maintenance="Vedligeholdelsesplanerne er opdateret. Renoveringen af altaner og trappeopgange i "
        "afd. 3 Fjordparken er udbudt og forventes gennemført i 2027.",
        effectiveness="Afd. 5 Strandhaven er fortsat rød. Effektivitetstallet er faldet, blandt andet på "
        "grund af højere udgifter til renhold. Alle afdelinger har en afdelingsbestyrelse.",
        remarks=(
            "Organisationen er bekymret for udviklingen i afd. 3 Fjordparken, hvor både ledighed, tab ved "
            "lejeledighed og fraflytning er steget. Bestyrelsen har nedsat en arbejdsgruppe med "
            "afdelingsbestyrelsen.",
        ),
        wishes=(
            "Fjordbo ønsker at aftale en fælles indsats mod ledighed i afd. 3 Fjordparken, herunder "
            "mulighed for at sammenlægge eller ommærke 12 store familieboliger.",
            "Fjordbo ønsker, at den boligsociale medarbejder i Fjordparken videreføres efter 2026 med "
            "kommunal medfinansiering.",
        ),
    ),
    ("egeskov-almene-boliger", 2025): ReportProse(
        economy="Organisationens økonomi er sund. Dispositionsfonden og arbejdskapitalen er øget, og "
        "restancerne er faldet.",
        letting="Der er venteliste til alle afdelinger, og der var ingen ledige boliger ved årets udgang.",
        maintenance="Alle afdelinger har en opdateret 30-årig vedligeholdelsesplan, og henlæggelserne "
        "følger planerne.",
        effectiveness="Ingen afdelinger er røde. Alle afdelinger har en aktiv afdelingsbestyrelse.",
        remarks=(
            "Opfølgning på aftaler fra dialogmødet i 2024: aftalerne om kommunal anvisning og fleksibel "
            "udlejning i afd. 3 Kirkeengen er fulgt.",
            "Organisationen forbereder en energirenovering af afd. 2 Møllevangen.",
        ),
        wishes=(
            "Organisationen ønsker at fortsætte den fleksible udlejning i afd. 3 Kirkeengen.",
            "Organisationen ønsker en dialog med kommunen om visitationen til ældreboligerne i afd. 1 "
            "Egebakken.",
        ),
    ),
    ("egeskov-almene-boliger", 2026): ReportProse(
        economy="Organisationens økonomi er fortsat sund. Dispositionsfonden og arbejdskapitalen er øget, "
        "og restancerne er faldet igen.",
        letting="Der er venteliste til alle afdelinger. Der var én ledig bolig ved årets udgang, som er "
        "udlejet pr. 1. februar 2026.",
        maintenance="Vedligeholdelsesplanerne er opdateret, og henlæggelserne følger planerne.",
        effectiveness="Ingen afdelinger er røde. Alle afdelinger har en aktiv afdelingsbestyrelse.",
        remarks=(
            "Organisationen har ingen særlige bemærkninger til nøgletallene.",
        ),
        wishes=(
            "Organisationen ønsker en aftale om kommunal garanti og genhusning i forbindelse med "
            "helhedsplanen for afd. 2 Møllevangen.",
        ),
    ),
    ("lindegaarden", 2025): ReportProse(
        economy="Årets resultat er negativt, og dispositionsfonden er faldet. Restancerne er steget, "
        "blandt andet fordi flere lejere har fået afdragsordninger.",
        letting="Der er venteliste til de fleste afdelinger. Ældreboligerne i afd. 3 Kastanjegården har "
        "haft perioder med tomgang.",
        maintenance="Afd. 1 Lindehaven har store kommende arbejder på tag, vinduer og faldstammer. "
        "Tilstandsvurderingen af afdelingen er udskudt til 2025.",
        effectiveness="Ingen afdelinger er røde. Afd. 4 Rosenhaven har ikke en afdelingsbestyrelse; "
        "organisationsbestyrelsen varetager afdelingsbestyrelsens opgaver.",
        remarks=(
            "Opfølgning på aftaler fra dialogmødet i 2024: tilstandsvurderingen af afd. 1 Lindehaven er "
            "ikke gennemført endnu.",
            "Bestyrelsen følger restancerne tæt og har skærpet rykkerproceduren.",
        ),
        wishes=(
            "Lindegården ønsker en drøftelse af mulighederne for en helhedsplan for afd. 1 Lindehaven.",
        ),
    ),
    ("lindegaarden", 2026): ReportProse(
        economy="Årets resultat er igen negativt. Dispositionsfonden har dækket tab i afd. 1 Lindehaven, "
        "og restancerne er steget yderligere.",
        letting="Der er venteliste til familieboligerne. Der var ingen ledige ældreboliger ved årets udgang.",
        maintenance="Organisationen vurderer, at vedligeholdelsesstanden i foreningens afdelinger samlet set "
        "er tilfredsstillende. De opsparede henlæggelser i afd. 1 Lindehaven er brugt til akutte "
        "reparationer af faldstammer.",
        effectiveness="Ingen afdelinger er røde. Afd. 4 Rosenhaven har fortsat ikke en afdelingsbestyrelse.",
        remarks=(
            "Bestyrelsen har i 2026 ansat en ny økonomiansvarlig, som skal styrke opfølgningen på restancer.",
        ),
        wishes=(
            "Lindegården ønsker kommunens støtte til en ansøgning til Landsbyggefonden om en helhedsplan "
            "for afd. 1 Lindehaven.",
            "Lindegården ønsker at drøfte kommunal garanti for lån til de akutte arbejder i afd. 1 Lindehaven.",
        ),
    ),
}
