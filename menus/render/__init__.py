"""Renderers: one per channel, each turning the same View into what that channel carries.

Each has `show(view) -> Shown`: the body and how many pages the view's list takes, from one
paging, so the dialog engine knows whether `98` has a page to go to without paging again.
"""
from typing import Any, NamedTuple


class Shown(NamedTuple):
    body: Any  # what the channel carries: text, or a message's JSON-ready parts
    pages: int
