from django import template

from storefront.accounts.phones import mask_phone, phone_cn

register = template.Library()


@register.filter
def address_cn(address, masked="") -> str:
    """An Oscar address in Chinese order: 省 市 区 街道 收件人 电话; with
    `address_cn:"masked"` the phone as 138****5678 (pages a link can reach).

    No country and no +86: the store ships within mainland China. A
    municipality's city repeats its province (重庆市 重庆市), and a city that is
    its own district repeats the city: a name is printed once.
    """
    if not address:
        return ""
    places = []
    for name in (address.state, address.line4, address.line3):
        name = (name or "").strip()
        if name and (not places or places[-1] != name):
            places.append(name)
    street = "".join(
        part.strip() for part in (address.line1, address.line2) if part and part.strip()
    )
    recipient = f"{address.last_name or ''}{address.first_name or ''}".strip()
    phone = phone_cn(address.phone_number)
    if masked and phone:
        phone = mask_phone(phone)
    parts = [*places, street, recipient, phone]
    return " ".join(part for part in parts if part)
