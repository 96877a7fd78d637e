"""Coordinator monitoring (issue 12): stuck-case rules, the escalation ladder, notifications and
their e-mail, and the region's figures. One module per job; none imports Flask."""
