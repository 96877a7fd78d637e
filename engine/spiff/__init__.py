"""SpiffWorkflow, kept behind the library's own seams: specs (parse and freeze), the clock hook,
the running instance, migration between specs, and the few private attributes we rely on
(private_api). Nothing outside this package imports SpiffWorkflow's workflow or serializer;
`engine.workflow` is the door the rest of the engine goes through."""
