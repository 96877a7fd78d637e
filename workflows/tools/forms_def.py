"""Form definitions (Dutch) for MDA++ Flow.  Fields follow domain spec section 6 (F1-F15).

Every field has an `example` that walks the MAIN path of every region:
registration -> triage (eligible, not acute) -> analysis/consultation (appoints procesregisseur and
casusregisseur) -> plan -> monitoring loop (evaluations keep the case open: besluit = "doorgaan").
"""
from __future__ import annotations

import re

from help_texts import HELP, HELP_OVERRIDE

DATE = "2025-01-15"


CITATION = re.compile(r"\d{3}:\d+(?:-\d+)?")


def split_sources(text):
    """Help text for the professional, and the seed citations it contained (kept for maintainers)."""
    sources = "; ".join(CITATION.findall(text or ""))
    clean = re.sub(r"\s*\((?:[^()]*?\d{3}:\d+[^()]*?)\)", lambda m: _keep_words(m.group(0)), text or "")
    clean = CITATION.sub("", clean)
    clean = re.sub(r"(\s*[;,]\s*)+(?=[).]|$)", "", clean)
    clean = re.sub(r"\(\s*[;,]?\s*\)", "", clean)
    clean = re.sub(r"\s+([.,;)])", r"\1", clean)
    clean = re.sub(r"\s{2,}", " ", clean).strip(" ;,")
    if clean and not re.search(r"[A-Za-zÀ-ÿ]{3}", clean):
        clean = ""
    return clean, sources


def _keep_words(group):
    """A parenthesis with citations keeps the words in it ('(Drenthe, 002:3235)' -> '(Drenthe)')."""
    inner = CITATION.sub("", group.strip()[1:-1])
    inner = re.sub(r"(\s*[;,]\s*)+", ", ", inner).strip(" ;,")
    return f" ({inner})" if re.search(r"[A-Za-zÀ-ÿ]{3}", inner) else ""


def F(name, label, type, example, required=True, help=None, options=None, regional=None):
    f = {"name": name, "label": label, "type": type, "required": required}
    clean, sources = split_sources(help)
    clean = HELP.get(name, clean) if not clean or name in HELP_OVERRIDE else clean
    if clean:
        f["help"] = clean
    if regional:
        split = {region: split_sources(text) for region, text in regional.items()}
        f["help_by_region"] = {region: text for region, (text, _) in split.items()}
        sources = "; ".join(x for x in [sources] + [src for _, src in split.values()] if x)
    if sources:
        f["sources"] = sources
    if options is not None:
        f["options"] = [{"value": v, "label": lbl} for v, lbl in options]
    f["example"] = example
    return f


def person(role, label, help=None, required=True, regional=None):
    return F(role, label, "person", "{region}." + role, required=required, help=help, regional=regional)


def yn(name, label, example, help=None, required=True, regional=None):
    return F(name, label, "boolean", example, required=required, help=help, regional=regional)


def txt(name, label, example, help=None, required=True, area=True, regional=None):
    return F(name, label, "textarea" if area else "text", example, required=required, help=help, regional=regional)


# ---------------------------------------------------------------------------------------
# shared field groups
TRIAGE_OORDEEL = F(
    "triage_oordeel", "Professioneel oordeel over de vervolgroute", "choice", "criteria",
    help=("De criteria zijn een richtlijn (000:406-408; 001:101-102). Kies 'Volgens de criteria' om de "
          "beslistabel te volgen, of leg gemotiveerd een afwijkende route vast."),
    options=[("criteria", "Volgens de criteria (beslistabel bepaalt de route)"),
             ("mda", "MDA++ geïndiceerd (afwijkend oordeel)"),
             ("consultatie", "Alleen consultatie en advies"),
             ("advies", "Niet passend: gericht advies aan de aanmelder")])
ONDERBOUWING = txt("onderbouwing", "Onderbouwing van het triagebesluit",
                   "Structureel onveilige situatie met herhaalde meldingen; eerdere hulp zonder resultaat.",
                   help="Leg de afweging vast (vier-ogenprincipe, 002:3481-3482).")
VT_INFO = txt("vt_informatie", "Informatie uit Veilig Thuis-systemen",
              "Zes eerdere meldingen; twee onderzoeken; V&V-traject zonder duurzaam resultaat.",
              help="Meldingshistorie, eerder betrokken partijen en ingezette interventies (001:122-124).")
ZVH_INFO = txt("zvh_informatie", "Informatie uit het Zorg- en Veiligheidshuis (politie/justitie)",
               "Politie kent meerdere incidenten; lopende strafzaak tegen partner.", required=False)
ANDER_TRAJECT = F("ander_traject", "Bekend in ander traject (afstemming, D3)", "choice", "geen",
                  options=[("geen", "Niet bekend in ander traject"), ("ave", "Aanpak Voorkoming Escalatie (AVE)"),
                           ("veiligheidshuis", "Zorg- en Veiligheidshuis"), ("oggz", "OGGZ"),
                           ("lokale_kamer", "Lokale kamer zorg en veiligheid")],
                  help="Afstemming met lopende trajecten (000:277-280; 002:3242-3245; 003:34).")

AANMELDING_BASE = [
    F("aanmelder_naam", "Naam aanmelder", "text", "J. de Vries"),
    F("aanmelder_organisatie", "Organisatie aanmelder", "text", "Wijkteam Centrum"),
    F("aanmelder_type", "Soort aanmelder", "choice", "lokaal_team",
      options=[("veilig_thuis", "Veilig Thuis"), ("lokaal_team", "Lokaal team / wijkteam"),
               ("ketenpartner", "Ketenpartner (zorg)"), ("politie", "Politie"),
               ("reclassering", "Reclassering"), ("zsm", "ZSM"), ("gi", "Gecertificeerde instelling"),
               ("gemeente", "Gemeente"), ("actieoverleg", "Actieoverleg"), ("zvh", "Zorg- en Veiligheidshuis")],
      help="Wie brengt de casus in (001:90-96; 002:3100-3101)."),
    F("verzoek_type", "Wat vraagt u?", "choice", "traject",
      options=[("traject", "Inzet van een MDA++-traject"),
               ("consultatie", "Alleen consultatie en advies")],
      help="Consultatie en advies is laagdrempelig mogelijk zonder traject (000:415-417, 000:455-460)."),
    txt("vraagstelling", "Vraagstelling aan het MDA++-team",
        "Wat is nodig om het geweld tussen ouders duurzaam te stoppen?",
        help="Gericht en met een heldere vraagstelling (001:136-138)."),
    txt("huishouden", "Samenstelling huishouden",
        "Moeder (34), partner (38), twee kinderen (5 en 7); vader woont elders.",
        help="Per gezinslid: (pseudo)naam, leeftijd, rol (slachtoffer/pleger/kind), feitelijke verblijfplaats."),
    yn("minderjarige_kinderen", "Zijn er minderjarige kinderen in het gezin?", True,
       help="Bepaalt of jeugdexpertise aan tafel nodig is.",
       regional={"drenthe": "In Drenthe neemt het MDA++-team alleen gezinnen met kinderen op."}),
    txt("huishouden_kenmerk", "Kenmerk van het huishouden (bijvoorbeeld het Veilig Thuis-dossiernummer)", "",
        required=False, area=False,
        help=("Vul hetzelfde kenmerk in als bij een eerdere aanmelding. Was het huishouden eerder in MDA++, dan "
              "toont de zaak de eerdere zaak (aan wie die mag zien) en worden ze gekoppeld.")),
    txt("netwerk_buiten_huishouden", "Pleger of familienetwerk buiten het huishouden",
        "Opa (moederszijde) woont elders en heeft nog contact met de kinderen.", required=False,
        help="Bijvoorbeeld een pleger die elders woont of familie die een rol speelt in het geweld of de veiligheid."),
    yn("kinderwens_of_zwangerschap", "Is er een kinderwens of zwangerschap?", False, required=False,
       help="Van belang voor de veiligheid van een (nog te geboren) kind."),
    txt("wijzigingen_huishouden", "Recente of verwachte wijzigingen in het huishouden",
        "Partner is drie maanden geleden ingetrokken.", required=False,
        help="Nieuwe partner, scheiding, geboorte, verhuizing of een kind dat uit huis gaat."),
    F("geweldsvormen", "Vormen van geweld", "multichoice", ["fysiek", "psychisch"],
      options=[("fysiek", "Fysiek"), ("psychisch", "Psychisch"), ("seksueel", "Seksueel"),
               ("verwaarlozing", "Verwaarlozing"), ("partnergeweld", "(Ex-)partnergeweld"),
               ("kindermishandeling", "Kindermishandeling"), ("ouderenmishandeling", "Ouderenmishandeling"),
               ("eergerelateerd", "Eergerelateerd geweld"), ("stalking", "Stalking"),
               ("intieme_terreur", "Intieme terreur")]),
    F("geweld_per_maand", "Hoe vaak per maand is er geweld of dreigend gevaar?", "number", 3),
    F("escalaties_recent", "Aantal escalaties met direct gevaar in de afgelopen maanden", "number", 3),
    yn("acuut_onveilig", "Is er sprake van acute onveiligheid?", False,
       help="Acuut: direct gevaar voor een gezinslid. Dan zijn de crisispartijen eerst aan zet (003:12)."),
    F("aantal_vt_meldingen", "Aantal eerdere meldingen bij Veilig Thuis", "number", 6),
    txt("betrokken_organisaties", "Betrokken organisaties (zorg, veiligheid/justitie, medisch)",
        "Wijkteam, GGZ, politie, huisarts."),
    txt("eerdere_interventies", "Eerder ingezette hulp en resultaat",
        "Opvoedondersteuning en V&V-traject; geweld niet gestopt.",
        help="Wat is eerder ingezet en wat werkte wel en niet (002:3129-3130)."),
    F("leefgebieden", "Problemen op leefgebieden", "multichoice",
      ["verslaving", "psychiatrie", "schulden"], required=False,
      options=[("verslaving", "Verslaving"), ("psychiatrie", "Psychiatrie / GGZ"), ("lvb", "LVB"),
               ("schulden", "Schulden / armoede"), ("werkloosheid", "Werkloosheid"),
               ("huisvesting", "Huisvesting"), ("criminaliteit", "Criminaliteit"),
               ("emotionele_verwaarlozing", "Emotionele verwaarlozing"), ("overlast", "Overlast")]),
    txt("justitieel_kader", "Justitiële context (aangifte, strafzaak, huisverbod, reclassering)",
        "Eerder tijdelijk huisverbod.", required=False),
    yn("huishouden_geinformeerd", "Heeft u het huishouden geïnformeerd over de aanmelding?", True,
       help="De aanmelder informeert de betrokkenen zelf (003:27; 001:299-300; 004:39)."),
    F("toestemming", "Toestemming voor informatiedeling", "choice", "gegeven",
      options=[("niet_gevraagd", "Niet gevraagd"), ("gegeven", "Gegeven"), ("geweigerd", "Geweigerd"),
               ("niet_vereist", "Niet vereist (wettelijke grondslag)"), ("anoniem", "Anonieme inbreng")]),
    txt("visie_betrokkenen", "Visie van de betrokkenen", "Moeder wil dat het geweld stopt.", required=False),
    txt("voorgestelde_deelnemers", "Voorgestelde deelnemers aan de bespreking",
        "Wijkteam, GGZ-behandelaar.", required=False),
]


def aanmelding(key, title, extra=()):
    return {"key": key, "title": title, "fields": AANMELDING_BASE + list(extra)}


D4_HELP = {
    "friesland": "Zorgelijk: de casus komt na 3 maanden weer op de agenda; minder zorgelijk: na 6 maanden.",
    "hart-van-brabant": "Het Veiligheidsteam evalueert elke drie maanden, ongeacht de zorgelijkheid.",
    "drenthe": "Gezinnen hebben gemiddeld eens per drie maanden een afspraak met het MDA++-team.",
}
ZORGELIJKHEID_NU = F(
    "zorgelijkheid", "Hoe zorgelijk is de casus nu?", "choice", "hoog",
    options=[("hoog", "Zorgelijk"), ("matig", "Minder zorgelijk")],
    help="De volgende evaluatie volgt na drie maanden; een eerdere evaluatie kan altijd.", regional=D4_HELP)
ZORGELIJKHEID_PLAN = F(
    "zorgelijkheid", "Hoe zorgelijk is de casus?", "choice", "hoog",
    options=[("hoog", "Zorgelijk"), ("matig", "Minder zorgelijk")],
    help="De eerste evaluatie volgt na drie maanden; een eerdere evaluatie kan altijd.", regional=D4_HELP)

EVALUATIE = {
    "key": "evaluatie", "title": "Periodieke evaluatie MDA++",
    "fields": [
        F("evaluatie_datum", "Datum evaluatie", "date", DATE),
        txt("veiligheidssituatie", "Veiligheidssituatie sinds de vorige evaluatie",
            "Geen nieuwe incidenten gemeld; afspraken uit het veiligheidsplan worden nagekomen."),
        F("nieuwe_meldingen", "Aantal nieuwe meldingen / zorgmeldingen sinds vorige evaluatie", "number", 0),
        txt("voortgang_doelen", "Voortgang per doel", "Doel 1 (directe veiligheid) bereikt; doel 2 loopt."),
        yn("uitvoering_volgens_plan", "Verloopt de uitvoering volgens plan?", True, help="001:271-277"),
        yn("partners_leveren_bijdrage", "Leveren alle partners hun afgesproken bijdrage?", True,
           help="001:212-215"),
        yn("stabiele_veiligheid", "Is er stabiele / duurzame veiligheid bereikt?", False, help="001:279-280"),
        ZORGELIJKHEID_NU,
        yn("partners_apart_gesproken", "Zijn de partners apart gesproken?", True, required=False,
           help="Spreek partners ook apart, zodat ieder vrij kan vertellen over geweld en veiligheid."),
        txt("wijzigingen_huishouden", "Wijzigingen in het huishouden sinds de vorige evaluatie",
            "Geen wijzigingen.", required=False,
            help="Nieuwe partner, kinderwens of zwangerschap, geboorte, scheiding, verhuizing."),
        F("besluit", "Besluit", "choice", "doorgaan",
          options=[("doorgaan", "Doorgaan met monitoring"),
                   ("opschalen", "Opschalen: de uitvoering stagneert"),
                   ("acuut_onveilig", "Acuut onveilig: crisisroute (crisispartijen eerst, plan herzien)"),
                   ("afschalen", "Afschalen en afsluiten voorbereiden")],
          help=("Kies 'acuut onveilig' bij direct gevaar: de crisispartijen komen eerst, daarna herziet u het plan en "
                "gaat de monitoring door. Opschalen is voor vastgelopen hulp of afspraken. Afschalen leidt naar "
                "het afsluitbesluit.")),
        yn("terugkoppeling_consultatieteam", "Tussentijdse terugkoppeling aan het consultatieteam", False,
           required=False, help="Terugkoppeling aan het team dat het advies gaf, zodat het leert van de uitvoering.",
           regional={"utrecht": "Stap 6 en 9 van de Utrechtse werkwijze: het consultatieteam hoort hoe het "
                                "advies uitpakt."}),
        txt("toelichting_evaluatie", "Toelichting", "Hulp loopt; casus blijft in monitoring.", required=False),
    ]}

OPSCHALING_MELDING = {
    "key": "opschaling_melding", "title": "Opschaling melden aan de procesregisseur",
    "fields": [
        F("opschaling_aanleiding", "Aanleiding", "choice", "bijdrage_partner_stagneert",
          options=[("advies_botst_met_uitvoering", "Advies botst met ruimte in de uitvoering"),
                   ("bijdrage_partner_stagneert", "Bijdrage van een partner stagneert"),
                   ("interventies_zonder_effect", "Interventies hebben niet het gewenste effect"),
                   ("geen_stabiele_veiligheid", "Geen stabiele veiligheid"),
                   ("wachtlijst", "Wachtlijst"), ("anders", "Anders")],
          help=("Waarom de uitvoering vastloopt. Acute onveiligheid is geen opschaling: meld die als 'acuut "
                "onveilig' (crisisroute) (001:160-162, 001:212-215, 001:229-232, 001:350-351).")),
        txt("opschaling_toelichting", "Toelichting", "GGZ-behandeling start niet door wachtlijst."),
        F("gevraagd_mandaat", "Gevraagd mandaat", "multichoice", ["voorrang_wachtlijst"], required=False,
          options=[("voorrang_wachtlijst", "Voorrang op wachtlijst"), ("urgentie_huisvesting", "Urgentie huisvesting"),
                   ("directe_toegang", "Directe toegang jeugdhulp/WMO"), ("voorrang_ggz", "Voorrang GGZ")]),
    ]}
OPSCHALING_PR = {
    "key": "opschaling_procesregisseur", "title": "Opschaling: actie van de procesregisseur",
    "fields": [
        txt("actie_procesregisseur", "Ondernomen actie", "Partners aangesproken; intake GGZ versneld."),
        F("opschaling_vervolg", "Resultaat / volgende stap", "choice", "opgelost",
          options=[("opgelost", "Doorbraak bereikt: terug naar monitoring"),
                   ("consultatieteam", "Casus opnieuw inbrengen in consultatie-/analyseteam"),
                   ("management", "Opschalen naar management / projectgroep")],
          help="Escalatieladder: casusregisseur -> procesregisseur -> team -> management (001:229-232)."),
    ]}
OPSCHALING_TEAM = {
    "key": "opschaling_herbespreking", "title": "Herbespreking in het multidisciplinaire team",
    "fields": [
        txt("herbespreking_advies", "Advies van het team", "Andere volgorde van hulp; justitiële drang inzetten."),
        F("herbespreking_vervolg", "Volgende stap", "choice", "opgelost",
          options=[("opgelost", "Advies volstaat: terug naar monitoring"),
                   ("management", "Opschalen naar management / bestuur")]),
    ]}
OPSCHALING_MGMT = {
    "key": "opschaling_management", "title": "Opschaling naar management of bestuur",
    "fields": [
        F("opschaling_niveau", "Niveau", "choice", "management",
          options=[("management", "Management / projectgroep"),
                   ("bestuur", "Stuurgroep / bestuurlijk platform")],
          help="002:1112-1115; 002:3296-3305; 002:3484-3487"),
        txt("besluit_management", "Besluit en afspraken", "Voorrang op wachtlijst toegekend."),
        F("datum_besluit_management", "Datum besluit", "date", DATE),
    ]}
AFSLUITING = {
    "key": "afsluiting", "title": "Eindevaluatie en afsluitbesluit",
    "fields": [
        yn("duurzame_veiligheid", "Is er duurzame veiligheid bereikt?", True),
        yn("onderliggende_risicos_aangepakt", "Zijn de onderliggende risico's aangepakt?", True,
           help="Zijn de factoren die het geweld in stand hielden (verslaving, psychiatrie, schulden) aangepakt?",
           regional={"nml": "In NML sluit u af als het huishouden veilig is, de onderliggende risico's zijn "
                            "aangepakt en er herstel is (000:501-502)."}),
        yn("herstel_aanwezig", "Is er sprake van herstel?", True,
           help="Herstel van de gevolgen van het geweld, bijvoorbeeld traumabehandeling van de kinderen.",
           regional={"nml": "In NML een voorwaarde om af te sluiten, naast veiligheid en aangepakte risico's "
                            "(000:501-502)."}),
        yn("geen_nieuwe_signalen", "Zijn er geen nieuwe onveiligheidssignalen (meldingen)?", True,
           help="Nieuwe meldingen of zorgsignalen in de afgelopen periode? Dan niet afsluiten (000:539-541).",
           regional={"nml": "Afsluiten kan pas na minstens een jaar en zonder nieuwe signalen van onveiligheid."}),
        yn("team_akkoord", "Is het hele team het eens met afsluiten?", True,
           regional={"haaglanden": "In Haaglanden sluit u alleen af als het hele team akkoord is."}),
        yn("client_akkoord", "Is de cliënt het eens met afsluiten?", True,
           regional={"haaglanden": "In Haaglanden sluit u alleen af als ook de cliënt akkoord is (003:45)."}),
        F("afsluitreden", "Reden van afsluiting", "choice", "duurzaam_veilig",
          options=[("duurzaam_veilig", "Veilig genoeg / duurzame veiligheid"),
                   ("ander_traject", "Gekozen voor ander traject"),
                   ("einde_termijn", "Einde van de afgesproken termijn zonder verlenging"),
                   ("uitval", "Uitval")],
          help="Hoe lang het traject loopt, leest het systeem uit de zaak zelf.",
          regional={"west-brabant": "Het Interventieteam blijft in principe een jaar betrokken; 'einde termijn' "
                                    "kan pas na 12 maanden en als geen verlenging nodig is.",
                    "rotterdam": "ICM duurt een jaar, of langer als dat nodig is; 'einde termijn' kan pas na 12 "
                                 "maanden en als geen verlenging nodig is."}),
        yn("verlenging_nodig", "Is verlenging nodig?", False,
           help="Ja als het team nog betrokken moet blijven om de veiligheid te borgen."),
        txt("eindevaluatie", "Eindevaluatie (procesregisseur)",
            "Doelen behaald; hulp loopt door via het wijkteam.", help="000:507-509"),
    ]}
OVERDRACHT = {
    "key": "overdracht", "title": "Warme overdracht naar reguliere hulpverlening",
    "fields": [
        txt("overdracht_aan", "Overdracht aan (reguliere hulp / interventie)", "Wijkteam en GGZ-behandelaar.",
            area=False, help="001:362"),
        txt("borging_samenwerking", "Wie borgt de samenwerking na MDA++?", "Casemanager wijkteam.", area=False,
            help="000:542-543"),
        F("datum_overdracht", "Datum overdracht", "date", DATE),
        yn("huishouden_geinformeerd_afsluiting", "Is het huishouden geïnformeerd over de afsluiting?", True),
    ]}
EFFECTMETING = {
    "key": "effectmeting", "title": "Effectmeting (T0 / 6 maanden / T2)",
    "fields": [
        yn("deelname_onderzoek", "Neemt het gezin deel aan de effectmeting?", True,
           help="Inclusie: minstens één kind van 3-18 jaar, Nederlands voldoende begrijpen (002:2377-2383)."),
        F("meting_datum", "Datum van de meting", "date", DATE),
        F("respondenten", "Respondenten", "multichoice", ["moeder", "kind_3_12"], required=False,
          options=[("moeder", "Moeder"), ("vader", "Vader"),
                   ("kind_3_12", "Ouder over kind 3-12 jaar"), ("jeugdige_8_18", "Jeugdige 8-18 jaar (zelfrapportage)")]),
        F("instrumenten", "Afgenomen instrumenten", "multichoice", ["CTS2", "CTSPC", "NOSI-K"], required=False,
          options=[(v, v) for v in ["CTS2", "CTSPC", "ACE", "TSI", "MANSA", "NOSI-K", "AUDIT-C", "TSCYC",
                                    "TSCC", "SIMS-PR", "SIS", "Security Scale", "ISRD-3", "Kidscreen-27"]],
          help="Instrumenten uit het onderzoeksprotocol (002:2414-2915)."),
        F("veiligheidsbeleving", "Veiligheidsbeleving (rapportcijfer 1-10)", "number", 7),
        txt("opmerkingen_meting", "Opmerkingen", "Meting afgenomen tijdens huisbezoek.", required=False),
    ]}
CRISIS = {
    "key": "crisisinterventie", "title": "Crisisinterventie: crisispartijen eerst",
    "fields": [
        F("crisispartijen", "Ingezette crisispartijen", "multichoice", ["politie", "veilig_thuis"],
          options=[("politie", "Politie"), ("crisisinterventieteam", "Crisisinterventieteam jeugdbescherming"),
                   ("veilig_thuis", "Veilig Thuis"), ("sof7", "SOF7 (Filomena)"),
                   ("spoedplein", "Spoedplein (ziekenhuis)"), ("huisverbod", "Tijdelijk huisverbod")],
          help="003:12; 004:24; 002:3414-3416; 002:3514-3526"),
        txt("crisis_maatregelen", "Genomen maatregelen", "Tijdelijk huisverbod opgelegd; kinderen veilig bij vader."),
        F("vervolg_na_crisis", "Vervolg na de crisisinterventie", "choice", "doorgaan",
          options=[("doorgaan", "MDA++-triage voortzetten"),
                   ("stoppen", "Geen MDA++: afsluiten na crisisinterventie")],
          help="MDA++-inzet sluit aan op de crisisaanpak (004:24)."),
    ]}
CRISIS_MONITORING = {
    "key": "crisis_monitoring", "title": "Acuut onveilig tijdens de monitoring: crisispartijen eerst",
    "fields": [
        txt("acuut_incident", "Wat is er gebeurd?", "Nieuw incident: partner heeft moeder bedreigd waar de kinderen "
            "bij waren.", help="Beschrijf het acute incident of het directe gevaar."),
        F("crisispartijen", "Ingezette crisispartijen", "multichoice", ["politie", "veilig_thuis"],
          options=[("politie", "Politie"), ("crisisinterventieteam", "Crisisinterventieteam jeugdbescherming"),
                   ("veilig_thuis", "Veilig Thuis"), ("sof7", "SOF7 (Filomena)"),
                   ("spoedplein", "Spoedplein (ziekenhuis)"), ("huisverbod", "Tijdelijk huisverbod")],
          help="Bij acute onveiligheid zijn politie, crisisinterventie en Veilig Thuis eerst aan zet (003:12)."),
        txt("crisis_maatregelen", "Genomen maatregelen", "Tijdelijk huisverbod; kinderen tijdelijk bij oma."),
        F("intensiteit", "Intensiteit van de MDA++-aanpak", "choice", "verhoogd",
          options=[("verhoogd", "Verhoogd (vaker contact, casusteam bijeen)"),
                   ("gelijk", "Gelijk gebleven")],
          help="Na een acuut incident schaalt MDA++ de intensiteit weer op (002:1853-1858)."),
    ]}
PLAN_HERZIEN = {
    "key": "plan_herzien", "title": "Plan van aanpak herzien na acute onveiligheid",
    "fields": [
        txt("plan_wijzigingen", "Wat verandert er in het plan?", "Strakkere veiligheidsafspraken; toezicht "
            "reclassering; wekelijks casusoverleg."),
        txt("veiligheidsafspraken", "Nieuwe veiligheidsafspraken", "Geen contact zonder begeleiding."),
        ZORGELIJKHEID_NU,
        yn("gedeeld_met_clientsysteem", "Is het herziene plan gedeeld met het cliëntsysteem?", True),
    ]}
TERMIJN = {
    "key": "termijn_signalering", "title": "Termijn verstreken: signalering en actie",
    "fields": [
        F("termijn_actie", "Actie", "choice", "actie_uitgezet",
          options=[("actie_uitgezet", "Actie uitgezet om de achterstand in te halen"),
                   ("termijn_verlengd", "Termijn gemotiveerd verlengd"),
                   ("opgeschaald", "Opgeschaald naar management")]),
        txt("termijn_toelichting", "Toelichting", "Besluit wordt deze week genomen."),
    ]}
ADVIES = {
    "key": "advies_aan_aanmelder", "title": "Gericht advies aan de aanmelder",
    "fields": [
        F("reden_niet_passend", "Reden", "choice", "criteria_niet_voldaan",
          options=[("criteria_niet_voldaan", "Voldoet niet aan de criteria"),
                   ("ander_traject", "Past beter in een ander traject"),
                   ("afgewezen", "Afgewezen door het MDA++-team"),
                   ("andere_interventie", "Andere interventie gekozen")]),
        txt("gericht_advies", "Gericht advies: hoe wel verder", "Inzet V&V-traject via Veilig Thuis; wijkteam houdt regie.",
            help="001:126-128; 001:294-296"),
        F("andere_route", "Vervolgroute", "choice", "reguliere_vt_route",
          options=[("reguliere_vt_route", "Reguliere Veilig Thuis-route (advies, V&V, onderzoek)"),
                   ("lokaal_team", "Lokaal team / wijkteam"), ("oggz", "OGGZ"),
                   ("veiligheidshuis", "Zorg- en Veiligheidshuis"), ("anders", "Anders")]),
        yn("aanmelder_geinformeerd", "Is de aanmelder geïnformeerd?", True),
    ]}
CONSULTATIE = {
    "key": "consultatie_advies", "title": "Consultatie en advies",
    "fields": [
        yn("anoniem_besproken", "Is de casus anoniem besproken?", False, help="002:1050-1052; 004:45"),
        txt("casus_samenvatting", "Samenvatting van de casus", "Structureel onveilige situatie zonder voortgang."),
        txt("consultatievraag", "Vraag van de aanvrager", "Welke interventie kan doorbraak geven?"),
        txt("gegeven_advies", "Gegeven advies", "Systeemgerichte analyse laten doen; GGZ en verslavingszorg betrekken."),
        yn("intake_mda_gestart", "Leidt de consultatie tot een MDA++-aanmelding?", False, required=False,
           help="Consultatie kan tot intake leiden (000:455-460)."),
        yn("verslag_gedeeld", "Is het verslag van de bespreking gedeeld met de betrokkenen?", True, required=False,
           help="Na de bespreking krijgen de betrokken professionals het verslag.",
           regional={"zeeland": "Het expertiseteam deelt het verslag na de bespreking met de betrokkenen "
                                "(004:57)."}),
    ]}
CONSULTATIE_AANVRAAG = {
    "key": "consultatie_aanvraag", "title": "Aanvraag consultatie en advies",
    "fields": [
        F("aanvrager_organisatie", "Organisatie aanvrager", "text", "Wijkteam Noord"),
        F("aanvrager_rol", "Functie aanvrager", "text", "Gezinscoach"),
        yn("anoniem", "Wilt u de casus anoniem inbrengen?", True, help="004:45, 004:69"),
        txt("casus_samenvatting", "Samenvatting van de casus", "Langdurig partnergeweld; hulp komt niet op gang."),
        txt("consultatievraag", "Vraag", "Is MDA++ passend en wat kunnen wij nu doen?"),
    ]}
REGIE = {
    "key": "regie_toewijzing", "title": "Regie beleggen",
    "fields": [
        person("procesregisseur", "Procesregisseur"),
        person("casusregisseur", "Casusregisseur"),
        txt("regie_toelichting", "Toelichting op de toewijzing", "Beste match op basis van expertise.",
            required=False),
    ]}
PLAN_BASE = [
    txt("doelen", "Doelen (samen met het huishouden opgesteld)",
        "1. Directe veiligheid voor moeder en kinderen. 2. Aanpak verslaving partner. 3. Traumabehandeling kinderen."),
    txt("veiligheidsafspraken", "Veiligheidsafspraken", "Geen contact bij escalatie; vader vangt kinderen op."),
    txt("interventies", "Interventies per fase (directe veiligheid, risicogestuurde zorg, herstel)",
        "Fase 1: veiligheidsplan; fase 2: verslavingszorg en GGZ; fase 3: traumabehandeling."),
    txt("rolverdeling", "Rolverdeling: wie doet wat", "Wijkteam: casusregie; GGZ: behandeling; politie: toezicht."),
    txt("besluiten_alternatieven", "Besluiten en overwogen alternatieven", "Uithuisplaatsing overwogen, niet nodig.",
        help="002:1985-1988"),
    txt("justitieel_spoor", "Justitieel spoor", "Strafzaak partner loopt.", required=False),
    yn("gedeeld_met_clientsysteem", "Is het plan gedeeld met het cliëntsysteem?", True, help="002:1937-1944"),
    ZORGELIJKHEID_PLAN,
]
VEILIGHEIDSPLAN_BASE = [
    txt("korte_termijn_afspraken", "Korte termijn: concrete afspraken tot de volgende bijeenkomst",
        "Partner verblijft tijdelijk elders; dagelijks contact met casusregisseur.", help="002:3152-3153"),
    txt("welke_hulp", "Lange termijn: welke hulp", "Verslavingszorg partner; systeemtherapie.", help="002:3153-3154"),
    txt("wie_meldt_aan", "Wie gaat zich aanmelden", "Partner meldt zich bij verslavingszorg.", help="002:3154"),
    txt("wat_als_niet_lukt", "Wat als het niet lukt", "Opschalen naar procesregisseur; politie ingeschakeld."),
    txt("wie_koppelt_terug", "Wie meldt terug", "Casusregisseur.", area=False),
    txt("rolverdeling", "Rolverdeling: wie doet wat", "Wijkteam: casusregie; GGZ: behandeling.", help="003:38"),
    txt("veiligheidsvoorwaarden_vt", "Veiligheidsvoorwaarden van Veilig Thuis", "Geen geweld in bijzijn van kinderen.",
        required=False, help="002:3259-3260, 002:3279-3280"),
    yn("gedeeld_met_clientsysteem", "Is het plan gedeeld met het cliëntsysteem?", True),
    ZORGELIJKHEID_PLAN,
]
JAAREVALUATIE = {
    "key": "jaarevaluatie", "title": "Jaarevaluatie: verlengen of afsluiten",
    "fields": [
        txt("jaarevaluatie_stand", "Stand van zaken na de afgesproken termijn",
            "Veiligheid verbeterd maar nog niet stabiel."),
        yn("dynamiek_stabiel", "Is de dynamiek van het gezin stabiel genoeg om af te bouwen?", False,
           regional={"friesland": "Na één tot anderhalf jaar kijkt het team of het gezin stabiel genoeg is om "
                                  "MDA++ af te bouwen (002:3158-3160)."}),
        F("jaarbesluit", "Besluit", "choice", "verlengen",
          options=[("verlengen", "Verlengen (verlenging noodzakelijk)"),
                   ("afsluiten", "Afbouwen en afsluiten")],
          help="Afsluiten gaat langs het afsluitbesluit; bij verlengen volgt een nieuwe beoordeling na de termijn.",
          regional={"west-brabant": "Het Interventieteam blijft in principe een jaar betrokken, tenzij verlenging "
                                    "noodzakelijk is (002:3379).",
                    "rotterdam": "ICM biedt begeleiding voor één jaar, of indien nodig langer (002:3531-3532)."}),
        F("verlenging_termijn", "Termijn tot de volgende jaarevaluatie", "choice", "P6M",
          options=[("P3M", "3 maanden"), ("P6M", "6 maanden"), ("P1Y", "1 jaar")]),
    ]}

COMMON_FORMS = [EVALUATIE, CRISIS_MONITORING, PLAN_HERZIEN, OPSCHALING_MELDING, OPSCHALING_PR, OPSCHALING_TEAM, OPSCHALING_MGMT, AFSLUITING,
                OVERDRACHT, EFFECTMETING, CRISIS, TERMIJN, ADVIES, CONSULTATIE, CONSULTATIE_AANVRAAG, REGIE,
                JAAREVALUATIE,
                aanmelding("aanmelding", "Aanmelding MDA++"),
                {"key": "plan_van_aanpak", "title": "Integraal plan van aanpak", "fields": PLAN_BASE},
                {"key": "veiligheidsplan", "title": "Veiligheidsplan", "fields": VEILIGHEIDSPLAN_BASE}]
