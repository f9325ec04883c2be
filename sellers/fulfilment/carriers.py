"""The carriers households post with, and where a buyer follows a parcel.

The workspace's ship form suggests these names (it still takes any text);
the buyer's order page links a known carrier's tracking number to
kuaidi100's public tracking page, one link for every carrier.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

TRACKING_URL = "https://www.kuaidi100.com/chaxun"


@dataclass(frozen=True)
class Carrier:
    name: str
    code: str  # kuaidi100's company code
    aliases: tuple[str, ...]


# The names are data, as the buyer's SMS prints them, not interface strings.
# Chinese aliases match inside what was typed (顺丰冷链), Latin ones whole;
# EMS comes before 中国邮政 so that "中国邮政EMS" is EMS.
CARRIERS = (
    Carrier("顺丰速运", "shunfeng", ("顺丰", "sf", "sfexpress")),
    Carrier("EMS", "ems", ("ems", "邮政ems")),
    Carrier("中国邮政", "youzhengguonei", ("邮政", "chinapost")),
    Carrier("京东物流", "jd", ("京东", "jd", "jdlogistics")),
    Carrier("中通快递", "zhongtong", ("中通", "zto")),
    Carrier("圆通速递", "yuantong", ("圆通", "yto")),
    Carrier("韵达快递", "yunda", ("韵达", "yunda")),
    Carrier("申通快递", "shentong", ("申通", "sto")),
    Carrier("极兔速递", "jtexpress", ("极兔", "j&t", "jt", "jtexpress")),
)


def carrier_names() -> list[str]:
    """The carriers' names as the ship form suggests them."""
    return [carrier.name for carrier in CARRIERS]


def carrier_find(*, name: str) -> Carrier | None:
    """The carrier a social worker meant by `name` ("顺丰", "顺丰速运",
    "SF"…), or None for one this store does not know."""
    text = "".join(str(name or "").split()).casefold()
    if not text:
        return None
    for carrier in CARRIERS:
        if text == carrier.name.casefold() or text in carrier.aliases:
            return carrier
        if any(alias in text for alias in carrier.aliases if not alias.isascii()):
            return carrier
    return None


def tracking_url(*, carrier: str, tracking_number: str) -> str:
    """Where the buyer follows his parcel: the known carrier's tracking page
    for the number, or "" (an unknown carrier, or no number yet)."""
    found = carrier_find(name=carrier)
    number = (tracking_number or "").strip()
    if found is None or not number:
        return ""
    return f"{TRACKING_URL}?{urlencode({'com': found.code, 'nu': number})}"
