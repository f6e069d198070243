"""The fixed demo data seeded into the embedded default (restaurants, menus, people)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoOption:
    name_en: str
    name_fr: str
    price_delta_xaf: int = 0


@dataclass(frozen=True)
class DemoOptionGroup:
    name_en: str
    name_fr: str
    min_choices: int
    max_choices: int
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
    weekdays: tuple[int, ...]  # 0 = Monday ... 6 = Sunday
    opens: str  # "HH:MM" local time (Africa/Douala)
    closes: str  # "HH:MM"; "24:00" for midnight; closes < opens means past midnight


@dataclass(frozen=True)
class DemoRestaurant:
    slug: str
    name: str
    city: str
    quarter: str
    landmark: str
    phone: str
    backup_phone: str | None
    hours: tuple[DemoHours, ...]
    categories: tuple[DemoCategory, ...]
    approved: bool = True
    completed_orders: int = 0


@dataclass(frozen=True)
class DemoPerson:
    role: str
    name: str
    phone: str
    city: str
    language: str
    quarter: str | None = None
    landmark: str | None = None
    zone: tuple[str, ...] = ()

EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
MON_SAT = (0, 1, 2, 3, 4, 5)
ALL_DAY = (DemoHours(EVERY_DAY, "00:00", "24:00"),)
LUNCH_DINNER = (DemoHours(EVERY_DAY, "10:00", "22:00"),)
WEEKDAYS_LATE = (DemoHours(MON_SAT, "11:00", "23:00"),)
EVENINGS = (DemoHours(EVERY_DAY, "17:00", "02:00"),)
MORNINGS = (DemoHours(EVERY_DAY, "06:00", "11:00"),)


def _opt(en: str, fr: str, delta: int = 0) -> DemoOption:
    return DemoOption(en, fr, delta)


SIDE = DemoOptionGroup(
    "Side", "Accompagnement", 1, 1,
    (_opt("Ripe plantain", "Plantain mur"), _opt("Miondo", "Miondo"), _opt("Bobolo", "Bobolo"),
     _opt("Boiled yam", "Igname", 200)),
)
FISH_SIZE = DemoOptionGroup(
    "Size", "Taille", 1, 1,
    (_opt("Small", "Petit"), _opt("Medium", "Moyen", 1500), _opt("Large", "Gros", 3000)),
)
EXTRAS = DemoOptionGroup(
    "Extras", "Supplements", 0, 3,
    (_opt("Extra plantain", "Plantain en plus", 300), _opt("Pepper", "Piment"),
     _opt("Cassava stick", "Baton de manioc", 200)),
)
SOYA_STICKS = DemoOptionGroup(
    "Sticks", "Batons", 1, 1,
    (_opt("5 sticks", "5 batons"), _opt("10 sticks", "10 batons", 500), _opt("20 sticks", "20 batons", 1500)),
)
DRINK_SIZE = DemoOptionGroup("Size", "Taille", 1, 1, (_opt("50 cl", "50 cl"), _opt("1 litre", "1 litre", 400)))


def drinks(base: int = 0) -> DemoCategory:
    return DemoCategory("Drinks", "Boissons", (
        DemoDish("Folere juice", "Jus de folere", 500 + base, "Hibiscus", "Bissap", (DRINK_SIZE,)),
        DemoDish("Ginger juice", "Jus de gingembre", 500 + base, option_groups=(DRINK_SIZE,)),
        DemoDish("Top Pamplemousse", "Top Pamplemousse", 500 + base),
        DemoDish("Djino cocktail", "Djino cocktail", 500 + base),
        DemoDish("Water 1.5 l", "Eau 1,5 l", 600 + base),
    ))


def plates(base: int = 0, *, sold_out: str = "") -> DemoCategory:
    return DemoCategory("Plates", "Plats", (
        DemoDish("Ndole", "Ndole", 2500 + base, "Bitterleaf, peanuts, shrimps", "Ndole aux crevettes",
                 (SIDE, EXTRAS), available=sold_out != "Ndole"),
        DemoDish("Poulet DG", "Poulet DG", 3500 + base, "Chicken, plantain, vegetables",
                 "Poulet, plantain, legumes", (EXTRAS,)),
        DemoDish("Eru & water fufu", "Eru et water fufu", 2000 + base, available=sold_out != "Eru"),
        DemoDish("Achu & yellow soup", "Achu sauce jaune", 2500 + base),
        DemoDish("Mbongo tchobi", "Mbongo tchobi", 3000 + base, "Fish in black sauce", "Poisson sauce noire"),
        DemoDish("Okok", "Okok", 1500 + base, option_groups=(SIDE,)),
        DemoDish("Koki & plantain", "Koki plantain", 1000 + base),
        DemoDish("Taro & yellow soup", "Taro sauce jaune", 2500 + base),
    ))


def grills(base: int = 0) -> DemoCategory:
    return DemoCategory("Grills", "Grillades", (
        DemoDish("Grilled fish", "Poisson braise", 3500 + base, "Bar or carp, with sauce", "Bar ou carpe",
                 (FISH_SIZE, EXTRAS)),
        DemoDish("Grilled chicken", "Poulet braise", 4000 + base, option_groups=(EXTRAS,)),
        DemoDish("Soya", "Soya", 1000 + base, "Spiced beef skewers", "Brochettes de boeuf", (SOYA_STICKS,)),
        DemoDish("Grilled pork", "Porc braise", 2500 + base),
        DemoDish("Fried plantain", "Plantain frit", 500 + base),
    ))


def breakfast(base: int = 0) -> DemoCategory:
    return DemoCategory("Breakfast", "Petit-dejeuner", (
        DemoDish("Puff-puff, beans", "Beignets haricots", 500 + base, "BH", "BH"),
        DemoDish("BHB", "BHB", 700 + base, "Puff-puff, beans, pap", "Beignets, haricots, bouillie"),
        DemoDish("Puff-puff x10", "Beignets x10", 500 + base),
        DemoDish("Corn pap", "Bouillie de mais", 300 + base),
        DemoDish("Spaghetti omelette", "Spaghetti omelette", 1000 + base),
        DemoDish("Bread & avocado", "Pain avocat", 500 + base),
    ))


def kitchen(base: int = 0, *, sold_out: str = "") -> tuple[DemoCategory, ...]:
    return (plates(base, sold_out=sold_out), grills(base), drinks())


def _r(slug, name, city, quarter, landmark, phone, backup, hours, categories, completed=0) -> DemoRestaurant:
    return DemoRestaurant(slug, name, city, quarter, landmark, phone, backup, hours, categories,
                          completed_orders=completed)


RESTAURANTS: tuple[DemoRestaurant, ...] = (
    # Yaounde
    _r("mama-ngo-bastos", "Chez Maman Ngo", "Yaounde", "Bastos", "Carrefour Bastos, face Total",
       "+237677100001", "+237699100001", ALL_DAY, kitchen(500), 620),
    _r("braiseur-mvog-mbi", "Le Braiseur de Mvog-Mbi", "Yaounde", "Mvog-Mbi", "Derriere le marche Mvog-Mbi",
       "+237677100002", None, EVENINGS, (grills(), plates(), drinks()), 180),
    _r("saveurs-essos", "Saveurs d'Essos", "Yaounde", "Essos", "Carrefour Essos, cote pharmacie",
       "+237699100003", None, LUNCH_DINNER, kitchen(), 40),
    _r("beignets-mokolo", "Beignets de Mokolo", "Yaounde", "Mokolo", "Entree marche Mokolo",
       "+237650100004", None, MORNINGS, (breakfast(), drinks()), 300),
    _r("resto-biyem-assi", "Le Resto de Biyem-Assi", "Yaounde", "Biyem-Assi", "Carrefour Biyem-Assi",
       "+237690100005", "+237677100005", LUNCH_DINNER, kitchen(-200, sold_out="Eru"), 95),
    _r("mami-nyanga-melen", "Mami Nyanga", "Yaounde", "Melen", "Face entree Polytechnique",
       "+237655100006", None, WEEKDAYS_LATE, kitchen(), 12),
    _r("ndole-house-nlongkak", "Ndole House", "Yaounde", "Nlongkak", "Rond-point Nlongkak",
       "+237680100007", None, LUNCH_DINNER, kitchen(300, sold_out="Ndole"), 510),
    _r("grill-omnisport", "Grill Omnisport", "Yaounde", "Omnisport", "Face stade Omnisport",
       "+237696100008", None, EVENINGS, (grills(200), plates(200), drinks()), 0),
    _r("cafeteria-ngoa-ekelle", "Cafeteria Ngoa-Ekelle", "Yaounde", "Ngoa-Ekelle", "Cite U, porte principale",
       "+237652100009", None, (DemoHours(MON_SAT, "07:00", "21:00"),), (breakfast(), plates(-500), drinks()), 150),
    # Douala
    _r("mama-africa-bonapriso", "Mama Africa Bonapriso", "Douala", "Bonapriso", "Rue Tokoto, face Orca",
       "+237677200001", "+237699200001", ALL_DAY, kitchen(700), 700),
    _r("poisson-youpwe", "Poisson Braise Youpwe", "Douala", "Youpwe", "Port de peche Youpwe",
       "+237650200002", None, EVENINGS, (grills(-200), plates(), drinks()), 220),
    _r("chez-tantine-akwa", "Chez Tantine Akwa", "Douala", "Akwa", "Derriere Akwa Palace",
       "+237699200003", None, LUNCH_DINNER, kitchen(400), 130),
    _r("saveurs-bonamoussadi", "Saveurs de Bonamoussadi", "Douala", "Bonamoussadi", "Carrefour Kotto",
       "+237655200004", None, LUNCH_DINNER, kitchen(), 60),
    _r("beignets-deido", "Beignets de Deido", "Douala", "Deido", "Rond-point Deido",
       "+237681200005", None, MORNINGS, (breakfast(), drinks()), 30),
    _r("grill-makepe", "Grill de Makepe", "Douala", "Makepe", "Makepe Missoke, ecole publique",
       "+237691200006", "+237670200006", WEEKDAYS_LATE, kitchen(200, sold_out="Eru"), 101),
    _r("new-bell-kitchen", "New Bell Kitchen", "Douala", "New Bell", "Marche central New Bell",
       "+237686200007", None, LUNCH_DINNER, kitchen(-300), 8),
)

PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("customer", "Aline Mbarga", "+237699000001", "Yaounde", "fr", "Bastos", "Derriere l'ambassade de Chine"),
    DemoPerson("customer", "Ngozi Tabi", "+237677000002", "Yaounde", "en", "Biyem-Assi", "Near Total Biyem-Assi"),
    DemoPerson("customer", "Jean-Pierre Fotso", "+237655000003", "Douala", "fr", "Akwa", "Face boulangerie Zepol"),
    DemoPerson("customer", "Emmanuel Nkeng", "+237680000004", "Douala", "en", "Bonamoussadi", "Behind Santa Lucia"),
    DemoPerson("driver", "Brice Essomba", "+237670000011", "Yaounde", "fr", "Nlongkak",
               zone=("Bastos", "Nlongkak", "Etoa-Meki", "Elig-Essono", "Omnisport", "Essos")),
    DemoPerson("driver", "Samuel Ateba", "+237696000012", "Yaounde", "fr", "Mvog-Mbi",
               zone=("Mvog-Mbi", "Awae", "Ekounou", "Biyem-Assi", "Melen", "Ngoa-Ekelle")),
    DemoPerson("driver", "Kevin Ngu", "+237651000013", "Yaounde", "en", "Mokolo",
               zone=("Mokolo", "Tsinga", "Madagascar", "Briqueterie", "Centre-Ville")),
    DemoPerson("driver", "Carine Ewane", "+237690000021", "Douala", "fr", "Akwa",
               zone=("Akwa", "Bonanjo", "Bonapriso", "Deido", "New Bell")),
    DemoPerson("driver", "Patrick Eboa", "+237677000022", "Douala", "fr", "Makepe",
               zone=("Makepe", "Bonamoussadi", "Kotto", "Logpom", "Denver")),
    DemoPerson("driver", "Divine Ayuk", "+237655000023", "Douala", "en", "Bepanda",
               zone=("Bepanda", "Cite SIC", "Ndokoti", "Youpwe", "Bassa")),
    DemoPerson("support", "Chopbar Support", "+237699000090", "Yaounde", "fr"),
    DemoPerson("admin", "Chopbar Admin", "+237677000099", "Douala", "en"),
)
