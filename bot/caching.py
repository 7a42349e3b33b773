"""Nothing the API answers is kept by a browser or a proxy cache: `Cache-Control:
no-store` on every answer under /api and /desk (the chat API, the desk's pages and
API, the statistics), errors and redirects included. A route that chose its own
caching keeps it: GET /api/crisis-lines is the same public list for everyone."""
from __future__ import annotations

from aiohttp import hdrs, web

NO_STORE = "no-store"
NO_STORE_PREFIXES = ("/api", "/desk")


@web.middleware
async def no_store_middleware(request: web.Request, handler):
    """Outside the error middleware, so its error answers get the header too."""
    if not request.path.startswith(NO_STORE_PREFIXES):
        return await handler(request)
    try:
        response = await handler(request)
    except web.HTTPException as exc:  # a redirect, or an error no middleware turned into JSON
        exc.headers.setdefault(hdrs.CACHE_CONTROL, NO_STORE)
        raise
    if not response.prepared:  # a WebSocket's headers are gone already
        response.headers.setdefault(hdrs.CACHE_CONTROL, NO_STORE)
    return response
