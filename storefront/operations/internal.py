"""Which requests come from the operators' own network rather than the public."""

import ipaddress

from django.conf import settings


def request_is_internal(request) -> bool:
    """A request straight from an internal address, not relayed by the proxy.

    Behind nginx on the same machine every public request arrives from
    127.0.0.1, so the address alone proves nothing: nginx adds
    X-Forwarded-For to everything it relays (deploy/nginx/bangfu.conf), and a
    request carrying it is treated as public whatever its address.
    """
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network)
        for network in settings.BANGFU_INTERNAL_NETWORKS
    )
