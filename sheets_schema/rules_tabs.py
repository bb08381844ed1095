"""The dunning-rule tabs of a client spreadsheet: step templates, rules, customer placements,
pauses, and the customers a run left out with the reason.

Every tab is a table (header row 1, one record per row). A person types templates, rules, placements and
pauses; the robot only reads them (and ``bootstrap`` writes the first template and rules). *Ikke rykket* is
the robot's: every rykkerflow run replaces it with the customers it left out and why.

A step template is one row per step: ``Skabelon`` holds its label with the version ("Standard v1"). A template
that has been used is not edited: a changed copy is typed as new rows with the next version ("Standard v2");
invoices started on v1 finish on v1, new invoices start on the newest version.
"""

from __future__ import annotations

from sheets_schema.model import Column, ColumnKind, Tab

__all__ = [
    "CHANNELS", "CUSTOMER_KINDS", "IKKE_RYKKET", "KUNDEPLACERING", "PAUSER", "PAUSE_SCOPES", "REGLER",
    "RULES_TABS", "SKABELONER", "YES_NO",
]

# The dropdown texts; bot.dunning's enums hold the same values (a test keeps them equal).
CHANNELS = ("Regnskabets rykker", "E-mail til kunden", "Brev")
CUSTOMER_KINDS = ("Privatperson", "Virksomhed")
PAUSE_SCOPES = ("Kunde", "Faktura")
YES_NO = ("Ja", "Nej")

_C = Column
_K = ColumnKind

SKABELONER = Tab(
    name="Skabeloner",
    columns=(
        _C("template", "Skabelon", user_editable=True,
           help="Navn og version, f.eks. 'Standard v1'. Ændr aldrig en brugt skabelon: skriv en ny version "
                "('Standard v2'). Fakturaer, der er startet på v1, gør deres rykkerforløb færdigt på v1."),
        _C("step", "Trin", _K.NUMBER, user_editable=True, help="1, 2, 3 … i rækkefølge."),
        _C("days", "Dage", _K.NUMBER, user_editable=True,
           help="Trin 1: dage efter forfald. Senere trin: dage efter det forrige trin blev sendt."),
        _C("fee", "Gebyr (DKK)", _K.MONEY, user_editable=True,
           help="Højst 100 kr. pr. rykker og gebyr på højst 3 rykkere (renteloven § 9 b)."),
        _C("channel", "Kanal", user_editable=True, choices=CHANNELS, help="Hvordan trinnet når kunden."),
        _C("compensation", "Kompensation 310 kr.", user_editable=True, choices=YES_NO,
           help="Kun erhvervskunder, én gang pr. faktura (renteloven § 9 a)."),
        _C("text", "Tekst", user_editable=True,
           help="Rykkerens tekst. Sidste trin skal varsle inkasso (inkassoloven § 10)."),
        _C("locked", "Låst",
           help="Skrives af robotten, når skabelonen er brugt: en låst version må ikke ændres. Skriv en ny "
                "version i stedet."),
        _C("subject", "Emne (e-mail)", user_editable=True,
           help="Emnet på en rykker med kanalen 'E-mail til kunden', fx 'Rykker {{ trin }} fra {{ firma.navn }}'. "
                "Tomt = standardemnet. Teksten i 'Tekst' er mailens tekst; felter skrives som {{ kunde.navn }}."),
    ),
)

REGLER = Tab(
    name="Regler",
    columns=(
        _C("rule", "Regel", user_editable=True,
           help="Privatpersoner rykkes efter 'Privat', virksomheder (med CVR) efter 'Erhverv'. Opret flere "
                "regler (f.eks. 'VIP') og placér kunder i dem under Kundeplacering."),
        _C("template", "Skabelon", user_editable=True,
           help="Skabelonens navn uden version; nye fakturaer starter på den nyeste version."),
        _C("kind", "Kundetype", user_editable=True, choices=CUSTOMER_KINDS,
           help="Hvilken lov skabelonen kontrolleres efter (kompensation kun for virksomheder)."),
        _C("minimum_dkk", "Minimum DKK", _K.MONEY, user_editable=True,
           help="Der rykkes ikke for en saldo under beløbet. Tom = intet minimum."),
        _C("minimum_eur", "Minimum EUR", _K.MONEY, user_editable=True, help="Minimum for saldi i euro."),
        _C("minimum_other", "Andre minimumsbeløb", user_editable=True,
           help="Andre valutaer, f.eks. '500 SEK, 400 NOK'. Valutaer lægges aldrig sammen."),
    ),
)

KUNDEPLACERING = Tab(
    name="Kundeplacering",
    columns=(
        _C("customer_number", "Kundenr", _K.NUMBER, user_editable=True),
        _C("rule", "Regel", user_editable=True,
           help="Reglen kunden rykkes efter. Vinder over standarden, også for udenlandske kunder."),
        _C("comment", "Kommentar", user_editable=True),
    ),
)

PAUSER = Tab(
    name="Pauser",
    columns=(
        _C("scope", "Gælder", user_editable=True, choices=PAUSE_SCOPES, help="En hel kunde eller én faktura."),
        _C("number", "Nummer", _K.NUMBER, user_editable=True, help="Kundenummer eller fakturanummer."),
        _C("until", "Til og med", _K.DATE, user_editable=True,
           help="Dato (åååå-mm-dd). Der rykkes ikke til og med denne dag."),
        _C("reason", "Begrundelse", user_editable=True, help="F.eks. tvist eller betalingsaftale."),
    ),
)

IKKE_RYKKET = Tab(
    name="Ikke rykket",
    columns=(
        _C("run_date", "Kørsel", _K.DATE),
        _C("customer_number", "Kundenr", _K.NUMBER),
        _C("customer_name", "Kundenavn"),
        _C("currency", "Valuta"),
        _C("kind", "Årsag"),
        _C("reason", "Forklaring"),
    ),
)

RULES_TABS: tuple[Tab, ...] = (SKABELONER, REGLER, KUNDEPLACERING, PAUSER, IKKE_RYKKET)
