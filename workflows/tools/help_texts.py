"""Help texts a professional can use, where the help in the descriptions was only a citation or
a shorthand (the citations stay in the field's `sources`)."""
HELP = {
    "casusregie_bij": "Wie de casusregie krijgt: het lokale team, of Moveoo als de casus daar beter past.",
    "traumavragenlijsten": "Traumavragenlijsten worden op indicatie afgenomen, bij kinderen en bij ouders.",
    "aantal_domeinen": "Tel de domeinen die betrokken zijn: zorg/hulpverlening, veiligheid/justitie en medisch (0 tot 3).",
    "frequentie_geweld": "Het Interventieteam neemt casussen op met vaker dan één keer per maand geweld of dreiging.",
    "maanden_zonder_vooruitgang": "Het Interventieteam neemt casussen op die langer dan 12 maanden geen vooruitgang laten zien.",
}
HELP_OVERRIDE = set(HELP)
