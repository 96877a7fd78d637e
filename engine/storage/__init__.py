"""Tables, engine/session set-up and the unit of work. Knows nothing of cases' behaviour."""
