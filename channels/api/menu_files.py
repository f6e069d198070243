"""A restaurant's whole menu as a CSV file: `GET .../menu.csv` to export it, `PUT .../menu.csv`
(a text/csv body) to replace it, for its owner and managers. The columns and the rules of the
file are `core.menu_csv`'s; what an import keeps and what it removes, `core.use_cases.menu_files`'s.
"""
from typing import Literal

from aiohttp import web
from pydantic import Field

from channels.api.endpoints import Call, endpoint
from channels.api.menus import TAG, WHO, actor, editor
from channels.api.schemas import Shape
from channels.keys import DATABASE
from core import menu_csv
from core.use_cases import menu_files

PATH = "/api/v1/restaurants/{restaurant_id}/menu.csv"


class Export(Shape):
    separator: Literal["comma", "semicolon"] = Field("comma", description="semicolon: what Excel reads in French")


class ImportDone(Shape):
    categories: int
    dishes: int
    added: int = Field(description="dishes new on the menu")
    removed: int = Field(description="dishes the file no longer names")
    archived: int = Field(description="of those, kept off the menu because past orders name them")


@endpoint("GET", PATH, tag=TAG, query=Export, text_response="text/csv", roles=WHO,
          summary="The whole menu as CSV (UTF-8 with a byte-order mark): one row per option, or per dish without options")
async def export(call: Call) -> web.Response:
    restaurant_id = editor(call)
    text = await menu_files.export(call.app[DATABASE], restaurant_id, menu_csv.SEPARATORS[call.query.separator])
    return web.Response(
        body=text.encode("utf-8"), content_type="text/csv", charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="menu-{restaurant_id}.csv"'},
    )


@endpoint("PUT", PATH, tag=TAG, text_body="text/csv", response=ImportDone, roles=WHO,
          summary="Replace the whole menu with a CSV file (comma or semicolon, UTF-8); every row is checked first, "
                  "and a 400 names each row and column at fault, changing nothing")
async def replace(call: Call) -> ImportDone:
    restaurant_id = editor(call)
    done = await menu_files.replace(call.app[DATABASE], restaurant_id, await call.request.read(), actor=actor(call))
    return ImportDone.model_validate(done, from_attributes=True)
