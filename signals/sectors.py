"""Coarse sectors for commodities and technologies, so related subjects overlap in retaliation scoring.

A gallium export ban and a chip-equipment rule share no commodity, but both are about semiconductors:
the sector map says so. Names not listed fall into a sector of their own (their own name).
"""

from __future__ import annotations

from collections.abc import Iterable

_SECTORS: dict[str, tuple[str, ...]] = {
    "semiconductors": (
        "gallium",
        "germanium",
        "indium",
        "semiconductor materials",
        "polysilicon",
        "semiconductors",
        "semiconductor manufacturing equipment",
        "lithography",
        "advanced computing",
        "high bandwidth memory",
        "supercomputers",
        "artificial intelligence",
        "electronic components",
        "electronics",
    ),
    "critical minerals": (
        "graphite",
        "antimony",
        "rare earths",
        "rare earth magnets",
        "samarium",
        "gadolinium",
        "terbium",
        "dysprosium",
        "lutetium",
        "scandium",
        "yttrium",
        "holmium",
        "erbium",
        "thulium",
        "europium",
        "ytterbium",
        "tungsten",
        "tellurium",
        "bismuth",
        "molybdenum",
        "lithium",
        "cobalt",
        "nickel",
        "magnesium",
        "titanium",
        "critical minerals",
        "critical raw materials",
        "superhard materials",
        "bauxite",
        "chrome ore",
    ),
    "batteries and clean energy": (
        "lithium-ion batteries",
        "storage batteries",
        "battery technology",
        "cathode materials",
        "graphite anode materials",
        "lithium iron phosphate",
        "solar cells",
        "solar glass",
        "graphite",
    ),
    "vehicles": (
        "electric vehicles",
        "hybrid vehicles",
        "cars",
        "auto parts",
        "tires",
        "connected vehicles",
        "motorcycles",
    ),
    "metals": ("steel", "stainless steel", "stainless steel billets", "aluminum", "copper", "iron ore"),
    "chemicals": (
        "polyformaldehyde copolymer",
        "trichloroethylene",
        "resorcinol",
        "chemicals",
        "nylon filament yarn",
        "fertilizers",
        "fentanyl precursors",
    ),
    "agriculture and food": (
        "pork",
        "beef",
        "poultry",
        "dairy",
        "seafood",
        "lobster",
        "barley",
        "wheat",
        "corn",
        "soybeans",
        "rice",
        "non-basmati white rice",
        "sugar",
        "rapeseed",
        "palm oil",
        "cotton",
        "kiwifruit",
        "fruit",
        "pineapples",
        "citrus fruits",
        "wax apples",
        "stone fruit",
        "tea",
        "salmon",
        "crab",
        "brandy",
        "wine",
        "whiskey",
        "orange juice",
    ),
    "telecoms and digital": (
        "telecommunications equipment",
        "telecommunications",
        "5g",
        "mobile apps",
        "cybersecurity",
        "optical fiber",
        "quantum computing",
    ),
    "energy": ("coal", "crude oil", "liquefied natural gas", "gasoline", "diesel", "biodiesel", "uranium"),
    "aerospace and defence": ("drones", "aerospace components"),
}
SECTOR_OF: dict[str, set[str]] = {}
for _sector, _names in _SECTORS.items():
    for _name in _names:
        SECTOR_OF.setdefault(_name, set()).add(_sector)


def sectors(names: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for name in names:
        out |= SECTOR_OF.get(name, {name})
    return out
