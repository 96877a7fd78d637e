"""Region-specific forms (only where the fields really differ)."""
from forms_def import (
    ANDER_TRAJECT,
    DATE,
    ONDERBOUWING,
    PLAN_BASE,
    TRIAGE_OORDEEL,
    VT_INFO,
    ZVH_INFO,
    F,
    aanmelding,
    person,
    txt,
    yn,
)


def form(key, title, fields):
    return {"key": key, "title": title, "fields": fields}


KEUZE_HUISHOUDEN = [("geen", "Niet aanwezig (casusregisseur informeert)"), ("deels", "Deels aanwezig"),
                    ("volledig", "Volledig aanwezig")]

AGENDERING = form("agendering", "Casus voorbereiden en agenderen", [
    F("datum_bespreking", "Datum bespreking", "date", DATE),
    txt("kernproblematiek", "Kernproblematiek", "Langdurig partnergeweld met verslaving en psychiatrie.",
        help="Specifieke expertise wordt toegevoegd afhankelijk van de kernproblematiek (001:166-168)."),
    F("specifieke_expertise", "Toe te voegen specifieke expertise", "multichoice", ["verslaving", "jeugd"],
      options=[("ouderenmishandeling", "Ouderenmishandeling"), ("stalking", "Stalking"), ("lvb", "LVB"),
               ("verslaving", "Verslavingszorg"), ("forensisch", "Forensische zorg"), ("jeugd", "Jeugd"),
               ("medisch", "Medisch (vertrouwensarts)"), ("intercultureel", "Intercultureel")]),
    txt("uitgenodigde_deelnemers", "Uitgenodigde deelnemers (actieve betrokkenheid of expertise)",
        "Wijkteam, GGZ-behandelaar, wijkagent.", help="001:305-306"),
    F("aanwezigheid_huishouden", "Aanwezigheid van het huishouden", "choice", "geen",
      options=KEUZE_HUISHOUDEN, help="000:462-467; 001:154-157"),
    txt("informatie_veredeld", "Aanvullende (veredelde) informatie", "Informatie politie en GGZ toegevoegd.",
        required=False, help="001:303-306"),
])

TRIAGE_NML = form("triage", "Verkennende analyse (triage)", [
    yn("hgkm_aanwezig", "Is er sprake van huiselijk geweld, kindermishandeling of seksueel misbruik?", True),
    yn("structureel_terugkerend", "Is het geweld ernstig, terugkerend en structureel?", True,
       help="000:164; 001:109; 003:19"),
    yn("reguliere_hulp_onvoldoende", "Hebben reguliere interventies het geweld niet duurzaam gestopt?", True,
       help="000:165"),
    F("aantal_leefgebieden", "Aantal leefgebieden met problemen", "number", 3,
      help="Verslaving, armoede, criminaliteit, psychiatrie, schulden, LVB, huisvesting (000:166)."),
    F("aantal_domeinen", "Aantal betrokken domeinen (zorg/hulpverlening, veiligheid/justitie, medisch)",
      "number", 3, help="0 tot 3 (000:167)."),
    yn("ketenaanpak_nodig", "Is een gecombineerde aanpak van zorg, straf-/bestuursrecht en sociaal domein nodig?",
       True, help="001:112-114; 003:22"),
    VT_INFO, ZVH_INFO, ANDER_TRAJECT, TRIAGE_OORDEEL, ONDERBOUWING,
])

ANALYSE_NML = form("analyse_nml", "Analyseteam: analyse en regie", [
    txt("wat_speelt_er", "Wat is er aan de hand?", "Structureel partnergeweld; kinderen getuige.", help="000:429"),
    txt("wie_betrokken_ingezet", "Wie zijn betrokken en wat is al ingezet?", "Wijkteam, GGZ, politie; V&V.",
        help="000:1041"),
    txt("nodig_acute_veiligheid", "Wat is nodig om acute veiligheid te realiseren?", "Veiligheidsplan en toezicht.",
        help="000:430"),
    txt("onderliggende_oorzaken", "Wat maakt dat het geweld niet stopt (onderliggende oorzaken)?",
        "Verslaving partner, eigen traumageschiedenis moeder.", help="000:431"),
    txt("casusteam_samenstelling", "Wie hebben we nodig in deze casus (casusteam)?",
        "Huishouden, wijkteam, GGZ, verslavingszorg, systeemtherapeut.", help="000:432, 000:484-490"),
    F("casusregie_bij", "Casusregie belegd bij", "choice", "lokaal_team",
      options=[("lokaal_team", "Lokaal team van de gemeente"),
               ("moveoo", "Moveoo (lokaal veld nog niet in staat)")],
      help="Beslissing D6 (000:572-574, 000:591-598)."),
    F("aanwezigheid_huishouden", "Aanwezigheid van het huishouden", "choice", "geen", options=KEUZE_HUISHOUDEN),
    person("procesregisseur", "Procesregisseur (Zorg- en Veiligheidshuis)", help="000:556-564"),
    person("casusregisseur", "Casusregisseur", help="Wie treedt op als casusregisseur? (000:433)"),
])

TRIAGE_UTRECHT = form("triage_utrecht", "Gezamenlijke triage team procesregie (Utrecht)", [
    yn("ernstig_geweld_met_andere_problemen",
       "Is er (herhaald) ernstig huiselijk geweld, kindermishandeling en/of seksueel misbruik in combinatie met "
       "andere problematiek?", True, help="001:104-107"),
    yn("veelvuldig_geweld", "Is er veelvuldig geweld met grote kans op voortduren?", True, help="001:109"),
    yn("geen_vooruitgang", "Is er geen vooruitgang of oplossing in zicht?", True, help="001:110"),
    yn("meerdere_leefgebieden", "Zijn er problemen op meerdere leefgebieden?", True, help="001:111"),
    yn("gecombineerde_aanpak_nodig",
       "Is een gecombineerde aanpak van hulpverlening, straf-/bestuursrecht en/of sociaal domein nodig?", True,
       help="001:112-114"),
    VT_INFO, ZVH_INFO,
    txt("informatie_partners", "Aanvullende informatie van partners", "GGZ bevestigt afgebroken behandeling.",
        required=False, help="001:125"),
    TRIAGE_OORDEEL, ONDERBOUWING,
])
CONSULTATIETEAM_UTRECHT = form("consultatieteam_utrecht", "Consultatieteam: analyse en advies (Utrecht)", [
    txt("risicoweging", "Gezamenlijke, systeemgerichte risicoweging", "Hoog risico op herhaling; kinderen kwetsbaar.",
        help="001:309-311"),
    txt("geprioriteerde_risicofactoren", "Risicofactoren met het grootste effect op het geweld",
        "1. Verslaving partner 2. Financiële stress 3. Isolement moeder.", help="001:312"),
    F("overwogen_opties", "Overwogen opties", "multichoice", ["vrijwillige_hulp", "strafrecht", "sociaal_domein"],
      options=[("vrijwillige_hulp", "Vrijwillige hulp"), ("niet_vrijwillige_hulp", "Niet-vrijwillige hulp"),
               ("strafrecht", "Justitiële interventie"), ("civielrecht", "Civielrechtelijke mogelijkheden"),
               ("bestuursrecht", "Bestuursrechtelijke mogelijkheden"), ("sociaal_domein", "Sociaal domein")],
      help="001:313-319"),
    txt("integraal_advies", "Integraal advies voor het plan", "Reclasseringstoezicht met verslavingsbehandeling; "
        "systeemgerichte hulp voor moeder en kinderen.", help="001:313-319"),
    txt("interventieteam_leden", "Deelnemers interventieteam", "Buurtteam, verslavingszorg, reclassering, politie.",
        help="001:321-322"),
    yn("strafrechtelijk_aandeel_groot", "Heeft de casus een groot strafrechtelijk aandeel?", False,
       help="Bepaalt (D5) of de procesregisseur van het ZVH of van Veilig Thuis komt (001:65-76)."),
    person("procesregisseur", "Procesregisseur (VT of ZVHRU)"),
    person("casusregisseur", "Casusregisseur (partij die het meest nodig is)", help="001:197-199"),
])

AANMELDING_HAAGLANDEN = aanmelding("aanmelding_haaglanden", "Melding bij Veilig Thuis met verzoek MDA++ (Haaglanden)", [
    yn("mda_vermeld_in_melding", "Heeft u in de melding vermeld dat u aan MDA++ denkt?", True, help="003:26"),
    txt("gewenste_ondersteuning", "Welke ondersteuning is volgens u nodig?", "Expertise verslavingszorg.",
        required=False, help="003:32"),
    yn("melder_voert_casusregie", "Voert u vanuit uw huidige rol de casusregie?", False, help="003:43"),
])
TRIAGE_HAAGLANDEN = form("triage_haaglanden", "Verkenning met de melder (Haaglanden)", [
    yn("structureel_onveilig_herhalend",
       "Is er huiselijk geweld of kindermishandeling in een structureel onveilige situatie waarin schadelijke "
       "gebeurtenissen zich herhalen?", True, help="003:19"),
    yn("reguliere_samenwerking_onvoldoende", "Is het in de reguliere samenwerking niet gelukt dit effectief aan te pakken?",
       True, help="003:20"),
    yn("geschiedenis_meldingen_hulp", "Is er een geschiedenis van meldingen of hulpverlening?", True, help="003:21"),
    yn("meerdere_escalaties_direct_gevaar",
       "Zijn er de afgelopen maanden meerdere escalaties geweest met direct gevaar?", True, help="003:21"),
    yn("meerdere_levensgebieden", "Is er problematiek op meerdere levensgebieden?", True, help="003:21"),
    yn("ketensamenwerking_nodig", "Is samenwerking nodig tussen partners uit meerdere ketens (minimaal dwang en drang)?",
       True, help="003:22"),
    F("huisbezoek", "Huisbezoek met de melder", "choice", "vt",
      options=[("geen", "Geen huisbezoek"), ("vt", "Met medewerker Veilig Thuis"),
               ("eropaf_team", "Met expert van het eropaf-team")], help="003:32"),
    txt("ondersteuning_besproken", "Besproken ondersteuningsbehoefte", "Melder wil steun bij motiveren partner."),
    TRIAGE_OORDEEL, ONDERBOUWING,
])
CHECK_ZVHH = form("check_zvhh", "Overleg Veilig Thuis en ZVHH", [
    F("datum_overleg_zvhh", "Datum overleg met ZVHH", "date", DATE),
    yn("bekend_lokale_kamer", "Is de cliënt bekend bij een lokale kamer zorg en veiligheid?", False, help="003:34"),
    txt("relevante_informatie", "Opgevraagde relevante informatie", "Politie- en reclasseringsinformatie opgevraagd."),
    yn("mda_casus", "Wordt het een MDA++-casus?", True, help="003:34"),
])
WEEGOVERLEG = form("weegoverleg", "Weegoverleg: gewenste route (Haaglanden)", [
    F("deelnemers_weegoverleg", "Deelnemers", "multichoice", ["melder", "veilig_thuis", "om", "politie"],
      options=[("melder", "Melder"), ("veilig_thuis", "Veilig Thuis"), ("om", "Openbaar Ministerie"),
               ("politie", "Politie"), ("overige_partners", "Overige betrokken partners")], help="003:36"),
    F("gewenste_route", "Gewenste route", "choice", "mda",
      options=[("mda", "Langere inzet MDA++: casusoverleggen volgen"), ("andere_route", "Andere route")],
      help="003:36-38"),
    F("casusregie_bij", "Casusregie", "choice", "lokaal_team",
      options=[("lokaal_team", "Lokaal team van de gemeente"), ("melder", "Huidige regisseur (melder) blijft")],
      help="Zo min mogelijk overdragen (003:43)."),
    person("procesregisseur", "Procesregisseur (ZVHH, voorzitter casusoverleggen)", help="003:44"),
    person("casusregisseur", "Casusregisseur (lokaal team)", help="003:43"),
])

TRIAGE_ZEELAND = form("triage_zeeland", "Veiligheidsinschatting AMT en werkblad criteria (Zeeland)", [
    yn("structurele_onveiligheid_vermoed", "Wijst de veiligheidsinschatting op structurele onveiligheid?", True,
       help="004:39"),
    yn("bestaande_hulp_ontoereikend", "Is de bestaande hulp ontoereikend?", True, help="004:39"),
    yn("werkblad_criteria_ingevuld", "Is het werkblad criteria MDA++ ingevuld?", True, help="004:39"),
    F("bespreking_wijze", "Wijze van inbreng", "choice", "op_naam",
      options=[("op_naam", "Op naam (gezin geïnformeerd)"), ("anoniem", "Mondeling en anoniem")],
      help="004:45, 004:69"),
    F("lokale_aanpak", "Lokale aanpak (Civil Care-model)", "choice", "direct_mda",
      options=[("direct_mda", "Direct inbrengen in het expertiseteam"),
               ("eerst_lokaal", "Eerst drie maanden lokale TOP3-aanpak")],
      help=("Alleen als de regio het Civil Care-venster heeft aangezet: eerst drie maanden lokaal werken aan de "
            "TOP3; lukt het niet voldoende veiligheid te creëren, dan MDA++ invoegen (004:193). Staat het venster "
            "uit, dan gaat de casus naar het expertiseteam.")),
    yn("gezin_geinformeerd", "Zijn de gezinsleden geïnformeerd over de multidisciplinaire bespreking?", True,
       help="004:39"),
    yn("hulpverlener_uitgenodigd", "Is de betrokken hulpverlener of regisseur uitgenodigd?", True, help="004:39"),
    TRIAGE_OORDEEL, ONDERBOUWING,
])
LOKALE_TOP3_START = form("lokale_top3_start", "Lokale TOP3-aanpak starten (Civil Care)", [
    txt("top3_situaties", "De drie meest onveilige situaties (TOP3)", "1. Ruzie bij drankgebruik 2. ... 3. ...",
        help="004:145, 004:190-199"),
    txt("top3_afspraken", "Veiligheidsafspraken per situatie", "Partner verlaat het huis bij oplopende spanning."),
    F("top3_startdatum", "Startdatum lokale aanpak", "date", DATE),
    person("veilig_thuis", "Veilig Thuis-medewerker die na drie maanden beoordeelt",
           help="Deze medewerker volgt de zaak tijdens het venster en beoordeelt na drie maanden de veiligheid."),
])
LOKALE_TOP3_BEOORDELING = form("lokale_top3_beoordeling", "Beoordeling na drie maanden lokale aanpak", [
    F("lokaal_vervolg", "Vervolg na drie maanden lokale aanpak", "choice", "experts_aansluiten",
      options=[("lokaal_afgerond", "Voldoende veiligheid: de lokale aanpak volstaat"),
               ("experts_aansluiten", "Onvoldoende veiligheid: 1-2 experts sluiten aan bij het lokale casusoverleg "
                                      "en een MDA-regisseur wordt ingezet"),
               ("expertiseteam", "Onvoldoende veiligheid: bespreken in het voltallige expertiseteam")],
      help="Lukt het na drie maanden niet voldoende veiligheid te creëren, dan wordt MDA++ ingevoegd (004:193)."),
    txt("toelichting_lokaal", "Toelichting", "Afspraken niet nagekomen; nieuw incident."),
])
CIVIL_CARE_INVOEGEN = form("civil_care_invoegen", "MDA++ invoegen in het lokale casusoverleg (Civil Care)", [
    txt("aansluitende_experts", "Welke 1-2 experts sluiten aan bij het lokale casusoverleg?",
        "Verslavingsarts en gedragswetenschapper Veilig Thuis.",
        help="Experts uit het expertiseteam die passen bij de kern van de casus (004:193)."),
    person("procesregisseur", "MDA-regisseur (procesregie)",
           help="Proces- en casusregie liever niet splitsen; dezelfde persoon kan beide rollen hebben (004:93)."),
    person("casusregisseur", "Casusregisseur"),
    F("datum_casusoverleg", "Datum lokaal casusoverleg", "date", DATE),
])
EXPERTISETEAM = form("expertiseteam", "Expertiseteam: bespreking en besluit (Zeeland)", [
    txt("kern_terugkerend_geweld", "Wat is de kern waardoor het geweld blijft terugkeren?",
        "Wederzijdse afhankelijkheid en onbehandelde verslaving.", help="004:49"),
    txt("voorkomen_meer_van_hetzelfde", "Hoe voorkomen we 'meer van hetzelfde'?", "Geen nieuwe opvoedcursus; "
        "verplicht reclasseringstoezicht."),
    txt("zorg_en_straf", "Verbinding van zorg en straf", "Voorwaardelijk sepot met behandelverplichting."),
    F("past_binnen_mda", "Past de casus binnen MDA++?", "choice", "ja",
      options=[("ja", "Ja: MDA-regie inzetten"), ("nee", "Nee: advies en andere route")], help="004:57"),
    txt("vervolgstappen", "Vervolgstappen", "MDA-regisseur start; familienetwerkberaad plannen."),
    person("procesregisseur", "MDA-regisseur (procesregie)",
           help="Advies: proces- en casusregie niet splitsen (004:93); dezelfde persoon kan beide rollen hebben."),
    person("casusregisseur", "Casusregisseur"),
    yn("verslag_gedeeld", "Wordt het verslag gedeeld met de betrokkenen?", True,
       help="Het verslag van de bespreking gaat na afloop naar de betrokkenen (004:57)."),
])

_FRL_CRIT = [
    yn("hermeldingen", "Zijn er hermeldingen?", True, help="002:3102"),
    yn("eerdere_hulp_zonder_resultaat", "Is eerdere hulp zonder gewenst resultaat gebleven?", True),
    yn("zorg_en_politie_betrokken", "Zijn zowel zorg als politie en/of justitie betrokken (geweest)?", True),
    yn("structurele_onveiligheid", "Is er sprake van structurele onveiligheid?", True),
    yn("multiproblematiek", "Speelt er multiproblematiek (schulden, verslaving, LVB, psychiatrie)?", True),
]
TRIAGE_FRIESLAND = form("triage_friesland", "Veiligheidsbeoordeling en triage-overleg (Friesland)", _FRL_CRIT + [
    yn("besproken_in_triageoverleg", "Is de casus besproken in het triage-overleg?", True, help="002:3107-3109"),
    F("veiligheidshuis_afstemming", "Is het Veiligheidshuis betrokken (geweest) of zou het moeten worden?", "choice",
      "niet_betrokken", options=[("niet_betrokken", "Nee"), ("afgestemd", "Ja, afgestemd wat het best past")],
      help="002:3118-3120"),
    TRIAGE_OORDEEL, ONDERBOUWING,
])
TRIAGE_DRENTHE = form("triage_drenthe", "Triage Veilig Thuis (Drenthe)", _FRL_CRIT + [
    yn("kinderen_in_gezin", "Zijn er kinderen in het gezin?", True, help="Voorwaarde in Drenthe (002:3235-3236)."),
    F("bekend_veiligheidshuis_oggz", "Bekend bij Veiligheidshuis of OGGZ?", "choice", "nee",
      options=[("nee", "Nee"), ("ja_verder_mda", "Ja, afgestemd: verder als MDA++-casus"),
               ("ja_blijft_daar", "Ja, afgestemd: blijft bij OGGZ of Veiligheidshuis")], help="002:3242-3244"),
    yn("justitie_raad_betrokken", "Is justitie of de Raad voor de Kinderbescherming betrokken?", False,
       help="002:3245"),
    TRIAGE_OORDEEL, ONDERBOUWING,
])
TOESTEMMING = form("toestemming_huisbezoek", "Huisbezoek en toestemming informatiedeling (Friesland)", [
    F("huisbezoek_datum", "Datum huisbezoek", "date", DATE),
    yn("melding_besproken", "Is de melding met de ouders besproken?", True,
       help="De BackOffice bespreekt de melding met de ouders tijdens het huisbezoek (002:3110-3113)."),
    F("toestemming_informatiedeling", "Toestemming voor informatiedeling", "choice", "niet_vereist",
      options=[("gegeven", "Gegeven"), ("geweigerd", "Geweigerd"),
               ("niet_vereist", "Niet vereist (wettelijke grondslag sinds januari 2022)")],
      help=("Sinds januari 2022 is er een grondslag om zonder toestemming te werken; daarvoor was toestemming "
            "nodig (002:3113-3118).")),
    F("inbreng_wijze", "Inbreng in het MDA++-team", "choice", "op_naam",
      options=[("op_naam", "Op naam"), ("anoniem", "Anoniem")],
      help=("Zonder toestemming en zonder grondslag: een laagdrempelige kennismaking met het team of anonieme "
            "inbreng door Veilig Thuis (002:3113-3116).")),
])
TOESTEMMING_DRENTHE = form("toestemming_drenthe", "Toestemming gezin en casemanager gemeente (Drenthe)", [
    F("toestemming_gezin", "Geeft het gezin toestemming?", "choice", "gegeven",
      options=[("gegeven", "Gegeven: de casus wordt op naam besproken"),
               ("geweigerd", "Geweigerd: de casus wordt anoniem besproken")],
      help=("De Veilig Thuis-onderzoeker vraagt het gezin toestemming om informatie te delen en vertelt met wie "
            "(002:3236-3237, 002:3307-3308). Zonder toestemming bespreekt het team de casus alleen anoniem.")),
    txt("informatie_gedeeld_met", "Met wie wordt informatie gedeeld (aan het gezin verteld)",
        "MDA++-team en casemanager van de gemeente.", required=False),
    F("kennismaking_moment", "Kennismaking met het MDA++-team", "choice", "eind_onderzoek", required=False,
      options=[("begin_onderzoek", "Aan het begin van het onderzoek"), ("eind_onderzoek", "Aan het eind van het onderzoek")],
      help="Het gezin kiest zelf; meestal kiest het voor het eind van het onderzoek (002:3237-3240)."),
    yn("casemanager_gemeente_aangevraagd", "Is bij de gemeente een casemanager/regisseur aangevraagd?", True,
       required=False, help="Veilig Thuis vraagt de casemanager direct bij de start aan (002:3263-3265)."),
])
MDA_BIJEENKOMST_START = form("mda_bijeenkomst_start", "Eerste MDA++ bijeenkomst", [
    F("datum_bijeenkomst", "Datum bijeenkomst", "date", DATE),
    F("aanwezigen", "Aanwezigen", "multichoice", ["gezin", "vt_onderzoeker", "politie", "ggz"],
      options=[("gezin", "Gezinsleden"), ("vt_onderzoeker", "VT-onderzoeker"), ("politie", "Politie"),
               ("ggz", "GGZ"), ("verslavingszorg", "Verslavingszorg"), ("arts", "(Kinder)arts"),
               ("gebiedsteam", "Gebiedsteam / sociaal team"), ("school", "School"), ("overig", "Overig")]),
    txt("afspraken_bijeenkomst", "Afspraken", "VT start onderzoek; gezin vult vragenlijsten in."),
    F("traumavragenlijsten", "Traumavragenlijsten", "choice", "kind",
      options=[("niet_nodig", "Niet nodig"), ("kind", "Bij het kind"), ("ouder_over_kind", "Ouder over kind"),
               ("beide", "Beide")], help="Op indicatie (002:3125-3127; 002:3250-3253)."),
    person("procesregisseur", "Procesregisseur (MDA++-team)"),
    person("casusregisseur", "Casusregisseur / regiehouder na het onderzoek",
           help="Meestal gebiedsteam of casemanager van de gemeente (002:3136-3141; 002:3260-3265)."),
    F("datum_volgende_bijeenkomst", "Datum volgende bijeenkomst (binnen 6 weken)", "date", "2025-02-20"),
])
MDA_BIJEENKOMST_VERVOLG = form("mda_bijeenkomst_vervolg", "Tweede MDA++ bijeenkomst", [
    F("datum_tweede_bijeenkomst", "Datum bijeenkomst", "date", "2025-02-20"),
    txt("onderzoeksbevindingen", "Besproken onderzoeksbevindingen", "Trauma bij oudste kind vastgesteld."),
    txt("afspraken_tweede_bijeenkomst", "Afspraken", "Casemanager gemeente stelt veiligheidsplan op."),
])
VT_ONDERZOEK = form("vt_onderzoek", "Veilig Thuis-onderzoek", [
    yn("ontwikkelingsanamnese", "Is een ontwikkelingsanamnese afgenomen?", True, help="002:3124"),
    yn("diagnostische_vragenlijsten", "Zijn diagnostische (trauma)vragenlijsten afgenomen?", True,
       help="002:3124-3128"),
    yn("topteen_onderzoek", "Is een TopTeen-onderzoek ingezet?", False, help="002:3131-3132"),
    yn("kinderen_praten_mee", "Is 'Kinderen praten mee' ingezet?", False, help="002:3132"),
    txt("wat_werkte_eerder", "Wat is eerder ingezet en wat werkte wel en niet?", "Opvoedondersteuning hielp kort.",
        help="002:3129-3130"),
    txt("onderzoeksverslag", "Samenvatting onderzoeksverslag", "Structurele onveiligheid bevestigd."),
    txt("veiligheidsvoorwaarden", "Veiligheidsvoorwaarden", "Geen geweld in bijzijn van kinderen; hulp accepteren.",
        help="002:3259-3260"),
])
REGIEOVERDRACHT = form("regieoverdracht", "Regie overdragen na het onderzoek", [
    F("regiehouder_organisatie", "Regiehouder", "choice", "gebiedsteam",
      options=[("gebiedsteam", "Gebiedsteam / casemanager gemeente"), ("gezinsvoogd", "(Gezins)voogd"),
               ("andere", "Andere organisatie")], help="002:3136-3140; 002:3260-3262"),
    F("datum_warme_overdracht", "Datum warme overdracht", "date", "2025-03-20"),
    txt("reden_afwijkende_regiehouder", "Reden bij afwijkende regiehouder", "Geen klik met gebiedsteam.",
        required=False),
    yn("onderzoeksverslag_gedeeld", "Is het onderzoeksverslag met veiligheidsvoorwaarden gedeeld?", True,
       help="002:3279-3280"),
])
ACTIEOVERLEG = form("actieoverleg", "Bespreking in het actieoverleg", [
    F("datum_actieoverleg", "Datum actieoverleg", "date", DATE),
    F("deelnemers_actieoverleg", "Deelnemers", "multichoice", ["politie", "om", "reclassering"],
      options=[("politie", "Politie"), ("om", "OM"), ("reclassering", "Reclassering"),
               ("raad", "Raad voor de Kinderbescherming")], help="002:3314-3318"),
    txt("justitiele_afspraken", "Afspraken justitie", "Politie houdt verhoogd toezicht."),
])

AANMELDING_WB = aanmelding("aanmelding_west_brabant", "Melding bij Veilig Thuis voor het Interventieteam (West-Brabant)", [
    F("ingang_west_brabant", "Ingang", "choice", "veilig_thuis",
      options=[("veilig_thuis", "Melding bij Veilig Thuis"), ("actieoverleg", "Via het actieoverleg")],
      help="002:3344-3347; 002:3397-3401"),
    yn("andere_professionals_geinformeerd", "Heeft u de andere betrokken professionals geïnformeerd?", True,
       help="002:3347-3348"),
    yn("professionals_zien_meerwaarde", "Zien de reeds betrokken professionals meerwaarde in het Interventieteam?",
       True, help="Voorwaarde voor aanmelding (002:3348-3350)."),
])
TRIAGE_WB = form("triage_west_brabant", "Triage op criteria Interventieteam (West-Brabant)", [
    F("frequentie_geweld", "Hoe vaak per maand dreigend gevaar of geweld?", "number", 3, help="> 1 per maand (002:723-724)"),
    yn("grote_kans_voortduren", "Is er grote kans op voortduren en herhaling?", True),
    yn("veiligheid_in_geding", "Is de veiligheid van betrokkenen in het geding?", True),
    F("aantal_leefgebieden_wb", "Aantal leefgebieden met problemen", "number", 4, help="> 3 (002:733)"),
    F("maanden_zonder_vooruitgang", "Hoeveel maanden geen vooruitgang?", "number", 18, help="> 12 maanden"),
    yn("eerdere_hulp_onvoldoende", "Is eerdere hulp onvoldoende effectief gebleken?", True),
    yn("reguliere_hulp_past_niet", "Sluit reguliere hulp onvoldoende aan bij het gezinssysteem?", True),
    yn("meerwaarde_bevestigd", "Zien de reeds betrokken professionals meerwaarde (bevestigd)?", True,
       help="002:3348-3350"),
    yn("twijfel_aanmelder", "Twijfelt de aanmelder en vraagt hij alleen advies?", False, help="002:3346-3347"),
    TRIAGE_OORDEEL, ONDERBOUWING,
])
BRIEFING_WB = form("briefing_west_brabant", "Wekelijkse briefing: casus toewijzen (West-Brabant)", [
    F("passende_expertise", "Meest passende expertise", "multichoice", ["verslaving", "ggz"],
      options=[("verslaving", "Verslavingszorg"), ("ggz", "GGZ"), ("lvb", "LVB (MEE)"), ("jeugd", "Jeugd"),
               ("opvang", "Opvang"), ("maatschappelijk_werk", "Maatschappelijk werk"), ("vt", "Veilig Thuis")],
      help="002:3357-3361"),
    person("casusregisseur", "Casemanager 1 (casusregie)"),
    F("tweede_casemanager", "Casemanager 2", "person", "{region}.teamlid", help="Twee professionals per casus."),
    yn("ervaringsdeskundige", "Wordt een ervaringsdeskundige betrokken?", True, help="002:3359-3361"),
    person("procesregisseur", "Procesregie vanuit Veilig Thuis of ZVH (indien nodig)", required=False,
           help="002:3362-3364"),
])
INTAKE_ANALYSE = form("intake_analyse", "Intake en analyse (intensieve fase)", [
    F("intake_datum", "Datum intake", "date", DATE),
    txt("systeem_geweldspatroon", "Systeem en geweldspatroon", "Wederzijds geweld bij spanning; kinderen getuige."),
    txt("risicofactoren", "Risicofactoren", "Verslaving, schulden."),
    txt("krachten", "Krachten", "Netwerk van grootouders; motivatie moeder."),
])
PLAN_WB = form("plan_van_aanpak_west_brabant", "Plan van aanpak met veiligheidsvoorwaarden (West-Brabant)",
               PLAN_BASE + [
                   txt("veiligheidsvoorwaarden_plan", "Veiligheidsvoorwaarden", "Geen geweld; drankgebruik beperken."),
                   txt("afspraken_niet_nakomen", "Afspraken bij het niet nakomen van veiligheidsafspraken",
                       "Bij incident direct melding politie en herbespreking.", help="002:3373-3374"),
               ])

TRIAGE_HVB = form("triage_hart_van_brabant", "Triage op instroomcriteria Veiligheidsteam (Hart van Brabant)", [
    yn("lange_geschiedenis", "Is er een (lange) geschiedenis van meldingen en/of hulpverlening?", True),
    yn("structureel_huiselijk_geweld", "Is er structureel huiselijk geweld?", True),
    yn("hoog_risico_acuut_geweld", "Hoog risico op ernstig acuut geweld, veel incidenten met direct gevaar?", True),
    yn("multiproblematiek_bekend", "Multiproblematiek, bekend bij veel instellingen?", True),
    yn("meerdere_meldingen_veel_hulp", "Meerdere Veilig Thuis-meldingen en veel hulp betrokken geweest?", True),
    F("mailbox_verzonden_op", "Datum verzonden naar mailbox Veiligheidsteam", "date", DATE, help="002:3438-3439"),
    TRIAGE_OORDEEL, ONDERBOUWING,
])
ACCEPTATIE_HVB = form("acceptatie_hart_van_brabant", "Acceptatie door het Veiligheidsteam (binnen 5 dagen)", [
    F("acceptatie", "Besluit", "choice", "geaccepteerd",
      options=[("geaccepteerd", "Geaccepteerd"), ("afgewezen", "Afgewezen")], help="002:3439-3441"),
    txt("acceptatie_reden", "Motivering", "Voldoet aan instroomcriteria; beste match: casuscoördinator gemeente."),
    F("datum_acceptatie", "Datum besluit", "date", "2025-01-17"),
    person("casusregisseur", "Casuscoördinator (casusregie)",
           help="De casuscoördinator doet zowel casus- als procesregie (002:3445-3447)."),
    person("procesregisseur", "Casuscoördinator (procesregie)",
           help=("Dezelfde casuscoördinator als hierboven: die voert ook de procesregie. Alleen bij afwezigheid "
                 "neemt een ander de procesregie waar.")),
    F("schaduwcoordinator", "Schaduwcoördinator", "person", "{region}.teamlid",
      help="De tweede coördinator die meekijkt en waarneemt; geen regierol (002:3445-3446)."),
])
HVB_FASE1 = form("hvb_fase1", "Fase 1: aanmelding en directe veiligheid", [
    yn("alle_betrokkenen_gehoord", "Zijn alle betrokkenen gehoord en is de rol van het Veiligheidsteam uitgelegd?", True),
    yn("besproken_in_actieoverleg", "Is de casus besproken in het actieoverleg en verrijkt?", True, help="002:3461-3462"),
    yn("kinderen_betrokken", "Zijn de kinderen betrokken (uitgelegd wat zij kunnen doen)?", True, help="002:3455-3457"),
    txt("veiligheidsplan_fase1", "Veiligheidsplan", "Afspraken over directe veiligheid en toezicht."),
])
HVB_FASE2 = form("hvb_fase2", "Fase 2: analyse en risicogestuurde zorg", [
    txt("systeem_in_kaart", "Systeem in kaart", "Genogram en netwerk opgesteld."),
    txt("geweldspatronen", "Geweldspatronen", "Escalatie bij middelengebruik."),
    txt("geschiedenis_geweld_hulp", "Geschiedenis van geweld en hulpverlening", "Sinds 2015 bekend bij VT."),
    txt("positief_effect", "Wat had positief effect op het geweld?", "Tijdelijk huisverbod."),
    txt("geen_negatief_effect", "Wat had geen of negatief effect?", "Relatietherapie."),
])
HVB_FASE3 = form("hvb_fase3", "Fase 3: integraal plan van aanpak", [
    txt("krachten_zorgen", "Krachten en zorgen op een rij", "Krachten: netwerk. Zorgen: verslaving, trauma."),
    txt("integraal_plan", "Integraal plan van aanpak", "Verslavingsbehandeling, traumatherapie, toezicht."),
    F("plan_gereed_datum", "Datum plan gereed", "date", "2025-02-20", help="Streven: binnen 6 weken (002:3468-3469)."),
    yn("gedeeld_met_partijen", "Is het plan gedeeld met alle partijen?", True),
    F("zorgelijkheid", "Hoe zorgelijk is de casus?", "choice", "hoog",
      options=[("hoog", "Zorgelijk"), ("matig", "Minder zorgelijk")]),
])
HULPVRAAG_DIRECT = form("hulpvraag_direct", "Jeugdhulp/WMO rechtstreeks inzetten (directe toegang)", [
    txt("hulpvraag", "Hulpvraag", "Systeemtherapie voor het gezin."),
    txt("ingezette_hulp", "Ingezette hulp (rechtstreeks)", "Systeemtherapie gestart via directe toegang.",
        help="De eerste 12 weken na acceptatie heeft de casus rechtstreeks toegang tot Jeugdhulp en WMO (002:3477-3479)."),
])
HULPVRAAG_REGULIER = form("hulpvraag_regulier", "Reguliere aanvraag Jeugdhulp/WMO", [
    txt("hulpvraag", "Hulpvraag", "Ambulante gezinsbegeleiding."),
    F("aanvraag_ingediend_op", "Aanvraag ingediend op", "date", DATE),
    txt("toelichting_aanvraag", "Toelichting", "Aanvraag bij het wijkteam ingediend.", required=False,
        help="Na de eerste 12 weken is een reguliere aanvraag nodig (002:3479-3480)."),
])

AANMELDING_RTM = aanmelding("aanmelding_rotterdam", "Aanmelding Filomena (Rotterdam)", [
    F("ingang_rotterdam", "Ingang", "choice", "veilig_thuis",
      options=[("veilig_thuis", "Via Veilig Thuis"), ("zvhrr", "Via het Zorg- en Veiligheidshuis")], help="002:690"),
    yn("letsel", "Is er sprake van letsel?", True, help="002:3506-3507"),
    yn("zeden_met_hg", "Is er sprake van zeden in combinatie met huiselijk geweld?", False),
])
TRIAGE_RTM = form("triage_rotterdam", "Triage-overleg Filomena (Rotterdam)", [
    yn("ernstig_complex_geweld", "Zeer ernstig, complex geweld (letsel, zeden met HG, psychosociaal trauma, intieme terreur)?",
       True, help="002:3505-3508"),
    F("geweldskenmerken", "Kenmerken", "multichoice", ["letsel"], required=False,
      options=[("letsel", "Letsel"), ("zeden", "Zeden in combinatie met huiselijk geweld"),
               ("psychosociaal_trauma", "Psychosociaal trauma"), ("intieme_terreur", "Intieme terreur")]),
    yn("snelle_forensische_inzet", "Is snelle forensische/trauma-inzet nodig (letsel, trauma, seksueel geweld)?", True,
       help="Reikwijdte SOF7 (002:3522-3524)."),
    yn("te_complex_lokaal", "Is hoog-specialistische inzet nodig en is de casus te complex voor lokaal niveau?", True,
       help="002:3508-3510"),
    TRIAGE_OORDEEL, ONDERBOUWING,
])
SOF7 = form("sof7", "Snelle onderzoeksfase SOF7", [
    yn("forensisch_onderzoek", "Is forensisch medisch onderzoek gedaan?", True),
    yn("letsel_vastgelegd", "Is het letsel vastgelegd?", True),
    yn("traumascreening", "Is traumascreening gedaan?", True, help="002:819-824"),
    yn("aangifte_besproken", "Is aangifte besproken met politie?", True),
    txt("bevindingen_sof7", "Bevindingen", "Letsel passend bij wurging; trauma-klachten bij slachtoffer."),
    F("datum_afronding_sof7", "Datum afronding SOF7", "date", "2025-01-21"),
])
ISO = form("iso_rotterdam", "Intersectoraal Expertise Overleg (ISO)", [
    F("veiligheidsinschatting", "Veiligheidsinschatting", "choice", "hoog",
      options=[("laag", "Laag risico"), ("midden", "Midden risico"), ("hoog", "Hoog risico")], help="002:3524-3526"),
    F("iso_vervolg", "Vervolgstap", "choice", "icm",
      options=[("icm", "Intensief Casemanagement (ICM)"), ("andere_interventie", "Andere interventie")],
      help="002:3528-3529"),
    person("procesregisseur", "Procesregisseur"),
    person("casusregisseur", "ICM-casemanager (Filomena)", help="002:797"),
])
PLAN_ICM = form("plan_van_aanpak_icm", "ICM: veiligheidsafspraken en integraal plan (Rotterdam)", PLAN_BASE + [
    yn("afgestemd_met_politie_justitie", "Zijn de veiligheidsafspraken afgestemd met politie en justitie?", True,
       help="002:3537-3539"),
])
INLOOP_REG = form("inloop_registratie", "Inloopspreekuur Filomena", [
    yn("anoniem", "Wil het slachtoffer anoniem blijven?", True, help="002:3517-3519"),
    F("behoefte", "Behoefte", "multichoice", ["gesprek_hulpverlener"],
      options=[("gesprek_hulpverlener", "Gesprek met hulpverlener"), ("arts", "Arts"), ("politie", "Politie"),
               ("informatie", "Alleen informatie")]),
    yn("letsel_of_zeden", "Is er letsel of seksueel geweld?", False),
])
INLOOP_GESPREK = form("inloop_gesprek", "Gesprek bij het inloopspreekuur", [
    F("gesprek_met", "Gesprek met", "choice", "hulpverlener",
      options=[("hulpverlener", "Professionele hulpverlener"), ("arts", "Arts"), ("politie", "Politie"),
               ("geen", "Geen gesprek gewenst")]),
    F("inloop_vervolg", "Vervolg", "choice", "geen",
      options=[("geen", "Geen vervolg (slachtoffer bepaalt tempo)"),
               ("aanmelding_mda", "Aanmelding MDA++/SOF7: het Filomena-traject start")],
      help="Het slachtoffer heeft de regie en bepaalt behoefte en tempo (002:3520-3521)."),
    txt("inloop_toelichting", "Toelichting", "Informatie gegeven over mogelijkheden.", required=False),
])

REGION_FORMS = [AGENDERING, TRIAGE_NML, ANALYSE_NML, TRIAGE_UTRECHT, CONSULTATIETEAM_UTRECHT,
                AANMELDING_HAAGLANDEN, TRIAGE_HAAGLANDEN, CHECK_ZVHH, WEEGOVERLEG,
                TRIAGE_ZEELAND, LOKALE_TOP3_START, LOKALE_TOP3_BEOORDELING, CIVIL_CARE_INVOEGEN, EXPERTISETEAM,
                TRIAGE_FRIESLAND, TRIAGE_DRENTHE, TOESTEMMING, TOESTEMMING_DRENTHE, MDA_BIJEENKOMST_START, MDA_BIJEENKOMST_VERVOLG,
                VT_ONDERZOEK, REGIEOVERDRACHT, ACTIEOVERLEG,
                AANMELDING_WB, TRIAGE_WB, BRIEFING_WB, INTAKE_ANALYSE, PLAN_WB,
                TRIAGE_HVB, ACCEPTATIE_HVB, HVB_FASE1, HVB_FASE2, HVB_FASE3, HULPVRAAG_DIRECT, HULPVRAAG_REGULIER,
                AANMELDING_RTM, TRIAGE_RTM, SOF7, ISO, PLAN_ICM, INLOOP_REG, INLOOP_GESPREK]
