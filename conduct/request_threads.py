"""A fixed set of long-lived threads for the synchronous part of every HTTP request.

Django's ASGI handler runs each request's middleware and view in a thread of its own, made for
that request and thrown away after it. Under load that costs three ways: ten requests at once are
ten Python threads taking the interpreter lock from each other (every SQLite step and socket read
hands it over), so a page's CPU per request rose by half at ten connections; each new thread
opens a new database connection and a new cache client; and the number of threads, and so of
database connections, has no bound but the number of clients.

`RequestThreads` wraps the HTTP application: a request waits (on the event loop, costing nothing)
for one of `threads` single-thread executors, and Django's thread-sensitive work for that request
(the middleware, the view, the request signals) runs on that executor's thread. Django's own
`ThreadSensitiveContext` inside sees this one already set and adds nothing. Requests beyond
`threads` queue in arrival order. One process runs Python on one core at a time anyway; two
threads let one request's database or disk wait overlap another's Python, and keep one slow
request (a PDF, an export) from holding every other up.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext


class RequestThreads:
    def __init__(self, app, threads: int):
        if threads < 1:
            raise ValueError("RequestThreads needs at least one thread")
        self.app = app
        self.threads = threads
        self._free: asyncio.Queue[ThreadPoolExecutor] | None = None

    def _executors(self) -> "asyncio.Queue[ThreadPoolExecutor]":
        if self._free is None:
            self._free = asyncio.Queue()
            for _ in range(self.threads):
                self._free.put_nowait(
                    ThreadPoolExecutor(max_workers=1, thread_name_prefix="conduct-request")
                )
        return self._free

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        free = self._executors()
        executor = await free.get()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.app(scope, receive, send)
        finally:
            free.put_nowait(executor)
