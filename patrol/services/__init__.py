"""Writes for patrol and on-call, one module per noun: `on_call` (requests, reasons,
escalation), `sent_out`, `sweeps` (and the students they find), `watch_list` (with drop-ins),
`rota` (duties and absences); `checks` and `removal` are shared by them. One transaction each;
live events go out only after it commits; races are settled by the database, not by Python."""
