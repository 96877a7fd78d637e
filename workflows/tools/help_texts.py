"""Help texts a professional can use, for fields whose help was only a source citation."""
HELP = {}
HELP_OVERRIDE = set()
