"""The resolver against a real DNS server (dnslib, UDP on 127.0.0.1, a random port)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from dnslib import AAAA, MX, QTYPE, RCODE, RR, TXT, A, DNSRecord
from dnslib.server import BaseResolver, DNSHandler, DNSLogger, DNSServer

from dossier.kit.dns import ResolutionError, Resolver

Answer = list[Any]  # A/AAAA: str, MX: (preference, host), TXT: list of strings


class FakeDns(BaseResolver):
    """Authoritative for whatever names a test registers; NXDOMAIN for everything else.

    ``records[name][qtype]`` is a list of values or a callable returning one (answers may change between
    queries). Every query is logged as ``(name, qtype)``.
    """

    def __init__(self) -> None:
        self.records: dict[str, dict[str, Answer | Callable[[], Answer]]] = {}
        self.queries: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._server: DNSServer | None = None
        self.port = 0

    def add(self, name: str, qtype: str, values: Answer | Callable[[], Answer]) -> None:
        self.records.setdefault(name.lower(), {})[qtype] = values

    def queries_for(self, name: str, qtype: str | None = None) -> list[tuple[str, str]]:
        with self._lock:
            return [q for q in self.queries if q[0] == name and (qtype is None or q[1] == qtype)]

    def resolve(self, request: DNSRecord, handler: DNSHandler) -> DNSRecord:
        name = str(request.q.qname).rstrip(".").lower()
        qtype = QTYPE[request.q.qtype]
        with self._lock:
            self.queries.append((name, qtype))
        reply = request.reply()
        if name not in self.records:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        values = self.records[name].get(qtype, [])
        if callable(values):
            values = values()
        for value in values:
            if qtype == "A":
                rdata = A(value)
            elif qtype == "AAAA":
                rdata = AAAA(value)
            elif qtype == "MX":
                preference, host = value
                rdata = MX(host, preference=preference)
            elif qtype == "TXT":
                rdata = TXT(value)
            else:  # pragma: no cover
                continue
            reply.add_answer(RR(request.q.qname, getattr(QTYPE, qtype), rdata=rdata, ttl=60))
        return reply

    def start(self) -> None:
        self._server = DNSServer(self, address="127.0.0.1", port=0, logger=DNSLogger(logf=lambda _s: None))
        self.port = self._server.server.server_address[1]
        self._server.start_thread()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server.server.server_close()


@pytest.fixture(scope="session")
def dns_server() -> Iterator[FakeDns]:
    server = FakeDns()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def resolver(dns_server: FakeDns) -> Resolver:
    return Resolver([("127.0.0.1", dns_server.port)], timeout=2.0)


@pytest.fixture(scope="session")
def silent_udp_port() -> Iterator[int]:
    """A UDP port that receives queries and never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


# --- from_setting ---------------------------------------------------------------------------------


def test_from_setting_empty_means_system() -> None:
    assert Resolver.from_setting("").nameservers == []
    assert Resolver.from_setting("  ").nameservers == []


def test_from_setting_parses_addresses_and_ports() -> None:
    resolver = Resolver.from_setting("127.0.0.1:5353, 10.0.0.2,[::1]:5300,2001:db8::53")
    assert resolver.nameservers == [("127.0.0.1", 5353), ("10.0.0.2", 53), ("::1", 5300), ("2001:db8::53", 53)]


@pytest.mark.parametrize("value", ["dns.google", "127.0.0.1:99999", "127.0.0.1:x", "[::1", "1.2.3.4.5"])
def test_from_setting_rejects_junk(value: str) -> None:
    with pytest.raises(ValueError):
        Resolver.from_setting(value)


# --- configured nameservers -----------------------------------------------------------------------


async def test_addresses_use_configured_nameserver_on_its_port(dns_server: FakeDns, resolver: Resolver) -> None:
    dns_server.add("both.dns.test", "A", ["127.0.0.1", "192.0.2.7"])
    dns_server.add("both.dns.test", "AAAA", ["::1"])
    assert sorted(await resolver.addresses("both.dns.test")) == ["127.0.0.1", "192.0.2.7", "::1"]
    assert len(dns_server.queries_for("both.dns.test", "A")) == 1
    assert len(dns_server.queries_for("both.dns.test", "AAAA")) == 1


async def test_addresses_of_ip_literal_need_no_lookup(dns_server: FakeDns, resolver: Resolver) -> None:
    before = len(dns_server.queries)
    assert await resolver.addresses("10.1.2.3") == ["10.1.2.3"]
    assert await resolver.addresses("[::1]") == ["::1"]
    assert len(dns_server.queries) == before


async def test_addresses_nxdomain_raises(resolver: Resolver) -> None:
    with pytest.raises(ResolutionError):
        await resolver.addresses("missing.dns.test")


async def test_addresses_name_without_address_raises(dns_server: FakeDns, resolver: Resolver) -> None:
    dns_server.add("mailonly.dns.test", "MX", [(10, "mx.dns.test.")])
    with pytest.raises(ResolutionError):
        await resolver.addresses("mailonly.dns.test")


async def test_mx_sorted_lowercased_without_trailing_dot(dns_server: FakeDns, resolver: Resolver) -> None:
    dns_server.add(
        "mail.dns.test",
        "MX",
        [(20, "Backup.Mail.dns.test."), (10, "mx1.dns.test."), (10, "MX0.dns.test."), (5, "first.dns.test.")],
    )
    assert await resolver.mx("mail.dns.test") == [
        (5, "first.dns.test"),
        (10, "mx0.dns.test"),
        (10, "mx1.dns.test"),
        (20, "backup.mail.dns.test"),
    ]
    assert await resolver.mx("Mail.DNS.test.") == await resolver.mx("mail.dns.test")


async def test_mx_null_record(dns_server: FakeDns, resolver: Resolver) -> None:
    dns_server.add("nomail.dns.test", "MX", [(0, ".")])
    assert await resolver.mx("nomail.dns.test") == [(0, "")]


async def test_txt_strings_joined_per_record(dns_server: FakeDns, resolver: Resolver) -> None:
    dns_server.add(
        "txt.dns.test",
        "TXT",
        [["v=spf1 include:_spf.google.com ", "include:mailgun.org ~all"], ["google-site-verification=abc123"]],
    )
    assert sorted(await resolver.txt("txt.dns.test")) == [
        "google-site-verification=abc123",
        "v=spf1 include:_spf.google.com include:mailgun.org ~all",
    ]


async def test_nxdomain_and_empty_answers_give_empty_lists(dns_server: FakeDns, resolver: Resolver) -> None:
    dns_server.add("bare.dns.test", "A", ["192.0.2.1"])
    assert await resolver.mx("nothing-here.dns.test") == []
    assert await resolver.txt("nothing-here.dns.test") == []
    assert await resolver.mx("bare.dns.test") == []
    assert await resolver.txt("bare.dns.test") == []
    assert await resolver.mx("") == []
    assert await resolver.txt("bad..name") == []


async def test_unanswered_queries_time_out_quietly(silent_udp_port: int) -> None:
    resolver = Resolver([("127.0.0.1", silent_udp_port)], timeout=0.3)
    started = time.monotonic()
    assert await resolver.mx("example.com") == []
    assert await resolver.txt("example.com") == []
    with pytest.raises(ResolutionError):
        await resolver.addresses("example.com")
    assert time.monotonic() - started < 3


# --- system resolver ------------------------------------------------------------------------------


async def test_system_addresses_use_getaddrinfo_and_hosts_file() -> None:
    assert "127.0.0.1" in await Resolver().addresses("localhost")
