"""A restaurant's menu, edited whole by its owner and managers (`core.restaurant_roles.MENU`):
categories, dishes, option groups and options under /api/v1/restaurants/{id}/menu/..., the
menu as the restaurant sees it (`menu/editable`, sold-out dishes included), and its layout.

Each endpoint is one use case of `core.use_cases.menus`; the rules (dish numbers, archiving a
dish past orders name, names) are `core.menu_editing`'s. A change shows on every channel of
every web process within seconds (`channels.catalog_news`).
"""
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from channels.api.endpoints import Call, endpoint
from channels.api.requests import acting_for
from channels.api.schemas import Id, Shape, printable
from channels.keys import DATABASE
from core import menu_editing as rules
from core import restaurant_roles as roles
from core.use_cases import menus

TAG = "menu"
WHO = "the restaurant's owner and managers"
BASE = "/api/v1/restaurants/{restaurant_id}/menu"
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=rules.NAME_MAX),
                 AfterValidator(printable)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=rules.DESCRIPTION_MAX),
                        AfterValidator(printable)]
Price = Annotated[int, Field(ge=rules.PRICE_MIN_XAF, le=rules.PRICE_MAX_XAF, description="XAF")]
Delta = Annotated[int, Field(ge=0, le=rules.DELTA_MAX_XAF, description="XAF added to the dish's price")]
Choices = Annotated[int, Field(ge=0, le=rules.CHOICES_MAX)]


class Changes(Shape):
    @model_validator(mode="after")
    def something(self):
        if not self.model_fields_set:
            raise ValueError(f"send any of {', '.join(type(self).model_fields)}")
        return self

    def given(self) -> dict:
        return {name: getattr(self, name) for name in self.model_fields_set if getattr(self, name) is not None}


class OptionIn(Shape):
    name_fr: Name
    name_en: Name
    price_delta_xaf: Delta = 0
    available: bool = True

    def new(self) -> rules.NewOption:
        return rules.NewOption(self.name_fr, self.name_en, self.price_delta_xaf, self.available)


class GroupIn(Shape):
    name_fr: Name
    name_en: Name
    min_choices: Choices = Field(0, description="0: optional (extras); 1 with max 1: pick one (a size)")
    max_choices: Choices = 1
    options: list[OptionIn] = Field(min_length=1, max_length=20)

    def new(self) -> rules.NewGroup:
        return rules.NewGroup(self.name_fr, self.name_en, self.min_choices, self.max_choices,
                              tuple(o.new() for o in self.options))


class CategoryIn(Shape):
    name_fr: Name
    name_en: Name


class CategoryEdit(Changes):
    name_fr: Name | None = None
    name_en: Name | None = None


class DishIn(Shape):
    category_id: Id
    name_fr: Name
    name_en: Name
    description_fr: Description = ""
    description_en: Description = ""
    price_xaf: Price
    available: bool = True
    option_groups: list[GroupIn] = Field(default_factory=list, max_length=5)


class DishEdit(Changes):
    category_id: Id | None = Field(None, description="another category: the dish goes last there")
    name_fr: Name | None = None
    name_en: Name | None = None
    description_fr: Description | None = None
    description_en: Description | None = None
    price_xaf: Price | None = None
    available: bool | None = None


class GroupEdit(Changes):
    name_fr: Name | None = None
    name_en: Name | None = None
    min_choices: Choices | None = None
    max_choices: Choices | None = None


class OptionEdit(Changes):
    name_fr: Name | None = None
    name_en: Name | None = None
    price_delta_xaf: Delta | None = None
    available: bool | None = None


class Placed(Shape):
    id: Id
    dish_ids: list[Id] = Field(max_length=500, description="every dish of the category, in menu order")


class Layout(Shape):
    categories: list[Placed] = Field(max_length=100, description="every category of the menu, in order")


class EditableOption(Shape):
    id: int
    name_fr: str
    name_en: str
    price_delta_xaf: int
    available: bool


class EditableGroup(Shape):
    id: int
    name_fr: str
    name_en: str
    min_choices: int
    max_choices: int
    options: list[EditableOption]


class EditableDish(Shape):
    id: int
    number: int = Field(description="its number on the SMS `MENU <n>` list and the USSD menu")
    category_id: int
    name_fr: str
    name_en: str
    description_fr: str
    description_en: str
    price_xaf: int
    available: bool
    option_groups: list[EditableGroup]


class EditableCategory(Shape):
    id: int
    name_fr: str
    name_en: str
    position: int
    dishes: list[EditableDish]


class EditableMenu(Shape):
    restaurant_id: int
    categories: list[EditableCategory]


def _out(model, view):
    return model.model_validate(view, from_attributes=True)


def editor(call: Call) -> int:
    return acting_for(call.claims, call.path["restaurant_id"], roles.MENU)


def actor(call: Call) -> str:
    return f"app:{call.claims['sub']}"


@endpoint("GET", BASE + "/editable", tag=TAG, response=EditableMenu, roles=WHO,
          summary="The menu as the restaurant edits it: categories in order, their dishes by number, sold-out ones too")
async def editable_menu(call: Call) -> EditableMenu:
    return _out(EditableMenu, await menus.menu(call.app[DATABASE], editor(call)))


@endpoint("PUT", BASE + "/layout", tag=TAG, body=Layout, response=EditableMenu, roles=WHO,
          summary="Lay the menu out again: categories in order, each with its dishes in order; dish numbers follow")
async def lay_out(call: Call) -> EditableMenu:
    layout = [(c.id, c.dish_ids) for c in call.body.categories]
    return _out(EditableMenu, await menus.reorder(call.app[DATABASE], editor(call), layout, actor=actor(call)))


@endpoint("POST", BASE + "/categories", tag=TAG, body=CategoryIn, response=EditableCategory, status=201, idempotent=True,
          roles=WHO, summary="Add a category, last on the menu (customers see it once it holds a dish)")
async def add_category(call: Call) -> EditableCategory:
    made = await menus.add_category(call.app[DATABASE], editor(call), name_fr=call.body.name_fr, name_en=call.body.name_en,
                                    actor=actor(call))
    return _out(EditableCategory, made)


@endpoint("PATCH", BASE + "/categories/{category_id}", tag=TAG, body=CategoryEdit, response=EditableCategory, roles=WHO,
          summary="Rename a category")
async def change_category(call: Call) -> EditableCategory:
    changed = await menus.change_category(call.app[DATABASE], editor(call), call.path["category_id"], actor=actor(call),
                                          **call.body.given())
    return _out(EditableCategory, changed)


@endpoint("DELETE", BASE + "/categories/{category_id}", tag=TAG, status=204, roles=WHO,
          summary="Delete an empty category (409 while it holds dishes)")
async def delete_category(call: Call) -> None:
    await menus.delete_category(call.app[DATABASE], editor(call), call.path["category_id"], actor=actor(call))


@endpoint("POST", BASE + "/dishes", tag=TAG, body=DishIn, response=EditableDish, status=201, idempotent=True, roles=WHO,
          summary="Add a dish, with its option groups, last in its category")
async def add_dish(call: Call) -> EditableDish:
    body: DishIn = call.body
    made = await menus.add_dish(
        call.app[DATABASE], editor(call), category_id=body.category_id, name_fr=body.name_fr, name_en=body.name_en,
        description_fr=body.description_fr, description_en=body.description_en, price_xaf=body.price_xaf,
        available=body.available, option_groups=[g.new() for g in body.option_groups], actor=actor(call),
    )
    return _out(EditableDish, made)


@endpoint("PATCH", BASE + "/dishes/{item_id}", tag=TAG, body=DishEdit, response=EditableDish, roles=WHO,
          summary="Change a dish: names, descriptions, price, availability, category")
async def change_dish(call: Call) -> EditableDish:
    changed = await menus.change_dish(call.app[DATABASE], editor(call), call.path["item_id"], call.body.given(),
                                      actor=actor(call))
    return _out(EditableDish, changed)


@endpoint("DELETE", BASE + "/dishes/{item_id}", tag=TAG, status=204, roles=WHO,
          summary="Delete a dish: the dishes after it move down one number; one that past orders name is archived")
async def delete_dish(call: Call) -> None:
    await menus.delete_dish(call.app[DATABASE], editor(call), call.path["item_id"], actor=actor(call))


@endpoint("POST", BASE + "/dishes/{item_id}/groups", tag=TAG, body=GroupIn, response=EditableGroup, status=201, idempotent=True,
          roles=WHO, summary="Add an option group (sizes, extras) with its options to a dish")
async def add_group(call: Call) -> EditableGroup:
    made = await menus.add_group(call.app[DATABASE], editor(call), call.path["item_id"], call.body.new(), actor=actor(call))
    return _out(EditableGroup, made)


@endpoint("PATCH", BASE + "/groups/{group_id}", tag=TAG, body=GroupEdit, response=EditableGroup, roles=WHO,
          summary="Rename an option group or change how many of its options may be chosen")
async def change_group(call: Call) -> EditableGroup:
    changed = await menus.change_group(call.app[DATABASE], editor(call), call.path["group_id"], actor=actor(call),
                                       **call.body.given())
    return _out(EditableGroup, changed)


@endpoint("DELETE", BASE + "/groups/{group_id}", tag=TAG, status=204, roles=WHO, summary="Delete an option group and its options")
async def delete_group(call: Call) -> None:
    await menus.delete_group(call.app[DATABASE], editor(call), call.path["group_id"], actor=actor(call))


@endpoint("POST", BASE + "/groups/{group_id}/options", tag=TAG, body=OptionIn, response=EditableOption, status=201,
          idempotent=True, roles=WHO, summary="Add an option to a group, last of it")
async def add_option(call: Call) -> EditableOption:
    made = await menus.add_option(call.app[DATABASE], editor(call), call.path["group_id"], call.body.new(), actor=actor(call))
    return _out(EditableOption, made)


@endpoint("PATCH", BASE + "/options/{option_id}", tag=TAG, body=OptionEdit, response=EditableOption, roles=WHO,
          summary="Change an option: names, price added, availability")
async def change_option(call: Call) -> EditableOption:
    changed = await menus.change_option(call.app[DATABASE], editor(call), call.path["option_id"], call.body.given(),
                                        actor=actor(call))
    return _out(EditableOption, changed)


@endpoint("DELETE", BASE + "/options/{option_id}", tag=TAG, status=204, roles=WHO,
          summary="Delete an option (409 for the last of its group, or one its minimum needs)")
async def delete_option(call: Call) -> None:
    await menus.delete_option(call.app[DATABASE], editor(call), call.path["option_id"], actor=actor(call))
