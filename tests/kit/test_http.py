"""The guarded outbound client against real servers on 127.0.0.1: HTTP and HTTPS origins, a forward
proxy (absolute-URI and CONNECT) and a DNS server. Nothing leaves the machine."""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import json
import socket
import ssl
import time
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import httpcore
import pytest
import trustme

from dossier.kit.dns import Resolver
from dossier.kit.http import (
    BlockedDestination,
    FetchError,
    GuardedClient,
    OutboundPolicy,
    _PinnedBackend,
    _ProxyConfig,
    address_block_reason,
)
from tests.kit.test_dns import FakeDns, dns_server  # noqa: F401  (the fixture is shared)

LOCAL = OutboundPolicy.parse_networks("127.0.0.1/32")

# --------------------------------------------------------------------------------------------------
# A tiny HTTP/1.1 origin server (keep-alive, optional TLS)
# --------------------------------------------------------------------------------------------------


@dataclass
class Seen:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Origin:
    ssl_context: ssl.SSLContext | None = None
    requests: list[Seen] = field(default_factory=list)
    connections: int = 0
    port: int = 0

    async def start(self) -> None:
        self._stop = asyncio.Event()
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0, ssl=self.ssl_context)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self._stop.set()
        self._server.close()
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers: dict[str, str] = {}
                for line in lines[1:]:
                    if line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.requests.append(Seen(method, target, headers, body))
                keep_alive = await self._respond(method, target, headers, body, writer)
                if not keep_alive or headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    async def _respond(
        self, method: str, target: str, headers: dict[str, str], body: bytes, writer: asyncio.StreamWriter
    ) -> bool:
        parts = urlsplit(target)
        path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        extra: list[tuple[str, str]] = []
        status, content, ctype = 200, b"", "text/plain"
        if path == "/hello":
            content = b"hello"
        elif path == "/echo":
            ctype = "application/json"
            content = json.dumps(
                {"method": method, "target": target, "headers": headers, "body": body.decode("latin-1")}
            ).encode()
        elif path == "/redirect":
            status = int(query.get("status", "302"))
            extra.append(("Location", query["to"]))
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            if n > 0:
                status = 302
                extra.append(("Location", f"/chain/{n - 1}"))
            else:
                content = b"end of chain"
        elif path == "/bytes":
            content = b"a" * int(query["n"])
        elif path == "/gzip":
            content = gzip.compress(b"hello compressed world")
            extra.append(("Content-Encoding", "gzip"))
        elif path == "/deflate-raw":
            compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
            content = compressor.compress(b"raw deflate body") + compressor.flush()
            extra.append(("Content-Encoding", "deflate"))
        elif path == "/bomb":
            content = GZIP_BOMB
            extra.append(("Content-Encoding", "gzip"))
        elif path == "/cookies":
            extra += [("Set-Cookie", "a=1; Path=/"), ("Set-Cookie", "b=2; Path=/"), ("X-Single", "yes")]
        elif path == "/latin1":
            ctype = 'text/HTML; charset="ISO-8859-1"'
            content = "café".encode("latin-1")
        elif path == "/never":
            await self._stop.wait()
            return False
        else:
            status, content = 404, b"not found"
        reason = {200: "OK", 404: "Not Found"}.get(status, "Redirect")
        response = [f"HTTP/1.1 {status} {reason}", f"Content-Type: {ctype}", f"Content-Length: {len(content)}"]
        response += [f"{k}: {v}" for k, v in extra]
        writer.write(("\r\n".join(response) + "\r\n\r\n").encode("latin-1") + content)
        await writer.drain()
        return True


GZIP_BOMB = gzip.compress(b"\0" * 20_000_000, compresslevel=9)


# --------------------------------------------------------------------------------------------------
# A tiny forward proxy: absolute-URI requests and CONNECT tunnels; resolves names from its own table
# --------------------------------------------------------------------------------------------------


@dataclass
class ForwardProxy:
    hosts: dict[str, str] = field(default_factory=dict)  # the proxy's own "DNS"
    log: list[str] = field(default_factory=list)
    port: int = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self._server.close()
        await self._server.wait_closed()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _where(self, host: str) -> str | None:
        return self.hosts.get(host.lower(), host if host[0].isdigit() else None)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            self.log.append(f"{method} {target}")
            if method == "CONNECT":
                host, _, port = target.rpartition(":")
                address = self._where(host)
                if address is None:
                    writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                    return
                up_reader, up_writer = await asyncio.open_connection(address, int(port))
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await writer.drain()
                await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
                return
            parts = urlsplit(target)
            address = self._where(parts.hostname or "")
            if address is None:
                writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            up_reader, up_writer = await asyncio.open_connection(address, parts.port or 80)
            kept = [line for line in lines[1:] if line and not line.lower().startswith(("connection", "proxy-"))]
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            up_writer.write(
                ("\r\n".join([f"{method} {path} HTTP/1.1", *kept, "Connection: close"]) + "\r\n\r\n").encode()
            )
            await _pipe(up_reader, writer)
            up_writer.close()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


# --------------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(scope="session")
async def origin() -> AsyncIterator[Origin]:
    server = Origin()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(scope="session")
async def tls_origin(ca: trustme.CA) -> AsyncIterator[Origin]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("shop.example.test", "secure.example.test").configure_cert(context)
    server = Origin(ssl_context=context)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(scope="session")
async def proxy() -> AsyncIterator[ForwardProxy]:
    server = ForwardProxy(hosts={"shop.example.test": "127.0.0.1"})
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(scope="session", autouse=True)
def zone(dns_server: FakeDns) -> None:  # noqa: F811
    dns_server.add("app.example.test", "A", ["127.0.0.1"])
    dns_server.add("secure.example.test", "A", ["127.0.0.1"])
    dns_server.add("wrongcert.example.test", "A", ["127.0.0.1"])
    dns_server.add("mixed.example.test", "A", ["1.1.1.1", "10.0.0.5"])
    dns_server.add("dual.example.test", "A", ["127.0.0.1"])
    dns_server.add("dual.example.test", "AAAA", ["::1"])
    dns_server.add("metadata.example.test", "A", ["169.254.169.254"])
    answers = iter(["127.0.0.1"] + ["127.0.0.2"] * 100)
    dns_server.add("flip.example.test", "A", lambda: [next(answers)])


@pytest.fixture
def resolver(dns_server: FakeDns) -> Resolver:  # noqa: F811
    return Resolver([("127.0.0.1", dns_server.port)], timeout=2.0)


class Clients:
    """Builds guarded clients for a test and closes them afterwards."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.made: list[GuardedClient] = []

    def __call__(
        self, *ports: int, allow: str = "", env: dict[str, str] | None = None, **policy: object
    ) -> GuardedClient:
        client = GuardedClient(
            OutboundPolicy(
                allow_networks=OutboundPolicy.parse_networks(allow),
                allowed_ports=frozenset(ports) if ports else frozenset({80, 443}),
                **policy,  # type: ignore[arg-type]
            ),
            self.resolver,
            env=env or {},
        )
        self.made.append(client)
        return client


@pytest.fixture
async def make(resolver: Resolver) -> AsyncIterator[Clients]:
    clients = Clients(resolver)
    yield clients
    for client in clients.made:
        await client.aclose()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------------------------------
# The address classifier and the policy
# --------------------------------------------------------------------------------------------------

BLOCKED = [
    "127.0.0.1",
    "127.255.255.254",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "100.64.1.1",
    "100.127.255.255",
    "169.254.169.254",
    "0.0.0.0",
    "0.1.2.3",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "198.18.0.1",
    "198.19.255.255",
    "192.0.2.10",
    "198.51.100.10",
    "203.0.113.10",
    "192.0.0.8",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:0:127.0.0.1",
    "64:ff9b::127.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b:1::8.8.8.8",
    "2002:7f00:1::",
    "2002:a00:1::1",
    "::127.0.0.1",
    "fd00::1",
    "fc00::1",
    "fe80::1",
    "fec0::1",
    "ff02::1",
    "2001:db8::1",
    "2001::1",
    "100::1",
    "4000::1",
]

PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "100.63.255.255",
    "100.128.0.1",
    "172.32.0.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::8.8.8.8",
    "2002:808:808::1",
]


@pytest.mark.parametrize("address", BLOCKED)
def test_classifier_blocks(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert address_block_reason(ip) is not None
    assert not OutboundPolicy().allows(ip)


@pytest.mark.parametrize("address", PUBLIC)
def test_classifier_allows_public(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert address_block_reason(ip) is None
    assert OutboundPolicy().allows(ip)


def test_classifier_reasons_are_specific() -> None:
    assert address_block_reason(ipaddress.ip_address("100.64.1.1")) == "shared address space (CGNAT)"
    assert address_block_reason(ipaddress.ip_address("169.254.169.254")) == "link-local"
    assert "loopback" in (address_block_reason(ipaddress.ip_address("::ffff:127.0.0.1")) or "")


def test_allowlist_admits_only_its_networks() -> None:
    policy = OutboundPolicy(allow_networks=OutboundPolicy.parse_networks("127.0.0.1/32, 10.0.0.0/8 ,fd00::/8"))
    assert policy.allows(ipaddress.ip_address("127.0.0.1"))
    assert policy.allows(ipaddress.ip_address("::ffff:127.0.0.1"))  # same destination as 127.0.0.1
    assert policy.allows(ipaddress.ip_address("10.9.8.7"))
    assert policy.allows(ipaddress.ip_address("fd12::1"))
    assert not policy.allows(ipaddress.ip_address("127.0.0.2"))
    assert not policy.allows(ipaddress.ip_address("::1"))
    assert not policy.allows(ipaddress.ip_address("169.254.169.254"))


def test_parse_networks() -> None:
    assert OutboundPolicy.parse_networks("") == ()
    assert OutboundPolicy.parse_networks("127.0.0.1/32, ::1/128") == (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("::1/128"),
    )
    assert OutboundPolicy.parse_networks("10.0.0.1") == (ipaddress.ip_network("10.0.0.1/32"),)
    for junk in ("localhost", "10.0.0.0/33", "1.2.3", "127.0.0.1/32,nope"):
        with pytest.raises(ValueError):
            OutboundPolicy.parse_networks(junk)


# --------------------------------------------------------------------------------------------------
# URL rules
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/", "file:///etc/passwd", "gopher://127.0.0.1:70/", "javascript:alert(1)", "http://", "//x/"],
)
async def test_only_http_and_https(make: Clients, url: str) -> None:
    with pytest.raises(FetchError) as info:
        await make(allow="0.0.0.0/0").fetch(url)
    assert info.value.reason == "bad_url"


async def test_credentials_in_url_rejected(make: Clients, origin: Origin) -> None:
    with pytest.raises(FetchError) as info:
        await make(origin.port, allow="127.0.0.1/32").fetch(f"http://user:pw@127.0.0.1:{origin.port}/hello")
    assert info.value.reason == "bad_url"


async def test_ports_outside_policy_blocked(make: Clients, origin: Origin) -> None:
    client = make(allow="127.0.0.1/32")  # default ports 80/443
    with pytest.raises(BlockedDestination) as info:
        await client.fetch(f"http://127.0.0.1:{origin.port}/hello")
    assert "port" in str(info.value)
    with pytest.raises(BlockedDestination):
        await client.fetch("https://example.test:8443/")


# --------------------------------------------------------------------------------------------------
# Resolve once, check, connect to the checked address
# --------------------------------------------------------------------------------------------------


async def test_public_name_resolving_to_loopback(make: Clients, origin: Origin) -> None:
    url = f"http://app.example.test:{origin.port}/hello"
    with pytest.raises(BlockedDestination) as info:
        await make(origin.port).fetch(url)
    assert info.value.reason == "blocked" and "loopback" in str(info.value)

    result = await make(origin.port, allow="127.0.0.1/32").fetch(url)
    assert (result.status, result.content, result.final_url) == (200, b"hello", url)
    assert origin.requests[-1].headers["host"] == f"app.example.test:{origin.port}"


async def test_any_blocked_answer_blocks(make: Clients, origin: Origin) -> None:
    client = make(origin.port, 80, allow="127.0.0.1/32")
    with pytest.raises(BlockedDestination, match=r"10\.0\.0\.5"):
        await client.fetch("http://mixed.example.test/")
    with pytest.raises(BlockedDestination, match="::1"):  # A is allowlisted, AAAA (::1) is not
        await client.fetch(f"http://dual.example.test:{origin.port}/hello")
    with pytest.raises(BlockedDestination, match="link-local"):
        await client.fetch("http://metadata.example.test/latest/meta-data/")


async def test_one_lookup_per_fetch_and_connection_to_checked_address(
    make: Clients,
    origin: Origin,
    dns_server: FakeDns,  # noqa: F811
) -> None:
    client = make(origin.port, allow="127.0.0.1/32")
    url = f"http://flip.example.test:{origin.port}/hello"
    # The first answer is 127.0.0.1, every later one 127.0.0.2 (allowlist: 127.0.0.1 only, and nothing
    # listens there): a second lookup at connect time would fail or be refused.
    result = await client.fetch(url)
    assert result.status == 200 and result.content == b"hello"
    assert len(dns_server.queries_for("flip.example.test", "A")) == 1
    with pytest.raises(BlockedDestination, match=r"127\.0\.0\.2"):
        await client.fetch(url)
    assert len(dns_server.queries_for("flip.example.test", "A")) == 2


async def test_ip_literals_checked_without_dns(make: Clients, origin: Origin, dns_server: FakeDns) -> None:  # noqa: F811
    before = len(dns_server.queries)
    with pytest.raises(BlockedDestination):
        await make(origin.port).fetch(f"http://127.0.0.1:{origin.port}/hello")
    with pytest.raises(BlockedDestination):
        await make(origin.port, allow="127.0.0.1/32").fetch(f"http://[::1]:{origin.port}/hello")
    result = await make(origin.port, allow="127.0.0.1/32").fetch(f"http://127.0.0.1:{origin.port}/hello")
    assert result.content == b"hello"
    assert len(dns_server.queries) == before


@pytest.mark.parametrize("host", ["2130706433", "127.1", "0x7f.0.0.1", "017700000001", "localhost", "a.localhost"])
async def test_loopback_in_disguise(make: Clients, origin: Origin, host: str) -> None:
    with pytest.raises(BlockedDestination):
        await make(origin.port).fetch(f"http://{host}:{origin.port}/hello")
    result = await make(origin.port, allow="127.0.0.1/32").fetch(f"http://{host}:{origin.port}/hello")
    assert result.content == b"hello"


async def test_unresolvable_and_unreachable_are_connect_errors(make: Clients) -> None:
    port = closed_port()
    client = make(port, allow="127.0.0.1/32")
    with pytest.raises(FetchError) as info:
        await client.fetch(f"http://127.0.0.1:{port}/")
    assert info.value.reason == "connect"
    with pytest.raises(FetchError) as info:
        await client.fetch(f"http://no-such-name.example.test:{port}/")
    assert info.value.reason == "connect"


async def test_unpinned_connections_fail_closed() -> None:
    with pytest.raises(httpcore.ConnectError):
        await _PinnedBackend().connect_tcp("127.0.0.1", 9)


# --------------------------------------------------------------------------------------------------
# Redirects
# --------------------------------------------------------------------------------------------------


def redirect(origin: Origin, to: str, status: int = 302) -> str:
    return f"http://127.0.0.1:{origin.port}/redirect?status={status}&to={quote(to, safe='')}"


async def test_redirect_to_other_loopback_address_blocked(make: Clients, origin: Origin) -> None:
    client = make(origin.port, allow="127.0.0.1/32")
    with pytest.raises(BlockedDestination, match=r"127\.0\.0\.2"):
        await client.fetch(redirect(origin, f"http://127.0.0.2:{origin.port}/hello"))


async def test_redirect_to_metadata_address_blocked(make: Clients, origin: Origin) -> None:
    client = make(origin.port, 80, allow="127.0.0.1/32")
    for target in ("http://169.254.169.254/latest/meta-data/", "http://[::ffff:169.254.169.254]/"):
        with pytest.raises(BlockedDestination, match="link-local"):
            await client.fetch(redirect(origin, target))


async def test_redirect_to_bad_scheme_or_port(make: Clients, origin: Origin) -> None:
    client = make(origin.port, allow="127.0.0.1/32")
    with pytest.raises(FetchError) as info:
        await client.fetch(redirect(origin, "file:///etc/passwd"))
    assert info.value.reason == "bad_url"
    with pytest.raises(BlockedDestination, match="port"):
        await client.fetch(redirect(origin, "http://127.0.0.1:6379/"))


async def test_redirect_chain_counted_and_capped(make: Clients, origin: Origin) -> None:
    base = f"http://127.0.0.1:{origin.port}"
    result = await make(origin.port, allow="127.0.0.1/32").fetch(f"{base}/chain/3")
    assert result.content == b"end of chain"
    assert result.final_url == f"{base}/chain/0"
    assert result.redirects == [f"{base}/chain/3", f"{base}/chain/2", f"{base}/chain/1"]

    assert (await make(origin.port, allow="127.0.0.1/32", max_redirects=5).fetch(f"{base}/chain/5")).status == 200
    with pytest.raises(FetchError) as info:
        await make(origin.port, allow="127.0.0.1/32").fetch(f"{base}/chain/6")
    assert info.value.reason == "too_many_redirects"
    with pytest.raises(FetchError) as info:
        await make(origin.port, allow="127.0.0.1/32", max_redirects=2).fetch(f"{base}/chain/3")
    assert info.value.reason == "too_many_redirects"


async def test_redirect_not_followed_on_request(make: Clients, origin: Origin) -> None:
    base = f"http://127.0.0.1:{origin.port}"
    result = await make(origin.port, allow="127.0.0.1/32").fetch(f"{base}/chain/2", follow_redirects=False)
    assert result.status == 302
    assert result.headers["location"] == "/chain/1"
    assert result.redirects == []


@pytest.mark.parametrize(
    ("status", "method", "body"),
    [(303, "GET", ""), (302, "GET", ""), (301, "GET", ""), (307, "POST", "x=1"), (308, "POST", "x=1")],
)
async def test_redirect_method_rules(make: Clients, origin: Origin, status: int, method: str, body: str) -> None:
    client = make(origin.port, allow="127.0.0.1/32")
    result = await client.fetch(
        redirect(origin, "/echo", status),
        method="POST",
        content=b"x=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    echoed = json.loads(result.content)
    assert (echoed["method"], echoed["body"]) == (method, body)
    assert ("content-type" in echoed["headers"]) == (method == "POST")


async def test_cross_origin_redirect_drops_credentials(make: Clients, origin: Origin) -> None:
    client = make(origin.port, allow="127.0.0.1/32")
    headers = {"Authorization": "Bearer secret", "X-Trace": "1"}
    same = json.loads((await client.fetch(redirect(origin, "/echo"), headers=headers)).content)
    assert same["headers"]["authorization"] == "Bearer secret"
    other = json.loads(
        (await client.fetch(redirect(origin, f"http://localhost:{origin.port}/echo"), headers=headers)).content
    )
    assert "authorization" not in other["headers"]
    assert other["headers"]["x-trace"] == "1"


# --------------------------------------------------------------------------------------------------
# Byte and time caps
# --------------------------------------------------------------------------------------------------


async def test_byte_cap_truncates(make: Clients, origin: Origin) -> None:
    client = make(origin.port, allow="127.0.0.1/32", max_bytes=1000)
    base = f"http://127.0.0.1:{origin.port}"
    result = await client.fetch(f"{base}/bytes?n=1000000")
    assert (len(result.content), result.truncated) == (1000, True)
    exact = await client.fetch(f"{base}/bytes?n=1000")
    assert (len(exact.content), exact.truncated) == (1000, False)
    override = await client.fetch(f"{base}/bytes?n=1000000", max_bytes=10)
    assert (override.content, override.truncated) == (b"a" * 10, True)


async def test_compressed_bodies_decoded_and_capped(make: Clients, origin: Origin) -> None:
    client = make(origin.port, allow="127.0.0.1/32", max_bytes=100_000)
    base = f"http://127.0.0.1:{origin.port}"
    assert (await client.fetch(f"{base}/gzip")).content == b"hello compressed world"
    assert (await client.fetch(f"{base}/deflate-raw")).content == b"raw deflate body"
    bomb = await client.fetch(f"{base}/bomb")  # 20 MB of zeros in ~20 kB of gzip
    assert (len(bomb.content), bomb.truncated) == (100_000, True)
    assert bomb.content == b"\0" * 100_000


async def test_time_cap(make: Clients, origin: Origin) -> None:
    client = make(origin.port, allow="127.0.0.1/32")
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        await client.fetch(f"http://127.0.0.1:{origin.port}/never", timeout=0.5)
    assert info.value.reason == "timeout"
    assert time.monotonic() - started < 2
    policy_timeout = make(origin.port, allow="127.0.0.1/32", timeout_seconds=0.3)
    with pytest.raises(FetchError) as info:
        await policy_timeout.fetch(f"http://127.0.0.1:{origin.port}/never")
    assert info.value.reason == "timeout"


# --------------------------------------------------------------------------------------------------
# Results, headers, connection reuse
# --------------------------------------------------------------------------------------------------


async def test_result_headers_and_text(make: Clients, origin: Origin) -> None:
    client = make(origin.port, allow="127.0.0.1/32")
    base = f"http://127.0.0.1:{origin.port}"
    cookies = await client.fetch(f"{base}/cookies")
    assert cookies.headers["set-cookie"] == "a=1; Path=/\nb=2; Path=/"
    assert cookies.headers["x-single"] == "yes"
    latin = await client.fetch(f"{base}/latin1")
    assert latin.content_type == "text/html"
    assert latin.text() == "café"
    assert latin.elapsed > 0 and latin.url == latin.final_url == f"{base}/latin1"


async def test_no_cookie_state_between_fetches(make: Clients, origin: Origin) -> None:
    client = make(origin.port, allow="127.0.0.1/32")
    base = f"http://127.0.0.1:{origin.port}"
    assert "set-cookie" in (await client.fetch(f"{base}/cookies")).headers
    echoed = json.loads((await client.fetch(f"{base}/echo")).content)
    assert "cookie" not in echoed["headers"]


async def test_user_agent(make: Clients, origin: Origin) -> None:
    client = make(origin.port, allow="127.0.0.1/32")
    url = f"http://127.0.0.1:{origin.port}/echo"
    default = json.loads((await client.fetch(url)).content)
    assert default["headers"]["user-agent"] == OutboundPolicy().user_agent
    custom = json.loads((await client.fetch(url, headers={"user-agent": "Probe/1"})).content)
    assert custom["headers"]["user-agent"] == "Probe/1"


async def test_connections_reused(make: Clients) -> None:
    server = Origin()
    await server.start()
    try:
        client = make(server.port, allow="127.0.0.1/32")
        for _ in range(3):
            assert (await client.fetch(f"http://app.example.test:{server.port}/hello")).status == 200
        assert server.connections == 1
        await client.aclose()
        assert (await client.fetch(f"http://app.example.test:{server.port}/hello")).status == 200
        assert server.connections == 2
    finally:
        await server.stop()


# --------------------------------------------------------------------------------------------------
# TLS: SNI and verification against the name, trust from SSL_CERT_FILE
# --------------------------------------------------------------------------------------------------


async def test_https_to_checked_address_verifies_name(make: Clients, tls_origin: Origin, ca_file: str) -> None:
    client = make(tls_origin.port, allow="127.0.0.1/32", env={"SSL_CERT_FILE": ca_file})
    result = await client.fetch(f"https://secure.example.test:{tls_origin.port}/echo")
    assert result.status == 200
    assert json.loads(result.content)["headers"]["host"] == f"secure.example.test:{tls_origin.port}"

    with pytest.raises(FetchError) as info:  # the certificate does not cover this name
        await client.fetch(f"https://wrongcert.example.test:{tls_origin.port}/hello")
    assert info.value.reason == "tls"


async def test_https_untrusted_without_ca(make: Clients, tls_origin: Origin) -> None:
    with pytest.raises(FetchError) as info:
        await make(tls_origin.port, allow="127.0.0.1/32").fetch(f"https://secure.example.test:{tls_origin.port}/")
    assert info.value.reason == "tls"


# --------------------------------------------------------------------------------------------------
# Proxies
# --------------------------------------------------------------------------------------------------


async def test_http_through_proxy_when_only_the_proxy_resolves_the_name(
    make: Clients,
    origin: Origin,
    proxy: ForwardProxy,
    dns_server: FakeDns,  # noqa: F811
) -> None:
    client = make(origin.port, env={"HTTP_PROXY": proxy.url})
    url = f"http://shop.example.test:{origin.port}/echo"
    result = await client.fetch(url)
    assert result.status == 200
    assert json.loads(result.content)["headers"]["host"] == f"shop.example.test:{origin.port}"
    assert f"GET {url}" in proxy.log
    # Looked up here first (NXDOMAIN here), then left to the proxy's own resolver.
    assert dns_server.queries_for("shop.example.test")


async def test_proxy_never_gets_a_name_that_resolves_to_a_blocked_address(
    make: Clients,
    origin: Origin,
    tls_origin: Origin,
    proxy: ForwardProxy,
    dns_server: FakeDns,  # noqa: F811
) -> None:
    dns_server.add("intranet.example.test", "A", ["10.0.0.5"])
    dns_server.add("loop.example.test", "A", ["93.184.216.34"])
    dns_server.add("loop.example.test", "AAAA", ["::1"])
    dns_server.add("meta.example.test", "A", ["169.254.169.254"])
    env = {"HTTP_PROXY": proxy.url, "HTTPS_PROXY": proxy.url}
    client = make(origin.port, tls_origin.port, 80, 443, env=env)
    before = list(proxy.log)
    for url in (
        f"http://intranet.example.test:{origin.port}/hello",
        f"https://intranet.example.test:{tls_origin.port}/hello",
        "http://loop.example.test/",
        "https://meta.example.test/latest/meta-data/",
    ):
        with pytest.raises(BlockedDestination):
            await client.fetch(url)
    assert proxy.log == before  # the proxy was never asked (neither GET nor CONNECT)
    # The operator's allowlist still covers a name that resolves into it.
    dns_server.add("allowed.example.test", "A", ["127.0.0.1"])
    proxy.hosts["allowed.example.test"] = "127.0.0.1"
    allowed = make(origin.port, allow="127.0.0.1/32", env=env)
    assert (await allowed.fetch(f"http://allowed.example.test:{origin.port}/hello")).content == b"hello"
    assert f"GET http://allowed.example.test:{origin.port}/hello" in proxy.log


async def test_https_through_connect_proxy(
    make: Clients,
    tls_origin: Origin,
    proxy: ForwardProxy,
    ca_file: str,
    dns_server: FakeDns,  # noqa: F811
) -> None:
    client = make(tls_origin.port, env={"https_proxy": proxy.url, "SSL_CERT_FILE": ca_file})
    result = await client.fetch(f"https://shop.example.test:{tls_origin.port}/hello")
    assert (result.status, result.content) == (200, b"hello")
    assert f"CONNECT shop.example.test:{tls_origin.port}" in proxy.log
    assert dns_server.queries_for("shop.example.test")  # checked here first; unknown here, so the proxy's


async def test_proxy_still_refuses_literal_and_localhost_targets(
    make: Clients, origin: Origin, proxy: ForwardProxy
) -> None:
    client = make(origin.port, 80, env={"HTTP_PROXY": proxy.url, "ALL_PROXY": proxy.url})
    before = list(proxy.log)
    for url in (
        "http://127.0.0.1/",
        f"http://127.0.0.1:{origin.port}/hello",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://localhost/",
        "http://api.localhost/",
        "http://2130706433/",
    ):
        with pytest.raises(BlockedDestination):
            await client.fetch(url)
    assert proxy.log == before

    allowed = make(origin.port, allow="127.0.0.1/32", env={"HTTP_PROXY": proxy.url})
    assert (await allowed.fetch(f"http://127.0.0.1:{origin.port}/hello")).content == b"hello"
    assert f"GET http://127.0.0.1:{origin.port}/hello" in proxy.log


async def test_proxy_redirects_rechecked(make: Clients, origin: Origin, proxy: ForwardProxy) -> None:
    client = make(origin.port, 80, env={"HTTP_PROXY": proxy.url})
    target = quote("http://169.254.169.254/latest/meta-data/", safe="")
    with pytest.raises(BlockedDestination):
        await client.fetch(f"http://shop.example.test:{origin.port}/redirect?to={target}")


async def test_no_proxy_bypass(
    make: Clients,
    origin: Origin,
    proxy: ForwardProxy,
    dns_server: FakeDns,  # noqa: F811
) -> None:
    client = make(
        origin.port, allow="127.0.0.1/32", env={"HTTP_PROXY": proxy.url, "NO_PROXY": "other.test,.example.test"}
    )
    before = list(proxy.log)
    lookups = len(dns_server.queries_for("app.example.test", "A"))
    assert (await client.fetch(f"http://app.example.test:{origin.port}/hello")).content == b"hello"
    assert proxy.log == before
    assert len(dns_server.queries_for("app.example.test", "A")) == lookups + 1


def test_proxy_selection_rules() -> None:
    config = _ProxyConfig(
        {
            "http_proxy": "http://lower:3128",
            "HTTP_PROXY": "http://upper:3128",
            "HTTPS_PROXY": "proxy.corp:8080",
            "no_proxy": "internal.corp, .svc.local,10.0.0.0/8,api.example.com:8443,[::1]",
        }
    )
    assert config.proxy_for("http", "example.com", 80) == "http://lower:3128"
    assert config.proxy_for("https", "example.com", 443) == "http://proxy.corp:8080"
    assert config.proxy_for("http", "internal.corp", 80) is None
    assert config.proxy_for("http", "a.b.internal.corp", 80) is None
    assert config.proxy_for("http", "notinternal.corp", 80) == "http://lower:3128"
    assert config.proxy_for("http", "db.svc.local", 80) is None
    assert config.proxy_for("http", "10.2.3.4", 80) is None
    assert config.proxy_for("https", "api.example.com", 8443) is None
    assert config.proxy_for("https", "api.example.com", 443) == "http://proxy.corp:8080"
    assert config.proxy_for("http", "::1", 80) is None
    assert _ProxyConfig({"ALL_PROXY": "http://all:1"}).proxy_for("https", "x.com", 443) == "http://all:1"
    assert _ProxyConfig({"ALL_PROXY": "http://all:1", "NO_PROXY": "*"}).proxy_for("http", "x.com", 80) is None
    assert _ProxyConfig({"HTTP_PROXY": "http://p:1", "REQUEST_METHOD": "GET"}).proxy_for("http", "x.com", 80) is None
    assert _ProxyConfig({}).proxy_for("http", "x.com", 80) is None


def test_trust_store_from_environment(ca_file: str, resolver: Resolver, tmp_path: Path) -> None:
    GuardedClient(OutboundPolicy(), resolver, env={"SSL_CERT_FILE": ca_file})
    with pytest.raises(FileNotFoundError):
        GuardedClient(OutboundPolicy(), resolver, env={"SSL_CERT_FILE": str(tmp_path / "missing.pem")})
