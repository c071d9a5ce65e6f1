"""Reads for patrol and on-call, one module per noun: `on_call` (the queue, one request as
clients see it, who is on call now), `lesson_now` (the teacher's lesson now and its class list),
`sent_out`, `sweeps` (and the students they find), `watch_list` (with where each student is
now), `rota` (the week and its coverage check); `people` names colleagues."""
