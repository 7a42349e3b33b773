"""The client address of a request: the one key that the rate limits, the desk's
login throttle and whatever else counts per client go by.

Without TRUSTED_PROXIES it is the direct peer, whatever the request's headers say.
Behind a TLS proxy every request comes from the proxy, so the proxies are named in
TRUSTED_PROXIES (addresses or CIDRs): only when the direct peer is one of them is
X-Forwarded-For read, from the right, skipping the trusted proxies it lists; the
first address that is not one of them is the client. What a client writes into
the header itself stands to the left of what the proxies append, so it is never
reached. An entry that is not an address ends the walk at the last good one.

An address is a key in memory, never written to a log.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Iterable, Union

from aiohttp import hdrs, web

from bot import keys

Address = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]

# The key of requests without an IP peer (a Unix socket).
UNKNOWN = "unknown"


def parse_address(text: str | None) -> Address | None:
    """An IP address, also as a proxy may write it with a port ("203.0.113.7:4711",
    "[2001:db8::1]:443"); an IPv4 address mapped into IPv6 as plain IPv4. None if not one."""
    text = (text or "").strip()
    if text.startswith("[") and "]" in text:
        text = text[1:text.index("]")]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@dataclass(frozen=True)
class TrustedProxies:
    """The proxies whose X-Forwarded-For is believed (none by default)."""

    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, spec: str, name: str = "TRUSTED_PROXIES") -> "TrustedProxies":
        """Comma-separated addresses or CIDRs, e.g. "127.0.0.1, 10.0.0.0/8, ::1"."""
        networks = []
        for item in (part.strip() for part in spec.split(",")):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(f"{name} must be IP addresses or CIDRs separated by commas, got {item!r}") from None
        return cls(tuple(networks))

    def __bool__(self) -> bool:
        return bool(self.networks)

    def __contains__(self, address: Address) -> bool:
        return any(address.version == network.version and address in network for network in self.networks)


def forwarded_client(peer: Address, forwarded_for: Iterable[str], trusted: TrustedProxies) -> Address:
    """The client behind `peer`: itself unless it is a trusted proxy; then the right-most
    address of the X-Forwarded-For values that is not a trusted proxy (the left-most
    one when all are)."""
    if peer not in trusted:
        return peer
    hops = [hop for value in forwarded_for for hop in value.split(",")]
    client = peer
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            break
        client = address
        if address not in trusted:
            break
    return client


def client_address(request: web.Request) -> str:
    """The client address of this request (see the module's doc)."""
    peer = parse_address(request.remote)
    if peer is None:
        return request.remote or UNKNOWN
    trusted = request.app[keys.SETTINGS].trusted_proxies
    if not trusted:
        return str(peer)
    return str(forwarded_client(peer, request.headers.getall(hdrs.X_FORWARDED_FOR, ()), trusted))
