"""Every screen of the dialog, gathered: USSD, SMS and WhatsApp render them.

`SCREENS` is the one place the engine finds a screen, its texts and its handlers. Each screen
is declared whole, its handlers beside it, in the module of what it is for: finding food
(`menus.browsing`), from basket to order (`menus.ordering`), the customer's own things
(`menus.account`), the main menu (`menus.home`) and the driver's menu (`menus.driving`).
"""
from menus.account.language import LANGUAGE
from menus.account.loyalty import ACCOUNT, INVITE_NUMBER, INVITED
from menus.account.orders import CANCEL_CONFIRM, CANCELLED, ORDER_DETAIL, ORDERS
from menus.account.second_chance import PAID_AGAIN, PAY_AGAIN
from menus.account.talk import TALK, TALK_SENT
from menus.browsing.dishes import CHOICE, DISHES, QUANTITY
from menus.browsing.favourites import FAVOURITES
from menus.browsing.places import PLACES, QUARTER_INPUT
from menus.browsing.popular import POPULAR, POPULAR_QUARTER
from menus.browsing.restaurants import CATEGORIES, RESTAURANTS
from menus.browsing.search import DISH_RESULTS, DISH_SEARCH
from menus.driving import DRIVER_CODE, DRIVER_EARNINGS, DRIVER_HOME, DRIVER_JOB
from menus.home import GOODBYE, HELP, HOME
from menus.ordering.basket import BASKET
from menus.ordering.checkout import PLACED, PROMO_CODE, SUMMARY
from menus.ordering.delivery import ADDRESS_LANDMARK, ADDRESS_QUARTER, ADDRESSES, FULFILMENT
from menus.ordering.paying import PAYER, PAYER_NUMBER, PAYMENT
from menus.ordering.reorder import REORDER
from menus.screen import Screen

SCREENS: dict[str, Screen] = {
    s.name: s
    for s in (
        HOME, PLACES, QUARTER_INPUT, DISH_SEARCH, DISH_RESULTS, RESTAURANTS, CATEGORIES, DISHES, CHOICE, QUANTITY, BASKET,
        FULFILMENT, ADDRESSES, ADDRESS_QUARTER, ADDRESS_LANDMARK, PAYMENT, PAYER, PAYER_NUMBER,
        SUMMARY, PROMO_CODE, PLACED, ORDERS, ORDER_DETAIL, CANCEL_CONFIRM, CANCELLED, PAY_AGAIN, PAID_AGAIN, REORDER, LANGUAGE, HELP,
        GOODBYE, DRIVER_HOME, DRIVER_JOB, DRIVER_CODE, DRIVER_EARNINGS, TALK, TALK_SENT,
        ACCOUNT, INVITE_NUMBER, INVITED,
        FAVOURITES, POPULAR, POPULAR_QUARTER,
    )
}
