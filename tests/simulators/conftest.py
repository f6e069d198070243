"""A bare application with the payment simulators and a receiver for their callbacks, served on a real port."""
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from simulators.payments import PaymentBook, setup
from tests.simulators.calls import CAMPAY_KEY, STRIPE_SECRET


@dataclass
class Hit:
    """One callback or webhook as the service would receive it."""

    method: str
    name: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class Sim:
    client: TestClient
    book: PaymentBook
    hits: list[Hit] = field(default_factory=list)

    def url(self, path: str) -> str:
        return str(self.client.make_url(path))

    def received(self, name: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.name == name]


@pytest.fixture
async def make_sim(aiohttp_server, aiohttp_client):
    """Builds the simulators in a given mode; callbacks land on /hooks/{name} of the same server."""
    books: list[PaymentBook] = []

    async def make(mode: str = "manual", auto_delay_s: float = 0.05) -> Sim:
        book = PaymentBook(mode=mode, auto_delay_s=auto_delay_s)
        books.append(book)
        app = web.Application()
        hits: list[Hit] = []

        async def receive(request: web.Request) -> web.Response:
            body = await request.read()
            hits.append(Hit(request.method, request.match_info["name"], dict(request.query), dict(request.headers), body))
            return web.Response(text="ok")

        app.router.add_route("*", "/hooks/{name}", receive)
        server = None
        setup(
            app, book,
            campay_webhook_url=lambda: str(server.make_url("/hooks/campay")), campay_webhook_key=CAMPAY_KEY,
            stripe_webhook_url=lambda: str(server.make_url("/hooks/stripe")), stripe_webhook_secret=STRIPE_SECRET,
        )
        server = await aiohttp_server(app)
        return Sim(await aiohttp_client(server), book, hits)

    yield make
    for book in books:
        for provider in ("mtn", "campay", "stripe"):
            book.fault(provider).timeout = False  # lets stalled handlers end before the servers close
        await book.drain()


@pytest.fixture
async def sim(make_sim) -> Sim:
    return await make_sim()
