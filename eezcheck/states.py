"""The one table of states and territories: ISO codes, English and Japanese names, adjectives.

Used by the zone build (names of the areas it writes), the classifier (``"North Korean land"``),
the boundary readers (Marine Regions' sovereign names to ISO codes), the CLI and the maps.

Examples
--------
>>> from eezcheck.states import eez_name, iso3_from_name, state_adjective, state_name
>>> state_name("PRK"), state_adjective("PRK")
('North Korea', 'North Korean')
>>> state_name("PRK", lang="ja")
'北朝鮮'
>>> eez_name("GUM")
'United States EEZ (Guam)'
>>> iso3_from_name("Republic of Korea")
'KOR'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "STATES",
    "State",
    "eez_name",
    "iso3_from_name",
    "sovereign_of",
    "state",
    "state_adjective",
    "state_name",
    "states_text",
]


@dataclass(frozen=True)
class State:
    """A state, or a territory with its own EEZ (``sovereign`` set).

    ``name``/``name_ja``: the short English and Japanese names; ``adjective``: English adjective
    ("North Korean land"); ``aliases``: other English names (lower case) found in boundary files.
    """

    iso3: str
    iso2: str
    name: str
    name_ja: str
    adjective: str
    sovereign: str = ""
    aliases: tuple[str, ...] = ()


STATES: tuple[State, ...] = (
    State("JPN", "JP", "Japan", "日本", "Japanese"),
    State("KOR", "KR", "South Korea", "韓国", "South Korean", aliases=("republic of korea", "korea, republic of")),
    State("PRK", "KP", "North Korea", "北朝鮮", "North Korean", aliases=("democratic people's republic of korea", "dprk", "korea, democratic people's republic of")),
    State("RUS", "RU", "Russia", "ロシア", "Russian", aliases=("russian federation",)),
    State("CHN", "CN", "China", "中国", "Chinese", aliases=("people's republic of china",)),
    State("TWN", "TW", "Taiwan", "台湾", "Taiwanese"),
    State("MNG", "MN", "Mongolia", "モンゴル", "Mongolian"),
    State("PHL", "PH", "Philippines", "フィリピン", "Philippine"),
    State("USA", "US", "United States", "米国", "United States", aliases=("united states of america",)),
    State("PLW", "PW", "Palau", "パラオ", "Palauan"),
    State("FSM", "FM", "Micronesia", "ミクロネシア連邦", "Micronesian", aliases=("federated states of micronesia",)),
    State("MHL", "MH", "Marshall Islands", "マーシャル諸島", "Marshallese"),
    State("VNM", "VN", "Vietnam", "ベトナム", "Vietnamese", aliases=("viet nam",)),
    State("IDN", "ID", "Indonesia", "インドネシア", "Indonesian"),
    State("MYS", "MY", "Malaysia", "マレーシア", "Malaysian"),
    State("BRN", "BN", "Brunei", "ブルネイ", "Bruneian", aliases=("brunei darussalam",)),
    State("PNG", "PG", "Papua New Guinea", "パプアニューギニア", "Papua New Guinean"),
    State("KIR", "KI", "Kiribati", "キリバス", "I-Kiribati"),
    State("NRU", "NR", "Nauru", "ナウル", "Nauruan"),
    State("SLB", "SB", "Solomon Islands", "ソロモン諸島", "Solomon Islands"),
    State("GUM", "GU", "Guam", "グアム", "Guamanian", sovereign="USA"),
    State("MNP", "MP", "Northern Mariana Islands", "北マリアナ諸島", "Northern Mariana Islands", sovereign="USA"),
    State("UMI", "UM", "Wake Island", "ウェーク島", "Wake Island", sovereign="USA"),
    State("HKG", "HK", "Hong Kong", "香港", "Hong Kong", sovereign="CHN"),
    State("MAC", "MO", "Macao", "マカオ", "Macao", sovereign="CHN"),
)
"""Every state and territory in or near the embedded coverage (115-180°E, 10-55°N)."""

_BY_ISO3 = {s.iso3: s for s in STATES}
_BY_NAME = {n: s.iso3 for s in STATES for n in (s.name.lower(), s.iso3.lower(), *s.aliases)}


def state(iso3: str) -> State | None:
    """The table's row for an ISO 3166-1 alpha-3 code (``None`` if not in the table)."""
    return _BY_ISO3.get(iso3)


def state_name(iso3: str, lang: str = "en") -> str:
    """Short name (``"North Korea"``; ``lang="ja"``: ``"北朝鮮"``); the code itself if unknown."""
    s = _BY_ISO3.get(iso3)
    if s is None:
        return iso3
    return s.name_ja if lang == "ja" else s.name


def state_adjective(iso3: str) -> str:
    """English adjective (``"North Korean"``); the code itself if unknown."""
    s = _BY_ISO3.get(iso3)
    return s.adjective if s else iso3


def sovereign_of(iso3: str) -> str:
    """The sovereign state of a territory (``GUM`` -> ``USA``); a state is its own sovereign."""
    s = _BY_ISO3.get(iso3)
    return s.sovereign if s and s.sovereign else iso3


def eez_name(iso3: str) -> str:
    """Name of the EEZ of a state or territory (``"Russian EEZ"``, ``"United States EEZ (Guam)"``)."""
    s = _BY_ISO3.get(iso3)
    if s is None:
        return f"{iso3} EEZ"
    if s.sovereign:
        if s.sovereign == "CHN":  # Hong Kong and Macao: China's EEZ
            return eez_name("CHN")
        return f"{state_adjective(s.sovereign)} EEZ ({s.name})"
    return f"{s.adjective} EEZ"


def iso3_from_name(name: str) -> str | None:
    """ISO3 code of a state named in English (any alias, case-insensitive), or ``None``."""
    return _BY_NAME.get(name.strip().lower())


def states_text(codes: tuple[str, ...] | list[str], lang: str = "en") -> str:
    """Names of several states, comma-separated (``"Japan, South Korea"``)."""
    return ", ".join(state_name(c, lang) for c in codes)
