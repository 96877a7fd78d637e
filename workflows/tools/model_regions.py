"""Region main processes (workflows/regions/<region>/) and region decisions."""
from bpmnlib import Decision, Process

C = '"criteria"'


def pid(region):
    return "mda_" + region.replace("-", "_")


# ---------------------------------------------------------------------------- building helpers
# The five regions of the Verwey-Jonker effect study (002:2364-2370): only these measure effects (T35).
STUDY_REGIONS = ("friesland", "rotterdam", "drenthe", "hart-van-brabant", "west-brabant")


def front(p, region, start_form, acute_ingang="geen", start_name="Aanmelding MDA++ ontvangen", settings=""):
    """Registration start, region parameters, effect measurement (study regions only), D1 acute check.
    Returns the gateway whose default flow the caller connects to triage."""
    p.start("start_aanmelding", start_name, "aanmelder", form=start_form,
            doc="P1 aanmelding (001:298-301; 003:26-27).")
    p.script("regio_vastleggen", "Regiokenmerken vastleggen",
             f'regio = "{region}"\nacute_ingang = "{acute_ingang}"' + settings, lane="aanmelder",
             doc="Regio-instellingen: de gedeelde beslissingen lezen deze variabelen.")
    p.call("acute_toets", "Acute veiligheid toetsen (D1)", "common_acute_toets", lane="veilig_thuis",
           doc="D1: acuut onveilig -> crisispartijen eerst (003:12).")
    p.xor("gw_na_crisis", "Vervolg na acute toets?")
    p.end("end_na_crisis", "Afgesloten na crisisinterventie", terminate=True)
    if region in STUDY_REGIONS:
        p.par("gw_effectmeting", "Aanmelding: effectmeting T0", lane="aanmelder")
        p.call("effectmeting", "Effectmeting T0 / 6 maanden / T2", "common_effectmeting", lane="coordinator",
               doc=("T35 effectmeting in de onderzoeksregio's (002:2364-2370): T0 bij aanmelding, 6 maanden en "
                    "T2 na 1 jaar, geteld vanaf T0 (002:2369-2371, 002:3043-3052)."))
        p.end("end_effectmeting", "Effectmeting afgerond")
        p.chain("start_aanmelding", "regio_vastleggen", "gw_effectmeting", "acute_toets", "gw_na_crisis")
        p.chain("gw_effectmeting", "effectmeting", "end_effectmeting")
    else:
        p.chain("start_aanmelding", "regio_vastleggen", "acute_toets", "gw_na_crisis")
    p.flow("gw_na_crisis", "end_na_crisis", cond='vervolg_na_crisis == "stoppen"', name="stoppen")
    return "gw_na_crisis"


def triage_gate(p, g, name, decision, lane, doc, question="Triage-uitkomst?"):
    """The region's triage task (already added as "triage") → its eligibility decision (D2) →
    the gateway "gw_triage" whose outcomes the caller wires to advice, consultation or MDA++."""
    p.rule("d2", name, decision, lane=lane, doc=doc)
    p.xor("gw_triage", question)
    p.flow(g, "triage", default=True, name="doorgaan")
    p.chain("triage", "d2", "gw_triage")


def side_advice(p, id, name, lane, src, cond, flow_name="niet passend", end_name="Advies gegeven"):
    p.user(id, name, lane, "advies_aan_aanmelder", "triage",
           doc="Niet geïndiceerd: gericht advies hoe wel verder (001:126-128).")
    p.end(f"end_{id}", end_name, terminate=True)
    p.flow(src, id, cond=cond, name=flow_name)
    p.chain(id, f"end_{id}")


def side_consult(p, id, name, lane, src, cond, flow_name="consultatie", end_name="Consultatie afgerond"):
    p.user(id, name, lane, "consultatie_advies", "triage",
           doc="Alleen consultatie en advies (000:415-417, 000:455-460; 004:45).")
    p.end(f"end_{id}", end_name, terminate=True)
    p.flow(src, id, cond=cond, name=flow_name)
    p.chain(id, f"end_{id}")


def start_trajectory(p, src, default=False, name=None, yearly=None):
    """The start of the MDA++ trajectory: records its date (`traject_start`, which D8 reads for the
    trajectory's length) and, where the region holds a yearly review, splits it off from here, the
    moment the source anchors the year at. Returns the node the main path continues from."""
    p.script("traject_start", "Start MDA++-traject vastleggen", "traject_start = vandaag()",
             doc="De duur van het traject komt uit de zaak zelf (D8 leest maanden_sinds(traject_start)).")
    p.flow(src, "traject_start", default=default, name=name)
    if not yearly:
        return "traject_start"
    p.par("gw_start_traject", "Start MDA++-traject")
    p.flow("traject_start", "gw_start_traject")
    yearly_review(p, "gw_start_traject", *yearly)
    return "gw_start_traject"


def yearly_review(p, split, tid, text, anchor):
    """A parallel branch from `split` that waits one year and then holds an extend-or-close review;
    it neither interrupts the monitoring nor restarts when a refused closure re-enters it, and it comes
    back after the chosen term when the review extends or D8 refuses its closure."""
    p.timer("timer_jaar", "Jaarevaluatie (1 jaar na start traject)", '"P1Y"', lane="procesregisseur",
            doc=(f"{tid}: {text} Het jaar telt vanaf {anchor}. Parallel aan de monitoring: die loopt door, en een "
                 "geweigerde afsluiting die de monitoring opnieuw start, verschuift de jaarevaluatie niet."))
    p.flow(split, "timer_jaar")
    p.xor("gw_jaar_in", "", lane="procesregisseur")
    p.user("jaarevaluatie", "Jaarevaluatie: verlengen of afsluiten", "procesregisseur", "jaarevaluatie",
           "monitoring", doc=f"{tid}: {text}")
    p.xor("gw_jaar", "Verlengen?")
    p.timer("timer_verlenging", "Volgende jaarevaluatie (gekozen termijn)", "verlenging_termijn",
            doc=(f"{tid}: na verlenging, of als D8 de afsluiting na de jaarevaluatie weigert, opnieuw "
                 "beoordelen na de termijn die de jaarevaluatie koos."))
    p.call("afsluiting_jaar", "Afsluiting na jaarevaluatie (D8)", "common_afsluiting", lane="procesregisseur")
    p.xor("gw_jaar_afsluiten", "Afgesloten?")
    p.end("end_jaar_afgesloten", "MDA++ afgesloten na jaarevaluatie", terminate=True)
    p.chain("timer_jaar", "gw_jaar_in", "jaarevaluatie", "gw_jaar")
    p.flow("gw_jaar", "afsluiting_jaar", cond='jaarbesluit == "afsluiten"', name="afsluiten")
    p.xor("gw_verlenging", "", lane="procesregisseur")
    p.flow("gw_jaar", "gw_verlenging", name="verlengen", default=True)
    p.chain("gw_verlenging", "timer_verlenging", "gw_jaar_in")
    p.chain("afsluiting_jaar", "gw_jaar_afsluiten")
    p.flow("gw_jaar_afsluiten", "end_jaar_afgesloten", cond='afsluiting_besluit == "afsluiten"',
           name="afsluiten")
    p.flow("gw_jaar_afsluiten", "gw_verlenging", name="doorgaan: opnieuw na de termijn", default=True)


def tail(p, src, doc_monitoring=""):
    """Monitoring loop (common_monitoring) and closure (common_afsluiting, D8)."""
    p.xor("gw_monitoring", "", lane="casusregisseur")
    p.call("monitoring", "Monitoring en periodieke evaluatie", "common_monitoring", lane="casusregisseur",
           doc=doc_monitoring or "P5 monitoringslus met evaluatietermijn uit D4.")
    p.call("afsluiting", "Afsluiting en overdracht (D8)", "common_afsluiting", lane="procesregisseur",
           doc="P7 afsluiting; D8.")
    p.xor("gw_afsluiten", "Afgesloten?")
    p.end("end_afgesloten", "MDA++ afgesloten", terminate=True,
          doc="Beëindigt ook lopende nevenpaden (effectmeting, termijnsignaleringen, jaarevaluatie).")
    p.flow(src, "gw_monitoring")
    p.chain("gw_monitoring", "monitoring", "afsluiting", "gw_afsluiten")
    p.flow("gw_afsluiten", "end_afgesloten", cond='afsluiting_besluit == "afsluiten"', name="afsluiten")
    p.flow("gw_afsluiten", "gw_monitoring", name="doorgaan", default=True)


def reminder(p, id, host, expr, tid, text, label, name):
    """Non-interrupting deadline on `host` (shown as `label`, at most 60 characters) leading to a
    signalling task for the coordinator. The signal has no phase of its own: it does not move the case."""
    assert len(label) <= 60, label
    p.boundary(f"timer_{id}", label, host, expr, doc=f"{tid}: {text} Niet-onderbrekend: het werk loopt door.")
    p.user(f"signaal_{id}", name, "coordinator", "termijn_signalering", None,
           doc=f"{tid}: termijn verstreken; de bronnen noemen geen vervolgactie, daarom signalering (domein 4, noot).")
    p.end(f"end_signaal_{id}", "Gesignaleerd")
    p.chain(f"timer_{id}", f"signaal_{id}", f"end_signaal_{id}")


def strict_d2(id, name, doc, criteria_label, criteria_expr, extra_inputs=(), consult_on_request=True):
    """Region eligibility: professional override, consultation request, all criteria met -> mda else advies."""
    d = Decision(id, name, "UNIQUE",
                 [("Professioneel oordeel", "triage_oordeel"), ("Verzoek", "verzoek_type"),
                  (criteria_label, criteria_expr)] + list(extra_inputs),
                 [("Triage-uitkomst", "triage_uitkomst")], doc=doc)
    n = len(extra_inputs)
    for v in ("mda", "consultatie", "advies"):
        d.rule([f'"{v}"', None, None] + [None] * n, [f'"{v}"'], f"Afwijkend professioneel oordeel: {v}")
    d.rule([C, '"consultatie"', None] + [None] * n, ['"consultatie"'], "Aanmelder vraagt alleen consultatie")
    return d


# ---------------------------------------------------------------------------- NML
def nml():
    p = Process("mda_nml", "MDA++ Noord- en Midden-Limburg", True,
                doc=("Combinatiemodel (000:362-389): VT trieert (000:414-417), elke casus eerst in het analyseteam "
                     "(000:423-424), casusteam maakt plan met huishouden (000:482-502). Procesregie ZVH, casusregie "
                     "lokaal team of Moveoo (000:556-599)."))
    g = front(p, "nml", "aanmelding")
    p.user("triage", "Verkennende analyse (triage) door Veilig Thuis", "veilig_thuis", "triage", "triage",
           doc="P2 triage door VT (000:414-417); criteria als richtlijn (000:406-408).")
    triage_gate(p, g, "Geschiktheid bepalen (D2)", "d2_geschiktheid", "veilig_thuis", "D2 generieke geschiktheid.", question="Triage-uitkomst?")
    side_advice(p, "advies", "Gericht advies aan de aanmelder geven", "veilig_thuis", "gw_triage",
                'triage_uitkomst == "advies"')
    side_consult(p, "consultatie", "Consultatie en advies door het analyseteam", "teamlid", "gw_triage",
                 'triage_uitkomst == "consultatie"')
    p.user("agendering", "Casus voorbereiden en agenderen voor het analyseteam", "procesregisseur", "agendering",
           "analyse", doc="Procesondersteuning ZVH plant de bespreking (000:903-905).")
    p.user("analyseteam", "Analyseteam: analysevragen beantwoorden en regie beleggen", "teamlid", "analyse_nml",
           "analyse", doc="Analysevragen (000:429-433); benoemt casusregisseur; D6 lokaal team of Moveoo.")
    p.flow("gw_triage", "agendering", name="MDA++", default=True)
    p.chain("agendering", "analyseteam")
    s = start_trajectory(p, "analyseteam")
    p.user("plan", "Plan van aanpak opstellen met casusteam en huishouden", "casusregisseur", "plan_van_aanpak", "plan",
           doc="Casusteam maakt samen met het huishouden een plan (000:482-484, 000:493-495).")
    p.flow(s, "plan")
    tail(p, "plan", doc_monitoring="P5: geen evaluatietermijn in de bron; driemaandelijks gekozen (T38, D4).")
    return p


def nml_consultatie():
    p = Process("mda_nml_consultatie", "MDA++ NML: consultatie en advies", True,
                doc="Laagdrempelige consultatie en advies door het analyseteam zonder traject (000:455-460).")
    p.start("start_consultatie", "Consultatievraag ontvangen", "aanmelder", form="consultatie_aanvraag")
    p.script("regio_vastleggen", "Regiokenmerken vastleggen", 'regio = "nml"', lane="aanmelder")
    p.user("consultatie", "Consultatie en advies door het analyseteam", "teamlid", "consultatie_advies", "analyse")
    p.end("end_consultatie", "Advies gegeven")
    p.chain("start_consultatie", "regio_vastleggen", "consultatie", "end_consultatie")
    return p


# ---------------------------------------------------------------------------- Utrecht
def utrecht():
    p = Process("mda_utrecht", "MDA++ Utrecht", True,
                doc=("Team procesregie (VT + ZVHRU) trieert samen met de aanmelder (001:98-130); het wekelijkse "
                     "consultatieteam geeft integraal advies en benoemt casus- en procesregisseur (001:140-186); het "
                     "interventieteam voert uit (001:192-203)."))
    g = front(p, "utrecht", "aanmelding")
    p.user("triage", "Gezamenlijke triage en verkennende analyse (team procesregie)", "procesregisseur",
           "triage_utrecht", "triage", doc="001:100-130; criteria 001:104-118.")
    triage_gate(p, g, "Criteria Utrecht toetsen (D2-UTR)", "d2_utrecht", "procesregisseur", "D2-UTR (001:104-118).", question="Voldoet aan criteria?")
    side_advice(p, "advies", "Gericht advies aan de aanmelder: hoe wel verder", "procesregisseur", "gw_triage",
                'triage_uitkomst == "advies"')
    side_consult(p, "consultatie", "Consultatie en advies door team procesregie", "procesregisseur", "gw_triage",
                 'triage_uitkomst == "consultatie"')
    p.user("agendering", "Informatie veredelen en casus agenderen voor het consultatieteam", "procesregisseur",
           "agendering", "analyse", doc="Stap 3: ontvangst, veredelen, agenderen, deelnemers uitnodigen (001:303-306).")
    p.user("consultatieteam", "Consultatieteam: analyse, integraal advies en regie beleggen", "teamlid",
           "consultatieteam_utrecht", "analyse", doc="Stap 4 (001:308-324).")
    p.rule("d5", "Procesregie beleggen bij VT of ZVHRU (D5)", "d5_procesregie_utrecht", lane="teamlid",
           doc="D5 procesregie (001:65-76).")
    p.flow("gw_triage", "agendering", name="MDA++", default=True)
    p.chain("agendering", "consultatieteam", "d5")
    s = start_trajectory(p, "d5")
    p.user("plan", "Startoverleg interventieteam: integraal plan van aanpak opstellen", "casusregisseur",
           "plan_van_aanpak", "plan", doc="Stap 5: startoverleg met proces- en casusregisseur (001:341-346).")
    p.flow(s, "plan")
    tail(p, "plan", doc_monitoring="Stap 6-8: uitvoering, monitoring, opschaling (001:347-358); termijn T38.")
    return p


def d2_utrecht():
    crit = ("ernstig_geweld_met_andere_problemen and veelvuldig_geweld and geen_vooruitgang and "
            "meerdere_leefgebieden and gecombineerde_aanpak_nodig")
    d = strict_d2("d2_utrecht", "D2-UTR Criteria MDA++ Utrecht",
                  "D2-UTR (domein 5.5; 001:104-118, 001:126-130): alle criteria -> consultatieteam; anders gericht advies.",
                  "Alle criteria Utrecht voldaan", crit)
    d.rule([C, '"traject"', "True"], ['"mda"'], "Voldoet aan criteria: agenderen consultatieteam")
    d.rule([C, '"traject"', "False"], ['"advies"'], "Voldoet niet: gericht advies (001:126-128)")
    return d


def d5_utrecht():
    d = Decision("d5_procesregie_utrecht", "D5 Procesregie Utrecht", "UNIQUE",
                 [("Groot strafrechtelijk aandeel", "strafrechtelijk_aandeel_groot")],
                 [("Procesregie vanuit", "procesregie_organisatie")],
                 doc="D5 (domein 5.8; 001:65-76): ZVHRU bij groot strafrechtelijk aandeel, anders VT.")
    d.rule(["True"], ['"ZVHRU"'])
    d.rule(["False"], ['"VT"'])
    return d


# ---------------------------------------------------------------------------- Haaglanden
def haaglanden():
    p = Process("mda_haaglanden", "MDA++ Haaglanden", True,
                doc=("Melding via de meldcode bij VT Haaglanden met vermelding MDA++ (003:26); VT verkent met de "
                     "melder (003:32), overlegt met ZVHH (003:34); weegoverleg bepaalt de route (003:36); "
                     "casusoverleggen leiden tot een veiligheidsplan (003:38). Afsluiten alleen als team en cliënt "
                     "akkoord zijn (003:45)."))
    g = front(p, "haaglanden", "aanmelding_haaglanden", start_name="Melding met verzoek MDA++ ontvangen")
    p.user("triage", "Contact met de melder: MDA++ verkennen (eventueel huisbezoek met eropaf-team)", "veilig_thuis",
           "triage_haaglanden", "triage", doc="003:32; criteria 003:15-22.")
    triage_gate(p, g, "Criteria Haaglanden toetsen (D2-HGL)", "d2_haaglanden", "veilig_thuis", "D2-HGL.", question="Triage-uitkomst?")
    side_advice(p, "advies", "Gericht advies aan de melder geven", "veilig_thuis", "gw_triage",
                'triage_uitkomst == "advies"')
    side_consult(p, "consultatie", "Met de melder bespreken welke ondersteuning nodig is (consultatie)",
                 "veilig_thuis", "gw_triage", 'triage_uitkomst == "consultatie"')
    p.user("check_zvhh", "Overleg met ZVHH en check lokale kamers zorg en veiligheid", "procesregisseur", "check_zvhh",
           "triage", doc="003:34")
    p.xor("gw_zvhh", "MDA++-casus?")
    p.flow("gw_triage", "check_zvhh", name="MDA++", default=True)
    p.chain("check_zvhh", "gw_zvhh")
    side_advice(p, "advies_zvhh", "Geen MDA++-casus: advies aan de melder", "veilig_thuis", "gw_zvhh",
                "not mda_casus", flow_name="nee")
    p.user("weegoverleg", "Weegoverleg: gewenste route bepalen", "teamlid", "weegoverleg", "analyse",
           doc="ZVHH organiseert; melder, VT, OM, politie en partners (003:36).")
    p.xor("gw_route", "Gewenste route?")
    p.flow("gw_zvhh", "weegoverleg", name="ja", default=True)
    p.chain("weegoverleg", "gw_route")
    side_advice(p, "andere_route", "Andere route afspreken en melder informeren", "procesregisseur", "gw_route",
                'gewenste_route == "andere_route"', flow_name="andere route", end_name="Andere route")
    s = start_trajectory(p, "gw_route", default=True, name="MDA++")
    p.user("casusoverleg", "Casusoverleg: veiligheidsplan met rolverdeling en concrete afspraken", "procesregisseur",
           "veiligheidsplan", "plan", doc="Procesregisseur ZVHH is voorzitter (003:38, 003:44).")
    p.flow(s, "casusoverleg")
    tail(p, "casusoverleg", doc_monitoring="Casusregisseur stuurt op uitvoering; geen termijn in de bron (T38).")
    return p


def d2_haaglanden():
    rest = ("reguliere_samenwerking_onvoldoende and geschiedenis_meldingen_hulp and meerdere_escalaties_direct_gevaar "
            "and meerdere_levensgebieden and ketensamenwerking_nodig")
    d = strict_d2("d2_haaglanden", "D2-HGL Criteria MDA++ Haaglanden",
                  "D2-HGL (domein 5.5; 003:15-22): advies voor het weegoverleg, dat de route bepaalt (003:36).",
                  "Structureel onveilig, herhalend", "structureel_onveilig_herhalend",
                  extra_inputs=[("Overige criteria Haaglanden", rest)])
    d.rule([C, '"traject"', "True", "True"], ['"mda"'], "Alle criteria: naar ZVHH en weegoverleg")
    d.rule([C, '"traject"', "True", "False"], ['"consultatie"'],
           "Deels: VT bespreekt met melder welke ondersteuning nodig is [afgeleid]")
    d.rule([C, '"traject"', "False", None], ['"advies"'], "Niet structureel onveilig")
    return d


# ---------------------------------------------------------------------------- Zeeland
def zeeland():
    p = Process("mda_zeeland", "MDA++ Zeeland", True,
                doc=("AMT van VT maakt in elke casus een veiligheidsinschatting; bij vermoeden van structurele "
                     "onveiligheid en ontoereikende hulp inbreng in het wekelijkse MDA++ Expertiseteam (004:39-47), "
                     "dat besluit of de casus in MDA++ past en MDA-regie inzet (004:57). Civil Care-venster (eerst "
                     "drie maanden lokale TOP3-aanpak, 004:190-193) alleen als de regio het aanzet "
                     "(civil_care_venster = True in 'Regiokenmerken vastleggen'): volgens 004:135 sloot het model "
                     "in 2019 niet aan bij de Zeeuwse situatie, dus staat het standaard uit."))
    g = front(p, "zeeland", "aanmelding", settings="\ncivil_care_venster = False")
    p.user("triage", "Veiligheidsinschatting AMT en werkblad criteria MDA++", "veilig_thuis", "triage_zeeland",
           "triage", doc="004:39")
    triage_gate(p, g, "Criteria Zeeland toetsen (D2-ZLD)", "d2_zeeland", "veilig_thuis", "D2-ZLD en D2-CC.", question="Triage-uitkomst?")
    side_advice(p, "advies", "Advies aan de aanmelder (reguliere VT-route)", "veilig_thuis", "gw_triage",
                'triage_uitkomst == "advies"')
    side_consult(p, "consultatie", "Consultatieve bespreking in het expertiseteam", "teamlid", "gw_triage",
                 'triage_uitkomst == "consultatie"')
    side_consult(p, "anoniem", "Casus mondeling en anoniem bespreken in het expertiseteam", "teamlid", "gw_triage",
                 'triage_uitkomst == "anoniem"', flow_name="anoniem")
    # Civil Care local window (T29), only when the region turned it on
    p.user("top3_start", "Lokale TOP3-aanpak starten (Civil Care-model)", "aanmelder", "lokale_top3_start", "triage",
           doc=("Start in het lokale veld met TOP3 (004:190-192). De Veilig Thuis-medewerker die na drie maanden "
                "beoordeelt, wordt hier aan de zaak gekoppeld en kan de zaak tijdens het venster volgen."))
    p.evgw("gw_venster", "Civil Care-venster (3 maanden lokaal)")
    p.timer("timer_top3", "Drie maanden lokale aanpak verstreken", '"P3M"', phase="triage",
            doc="T29: als het na 3 maanden niet lukt voldoende veiligheid te creëren, MDA++ invoegen (004:193).")
    p.message("msg_escalatie_lokaal", "Lokale aanpak geëscaleerd", "lokaal_escaleren",
              doc="Escalatie tijdens het venster beëindigt het venster: meteen naar het expertiseteam.")
    p.user("top3_beoordeling", "Veiligheid na drie maanden lokale aanpak beoordelen", "veilig_thuis",
           "lokale_top3_beoordeling", "triage", doc="T29 (004:193).")
    p.xor("gw_top3", "Voldoende veiligheid?")
    p.end("end_top3", "Lokale aanpak volstaat", lane="veilig_thuis", terminate=True)
    p.user("experts_aansluiten", "Experts sluiten aan bij het lokale casusoverleg; MDA-regisseur inzetten", "teamlid",
           "civil_care_invoegen", "analyse",
           doc="004:193: 1-2 experts uit het expertiseteam sluiten aan bij het lokale casusoverleg en een "
               "MDA-regisseur wordt ingezet.")
    p.flow("gw_triage", "top3_start", cond='triage_uitkomst == "lokaal_top3"', name="eerst lokaal")
    p.chain("top3_start", "gw_venster")
    p.flow("gw_venster", "timer_top3")
    p.flow("gw_venster", "msg_escalatie_lokaal")
    p.chain("timer_top3", "top3_beoordeling", "gw_top3")
    p.flow("gw_top3", "end_top3", cond='lokaal_vervolg == "lokaal_afgerond"', name="voldoende veilig")
    p.flow("gw_top3", "experts_aansluiten", cond='lokaal_vervolg == "experts_aansluiten"',
           name="experts en MDA-regisseur")
    p.xor("gw_expertiseteam", "", lane="teamlid")
    p.flow("gw_top3", "gw_expertiseteam", name="expertiseteam", default=True)
    p.flow("msg_escalatie_lokaal", "gw_expertiseteam")
    p.flow("gw_triage", "gw_expertiseteam", name="MDA++", default=True)
    p.user("expertiseteam", "Expertiseteam: casus bespreken en besluiten of MDA++ past", "teamlid", "expertiseteam",
           "analyse", doc="Wekelijks, VT voorzitter (004:47-57).")
    p.xor("gw_past", "Past binnen MDA++?")
    p.chain("gw_expertiseteam", "expertiseteam", "gw_past")
    side_advice(p, "advies_team", "Advies en andere route; verslag delen met betrokkenen", "veilig_thuis", "gw_past",
                'past_binnen_mda == "nee"', flow_name="nee")
    p.xor("gw_mda_regie", "", lane="teamlid")
    p.flow("gw_past", "gw_mda_regie", default=True, name="ja")
    p.flow("experts_aansluiten", "gw_mda_regie")
    s = start_trajectory(p, "gw_mda_regie")
    p.user("plan", "MDA-regisseur: veiligheidsplan en plan van aanpak opstellen", "casusregisseur", "plan_van_aanpak",
           "plan", doc="MDA-regie; advies: proces- en casusregie niet splitsen (004:93).")
    p.flow(s, "plan")
    tail(p, "plan", doc_monitoring="MDA++ blijft minstens een jaar betrokken (004:169); termijn T38.")
    return p


def zeeland_consultatie():
    p = Process("mda_zeeland_consultatie", "MDA++ Zeeland: consultatief expertiseteam", True,
                doc="Ketenorganisaties kunnen het expertiseteam consultatief raadplegen; mondeling en anoniem (004:45, 004:69).")
    p.start("start_consultatie", "Consultatievraag ontvangen via AMT", "aanmelder", form="consultatie_aanvraag")
    p.script("regio_vastleggen", "Regiokenmerken vastleggen", 'regio = "zeeland"', lane="aanmelder")
    p.user("consultatie", "Casus consultatief bespreken in het expertiseteam", "teamlid", "consultatie_advies",
           "analyse")
    p.end("end_consultatie", "Advies gegeven en verslag gedeeld")
    p.chain("start_consultatie", "regio_vastleggen", "consultatie", "end_consultatie")
    return p


def d2_zeeland():
    d = Decision("d2_zeeland", "D2-ZLD Criteria MDA++ Zeeland (met Civil Care-route)", "UNIQUE",
                 [("Professioneel oordeel", "triage_oordeel"), ("Verzoek", "verzoek_type"),
                  ("Structurele onveiligheid vermoed", "structurele_onveiligheid_vermoed"),
                  ("Bestaande hulp ontoereikend", "bestaande_hulp_ontoereikend"),
                  ("Wijze van inbreng", "bespreking_wijze"), ("Lokale aanpak", "lokale_aanpak"),
                  ("Civil Care-venster aan (regio-instelling)", "civil_care_venster")],
                 [("Triage-uitkomst", "triage_uitkomst")],
                 doc=("D2-ZLD (004:39-57) en D2-CC (Civil Care, 004:190-193, T29). Het expertiseteam neemt het "
                      "definitieve besluit (004:57). Het Civil Care-venster geldt alleen als de regio het aanzet "
                      "(civil_care_venster); zonder venster gaat een casus met vermoeden van structurele "
                      "onveiligheid en ontoereikende hulp naar het expertiseteam, en zonder ontoereikende hulp is "
                      "het de reguliere VT-route (advies)."))
    for v in ("mda", "consultatie", "advies"):
        d.rule([f'"{v}"', None, None, None, None, None, None], [f'"{v}"'], f"Afwijkend professioneel oordeel: {v}")
    d.rule([C, '"consultatie"', None, None, None, None, None], ['"consultatie"'], "Consultatief gebruik (004:45)")
    d.rule([C, '"traject"', "False", None, None, None, None], ['"advies"'],
           "Geen structurele onveiligheid: reguliere route")
    d.rule([C, '"traject"', "True", None, '"anoniem"', None, None], ['"anoniem"'], "Mondeling en anoniem (004:45)")
    d.rule([C, '"traject"', "True", None, '"op_naam"', '"eerst_lokaal"', "True"], ['"lokaal_top3"'],
           "Civil Care: eerst 3 maanden lokaal TOP3 (004:192-193)")
    d.rule([C, '"traject"', "True", "True", '"op_naam"', '"direct_mda"', None], ['"mda"'], "Inbrengen in expertiseteam")
    d.rule([C, '"traject"', "True", "True", '"op_naam"', '"eerst_lokaal"', "False"], ['"mda"'],
           "Venster staat uit: inbrengen in expertiseteam")
    d.rule([C, '"traject"', "True", "False", '"op_naam"', '"direct_mda"', "True"], ['"lokaal_top3"'],
           "Bestaande hulp niet ontoereikend: eerst lokale aanpak [afgeleid]")
    d.rule([C, '"traject"', "True", "False", '"op_naam"', None, "False"], ['"advies"'],
           "Bestaande hulp niet ontoereikend en geen venster: reguliere VT-route")
    return d


# ---------------------------------------------------------------------------- Friesland / Drenthe
def investigation_and_meetings(p, second_form, second_name, vt_deadline, m_tid, m_text, vt_doc):
    """The VT investigation next to the second MDA++ meeting. `vt_deadline` = (T-id, text) puts the
    ten-week deadline on the investigation (Friesland); None leaves it without one (Drenthe)."""
    p.par("gw_onderzoek_split", "", lane="veilig_thuis")
    p.user("vt_onderzoek", "Veilig Thuis-onderzoek uitvoeren", "veilig_thuis", "vt_onderzoek", "analyse",
           doc=vt_doc)
    if vt_deadline:
        reminder(p, "onderzoek", "vt_onderzoek", '"P10W"', *vt_deadline, "Termijn VT-onderzoek (10 weken)",
                 "Onderzoekstermijn van 10 weken verstreken: signaleren")
    p.user("tweede_bijeenkomst", second_name, "teamlid", second_form,
           "plan" if second_form == "veiligheidsplan" else "analyse", doc=f"{m_tid}: {m_text}")
    reminder(p, "tweede", "tweede_bijeenkomst", '"P6W"', m_tid, m_text, "Tweede MDA++ bijeenkomst (6 weken)",
             "Tweede MDA++ bijeenkomst niet binnen 6 weken: signaleren")
    p.par("gw_onderzoek_join", "", lane="veilig_thuis")
    p.flow("gw_onderzoek_split", "vt_onderzoek")
    p.flow("gw_onderzoek_split", "tweede_bijeenkomst")
    p.flow("vt_onderzoek", "gw_onderzoek_join")
    p.flow("tweede_bijeenkomst", "gw_onderzoek_join")
    return "gw_onderzoek_split", "gw_onderzoek_join"


def friesland():
    p = Process("mda_friesland", "MDA++ Friesland", True,
                doc=("VT Front Office veiligheidsbeoordeling, triage-overleg, BackOffice huisbezoek en toestemming "
                     "(002:3105-3120); traject start met VT-onderzoek (max. 10 weken, 002:3123-3124); eerste MDA++ "
                     "bijeenkomst aan het begin, tweede binnen 6 weken met veiligheidsplan (002:3148-3154); daarna "
                     "na 3 of 6 maanden, vervroegen mogelijk (002:3154-3156); na 1-1,5 jaar afbouw beoordelen "
                     "(002:3158-3160)."))
    g = front(p, "friesland", "aanmelding")
    p.user("triage", "Veiligheidsbeoordeling Front Office en triage-overleg", "veilig_thuis", "triage_friesland",
           "triage", doc="002:3105-3110; criteria 002:3101-3104.")
    triage_gate(p, g, "Criteria Friesland toetsen (D2-FRL)", "d2_friesland", "veilig_thuis", "D2-FRL.", question="Triage-uitkomst?")
    side_advice(p, "advies", "Advies aan de aanmelder (reguliere VT-route)", "veilig_thuis", "gw_triage",
                'triage_uitkomst == "advies"')
    side_consult(p, "consultatie", "Consultatie en advies door het MDA++-team", "teamlid", "gw_triage",
                 'triage_uitkomst == "consultatie"')
    p.user("huisbezoek", "Huisbezoek BackOffice: melding bespreken en toestemming vragen", "veilig_thuis",
           "toestemming_huisbezoek", "triage", doc="002:3109-3118; sinds januari 2022 grondslag zonder toestemming.")
    p.xor("gw_inbreng", "Inbreng op naam?")
    p.flow("gw_triage", "huisbezoek", name="MDA++", default=True)
    p.chain("huisbezoek", "gw_inbreng")
    side_consult(p, "anoniem", "Casus anoniem inbrengen in het MDA++-team", "teamlid", "gw_inbreng",
                 'inbreng_wijze == "anoniem"', flow_name="anoniem", end_name="Anoniem besproken")
    p.user("eerste_bijeenkomst", "Eerste MDA++ bijeenkomst (begin onderzoeksfase)", "teamlid", "mda_bijeenkomst_start",
           "analyse", doc="Eerste bijeenkomst meestal aan het begin van de onderzoeksfase (002:3148-3150).")
    p.flow("gw_inbreng", "eerste_bijeenkomst", name="op naam", default=True)
    s = start_trajectory(
        p, "eerste_bijeenkomst",
        yearly=("T09", "Na één tot anderhalf jaar wordt gekeken of de gezinsdynamiek stabiel genoeg is om af te "
                       "bouwen/te stoppen (002:3158-3160).",
                "de start van MDA++, dat is de start van het VT-onderzoek (002:3123)"))
    t06 = "VT-onderzoek duurt in principe maximaal tien weken (002:3123-3124)."
    split, join = investigation_and_meetings(
        p, "veiligheidsplan", "Tweede MDA++ bijeenkomst: veiligheidsplan opstellen", ("T06", t06),
        "T07", "Vaak binnen zes weken na de eerste een tweede MDA++ bijeenkomst met veiligheidsplan (002:3150-3152).",
        f"T06: {t06}")
    p.flow(s, split)
    p.user("regieoverdracht", "Regie en coördinatie overdragen aan de regiehouder", "veilig_thuis", "regieoverdracht",
           "plan", doc="Na onderzoek en veiligheidsplan draagt VT regie over, meestal aan het gebiedsteam (002:3136-3141).")
    p.flow(join, "regieoverdracht")
    tail(p, "regieoverdracht",
         doc_monitoring="T08: na 3 of 6 maanden opnieuw op de agenda, vervroegen mogelijk (002:3154-3156).")
    return p


FRL_CRIT = ("hermeldingen and eerdere_hulp_zonder_resultaat and zorg_en_politie_betrokken and "
            "structurele_onveiligheid and multiproblematiek")


def d2_friesland():
    d = strict_d2("d2_friesland", "D2-FRL Criteria MDA++ Friesland",
                  "D2-FRL (domein 5.5; 002:3101-3104): alle vijf criteria -> MDA++ (BackOffice, huisbezoek).",
                  "Alle vijf criteria Friesland", FRL_CRIT)
    d.rule([C, '"traject"', "True"], ['"mda"'], "Alle criteria: door naar BackOffice")
    d.rule([C, '"traject"', "False"], ['"advies"'], "Anders: advies / reguliere VT-route")
    return d


def drenthe():
    p = Process("mda_drenthe", "MDA++ Drenthe", True,
                doc=("Gestoeld op de Friese werkwijze (002:3212-3214). Aanmelding via VT; VT vraagt toestemming en "
                     "checkt Veiligheidshuis/OGGZ en justitie (002:3236-3245); alle casussen bij start in het "
                     "actieoverleg (002:3314-3316); tweede bijeenkomst binnen 6 weken (002:3277-3278); "
                     "casemanager gemeente maakt veiligheidsplan (002:3279-3281)."))
    g = front(p, "drenthe", "aanmelding")
    p.user("triage", "Triage Veilig Thuis: criteria en afstemming Veiligheidshuis/OGGZ", "veilig_thuis",
           "triage_drenthe", "triage", doc="002:3233-3245.")
    triage_gate(p, g, "Criteria Drenthe toetsen (D2-DRN)", "d2_drenthe", "veilig_thuis", "D2-DRN en D3.", question="Triage-uitkomst?")
    side_advice(p, "advies", "Advies aan de aanmelder (reguliere VT-route)", "veilig_thuis", "gw_triage",
                'triage_uitkomst == "advies"')
    side_consult(p, "consultatie", "Consultatie en advies door het MDA++-team", "teamlid", "gw_triage",
                 'triage_uitkomst == "consultatie"')
    side_advice(p, "andere_route", "Afstemmen: casus blijft bij OGGZ of Veiligheidshuis", "veilig_thuis", "gw_triage",
                'triage_uitkomst == "andere_route"', flow_name="ander traject", end_name="Verder in ander traject")
    p.user("toestemming", "Toestemming gezin vragen en casemanager bij de gemeente aanvragen", "veilig_thuis",
           "toestemming_drenthe", "triage",
           doc=("D7 regels 4-5: de VT-onderzoeker vraagt het gezin toestemming en vertelt met wie informatie wordt "
                "gedeeld (002:3236-3237, 002:3307-3308); casemanager bij de start aanvragen (002:3263-3265)."))
    p.xor("gw_inbreng", "Toestemming gegeven?")
    p.flow("gw_triage", "toestemming", name="MDA++", default=True)
    p.chain("toestemming", "gw_inbreng")
    side_consult(p, "anoniem", "Casus anoniem bespreken (geen toestemming)", "teamlid", "gw_inbreng",
                 'toestemming_gezin == "geweigerd"', flow_name="geen toestemming: anoniem",
                 end_name="Anoniem besproken")
    p.user("actieoverleg", "Casus bespreken in het actieoverleg (bij start)", "teamlid", "actieoverleg", "analyse",
           doc="T16: alle MDA++-casussen worden bij de start in het actieoverleg besproken (002:3314-3316).")
    p.user("eerste_bijeenkomst", "Eerste huisbezoek en eerste MDA++ bijeenkomst", "teamlid", "mda_bijeenkomst_start",
           "analyse", doc="002:3274-3277")
    p.flow("gw_inbreng", "actieoverleg", name="toestemming: op naam", default=True)
    p.chain("actieoverleg", "eerste_bijeenkomst")
    s = start_trajectory(p, "eerste_bijeenkomst")
    split, join = investigation_and_meetings(
        p, "mda_bijeenkomst_vervolg", "Tweede MDA++ bijeenkomst (binnen 6 weken)", None,
        "T13", "Binnen zes weken na de eerste een tweede MDA++ bijeenkomst, daarna wordt het onderzoek afgerond "
               "(002:3277-3278).",
        ("Drenthe rondt het onderzoek af na de tweede MDA++ bijeenkomst (002:3277-3278); een termijn van tien "
         "weken noemen de bronnen alleen voor Friesland (T06, 002:3123-3124), dus geen termijn hier."))
    p.flow(s, split)
    p.user("regieoverdracht", "Onderzoeksverslag met veiligheidsvoorwaarden delen en warme overdracht", "veilig_thuis",
           "regieoverdracht", "plan", doc="002:3259-3262, 002:3279")
    p.user("veiligheidsplan", "Veiligheidsplan opstellen (casemanager gemeente)", "casusregisseur", "veiligheidsplan",
           "plan", doc="002:3279-3281")
    p.flow(join, "regieoverdracht")
    p.chain("regieoverdracht", "veiligheidsplan")
    tail(p, "veiligheidsplan", doc_monitoring="T14: gemiddeld eens per drie maanden een afspraak (002:3273-3274).")
    return p


def d2_drenthe():
    d = strict_d2("d2_drenthe", "D2-DRN Criteria MDA++ Drenthe",
                  ("D2-DRN (domein 5.5; 002:3233-3236) met kinderen in het gezin als voorwaarde, plus D3-afstemming "
                   "met Veiligheidshuis/OGGZ (002:3242-3244)."),
                  "Criteria (als Friesland)", FRL_CRIT,
                  extra_inputs=[("Kinderen in het gezin", "kinderen_in_gezin"),
                                ("Bekend bij Veiligheidshuis/OGGZ", "bekend_veiligheidshuis_oggz")])
    d.rule([C, '"traject"', None, None, '"ja_blijft_daar"'], ['"andere_route"'], "D3: blijft bij OGGZ/Veiligheidshuis")
    d.rule([C, '"traject"', "True", "True", '? != "ja_blijft_daar"'], ['"mda"'], "Alle criteria en kinderen")
    d.rule([C, '"traject"', "True", "False", '? != "ja_blijft_daar"'], ['"advies"'],
           "Geen kinderen: buiten doelgroep Drenthe")
    d.rule([C, '"traject"', "False", None, '? != "ja_blijft_daar"'], ['"advies"'], "Niet alle criteria")
    return d


# ---------------------------------------------------------------------------- West-Brabant
def west_brabant():
    p = Process("mda_west_brabant", "MDA++ West-Brabant (Interventieteam)", True,
                doc=("Professionals melden bij VT voor het Interventieteam (of via het actieoverleg) (002:3344-3350, "
                     "002:3397-3401); wekelijkse briefing wijst twee casemanagers toe (002:3357-3361); intensieve "
                     "fase: intake en analyse, plan met veiligheidsvoorwaarden (002:3370-3374); in principe een jaar, "
                     "tenzij verlenging nodig is (002:3379)."))
    g = front(p, "west-brabant", "aanmelding_west_brabant", start_name="Melding voor het Interventieteam ontvangen")
    p.user("triage", "Triage Veilig Thuis op criteria Interventieteam", "veilig_thuis", "triage_west_brabant",
           "triage", doc="Criteria 002:723-749, 002:3339-3350.")
    triage_gate(p, g, "Criteria West-Brabant toetsen (D2-WBR)", "d2_west_brabant", "veilig_thuis", "D2-WBR.", question="Triage-uitkomst?")
    side_advice(p, "advies", "Advies aan de aanmelder geven", "veilig_thuis", "gw_triage", 'triage_uitkomst == "advies"')
    side_consult(p, "consultatie", "Advies door Interventieteam of Veilig Thuis bij twijfel", "teamlid", "gw_triage",
                 'triage_uitkomst == "consultatie"')
    p.user("briefing", "Wekelijkse briefing: expertise bepalen en twee casemanagers toewijzen", "teamlid",
           "briefing_west_brabant", "analyse", doc="002:3357-3364")
    p.flow("gw_triage", "briefing", name="MDA++", default=True)
    s = start_trajectory(
        p, "briefing",
        yearly=("T17", "In principe blijft het Interventieteam een jaar betrokken, tenzij verlenging noodzakelijk is "
                       "(002:3379).", "de intake van het Interventieteam (de intensieve fase begint met de intake)"))
    p.user("intake", "Intake en analyse (intensieve fase)", "casusregisseur", "intake_analyse", "analyse",
           doc="002:3370-3373")
    p.user("plan", "Plan van aanpak met veiligheidsvoorwaarden en afspraken bij niet-nakomen", "casusregisseur",
           "plan_van_aanpak_west_brabant", "plan", doc="002:3372-3374")
    p.flow(s, "intake")
    p.chain("intake", "plan")
    tail(p, "plan",
         doc_monitoring="Geen evaluatietermijn in de bron; driemaandelijks (T38). Maandelijkse casuïstiekbespreking "
                        "en briefing zijn organisatiekalender (T18), geen zaakstimer.")
    return p


def d2_west_brabant():
    crit = ("frequentie_geweld > 1 and grote_kans_voortduren and veiligheid_in_geding and aantal_leefgebieden_wb > 3 "
            "and maanden_zonder_vooruitgang > 12 and eerdere_hulp_onvoldoende and reguliere_hulp_past_niet")
    d = strict_d2("d2_west_brabant", "D2-WBR Criteria Interventieteam West-Brabant",
                  ("D2-WBR (domein 5.5; 002:723-749, 002:3339-3350). T19: geweld > 1x per maand, geen vooruitgang > 1 "
                   "jaar; > 3 leefgebieden. Voorwaarde: betrokken professionals zien meerwaarde."),
                  "Alle drempels West-Brabant", crit,
                  extra_inputs=[("Professionals zien meerwaarde", "meerwaarde_bevestigd"),
                                ("Twijfel aanmelder", "twijfel_aanmelder")])
    d.rule([C, '"traject"', None, "False", None], ['"advies"'], "Voorwaarde niet vervuld (002:3348-3350)")
    d.rule([C, '"traject"', None, "True", "True"], ['"consultatie"'], "Twijfel: advies Interventieteam of VT")
    d.rule([C, '"traject"', "True", "True", "False"], ['"mda"'], "Alle criteria: naar de briefing")
    d.rule([C, '"traject"', "False", "True", "False"], ['"advies"'], "Niet alle criteria")
    return d


# ---------------------------------------------------------------------------- Hart van Brabant
def hart_van_brabant():
    p = Process("mda_hart_van_brabant", "MDA++ Hart van Brabant (Veiligheidsteam)", True,
                doc=("VT trieert op instroomcriteria en mailt de casus naar de mailbox van het Veiligheidsteam, dat "
                     "binnen vijf dagen accepteert of afwijst (002:3429-3441). Casuscoördinator doet casus- en "
                     "procesregie (002:3445-3447); vier fasen, plan binnen 6 weken, evaluatie elke 3 maanden "
                     "(002:3453-3473); eerste 12 weken directe toegang tot Jeugdhulp en WMO (002:3477-3480)."))
    g = front(p, "hart-van-brabant", "aanmelding", acute_ingang="spoedplein")
    p.user("triage", "Triage Veilig Thuis op instroomcriteria Veiligheidsteam", "veilig_thuis",
           "triage_hart_van_brabant", "triage", doc="002:3430-3439")
    triage_gate(p, g, "Instroomcriteria toetsen (D2-HVB)", "d2_hart_van_brabant", "veilig_thuis", "D2-HVB-a.", question="Triage-uitkomst?")
    side_advice(p, "advies", "Advies aan de aanmelder geven", "veilig_thuis", "gw_triage", 'triage_uitkomst == "advies"')
    side_consult(p, "consultatie", "Consultatie en advies door het Veiligheidsteam", "teamlid", "gw_triage",
                 'triage_uitkomst == "consultatie"')
    p.user("acceptatie", "Aanmelding beoordelen: accepteren of afwijzen (binnen 5 dagen)", "teamlid",
           "acceptatie_hart_van_brabant", "triage", doc="T01 / D2-HVB-b (002:3439-3441).")
    reminder(p, "acceptatie", "acceptatie", '"P5D"', "T01", "Het Veiligheidsteam beoordeelt binnen vijf dagen of de "
             "casus wordt geaccepteerd of afgewezen (002:3439-3441).", "Termijn acceptatiebesluit (5 dagen)",
             "Acceptatiebesluit niet binnen 5 dagen: signaleren")
    p.xor("gw_acceptatie", "Geaccepteerd?")
    p.flow("gw_triage", "acceptatie", name="MDA++", default=True)
    p.chain("acceptatie", "gw_acceptatie")
    side_advice(p, "afgewezen", "Afwijzing: advies aan de aanmelder", "veilig_thuis", "gw_acceptatie",
                'acceptatie == "afgewezen"', flow_name="afgewezen", end_name="Afgewezen")
    s = start_trajectory(p, "gw_acceptatie", default=True, name="geaccepteerd")
    p.par("gw_toegang_split", "", lane="casusregisseur")
    p.flow(s, "gw_toegang_split")
    # T04: direct access to Jeugdhulp/WMO is a state of the case, open for 12 weeks from acceptance
    p.script("toegang_open", "Directe toegang Jeugdhulp/WMO open", 'directe_toegang = "open"', lane="casusregisseur",
             doc="T04: de eerste 12 weken rechtstreekse toegang tot Jeugdhulp en WMO (002:3477-3480).")
    p.call("directe_toegang", "Hulpvragen met directe toegang (eerste 12 weken)", "hvb_hulpvraag",
           lane="casusregisseur", doc="T04: binnen de 12 weken gaat een hulpvraag rechtstreeks naar Jeugdhulp/WMO.")
    p.boundary("timer_12w", "Directe toegang Jeugdhulp/WMO (12 weken)", "directe_toegang", '"P12W"',
               interrupting=True,
               doc="T04: na 12 weken vervalt de directe toegang; daarna een reguliere aanvraag (002:3477-3480).")
    p.script("toegang_verlopen", "Directe toegang verlopen", 'directe_toegang = "verlopen"', lane="casusregisseur")
    p.call("reguliere_toegang", "Hulpvragen via een reguliere aanvraag", "hvb_hulpvraag",
           lane="casusregisseur", doc="T04: na week 12 gaat een hulpvraag via een reguliere aanvraag (002:3479-3480).")
    p.end("end_toegang", "Zaak gesloten")
    p.chain("gw_toegang_split", "toegang_open", "directe_toegang")
    p.chain("timer_12w", "toegang_verlopen", "reguliere_toegang", "end_toegang")
    p.call("fasen", "Fase 1-3: directe veiligheid, analyse en integraal plan", "mda_hart_van_brabant_fasen",
           lane="casusregisseur", doc="T02: streven plan van aanpak binnen zes weken (002:3467-3469).")
    reminder(p, "plan", "fasen", '"P6W"', "T02", "Het streven is het integraal plan van aanpak binnen zes weken "
             "gereed te hebben (002:3468-3469); startmoment niet expliciet, hier vanaf acceptatie.",
             "Termijn integraal plan van aanpak (6 weken)", "Plan van aanpak niet binnen 6 weken gereed: signaleren")
    p.flow("gw_toegang_split", "fasen")
    tail(p, "fasen", doc_monitoring="Fase 4, coördinerende/herstelgerichte zorg; T03 elke drie maanden evaluatie "
                                    "(002:3472-3473).")
    return p


def hart_van_brabant_fasen():
    p = Process("mda_hart_van_brabant_fasen", "Veiligheidsteam: fase 1 tot en met 3", False,
                doc="Vier fasen Veiligheidsteam (002:3453-3469); fase 4 is de monitoring.")
    p.start("start", "Casus geaccepteerd", "casusregisseur")
    p.user("fase1", "Fase 1: contact met betrokkenen, actieoverleg en veiligheidsplan", "casusregisseur", "hvb_fase1",
           "analyse", doc="002:3457-3463")
    p.user("fase2", "Fase 2: systeem, geweldspatronen en hulpgeschiedenis analyseren", "casusregisseur", "hvb_fase2",
           "analyse", doc="002:3463-3466")
    p.user("fase3", "Fase 3: krachten en zorgen, integraal plan van aanpak", "casusregisseur", "hvb_fase3", "plan",
           doc="002:3467-3469")
    p.end("end", "Plan gereed")
    p.chain("start", "fase1", "fase2", "fase3", "end")
    return p


def hvb_hulpvraag():
    """Wait for the message `hulpvraag_jeugdhulp_wmo` (a new need for youth care or WMO support), route
    it by the case's state `directe_toegang` (open / verlopen), and wait again; the caller's boundary
    timer or the case's closure ends the loop."""
    p = Process("hvb_hulpvraag", "Hulpvraag Jeugdhulp/WMO", True,
                doc=("T04 (002:3477-3480): de eerste 12 weken na acceptatie hebben casussen van het Veiligheidsteam "
                     "rechtstreeks toegang tot Jeugdhulp en WMO, daarna dient een reguliere aanvraag gedaan te worden. "
                     "De toestand directe_toegang (open/verlopen) zet het hoofdproces; dit besluit leest hem."))
    p.start("start", "Start", "casusregisseur")
    p.xor("gw_wachten", "")
    p.message("msg_hulpvraag", "Nieuwe hulpvraag Jeugdhulp/WMO", "hulpvraag_jeugdhulp_wmo",
              doc="Bericht 'hulpvraag_jeugdhulp_wmo': er is een nieuwe hulpvraag voor Jeugdhulp of WMO.")
    p.xor("gw_toegang", "Directe toegang nog open?")
    p.user("hulp_direct", "Jeugdhulp/WMO rechtstreeks inzetten (directe toegang)", "casusregisseur",
           "hulpvraag_direct", None, doc="T04: binnen 12 weken na acceptatie (002:3477-3479).")
    p.user("hulp_regulier", "Reguliere aanvraag Jeugdhulp/WMO indienen", "casusregisseur", "hulpvraag_regulier", None,
           doc="T04: na 12 weken een reguliere aanvraag (002:3479-3480).")
    p.xor("gw_terug", "", lane="casusregisseur")
    p.chain("start", "gw_wachten", "msg_hulpvraag", "gw_toegang")
    p.flow("gw_toegang", "hulp_direct", cond='directe_toegang == "open"', name="open")
    p.flow("gw_toegang", "hulp_regulier", name="verlopen", default=True)
    p.flow("hulp_direct", "gw_terug")
    p.flow("hulp_regulier", "gw_terug")
    p.flow("gw_terug", "gw_wachten")
    return p


def d2_hart_van_brabant():
    crit = ("lange_geschiedenis and structureel_huiselijk_geweld and hoog_risico_acuut_geweld and "
            "multiproblematiek_bekend and meerdere_meldingen_veel_hulp")
    d = strict_d2("d2_hart_van_brabant", "D2-HVB Instroomcriteria Veiligheidsteam",
                  "D2-HVB-a (domein 5.5; 002:3431-3438): bij voldoen mail naar de mailbox (start T01).",
                  "Alle instroomcriteria", crit)
    d.rule([C, '"traject"', "True"], ['"mda"'], "Naar mailbox Veiligheidsteam")
    d.rule([C, '"traject"', "False"], ['"advies"'], "Advies aan aanmelder")
    return d


# ---------------------------------------------------------------------------- Rotterdam
def rotterdam():
    p = Process("mda_rotterdam", "MDA++ Rotterdam (Filomena)", True,
                doc=("Filomena richt zich op zeer ernstig, complex geweld (002:3503-3510). SOF7 binnen 7 dagen, "
                     "daarna ISO met veiligheidsinschatting en vervolg (ICM of andere interventie) (002:3514-3529); "
                     "ICM een jaar of langer indien nodig (002:3531-3532). Inloopspreekuur: zie mda_rotterdam_inloop."))
    g = front(p, "rotterdam", "aanmelding_rotterdam", acute_ingang="sof7")
    p.user("triage", "Triage-overleg Filomena: doelgroep en inzet bepalen", "veilig_thuis", "triage_rotterdam",
           "triage", doc="Triage-overleg (002:2354-2357); doelgroep 002:3503-3510.")
    triage_gate(p, g, "Doelgroep en route bepalen (D2-RTM)", "d2_rotterdam", "veilig_thuis", "D2-RTM.", question="Route?")
    side_advice(p, "advies", "Advies aan de aanmelder (lokale of reguliere route)", "veilig_thuis", "gw_triage",
                'triage_uitkomst == "advies"')
    side_consult(p, "consultatie", "Consultatie en advies door Filomena", "teamlid", "gw_triage",
                 'triage_uitkomst == "consultatie"')
    p.user("sof7", "Snelle onderzoeksfase SOF7 uitvoeren", "teamlid", "sof7", "analyse",
           doc="T20: SOF7 binnen 7 dagen afgerond (002:3514-3515, 002:3522-3524).")
    reminder(p, "sof7", "sof7", '"P7D"', "T20", "De snelle onderzoeksfase wordt binnen zeven dagen afgerond "
             "(002:3514-3515).", "Termijn SOF7 (7 dagen)", "SOF7 niet binnen 7 dagen afgerond: signaleren")
    p.user("iso", "Intersectoraal Expertise Overleg: veiligheidsinschatting en vervolg bepalen", "teamlid",
           "iso_rotterdam", "analyse", doc="002:3524-3529")
    p.xor("gw_iso", "Vervolg?")
    p.flow("gw_triage", "sof7", name="SOF7", default=True)
    p.chain("sof7", "iso", "gw_iso")
    side_advice(p, "andere_interventie", "Andere interventie inzetten en aanmelder informeren", "teamlid", "gw_iso",
                'iso_vervolg == "andere_interventie"', flow_name="andere interventie", end_name="Andere interventie")
    p.user("icm_toewijzing", "ICM-casemanager en procesregie toewijzen", "teamlid", "regie_toewijzing", "analyse",
           doc="Directe ICM zonder SOF7 [afgeleid, D2-RTM regel 3].")
    p.flow("gw_triage", "icm_toewijzing", cond='triage_uitkomst == "icm"', name="ICM")
    p.xor("gw_icm", "", lane="teamlid")
    p.flow("gw_iso", "gw_icm", name="ICM", default=True)
    p.flow("icm_toewijzing", "gw_icm")
    s = start_trajectory(
        p, "gw_icm",
        yearly=("T21", "ICM biedt naast onderzoek begeleiding voor één jaar, of indien nodig langer (002:3531-3532).",
                "de start van ICM; het onderzoek binnen ICM valt in dat jaar"))
    p.user("plan", "ICM: veiligheidsafspraken en integraal plan (afgestemd met politie en justitie)", "casusregisseur",
           "plan_van_aanpak_icm", "plan", doc="002:3537-3543")
    p.flow(s, "plan")
    tail(p, "plan",
         doc_monitoring="Geen evaluatietermijn in de bron; driemaandelijks (T38).")
    return p


def rotterdam_inloop():
    p = Process("mda_rotterdam_inloop", "Filomena inloopspreekuur", True,
                doc=("Dinsdag- en donderdagochtend; laagdrempelig, zonder aanmelding en anoniem; ontvangst door een "
                     "ervaringsdeskundige gastvrouw; het slachtoffer bepaalt behoefte en tempo (002:3517-3521). "
                     "Kiest het slachtoffer voor aanmelding bij MDA++/SOF7, dan volgt de aanmelding en daarna het "
                     "Filomena-traject: triage, SOF7 binnen 7 dagen, ISO, ICM of andere interventie (domein S15; "
                     "002:3517-3529). T22 is organisatiekalender."))
    p.start("start_inloop", "Slachtoffer loopt binnen", "teamlid", form="inloop_registratie")
    p.script("regio_vastleggen", "Regiokenmerken vastleggen", 'regio = "rotterdam"', lane="teamlid")
    p.user("gesprek", "Gesprek met hulpverlener, arts of politie (indien gewenst)", "teamlid", "inloop_gesprek",
           "triage")
    p.xor("gw_vervolg", "Aanmelding MDA++/SOF7?")
    p.end("end_inloop", "Inloopcontact afgerond")
    p.user("aanmelding_sof7", "Aanmelding MDA++/SOF7 vastleggen", "teamlid", "aanmelding_rotterdam", "aanmelding",
           doc="Het inloopcontact wordt een aanmelding bij Filomena (S15).")
    p.call("filomena", "Filomena-traject (triage, SOF7, ISO, ICM)", "mda_rotterdam", lane="teamlid",
           doc="Het hoofdproces van Rotterdam met de aanmelding uit het inloopspreekuur (S15; 002:3517-3529).")
    p.end("end_traject", "Filomena-traject afgerond", terminate=True)
    p.chain("start_inloop", "regio_vastleggen", "gesprek", "gw_vervolg")
    p.flow("gw_vervolg", "end_inloop", name="geen vervolg", default=True)
    p.flow("gw_vervolg", "aanmelding_sof7", cond='inloop_vervolg == "aanmelding_mda"', name="aanmelding MDA++/SOF7")
    p.chain("aanmelding_sof7", "filomena", "end_traject")
    return p


def d2_rotterdam():
    d = Decision("d2_rotterdam", "D2-RTM Doelgroep Filomena", "UNIQUE",
                 [("Professioneel oordeel", "triage_oordeel"), ("Verzoek", "verzoek_type"),
                  ("Zeer ernstig, complex geweld", "ernstig_complex_geweld"),
                  ("Te complex voor lokaal", "te_complex_lokaal"),
                  ("Snelle forensische/trauma-inzet nodig (SOF7)", "snelle_forensische_inzet")],
                 [("Triage-uitkomst", "triage_uitkomst")],
                 doc="D2-RTM (domein 5.5; 002:3503-3529). Regel direct-ICM is afgeleid.")
    d.rule(['"mda"', None, None, None, None], ['"sof7"'], "Afwijkend oordeel MDA++: via SOF7")
    d.rule(['"consultatie"', None, None, None, None], ['"consultatie"'], "Afwijkend oordeel: consultatie")
    d.rule(['"advies"', None, None, None, None], ['"advies"'], "Afwijkend oordeel: advies")
    d.rule([C, '"consultatie"', None, None, None], ['"consultatie"'], "Aanmelder vraagt alleen consultatie")
    d.rule([C, '"traject"', "False", None, None], ['"advies"'], "Niet de doelgroep: lokale/reguliere route")
    d.rule([C, '"traject"', "True", "False", None], ['"advies"'], "Lokaal uitvoerbaar")
    d.rule([C, '"traject"', "True", "True", "True"], ['"sof7"'], "SOF7 binnen 7 dagen, dan ISO")
    d.rule([C, '"traject"', "True", "True", "False"], ['"icm"'], "Direct ICM [afgeleid]")
    return d


# ---------------------------------------------------------------------------- registry
REGION_PROCESSES = {
    "nml": [nml, nml_consultatie],
    "utrecht": [utrecht],
    "haaglanden": [haaglanden],
    "zeeland": [zeeland, zeeland_consultatie],
    "friesland": [friesland],
    "drenthe": [drenthe],
    "west-brabant": [west_brabant],
    "hart-van-brabant": [hart_van_brabant, hart_van_brabant_fasen, hvb_hulpvraag],
    "rotterdam": [rotterdam, rotterdam_inloop],
}
REGION_DECISIONS = {
    "nml": [], "utrecht": [d2_utrecht, d5_utrecht], "haaglanden": [d2_haaglanden], "zeeland": [d2_zeeland],
    "friesland": [d2_friesland], "drenthe": [d2_drenthe], "west-brabant": [d2_west_brabant],
    "hart-van-brabant": [d2_hart_van_brabant], "rotterdam": [d2_rotterdam],
}
