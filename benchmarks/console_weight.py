"""The web console's weight on a cheap phone over 3G: each page's first load, compressed as the
browser asks (gzip, deflate, br), and the requests that block its first render, against the
budget (100 KB, 2 requests).

Signs in as a restaurant's owner with the SMS code (read from /sim/messages) on a running
service with the simulators (`./run serve`), then loads each page of PAGES with an empty cache
(and, signed in as an admin, each of OPERATIONS_PAGES):
the document, then every script, stylesheet, image and icon it names. A page is one line in
PAGES; `{restaurant}` is the signed-in person's first restaurant.

    .venv/bin/python benchmarks/console_weight.py --url http://127.0.0.1:8080 [--phone +237677100001]

Exits 1 when a page is over budget. tests/console/test_console_weight.py runs it on every page.
"""
import argparse
import asyncio
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

import aiohttp

BUDGET_BYTES = 100 * 1024
BUDGET_BLOCKING = 2
ACCEPT_ENCODING = "gzip, deflate, br"
OWNER = "+237677100001"  # Chez Maman Ngo, in the demo data

# Console pages, loaded signed in. The sign-in page itself is loaded first, signed out.
PAGES = (
    "/console/restaurants/{restaurant}",  # the live board
    "/console/restaurants/{restaurant}/menu",  # the menu editor: every dish, its options, its forms
    "/console/restaurants/{restaurant}/hours",
    "/console/restaurants/{restaurant}/sales?period=30d",  # the longest period: 30 bars, three charts
    "/console/restaurants/{restaurant}/promotions",
    "/console/restaurants/{restaurant}/ratings",  # the comments, each with its answer form
)
ADMIN = "+237677000099"  # Chopbar Admin, in the demo data
# The operations pages, loaded signed in as an admin (support sees the same, payouts aside).
OPERATIONS_PAGES = (
    "/console/ops",  # live orders and alerts
    "/console/ops/business?days=30",  # the figures and their four charts
    "/console/ops/applications",
    "/console/ops/tickets",
    "/console/ops/payouts",
    "/console/ops/promo-codes",
)


@dataclass(frozen=True)
class Weight:
    path: str
    status: int
    transferred: int  # bytes on the wire: headers and compressed bodies, the document and what it names
    requests: int
    blocking: int  # the document, and each stylesheet or script without defer/async it waits for

    @property
    def within_budget(self) -> bool:
        return self.status == 200 and self.transferred <= BUDGET_BYTES and self.blocking <= BUDGET_BLOCKING

    def line(self) -> str:
        verdict = "ok" if self.within_budget else "OVER BUDGET"
        return (f"{self.path:<40} {self.status} {self.transferred / 1024:6.1f} KB / {BUDGET_BYTES // 1024} KB  "
                f"{self.requests} requests, {self.blocking} blocking / {BUDGET_BLOCKING}  {verdict}")


class _Subresources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocking: list[str] = []
        self.later: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            waits = "defer" not in a and "async" not in a and a.get("type") != "module"
            (self.blocking if waits else self.later).append(a["src"])
        elif tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower()
            if "stylesheet" in rel and a.get("media", "all") in ("all", "screen"):
                self.blocking.append(a["href"])
            elif "icon" in rel or "preload" in rel:
                self.later.append(a["href"])
        elif tag in ("img", "audio", "source") and a.get("src"):
            self.later.append(a["src"])


def _on_the_wire(response: aiohttp.ClientResponse, body: bytes) -> int:
    status_line = len(f"HTTP/1.1 {response.status} {response.reason}\r\n")
    return status_line + sum(len(k) + len(v) + 4 for k, v in response.raw_headers) + 2 + len(body)


async def weigh(http: aiohttp.ClientSession, base: str, path: str) -> Weight:
    """One page's first load with an empty cache (`http` must not decompress: we count the wire)."""
    headers = {"Accept-Encoding": ACCEPT_ENCODING}
    async with http.get(base + path, headers=headers) as response:
        body = await response.read()
        total, status = _on_the_wire(response, body), response.status
        encoding = response.headers.get("Content-Encoding", "")
    html = _decoded(body, encoding)
    found = _Subresources()
    found.feed(html)
    for src in found.blocking + found.later:
        async with http.get(urljoin(base + path, src), headers=headers) as response:
            total += _on_the_wire(response, await response.read())
    return Weight(path, status, total, 1 + len(found.blocking) + len(found.later), 1 + len(found.blocking))


def _decoded(body: bytes, encoding: str) -> str:
    import gzip
    import zlib
    if encoding == "gzip":
        body = gzip.decompress(body)
    elif encoding == "deflate":
        body = zlib.decompress(body)
    elif encoding == "br":
        import brotli  # only if the service ever answers br; aiohttp does when brotli is installed
        body = brotli.decompress(body)
    return body.decode("utf-8", "replace")


async def sign_in(http: aiohttp.ClientSession, base: str, phone: str) -> int | None:
    """The console's sign-in with the SMS code; returns the first restaurant the person works at
    (None for the Chopbar team, who land on the operations link)."""
    async def text(response) -> str:
        return _decoded(await response.read(), response.headers.get("Content-Encoding", ""))

    async with http.get(base + "/console/") as r:
        csrf = re.search(r'name="csrf" value="([^"]+)"', await text(r)).group(1)
    async with http.post(base + "/console/sign-in", data={"phone": phone, "csrf": csrf}) as r:
        assert r.status == 200, r.status
    async with http.get(base + "/sim/messages", params={"to": phone}) as r:
        code = re.search(r"\b(\d{6})\b", (await r.json())[-1]["text"]).group(1)
    async with http.post(base + "/console/code", data={"code": code, "csrf": csrf}) as r:
        landed = await text(r)
        assert r.status == 200, landed
    found = re.search(r"/console/restaurants/(\d+)", landed)
    return int(found.group(1)) if found else None


async def weigh_all(base: str, phone: str = OWNER, pages=PAGES, operator: str | None = ADMIN,
                    operations_pages=OPERATIONS_PAGES) -> list[Weight]:
    jar = aiohttp.CookieJar(unsafe=True)  # the cookie of a service on an IP address
    async with aiohttp.ClientSession(cookie_jar=jar, auto_decompress=False) as http:
        weights = [await weigh(http, base, "/console/")]
        restaurant = await sign_in(http, base, phone)
        weights += [await weigh(http, base, p.format(restaurant=restaurant)) for p in pages]
    if operator:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), auto_decompress=False) as http:
            await sign_in(http, base, operator)
            weights += [await weigh(http, base, p) for p in operations_pages]
    return weights


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080", help="a running service with the simulators")
    parser.add_argument("--phone", default=OWNER, help="a restaurant owner's or staff's number")
    parser.add_argument("--operator", default=ADMIN, help="an admin's number, for the operations pages")
    args = parser.parse_args()
    weights = await weigh_all(args.url.rstrip("/"), args.phone, operator=args.operator)
    for weight in weights:
        print(weight.line())
    return 0 if all(w.within_budget for w in weights) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
