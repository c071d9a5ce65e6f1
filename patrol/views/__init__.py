"""Patrol and on-call pages, one module per noun: `on_call` (raise, the live queue, one request
and the patrol's actions), `home` (the patrol's phone page), `sent_out`, `sweeps` (and students
found out of lessons, for attendance), `watch_list` (with drop-ins), `rota`; `inputs` reads what
a page was sent."""
