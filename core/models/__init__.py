"""The stored shape of the domain: SQLAlchemy 2 models, one module per area."""
from core.models.accounts import Account, Address, Driver, OtpCode, RefreshToken, Role
from core.models.base import Base
from core.models.catalog import (
    MenuCategory,
    MenuItem,
    MenuOption,
    OpeningHours,
    OptionGroup,
    Quarter,
    Restaurant,
)
from core.models.catalog_state import CatalogState
from core.models.funnel import UssdScreenDay
from core.models.loyalty import Invitation, LoyaltyMovement
from core.models.favourites import Favourite
from core.models.events import AuditEvent, IdempotentRequest, InboundMessage, OutboxMessage, ProcessedEvent
from core.models.onboarding import RestaurantApplication
from core.models.orders import Cart, CartLine, DeliveryJob, LedgerEntry, Order, OrderLine, Payment
from core.models.support import Ticket, TicketMessage
from core.models.payouts import Payout, PayoutAccount
from core.models.privacy import PersonalDataRequest
from core.models.promotions import PromoCode, RestaurantOffer
from core.models.ratings import Rating
from core.models.second_factor import RecoveryCode, SecondFactor, SignInAttempt

__all__ = [
    "Account",
    "Address",
    "AuditEvent",
    "Base",
    "Cart",
    "CartLine",
    "CatalogState",
    "DeliveryJob",
    "Favourite",
    "Driver",
    "IdempotentRequest",
    "InboundMessage",
    "Invitation",
    "LedgerEntry",
    "LoyaltyMovement",
    "MenuCategory",
    "MenuItem",
    "MenuOption",
    "OpeningHours",
    "OptionGroup",
    "Order",
    "OrderLine",
    "OtpCode",
    "OutboxMessage",
    "Payment",
    "Payout",
    "PayoutAccount",
    "PersonalDataRequest",
    "ProcessedEvent",
    "PromoCode",
    "Quarter",
    "Rating",
    "RecoveryCode",
    "SecondFactor",
    "SignInAttempt",
    "RefreshToken",
    "Restaurant",
    "RestaurantApplication",
    "RestaurantOffer",
    "Role",
    "Ticket",
    "TicketMessage",
    "UssdScreenDay",
]
