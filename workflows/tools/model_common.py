"""Shared building blocks (workflows/common) and common decisions D1, D2, D4, D8."""
from bpmnlib import Decision, Process

REGIONS = ["nml", "utrecht", "haaglanden", "zeeland", "friesland", "drenthe", "west-brabant",
           "hart-van-brabant", "rotterdam"]


def in_list(values):
    return "? in (" + ", ".join(f'"{v}"' for v in values) + ")"


# ---------------------------------------------------------------------------- decisions
def d1():
    d = Decision("d1_acute_veiligheid", "D1 Acute veiligheid", "UNIQUE",
                 [("Acuut onveilig", "acuut_onveilig"), ("Acute MDA++-ingang van de regio", "acute_ingang")],
                 [("Acute route", "acute_route")],
                 doc="D1 acute veiligheidspoort (domein 5.3). Bronnen 003:12; 004:24; 002:3414-3416; 002:3522-3526.")
    d.rule(["True", '"geen"'], ['"crisispartijen"'], "Crisispartijen eerst (politie, crisisinterventie, VT)")
    d.rule(["True", '"sof7"'], ['"crisispartijen_sof7"'], "Rotterdam: crisispartijen eerst + SOF7")
    d.rule(["True", '"spoedplein"'], ['"crisispartijen_spoedplein"'], "Hart van Brabant: Spoedplein")
    d.rule(["False", None], ['"geen"'], "Geen acute route: door naar triage (D2)")
    return d


def d2():
    multi = "aantal_domeinen >= 2 or ketenaanpak_nodig"
    d = Decision("d2_geschiktheid", "D2 Generieke geschiktheid MDA++", "UNIQUE",
                 [("Professioneel oordeel", "triage_oordeel"), ("Verzoek", "verzoek_type"),
                  ("HGKM aanwezig", "hgkm_aanwezig"), ("Structureel en terugkerend", "structureel_terugkerend"),
                  ("Reguliere hulp onvoldoende", "reguliere_hulp_onvoldoende"),
                  ("Aantal leefgebieden", "aantal_leefgebieden"),
                  ("Meerdere domeinen of ketenaanpak nodig", multi)],
                 [("Triage-uitkomst", "triage_uitkomst")],
                 doc=("D2 generieke geschiktheid (domein 5.4; NML 000:160-167, 000:405-417). De bron gebruikt "
                      "hit policy FIRST; hier herschreven tot elkaar uitsluitende regels (UNIQUE). Een afwijkend "
                      "professioneel oordeel (triage_oordeel) gaat voor de criteria (000:406-408)."))
    d.rule(['"mda"', None, None, None, None, None, None], ['"mda"'], "Afwijkend oordeel: MDA++")
    d.rule(['"consultatie"', None, None, None, None, None, None], ['"consultatie"'], "Afwijkend oordeel: consultatie")
    d.rule(['"advies"', None, None, None, None, None, None], ['"advies"'], "Afwijkend oordeel: advies")
    c = '"criteria"'
    d.rule([c, None, "False", None, None, None, None], ['"advies"'], "Geen HGKM (regel 2)")
    d.rule([c, '"consultatie"', "True", None, None, None, None], ['"consultatie"'], "Adviesvraag (regel 3)")
    d.rule([c, '"traject"', "True", "False", None, None, None], ['"advies"'], "Niet structureel (regel 8)")
    d.rule([c, '"traject"', "True", "True", "True", ">= 2", "True"], ['"mda"'], "Alle vier kenmerken (regel 4)")
    d.rule([c, '"traject"', "True", "True", "False", None, None], ['"consultatie"'],
           "Reguliere hulp niet mislukt (regel 5, ook verborgen huishoudens)")
    d.rule([c, '"traject"', "True", "True", "True", "< 2", None], ['"consultatie"'], "Te weinig leefgebieden (regel 6)")
    d.rule([c, '"traject"', "True", "True", "True", ">= 2", "False"], ['"consultatie"'], "Te weinig domeinen (regel 7)")
    return d


def d4():
    d = Decision("d4_evaluatie_interval", "D4 Evaluatietermijn", "UNIQUE",
                 [("Regio", "regio"), ("Zorgelijkheid", "zorgelijkheid")],
                 [("Evaluatietermijn", "evaluatie_interval")],
                 doc=("D4 evaluatietermijn (domein 5.7). T08 Friesland 3 of 6 maanden naar zorgelijkheid "
                      "(002:3154-3156); T03 Hart van Brabant elke 3 maanden (002:3472-3473); T14 Drenthe gemiddeld "
                      "eens per 3 maanden (002:3273); T38 overige regio's driemaandelijks (002:1101-1103)."))
    d.rule(['"friesland"', '"hoog"'], ['"P3M"'], "T08 zorgelijk: na 3 maanden")
    d.rule(['"friesland"', '"matig"'], ['"P6M"'], "T08 minder zorgelijk: na 6 maanden")
    d.rule(['"hart-van-brabant"', None], ['"P3M"'], "T03")
    d.rule(['"drenthe"', None], ['"P3M"'], "T14")
    d.rule([in_list(["nml", "utrecht", "haaglanden", "zeeland", "west-brabant", "rotterdam"]), None], ['"P3M"'],
           "T38 driemaandelijks (standaard)")
    return d


def d8():
    nml = "duurzame_veiligheid and onderliggende_risicos_aangepakt and herstel_aanwezig"
    d = Decision("d8_afsluiting", "D8 Afsluiting", "UNIQUE",
                 [("Regio", "regio"), ("Duurzame veiligheid", "duurzame_veiligheid"),
                  ("NML: veilig, risico's aangepakt en herstel", nml),
                  ("Team en cliënt akkoord", "team_akkoord and client_akkoord"),
                  ("Reden", "afsluitreden"),
                  ("Maanden in het traject (uit de zaak)", "maanden_sinds(traject_start)"),
                  ("Geen nieuwe onveiligheidssignalen", "geen_nieuwe_signalen"),
                  ("Verlenging nodig", "verlenging_nodig")],
                 [("Besluit", "afsluiting_besluit"), ("Toelichting", "afsluiting_toelichting")],
                 doc=("D8 afsluiting (domein 5.11). De duur van het traject komt uit de zaak zelf: het model legt bij "
                      "de start van het MDA++-traject traject_start = vandaag() vast. NML (regel 1): veilig, risico's "
                      "aangepakt en herstel, minstens een jaar en geen nieuwe signalen (000:501-502, 000:538-541). "
                      "Utrecht 001:279-284; Haaglanden 003:45; Friesland: duurzame veiligheid, na drie maanden tot "
                      "vijf jaar (002:3164-3167; de seed gaat voor op domeinregel 4); Drenthe 002:3280-3281; West-Brabant en Rotterdam "
                      "(regel 6): in principe een jaar, tenzij verlenging nodig is (002:3379; 002:3531-3532)."))
    n = [None, None, None]  # months, signals, extension: not read
    # NML (rule 1)
    d.rule(['"nml"', None, "False", None, None] + n, ['"doorgaan"', '"Niet aan alle NML-afsluitcriteria voldaan"'])
    d.rule(['"nml"', None, "True", None, None, "< 12", None, None],
           ['"doorgaan"', '"Minder dan een jaar in het traject (NML: minimaal een jaar)"'])
    d.rule(['"nml"', None, "True", None, None, ">= 12", "False", None],
           ['"doorgaan"', '"Nieuwe signalen van onveiligheid: niet afsluiten"'])
    d.rule(['"nml"', None, "True", None, None, ">= 12", "True", None],
           ['"afsluiten"', '"Duurzaam veilig, risico\'s aangepakt en herstel, na minstens een jaar (NML)"'])
    # Haaglanden (rule 3)
    d.rule(['"haaglanden"', None, None, "True", None] + n, ['"afsluiten"', '"Team en cliënt akkoord (Haaglanden)"'])
    d.rule(['"haaglanden"', None, None, "False", None] + n,
           ['"doorgaan"', '"Afsluiten alleen als het hele team en de cliënt akkoord zijn"'])
    # West-Brabant and Rotterdam (rule 6)
    wr = in_list(["west-brabant", "rotterdam"])
    d.rule([wr, None, None, None, None, "< 12", None, None],
           ['"doorgaan"', '"Minder dan 12 maanden: het team blijft in principe een jaar betrokken"'])
    d.rule([wr, "True", None, None, None, ">= 12", None, None], ['"afsluiten"', '"Duurzame veiligheid na een jaar"'])
    d.rule([wr, "False", None, None, '"einde_termijn"', ">= 12", None, "False"],
           ['"afsluiten"', '"Einde van de termijn zonder verlenging"'])
    d.rule([wr, "False", None, None, '"einde_termijn"', ">= 12", None, "True"],
           ['"doorgaan"', '"Verlenging nodig: niet afsluiten"'])
    d.rule([wr, "False", None, None, '? != "einde_termijn"', ">= 12", None, None],
           ['"doorgaan"', '"Nog geen duurzame veiligheid"'])
    # Utrecht, Zeeland, Drenthe, Hart van Brabant (rules 2, 5; others not described)
    # Friesland: the seed closes on durable safety, after three months to five years (002:3164-3167); the
    # domain's rule 4 (at least 12 months) reads the phase-out review of 002:3158-3160 as a closure
    # condition. The seed wins; the review after a year is the yearly review (T09).
    rest = in_list(["utrecht", "zeeland", "friesland", "drenthe", "hart-van-brabant"])
    d.rule([rest, "True", None, None, None] + n, ['"afsluiten"', '"Duurzame/stabiele veiligheid bereikt"'])
    d.rule([rest, "False", None, None, None] + n, ['"doorgaan"', '"Nog geen duurzame veiligheid"'])
    return d


# ---------------------------------------------------------------------------- processes
def common_acute_toets():
    p = Process("common_acute_toets", "Acute veiligheid toetsen (D1)", False,
                doc="Acute onveiligheid: crisispartijen eerst (003:12; 004:24). Beslissing D1.")
    p.start("start", "Aanmelding ontvangen", "veilig_thuis")
    p.rule("d1", "Acute veiligheid bepalen (D1)", "d1_acute_veiligheid",
           doc="D1 acute veiligheidspoort (003:12).")
    p.xor("gw_acuut", "Acuut onveilig?")
    p.script("geen_crisis", "Geen crisis: triage voortzetten", 'vervolg_na_crisis = "doorgaan"')
    p.end("end_geen", "Geen acute onveiligheid")
    p.user("crisis", "Crisisinterventie coördineren: crisispartijen eerst", "veilig_thuis", "crisisinterventie",
           "triage", doc="Politie, crisisinterventieteam en Veilig Thuis zijn eerst aan zet (003:12).")
    p.end("end_crisis", "Crisisinterventie afgerond")
    p.chain("start", "d1", "gw_acuut")
    p.flow("gw_acuut", "geen_crisis", cond='acute_route == "geen"', name="nee")
    p.flow("gw_acuut", "crisis", name="ja", default=True)
    p.chain("geen_crisis", "end_geen")
    p.chain("crisis", "end_crisis")
    return p


def common_evaluatiemoment():
    p = Process("common_evaluatiemoment", "Wachten tot het evaluatiemoment", False,
                doc="Wachtstap van de monitoringslus: één duur-timer met de termijn uit D4 (evaluatie_interval).")
    p.start("start", "Wachten start", "casusregisseur")
    p.timer("timer_evaluatie", "Evaluatiemoment bereikt", "evaluatie_interval", phase="monitoring",
            doc=("Lus via een duur-timer (geen cyclus, die verloopt). T03 (Hart van Brabant, 3 mnd), T08 (Friesland, "
                 "3 of 6 mnd), T14 (Drenthe, ~3 mnd), T38 (overige regio's, driemaandelijks)."))
    p.end("end", "Evaluatiemoment")
    p.chain("start", "timer_evaluatie", "end")
    return p


def common_monitoring():
    p = Process("common_monitoring", "Monitoring en periodieke evaluatie", False,
                doc=("Uitvoerings- en monitoringslus (P5): wachten tot het evaluatiemoment (D4), evalueren, en "
                     "doorgaan, opschalen (P6) of afschalen. Een evaluatie kan vervroegd worden met het bericht "
                     "'evaluatie_vervroegen' op de wachtstap (Friesland 002:3156; nieuw incident 002:1853-1858). "
                     "Crisisroute (domein 8.6 S17; 002:1853-1858, 003:12): op elk moment van de monitoring kan het "
                     "bericht 'acuut_onveilig' (of het evaluatiebesluit 'acuut onveilig') de casus onderbreken: "
                     "crisispartijen eerst (D1), intensiteit omhoog, plan herzien, daarna gaat de monitoring door."))
    p.start("start", "Monitoring start", "casusregisseur")
    p.xor("gw_lus", "")
    p.rule("d4", "Evaluatietermijn bepalen (D4)", "d4_evaluatie_interval",
           doc="D4 evaluatietermijn: T03, T08, T14, T38.")
    p.call("wachten", "Wachten tot het evaluatiemoment", "common_evaluatiemoment",
           doc="T03/T08/T14/T38: duur-timer met evaluatie_interval (uit D4).")
    p.boundary("msg_vervroegen", "Evaluatie vervroegd", "wachten", interrupting=True, message="evaluatie_vervroegen",
               doc=("Bericht 'evaluatie_vervroegen' breekt het wachten af: 'Indien nodig kan de afspraak vervroegd "
                    "worden' (Friesland, 002:3156); ook bij een nieuw incident (002:1853-1858)."))
    p.boundary("msg_acuut_wachten", "Acuut onveilig gemeld", "wachten", interrupting=True, message="acuut_onveilig",
               doc="S17: nieuw acuut incident tijdens de monitoring onderbreekt het wachten (002:1853-1858; 003:12).")
    p.xor("gw_evaluatie", "")
    p.user("evaluatie", "Periodieke evaluatie uitvoeren", "casusregisseur", "evaluatie", "monitoring",
           doc="Periodieke evaluatie met casusteam en huishouden (002:3154-3156; 002:3472-3473; 001:225-229).")
    p.xor("gw_besluit", "Besluit evaluatie?")
    p.call("opschaling", "Opschalen bij stagnatie", "common_opschaling",
           doc="Escalatieladder P6 (001:229-232).")
    p.boundary("msg_acuut_opschaling", "Acuut onveilig gemeld", "opschaling", interrupting=True,
               message="acuut_onveilig", doc="S17: ook tijdens een opschaling gaat acute onveiligheid voor.")
    p.end("end_afschalen", "Afschalen: naar afsluiting")
    # crisis route (S17)
    p.xor("gw_crisis", "", lane="veilig_thuis")
    p.script("acuut_vastleggen", "Acute onveiligheid vastleggen", "acuut_onveilig = True", lane="veilig_thuis")
    p.rule("d1", "Crisisroute bepalen (D1)", "d1_acute_veiligheid", lane="veilig_thuis",
           doc="D1 acute veiligheidspoort, ook tijdens de monitoring (003:12; 002:1853-1858).")
    p.user("crisis", "Crisisinterventie: crisispartijen eerst", "veilig_thuis", "crisis_monitoring", "opschaling",
           doc="Politie, crisisinterventieteam en Veilig Thuis zijn eerst aan zet (003:12); de intensiteit gaat "
               "omhoog (002:1853-1858).")
    p.user("plan_herzien", "Plan van aanpak herzien na acute onveiligheid", "casusregisseur", "plan_herzien",
           "opschaling", doc="Plan herzien na het acute incident, daarna gaat de monitoring door (S17).")
    p.script("monitoring_hervatten", "Monitoring hervatten", "acuut_onveilig = False", lane="casusregisseur")
    p.chain("start", "gw_lus", "d4", "wachten", "gw_evaluatie")
    p.flow("msg_vervroegen", "gw_evaluatie")
    p.chain("gw_evaluatie", "evaluatie", "gw_besluit")
    p.flow("gw_besluit", "opschaling", cond='besluit == "opschalen"', name="opschalen")
    p.flow("gw_besluit", "end_afschalen", cond='besluit == "afschalen"', name="afschalen")
    p.flow("gw_besluit", "gw_crisis", cond='besluit == "acuut_onveilig"', name="acuut onveilig")
    p.flow("gw_besluit", "gw_lus", name="doorgaan", default=True)
    p.flow("opschaling", "gw_lus")
    p.flow("msg_acuut_wachten", "gw_crisis")
    p.flow("msg_acuut_opschaling", "gw_crisis")
    p.chain("gw_crisis", "acuut_vastleggen", "d1", "crisis", "plan_herzien", "monitoring_hervatten", "gw_lus")
    return p


def common_opschaling():
    p = Process("common_opschaling", "Opschaling bij stagnatie", False,
                doc=("Escalatieladder (P6, afgeleid): casusregisseur -> procesregisseur -> opnieuw in het "
                     "consultatie-/analyseteam -> management/bestuur (001:212-215, 001:229-232; 000:459-460; "
                     "002:1112-1115; 002:3484-3487). Geen termijnen in de bronnen."))
    p.start("start", "Stagnatie gesignaleerd", "casusregisseur")
    p.user("melding", "Stagnatie melden aan de procesregisseur", "casusregisseur", "opschaling_melding", "opschaling")
    p.user("actie_pr", "Opschaling beoordelen en doorbraak forceren", "procesregisseur", "opschaling_procesregisseur",
           "opschaling")
    p.xor("gw_pr", "Doorbraak bereikt?")
    p.end("end_opgelost", "Terug naar monitoring")
    p.user("herbespreking", "Casus opnieuw bespreken in het multidisciplinaire team", "teamlid",
           "opschaling_herbespreking", "opschaling")
    p.xor("gw_team", "Advies volstaat?")
    p.end("end_team", "Terug naar monitoring")
    p.xor("gw_mgmt", "", lane="coordinator")
    p.user("management", "Opschalen naar management of bestuur", "coordinator", "opschaling_management", "opschaling")
    p.end("end_mgmt", "Terug naar monitoring")
    p.chain("start", "melding", "actie_pr", "gw_pr")
    p.flow("gw_pr", "end_opgelost", cond='opschaling_vervolg == "opgelost"', name="opgelost")
    p.flow("gw_pr", "herbespreking", cond='opschaling_vervolg == "consultatieteam"', name="team")
    p.flow("gw_pr", "gw_mgmt", name="management", default=True)
    p.chain("herbespreking", "gw_team")
    p.flow("gw_team", "end_team", cond='herbespreking_vervolg == "opgelost"', name="opgelost")
    p.flow("gw_team", "gw_mgmt", name="management", default=True)
    p.chain("gw_mgmt", "management", "end_mgmt")
    return p


def common_afsluiting():
    p = Process("common_afsluiting", "Afsluiting en overdracht", False,
                doc="Afschalen en afsluiten (P7) met beslissing D8; overdracht naar reguliere hulp (001:362; 000:542-543).")
    p.start("start", "Afsluiting voorgesteld", "procesregisseur")
    p.user("eindevaluatie", "Eindevaluatie en afsluitbesluit voorbereiden", "procesregisseur", "afsluiting",
           "afsluiting", doc="Procesregisseur zorgt voor evaluatie bij afronding (000:507-509).")
    p.rule("d8", "Afsluitcriteria toetsen (D8)", "d8_afsluiting", doc="D8 afsluiting (domein 5.11).")
    p.xor("gw_d8", "Afsluiten?")
    p.user("overdracht", "Warme overdracht naar reguliere hulpverlening", "casusregisseur", "overdracht", "afsluiting",
           doc="Stap 10 Utrecht: reguliere hulp/interventie (001:362).")
    p.end("end_gesloten", "MDA++ afgesloten")
    p.end("end_doorgaan", "Niet afsluiten: monitoring voortzetten", lane="procesregisseur")
    p.chain("start", "eindevaluatie", "d8", "gw_d8")
    p.flow("gw_d8", "overdracht", cond='afsluiting_besluit == "afsluiten"', name="afsluiten")
    p.flow("gw_d8", "end_doorgaan", name="doorgaan", default=True)
    p.chain("overdracht", "end_gesloten")
    return p


def common_effectmeting():
    p = Process("common_effectmeting", "Effectmeting (T0, 6 maanden, T2)", False,
                doc=("Meetmomenten uit het onderzoeksprotocol (T35) in de vijf onderzoeksregio's (Friesland, "
                     "Rotterdam, Drenthe, Hart van Brabant, West-Brabant; 002:2364-2370): T0 in de periode van "
                     "aanmelding, een extra meting 6 maanden na start en T2 een jaar na T0 (002:2369-2371, "
                     "002:3043-3052). De 6 maanden en het jaar tellen vanaf het moment dat T0 klaarstaat (de "
                     "aanmelding), niet vanaf het moment dat iemand de T0-taak afrondt."))
    p.start("start", "Aanmelding MDA++", "coordinator")
    p.par("gw_split")
    p.user("t0", "Effectmeting T0 afnemen (aanmelding)", "coordinator", "effectmeting", None,
           doc="T35: T0 in de periode van aanmelding (002:2369-2370).")
    p.end("end_t0", "Meting T0 afgerond")
    p.timer("timer_6m", "Effectmeting 6 maanden", '"P6M"',
            doc="T35: extra meetmoment 6 maanden na start, geteld vanaf T0 (002:3043-3052).")
    p.user("t1", "Effectmeting 6 maanden afnemen", "coordinator", "effectmeting", None)
    p.end("end_t1", "Meting 6 maanden afgerond")
    p.timer("timer_1j", "Effectmeting T2 (1 jaar na T0)", '"P1Y"', doc="T35: T2 één jaar na T0 (002:2370-2371).")
    p.user("t2", "Effectmeting T2 afnemen (1 jaar)", "coordinator", "effectmeting", None)
    p.end("end_t2", "Meting T2 afgerond")
    p.chain("start", "gw_split")
    p.chain("gw_split", "t0", "end_t0")
    p.chain("gw_split", "timer_6m", "t1", "end_t1")
    p.chain("gw_split", "timer_1j", "t2", "end_t2")
    return p


def common_processes():
    return [common_acute_toets(), common_evaluatiemoment(), common_monitoring(), common_opschaling(), common_afsluiting(),
            common_effectmeting()]


def common_decisions():
    return [d1(), d2(), d4(), d8()]
