"""The fixed demo data seeded into the embedded default (restaurants, menus, people)."""
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class DemoOption:
    name_en: str
    name_fr: str
    price_delta_xaf: int = 0


@dataclass(frozen=True)
class DemoOptionGroup:
    name_en: str           # e.g. "Size"
    name_fr: str           # e.g. "Taille"
    min_choices: int       # 1 for a required size, 0 for extras
    max_choices: int       # 1 for a size, up to len(options) for extras
    options: tuple[DemoOption, ...]


@dataclass(frozen=True)
class DemoDish:
    name_en: str
    name_fr: str
    price_xaf: int
    description_en: str = ""
    description_fr: str = ""
    option_groups: tuple[DemoOptionGroup, ...] = ()
    available: bool = True


@dataclass(frozen=True)
class DemoCategory:
    name_en: str
    name_fr: str
    dishes: tuple[DemoDish, ...]


@dataclass(frozen=True)
class DemoHours:
    weekdays: tuple[int, ...]   # 0 = Monday ... 6 = Sunday
    opens: str                  # "HH:MM" local time (Africa/Douala)
    closes: str                 # "HH:MM"; "24:00" for midnight; closes < opens means past midnight


@dataclass(frozen=True)
class DemoRestaurant:
    slug: str
    name: str
    city: str                   # "Yaounde" or "Douala", as in quarters.csv
    quarter: str                # exactly a `quarter` value of quarters.csv in that city
    landmark: str               # how people find it, e.g. "Face Total Bastos"
    phone: str                  # E.164 contact phone that runs the SMS console
    backup_phone: str | None
    hours: tuple[DemoHours, ...]
    categories: tuple[DemoCategory, ...]
    approved: bool = True
    completed_orders: int = 0   # drives the commission tier (15% new, 12% over 100, 10% over 500)


@dataclass(frozen=True)
class DemoPerson:
    role: str                   # "customer", "driver", "support", "admin"
    name: str
    phone: str                  # E.164
    city: str
    language: str               # "fr" or "en"
    quarter: str | None = None  # home quarter (customers) or zone centre (drivers)
    landmark: str | None = None # customers: their saved address landmark
    zone: tuple[str, ...] = ()  # drivers: quarters they serve


# Hours. Tests run at Tuesday 12:30 in Douala, when most of these are open.
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
MON_SAT = (0, 1, 2, 3, 4, 5)
ALL_DAY = (DemoHours(EVERY_DAY, "00:00", "24:00"),)
LUNCH_DINNER = (DemoHours(EVERY_DAY, "10:00", "22:00"),)
CLOSED_SUNDAY = (DemoHours(MON_SAT, "10:00", "22:00"),)
LATE_CLOSED_SUNDAY = (DemoHours(MON_SAT, "11:00", "23:00"),)
BRAISE_NIGHTS = (DemoHours(EVERY_DAY, "17:00", "02:00"),)
MORNINGS = (DemoHours(EVERY_DAY, "06:00", "11:00"),)


def _o(en: str, fr: str, delta: int = 0) -> DemoOption:
    return DemoOption(en, fr, delta)


# Option groups shared by several dishes.
SIDE = DemoOptionGroup("Side", "Accompagnement", 1, 1, (
    _o("Ripe plantain", "Plantain mur"), _o("Miondo", "Miondo"), _o("Bobolo", "Bobolo"),
    _o("Boiled yam", "Igname", 200),
))
EXTRAS = DemoOptionGroup("Extras", "Supplements", 0, 3, (
    _o("Extra plantain", "Plantain en plus", 300), _o("Pepper", "Piment"),
    _o("Cassava stick", "Baton de manioc", 200),
))
FISH_SIZE = DemoOptionGroup("Size", "Taille", 1, 1, (
    _o("Small", "Petit"), _o("Medium", "Moyen", 1500), _o("Large", "Gros", 3000),
))
CHICKEN_PART = DemoOptionGroup("Portion", "Portion", 1, 1, (
    _o("Quarter", "Quart"), _o("Half", "Demi", 2000), _o("Whole", "Entier", 5500),
))
SOYA_STICKS = DemoOptionGroup("Sticks", "Batons", 1, 1, (
    _o("5 sticks", "5 batons"), _o("10 sticks", "10 batons", 500), _o("20 sticks", "20 batons", 1500),
))
PEPPER = DemoOptionGroup("Pepper", "Piment", 1, 1, (
    _o("No pepper", "Sans piment"), _o("Mild", "Doux"), _o("Hot", "Fort"),
))
PUFF_COUNT = DemoOptionGroup("Quantity", "Quantite", 1, 1, (
    _o("5 pieces", "5 pieces"), _o("10 pieces", "10 pieces", 100), _o("20 pieces", "20 pieces", 300),
))
FUFU = DemoOptionGroup("Fufu", "Fufu", 1, 1, (
    _o("Water fufu", "Water fufu"), _o("Garri", "Gari"), _o("Corn fufu", "Couscous mais", 100),
))
ACHU_MEAT = DemoOptionGroup("Meat", "Viande", 1, 1, (
    _o("Cow skin", "Peau de boeuf"), _o("Beef", "Boeuf", 500), _o("Mixed", "Mixte", 800),
))
SOUP_MEAT = DemoOptionGroup("Meat", "Viande", 1, 1, (
    _o("Fish", "Poisson"), _o("Chicken", "Poulet", 500), _o("Goat", "Chevre", 1000),
))
OKOK_STYLE = DemoOptionGroup("Style", "Style", 1, 1, (_o("Sweet", "Sucre"), _o("Salted", "Sale")))
PAP_EXTRAS = DemoOptionGroup("Extras", "Supplements", 0, 2, (
    _o("Peanuts", "Arachides", 100), _o("Extra sugar", "Sucre en plus", 50),
))
DRINK_SIZE = DemoOptionGroup("Size", "Taille", 1, 1, (_o("50 cl", "50 cl"), _o("1 litre", "1 litre", 400)))

# Plates: national and regional dishes.
NDOLE = DemoDish("Ndole", "Ndole", 2500, "Bitterleaf, peanuts, beef", "Ndole viande, arachides", (SIDE, EXTRAS))
NDOLE_SHRIMP = DemoDish("Ndole shrimps", "Ndole crevettes", 3500, "Bitterleaf, peanuts, shrimps",
                        "Ndole aux crevettes", (SIDE, EXTRAS))
POULET_DG = DemoDish("Poulet DG", "Poulet DG", 4000, "Chicken, fried plantain, vegetables",
                     "Poulet, plantain frit, legumes", (EXTRAS,))
ERU = DemoDish("Eru & water fufu", "Eru et water fufu", 2000, "Eru, waterleaf, cow skin",
               "Eru, waterleaf, peau de boeuf", (FUFU,))
ACHU = DemoDish("Achu & yellow soup", "Achu sauce jaune", 2500, "Pounded cocoyam, yellow soup",
                "Macabo pile, sauce jaune", (ACHU_MEAT,))
MBONGO = DemoDish("Mbongo tchobi", "Mbongo tchobi", 3000, "Fish in black spice sauce", "Poisson sauce noire",
                  (SIDE,))
OKOK = DemoDish("Okok", "Okok", 1500, "Gnetum leaves, peanuts", "Feuilles d'okok, arachides", (OKOK_STYLE,))
KOKI = DemoDish("Koki & plantain", "Koki plantain", 1000, "Steamed bean cake, palm oil",
                "Gateau de niebe a l'huile rouge")
TARO = DemoDish("Taro & yellow soup", "Taro sauce jaune", 2500, "Pounded taro, yellow soup", "Taro pile, sauce jaune")
KONDRE = DemoDish("Goat kondre", "Kondre de chevre", 3000, "Unripe plantain and goat stew",
                  "Ragout de plantain vert et chevre")
SANGA = DemoDish("Sanga", "Sanga", 1500, "Fresh corn, cassava leaves", "Mais frais, feuilles de manioc")
FOLONG = DemoDish("Folong & plantain", "Folong plantain", 1500, "Folong leaves, smoked fish",
                  "Folong au poisson fume")
PILE = DemoDish("Pile pommes", "Pile pommes", 1500, "Mashed potatoes and beans", "Pommes et haricots piles",
                (PEPPER,))
NKUI = DemoDish("Nkui & corn fufu", "Nkui couscous", 2000, "Nkui soup, corn fufu", "Sauce nkui, couscous mais")
EGUSI = DemoDish("Egusi pudding", "Mets de pistache", 1500, "Steamed egusi, smoked fish",
                 "Pistache a la vapeur, poisson fume")
KATI_KATI = DemoDish("Kati kati & fufu corn", "Kati kati couscous", 3000, "Grilled chicken in palm oil",
                     "Poulet grille a l'huile rouge")
CORN_CHAFF = DemoDish("Corn chaff", "Corn chaff", 1000, "Corn and beans", "Mais et haricots")
EKWANG = DemoDish("Ekwang", "Ekwang", 2000, "Grated cocoyam in leaves", "Macabo rape en feuilles")
PEPPER_SOUP = DemoDish("Pepper soup", "Pepe soupe", 2000, "Spicy broth", "Bouillon pimente", (SOUP_MEAT,))
COUSCOUS_GOMBO = DemoDish("Couscous & okra soup", "Couscous sauce gombo", 1500, "Corn fufu, okra, beef",
                          "Couscous mais, gombo, boeuf")
RICE_STEW = DemoDish("Rice & tomato stew", "Riz sauce tomate", 1000, "Rice, tomato stew, beef", "Riz, sauce, boeuf")
KILISHI = DemoDish("Kilishi 100 g", "Kilishi 100 g", 1500, "Dried spiced beef", "Viande sechee epicee")
FISH_STEW = DemoDish("Fish court-bouillon", "Poisson court-bouillon", 3000, "Fresh fish in light broth",
                     "Poisson frais, bouillon leger", (SIDE,))

# Grills.
FISH = DemoDish("Grilled fish", "Poisson braise", 3500, "Bar or carp, with sauce", "Bar ou carpe, sauce",
                (FISH_SIZE, EXTRAS))
MACKEREL = DemoDish("Grilled mackerel", "Maquereau braise", 2500, option_groups=(EXTRAS,))
CHICKEN = DemoDish("Grilled chicken", "Poulet braise", 2500, "With fried plantain", "Avec plantain frit",
                   (CHICKEN_PART, EXTRAS))
SOYA = DemoDish("Soya", "Soya", 500, "Spiced beef skewers", "Brochettes de boeuf", (SOYA_STICKS, PEPPER))
PORK = DemoDish("Grilled pork", "Porc braise", 2500, "Half a kilo", "Un demi-kilo", (PEPPER, EXTRAS))
FRIED_PLANTAIN = DemoDish("Fried plantain", "Plantain frit", 500)
ROAST_PLANTAIN = DemoDish("Roast plantain", "Plantain braise", 300)
ROAST_CORN = DemoDish("Roast corn", "Mais braise", 200)
ROAST_SAFOU = DemoDish("Roast safou", "Prunes braisees", 500, "Bush butter, 6 pieces", "Safou, 6 pieces")

# Sides.
MIONDO = DemoDish("Miondo", "Miondo", 500, "Thin cassava sticks, 5", "Batons fins de manioc, 5")
BOBOLO = DemoDish("Bobolo", "Bobolo", 300, "Cassava stick", "Baton de manioc")
WATER_FUFU = DemoDish("Water fufu", "Water fufu", 300)
PLAIN_RICE = DemoDish("Plain rice", "Riz blanc", 500)

# Breakfast.
PUFF_PUFF = DemoDish("Puff-puff", "Beignets", 100, "Fried dough balls", "Beignets souffles", (PUFF_COUNT,))
BH = DemoDish("Puff-puff & beans", "Beignets haricots", 300, "BH", "BH", (PEPPER,))
BHB = DemoDish("BHB", "BHB", 500, "Puff-puff, beans, pap", "Beignets, haricots, bouillie", (PEPPER,))
CORN_PAP = DemoDish("Corn pap", "Bouillie de mais", 200, option_groups=(PAP_EXTRAS,))
MILLET_PAP = DemoDish("Millet pap", "Bouillie de mil", 250, option_groups=(PAP_EXTRAS,))
SPAGHETTI = DemoDish("Spaghetti omelette", "Spaghetti omelette", 1000)
BREAD_AVOCADO = DemoDish("Bread & avocado", "Pain avocat", 500)
BREAD_BEANS = DemoDish("Bread & beans", "Pain haricots", 300)
BREAD_OMELETTE = DemoDish("Omelette sandwich", "Pain omelette", 500)
COFFEE = DemoDish("Coffee with milk", "Cafe au lait", 300)
TEA = DemoDish("Tea with milk", "The au lait", 300)

# Drinks.
FOLERE = DemoDish("Folere juice", "Jus de folere", 500, "Hibiscus", "Bissap", (DRINK_SIZE,))
GINGER = DemoDish("Ginger juice", "Jus de gingembre", 500, option_groups=(DRINK_SIZE,))
TOP = DemoDish("Top Pamplemousse", "Top Pamplemousse", 500)
TOP_ANANAS = DemoDish("Top Ananas", "Top Ananas", 500)
DJINO = DemoDish("Djino cocktail", "Djino cocktail", 500)
WATER = DemoDish("Supermont 1.5 l", "Supermont 1,5 l", 600, "Mineral water", "Eau minerale")
PALM_WINE = DemoDish("Palm wine 1 l", "Vin de palme 1 l", 500)
BEER = DemoDish("Castel beer 65 cl", "Castel 65 cl", 800)


def _at(shift: int, *dishes: DemoDish) -> tuple[DemoDish, ...]:
    """The same dishes priced `shift` XAF higher (or lower): a restaurant's standing."""
    return tuple(replace(d, price_xaf=d.price_xaf + shift) for d in dishes)


def _sold_out(dish: DemoDish) -> DemoDish:
    return replace(dish, available=False)


def _plates(*dishes: DemoDish) -> DemoCategory:
    return DemoCategory("Plates", "Plats", dishes)


def _grills(*dishes: DemoDish) -> DemoCategory:
    return DemoCategory("Grills", "Grillades", dishes)


def _sides(*dishes: DemoDish) -> DemoCategory:
    return DemoCategory("Sides", "Accompagnements", dishes)


def _breakfast(*dishes: DemoDish) -> DemoCategory:
    return DemoCategory("Breakfast", "Petit-dejeuner", dishes)


def _drinks(*dishes: DemoDish) -> DemoCategory:
    return DemoCategory("Drinks", "Boissons", dishes)


def _r(slug, name, city, quarter, landmark, phone, backup, hours, categories, completed) -> DemoRestaurant:
    return DemoRestaurant(slug, name, city, quarter, landmark, phone, backup, hours, categories,
                          completed_orders=completed)


YAOUNDE: tuple[DemoRestaurant, ...] = (
    # Tests order "Poulet DG" (4 000, extras only) from its "Plats"; SMS "EPUISE 1" sells out dish 1.
    _r("mama-ngo-bastos", "Chez Maman Ngo", "Yaounde", "Bastos", "Carrefour Bastos, face Total",
       "+237677100001", "+237699100001", ALL_DAY, (
           _plates(*_at(500, NDOLE), POULET_DG, *_at(500, ERU, ACHU, MBONGO, OKOK, KOKI, TARO)),
           _grills(*_at(500, FISH, CHICKEN, SOYA, PORK), FRIED_PLANTAIN),
           _drinks(FOLERE, GINGER, TOP, DJINO, WATER),
       ), 620),
    _r("braiseur-mvog-mbi", "Le Braiseur de Mvog-Mbi", "Yaounde", "Mvog-Mbi", "Derriere le marche Mvog-Mbi",
       "+237677100002", None, BRAISE_NIGHTS, (
           _grills(FISH, MACKEREL, CHICKEN, SOYA, PORK, ROAST_PLANTAIN, ROAST_SAFOU),
           _sides(MIONDO, BOBOLO, FRIED_PLANTAIN),
           _drinks(BEER, PALM_WINE, TOP, DJINO),
       ), 180),
    _r("saveurs-essos", "Saveurs d'Essos", "Yaounde", "Essos", "Carrefour Essos, cote pharmacie",
       "+237699100003", None, LUNCH_DINNER, (
           _plates(KOKI, NDOLE, POULET_DG, OKOK, SANGA, FOLONG, MBONGO, RICE_STEW),
           _drinks(FOLERE, GINGER, TOP_ANANAS),
       ), 40),
    _r("beignets-mokolo", "Beignets de Mokolo", "Yaounde", "Mokolo", "Entree marche Mokolo",
       "+237650100004", None, MORNINGS, (
           _breakfast(PUFF_PUFF, BH, BHB, CORN_PAP, MILLET_PAP, BREAD_BEANS, BREAD_OMELETTE, SPAGHETTI),
           _drinks(COFFEE, TEA, FOLERE),
       ), 300),
    _r("resto-biyem-assi", "Le Resto de Biyem-Assi", "Yaounde", "Biyem-Assi", "Carrefour Biyem-Assi",
       "+237690100005", "+237677100005", CLOSED_SUNDAY, (
           _plates(*_at(-200, NDOLE, POULET_DG), _sold_out(ERU), *_at(-200, ACHU, KOKI, PILE, RICE_STEW)),
           _grills(FISH, SOYA, FRIED_PLANTAIN),
           _drinks(FOLERE, TOP, WATER),
       ), 95),
    _r("mami-nyanga-melen", "Mami Nyanga", "Yaounde", "Melen", "Face entree Polytechnique",
       "+237655100006", None, LATE_CLOSED_SUNDAY, (
           _plates(ERU, ACHU, KATI_KATI, CORN_CHAFF, EKWANG, PEPPER_SOUP, NDOLE),
           _sides(WATER_FUFU, FRIED_PLANTAIN),
           _drinks(GINGER, FOLERE, PALM_WINE),
       ), 12),
    _r("ndole-house-nlongkak", "Ndole House", "Yaounde", "Nlongkak", "Rond-point Nlongkak",
       "+237680100007", None, LUNCH_DINNER, (
           _plates(*_at(300, NDOLE), _sold_out(NDOLE_SHRIMP), *_at(300, POULET_DG, MBONGO, KOKI, EGUSI)),
           _sides(MIONDO, BOBOLO, PLAIN_RICE, FRIED_PLANTAIN),
           _drinks(FOLERE, GINGER, DJINO, WATER),
       ), 510),
    _r("grill-omnisport", "Grill Omnisport", "Yaounde", "Omnisport", "Face stade Omnisport",
       "+237696100008", None, (DemoHours(EVERY_DAY, "12:00", "24:00"),), (
           _grills(*_at(200, FISH, CHICKEN, SOYA, PORK, MACKEREL)),
           _plates(*_at(200, POULET_DG, NDOLE), KOKI),
           _drinks(BEER, TOP, DJINO),
       ), 0),
    _r("cafeteria-ngoa-ekelle", "Cafeteria Ngoa-Ekelle", "Yaounde", "Ngoa-Ekelle", "Cite U, porte principale",
       "+237652100009", None, (DemoHours(MON_SAT, "07:00", "21:00"),), (
           _breakfast(BH, BHB, SPAGHETTI, BREAD_AVOCADO),
           _plates(RICE_STEW, *_at(-500, NDOLE, ERU, OKOK, TARO), CORN_CHAFF),
           _drinks(FOLERE, TOP, COFFEE),
       ), 150),
    _r("foyer-mvog-ada", "Le Foyer de Mvog-Ada", "Yaounde", "Mvog-Ada", "Derriere la pharmacie du Soleil",
       "+237686100010", "+237682100010", (
           DemoHours((0, 1, 2, 3, 4), "09:00", "21:00"), DemoHours((5,), "10:00", "23:00"),
       ), (
           _plates(TARO, NKUI, KONDRE, KOKI, PILE, EGUSI, FOLONG, ACHU),
           _sides(ROAST_PLANTAIN, PLAIN_RICE),
           _drinks(PALM_WINE, GINGER, FOLERE, TOP_ANANAS),
       ), 230),
    _r("marmite-ekounou", "La Marmite d'Ekounou", "Yaounde", "Ekounou", "Carrefour Ekounou, face eglise",
       "+237657100011", None, (
           DemoHours(MON_SAT, "10:30", "21:30"), DemoHours((6,), "12:00", "20:00"),
       ), (
           _plates(OKOK, SANGA, FOLONG, KOKI, *_at(-200, NDOLE, MBONGO), COUSCOUS_GOMBO),
           _grills(SOYA, ROAST_CORN, ROAST_SAFOU),
           _drinks(FOLERE, TOP, DJINO),
       ), 55),
)

DOUALA: tuple[DemoRestaurant, ...] = (
    _r("mama-africa-bonapriso", "Mama Africa Bonapriso", "Douala", "Bonapriso", "Rue Tokoto, face Orca",
       "+237677200001", "+237699200001", ALL_DAY, (
           _plates(*_at(700, NDOLE, NDOLE_SHRIMP, POULET_DG, MBONGO, FISH_STEW, KONDRE, EKWANG)),
           _grills(*_at(700, FISH, CHICKEN, SOYA)),
           _sides(MIONDO, BOBOLO, FRIED_PLANTAIN),
           _drinks(*_at(200, FOLERE, GINGER, TOP, WATER)),
       ), 700),
    _r("poisson-youpwe", "Poisson Braise Youpwe", "Douala", "Youpwe", "Port de peche Youpwe",
       "+237650200002", None, (
           DemoHours((0, 1, 2, 3), "16:00", "24:00"), DemoHours((4, 5, 6), "12:00", "03:00"),
       ), (
           _grills(*_at(-200, FISH, MACKEREL), CHICKEN, ROAST_PLANTAIN),
           _sides(MIONDO, BOBOLO, FRIED_PLANTAIN, WATER_FUFU),
           _drinks(BEER, PALM_WINE, TOP),
       ), 220),
    _r("chez-tantine-akwa", "Chez Tantine Akwa", "Douala", "Akwa", "Derriere Akwa Palace",
       "+237699200003", None, CLOSED_SUNDAY, (
           _plates(*_at(400, NDOLE, POULET_DG, MBONGO, FISH_STEW, KOKI, ERU)),
           _grills(*_at(400, FISH, CHICKEN)),
           _drinks(FOLERE, GINGER, DJINO, WATER),
       ), 130),
    _r("saveurs-bonamoussadi", "Saveurs de Bonamoussadi", "Douala", "Bonamoussadi", "Carrefour Bonamoussadi",
       "+237655200004", None, LUNCH_DINNER, (
           _plates(NDOLE, POULET_DG, ERU, ACHU, PILE, TARO, RICE_STEW),
           _grills(SOYA, FISH, FRIED_PLANTAIN),
           _drinks(FOLERE, TOP, TOP_ANANAS),
       ), 60),
    _r("beignets-deido", "Beignets de Deido", "Douala", "Deido", "Rond-point Deido",
       "+237681200005", None, (DemoHours(MON_SAT, "06:00", "11:00"),), (
           _breakfast(PUFF_PUFF, BH, BHB, CORN_PAP, BREAD_AVOCADO, BREAD_BEANS, SPAGHETTI),
           _drinks(COFFEE, TEA, GINGER),
       ), 30),
    _r("grill-makepe", "Grill de Makepe", "Douala", "Makepe", "Makepe Missoke, ecole publique",
       "+237691200006", "+237670200006", LATE_CLOSED_SUNDAY, (
           _grills(*_at(200, FISH, CHICKEN, PORK), SOYA, ROAST_PLANTAIN),
           _plates(*_at(200, POULET_DG, NDOLE, KONDRE)),
           _drinks(BEER, FOLERE, DJINO),
       ), 101),
    _r("new-bell-kitchen", "New Bell Kitchen", "Douala", "New Bell", "Marche central New Bell",
       "+237686200007", None, (DemoHours(EVERY_DAY, "08:00", "20:00"),), (
           _plates(COUSCOUS_GOMBO, KILISHI, *_at(-300, RICE_STEW, NDOLE, ERU, KOKI), CORN_CHAFF),
           _grills(SOYA, ROAST_CORN),
           _drinks(FOLERE, GINGER, TOP_ANANAS),
       ), 8),
    _r("cuisine-bonaberi", "La Cuisine de Bonaberi", "Douala", "Bonaberi", "Rond-point Bonaberi",
       "+237658200008", "+237683200008", (DemoHours(MON_SAT, "09:00", "21:00"),), (
           _plates(EKWANG, NDOLE, MBONGO, FISH_STEW, PEPPER_SOUP, ERU),
           _sides(MIONDO, BOBOLO, WATER_FUFU),
           _drinks(FOLERE, PALM_WINE, TOP),
       ), 45),
)

RESTAURANTS: tuple[DemoRestaurant, ...] = YAOUNDE + DOUALA

# tests/demo.py takes the first French and the first English customer of Yaounde, and the first driver.
PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("customer", "Aline Mbarga", "+237699000001", "Yaounde", "fr", "Bastos", "Derriere l'ambassade de Chine"),
    DemoPerson("customer", "Ngozi Tabi", "+237677000002", "Yaounde", "en", "Biyem-Assi", "Near Total Biyem-Assi"),
    DemoPerson("customer", "Jean-Pierre Fotso", "+237655000003", "Douala", "fr", "Akwa", "Face boulangerie Zepol"),
    DemoPerson("customer", "Emmanuel Nkeng", "+237680000004", "Douala", "en", "Bonamoussadi", "Behind Santa Lucia"),
    DemoPerson("customer", "Ibrahim Moussa", "+237694000005", "Yaounde", "fr", "Briqueterie", "Pres de la mosquee centrale"),
    DemoPerson("customer", "Eposi Ndive", "+237653000006", "Douala", "en", "Bonaberi", "Opposite Bonaberi market"),
    DemoPerson("driver", "Brice Essomba", "+237670000011", "Yaounde", "fr", "Nlongkak",
               zone=("Bastos", "Nlongkak", "Etoa-Meki", "Elig-Essono", "Omnisport", "Essos")),
    DemoPerson("driver", "Samuel Ateba", "+237696000012", "Yaounde", "fr", "Mvog-Mbi",
               zone=("Mvog-Mbi", "Mvog-Ada", "Awae", "Ekounou", "Biyem-Assi", "Melen", "Ngoa-Ekelle")),
    DemoPerson("driver", "Kevin Ngu", "+237651000013", "Yaounde", "en", "Mokolo",
               zone=("Mokolo", "Tsinga", "Madagascar", "Briqueterie", "Centre-Ville")),
    DemoPerson("driver", "Carine Ewane", "+237690000021", "Douala", "fr", "Akwa",
               zone=("Akwa", "Bonanjo", "Bonapriso", "Deido", "New Bell")),
    DemoPerson("driver", "Patrick Eboa", "+237677000022", "Douala", "fr", "Makepe",
               zone=("Makepe", "Bonamoussadi", "Kotto", "Logpom", "Denver")),
    DemoPerson("driver", "Divine Ayuk", "+237655000023", "Douala", "en", "Bepanda",
               zone=("Bepanda", "Cite SIC", "Ndokoti", "Youpwe", "Bassa", "Bonaberi")),
    DemoPerson("support", "Chopbar Support", "+237699000090", "Yaounde", "fr"),
    DemoPerson("admin", "Chopbar Admin", "+237677000099", "Douala", "en"),
)

# The second factor of the demo's support and admin accounts, enrolled when the demo data are
# seeded: put it in an authenticator app (or run `./run totp <phone>` on simulators) to sign in to
# the console. It is public: a service with real accounts never seeds the demo data.
DEMO_TOTP_SECRET = "MNUG64DCMFZCAZDFNVXSAZTBMN2G64RB"  # base32 of b"chopbar demo factor!"


@dataclass(frozen=True)
class DemoPromoCode:
    code: str
    kind: str                       # "percent", "fixed" or "free_delivery"
    value: int                      # percent, or XAF off the food; 0 for free delivery
    funded_by: str                  # "restaurant" or "platform"
    restaurant: str | None = None   # slug; None: every restaurant
    min_subtotal_xaf: int = 0
    first_order_only: bool = False
    per_customer_limit: int | None = 1
    total_limit: int | None = None
    ends: str | None = None         # "YYYY-MM-DD", local midnight; None: no end


@dataclass(frozen=True)
class DemoOffer:
    restaurant: str                 # slug
    kind: str                       # "percent" or "fixed", off the food
    value: int
    starts: str                     # "HH:MM" local
    ends: str
    weekdays: str = "1234567"       # ISO: 1 Monday .. 7 Sunday
    min_subtotal_xaf: int = 0


PROMO_CODES: tuple[DemoPromoCode, ...] = (
    DemoPromoCode("BIENVENUE", "percent", 10, "platform", first_order_only=True),
    DemoPromoCode("NGO500", "fixed", 500, "restaurant", "mama-ngo-bastos", min_subtotal_xaf=3000, per_customer_limit=2,
                  total_limit=200),
    DemoPromoCode("LIVRAISON", "free_delivery", 0, "platform", min_subtotal_xaf=2000, per_customer_limit=3),
    DemoPromoCode("RENTREE", "percent", 15, "platform", ends="2026-10-01"),  # over: shows the refusal
)
OFFERS: tuple[DemoOffer, ...] = (
    DemoOffer("saveurs-essos", "percent", 20, "14:00", "17:00", weekdays="12345"),
    DemoOffer("mama-africa-bonapriso", "fixed", 500, "06:00", "10:00", min_subtotal_xaf=4000),
)
