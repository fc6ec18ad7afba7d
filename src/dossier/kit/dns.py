"""The one DNS resolver: host addresses for the guarded HTTP client, MX/TXT records for evidence.

Without configured nameservers, addresses come from the system resolver (``getaddrinfo``, so
``/etc/hosts`` works) and MX/TXT from dnspython with the system configuration. With nameservers
configured (``"127.0.0.1:5353,10.0.0.2"``), every lookup, A/AAAA included, goes to them.

``addresses`` raises :class:`ResolutionError` when nothing resolves; ``mx`` and ``txt`` never raise
for DNS trouble (NXDOMAIN, no answer, timeouts, no configuration): they return ``[]``, because
evidence gathering must not crash on a flaky record.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

import dns.asyncresolver
import dns.exception
import dns.nameserver
import dns.rdata
import dns.rdatatype
import dns.rdtypes.ANY.MX
import dns.rdtypes.ANY.TXT
import dns.rdtypes.IN.A
import dns.rdtypes.IN.AAAA

__all__ = ["ResolutionError", "Resolver"]


class ResolutionError(Exception):
    """A host name did not resolve to any address."""


def _absolute(name: str) -> str:
    name = name.strip()
    if not name or name == ".":
        raise ValueError("empty DNS name")
    return name.rstrip(".") + "."


def _parse_nameserver(item: str) -> tuple[str, int]:
    """``"10.0.0.2"``, ``"10.0.0.2:5353"``, ``"::1"``, ``"[::1]:5353"`` -> (address, port)."""
    text = item.strip()
    port = 53
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise ValueError(f"invalid nameserver {item!r}")
        host, rest = text[1:end], text[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"invalid nameserver {item!r}")
            port = _parse_port(rest[1:], item)
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        port = _parse_port(port_text, item)
    else:
        host = text
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"nameserver must be an IP address, got {item!r}") from None
    return str(address), port


def _parse_port(text: str, item: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(f"invalid port in nameserver {item!r}")
    return int(text)


class Resolver:
    """Async resolver; the system's by default, or a fixed list of ``(address, port)`` nameservers."""

    def __init__(self, nameservers: list[tuple[str, int]] | None = None, timeout: float = 5.0) -> None:
        self.timeout = timeout
        self.nameservers: list[tuple[str, int]] = [(str(ipaddress.ip_address(a)), int(p)) for a, p in nameservers or []]
        self._configured: dns.asyncresolver.Resolver | None = None
        if self.nameservers:
            resolver = dns.asyncresolver.Resolver(configure=False)
            # dnspython 2.9: per-nameserver ports are carried by Nameserver objects
            # (``nameserver_ports`` only applies to plain-string entries).
            resolver.nameservers = [dns.nameserver.Do53Nameserver(a, p) for a, p in self.nameservers]
            resolver.lifetime = timeout
            resolver.timeout = timeout
            resolver.cache = None
            self._configured = resolver

    @classmethod
    def from_setting(cls, value: str, timeout: float = 5.0) -> Resolver:
        """Build from a setting: ``""`` -> system; ``"127.0.0.1:5353,10.0.0.2"`` -> those (port 53 by default).

        Raises ``ValueError`` for entries that are not IP addresses with an optional port.
        """
        items = [part for part in value.replace(" ", ",").split(",") if part.strip()]
        return cls([_parse_nameserver(item) for item in items] or None, timeout=timeout)

    def _dns_resolver(self) -> dns.asyncresolver.Resolver | None:
        """The dnspython resolver to use, or ``None`` when there is no usable configuration."""
        if self._configured is not None:
            return self._configured
        try:
            resolver = dns.asyncresolver.Resolver(configure=True)
        except (dns.exception.DNSException, OSError):
            return None  # e.g. no /etc/resolv.conf in a minimal container
        resolver.lifetime = self.timeout
        resolver.cache = None
        return resolver

    async def _query(self, name: str, rdtype: dns.rdatatype.RdataType) -> list[dns.rdata.Rdata]:
        """Records of one type, ``[]`` on NXDOMAIN / no answer / timeout / any DNS error."""
        resolver = self._dns_resolver()
        if resolver is None:
            return []
        try:
            answer = await resolver.resolve(
                _absolute(name), rdtype, raise_on_no_answer=False, lifetime=self.timeout, search=False
            )
        except (dns.exception.DNSException, OSError, ValueError, UnicodeError):
            return []
        if answer.rrset is None:
            return []
        return list(answer.rrset)

    async def addresses(self, host: str) -> list[str]:
        """IPv4 and IPv6 addresses of ``host`` as strings (an IP literal is returned as is).

        Raises :class:`ResolutionError` when the name has no address or the lookup fails.
        """
        name = host.strip().rstrip(".")
        if name.startswith("[") and name.endswith("]"):
            name = name[1:-1]
        if not name:
            raise ResolutionError("empty host name")
        try:
            return [str(ipaddress.ip_address(name))]
        except ValueError:
            pass
        if self._configured is not None:
            results = await asyncio.gather(self._query(name, dns.rdatatype.A), self._query(name, dns.rdatatype.AAAA))
            found = _dedupe(
                str(rdata.address)
                for rdatas in results
                for rdata in rdatas
                if isinstance(rdata, dns.rdtypes.IN.A.A | dns.rdtypes.IN.AAAA.AAAA)
            )
        else:
            found = await self._system_addresses(name)
        if not found:
            raise ResolutionError(f"{host!r} did not resolve to any address")
        return found

    async def _system_addresses(self, name: str) -> list[str]:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.timeout):
                infos = await loop.getaddrinfo(name, None, type=socket.SOCK_STREAM)
        except TimeoutError:
            raise ResolutionError(f"resolving {name!r} timed out") from None
        except (OSError, UnicodeError, ValueError) as exc:
            raise ResolutionError(f"{name!r} did not resolve: {exc}") from None
        addresses: list[str] = []
        for family, _type, _proto, _canon, sockaddr in infos:
            if family not in (socket.AF_INET, socket.AF_INET6):
                continue
            text = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 scope id
            addresses.append(str(ipaddress.ip_address(text)))
        return _dedupe(addresses)

    async def mx(self, domain: str) -> list[tuple[int, str]]:
        """``(preference, host)`` pairs sorted by preference then host; hosts lowercased, no trailing dot.

        A null MX (RFC 7505, "this domain accepts no mail") appears as ``(0, "")``.
        ``[]`` when there are no records or the lookup fails.
        """
        records = await self._query(domain, dns.rdatatype.MX)
        pairs = {
            (int(rdata.preference), rdata.exchange.to_text(omit_final_dot=True).lower().rstrip("."))
            for rdata in records
            if isinstance(rdata, dns.rdtypes.ANY.MX.MX)
        }
        return sorted(pairs)

    async def txt(self, domain: str) -> list[str]:
        """Each TXT record's character-strings joined into one string; ``[]`` when none or on failure."""
        records = await self._query(domain, dns.rdatatype.TXT)
        return [
            b"".join(rdata.strings).decode("utf-8", errors="replace")
            for rdata in records
            if isinstance(rdata, dns.rdtypes.ANY.TXT.TXT)
        ]


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
