"""The SSRF-guarded outbound HTTP client: every fetch Dossier makes goes through :class:`GuardedClient`.

Rules (see ARCHITECTURE.md, "Security"):

* only ``http``/``https`` URLs without credentials, on the policy's ports (80/443 by default);
* direct mode: the host is resolved once, every answer is checked (loopback, private, link-local,
  CGNAT, multicast, reserved, IPv4-mapped/translated…, unless inside the operator allowlist) and the
  connection goes to a checked address; the ``Host`` header, TLS SNI and certificate verification use
  the original name;
* every redirect is checked by the same rules before it is followed (at most ``max_redirects``);
* the body is streamed and capped at ``max_bytes`` (after content decoding, so a compressed bomb
  cannot blow past the cap); the whole fetch, redirects included, must finish within the timeout;
* ``HTTP(S)_PROXY``/``ALL_PROXY``/``NO_PROXY`` are honoured. With a proxy the name is still resolved
  here first and refused if any answer is blocked (a name pointing at 10.0.0.5 must not reach the
  intranet through the proxy); a name that does not resolve here is left to the proxy's resolver (egress
  proxies are often the only way out to public DNS). IP-literal and ``localhost`` targets outside the
  allowlist are refused without a lookup;
* ``SSL_CERT_FILE``/``SSL_CERT_DIR`` select the trusted CAs, else certifi's bundle.

How "connect to the checked address" is done: the direct-mode ``httpx.AsyncClient`` runs on a
connection pool whose network backend only opens TCP connections to addresses pinned for the
current request (a context variable set by :meth:`GuardedClient.fetch` after the check). URLs keep
their host names, so the pool is keyed by name (a TLS connection verified for one name is never
reused for another name that happens to share the IP), ``Host``/SNI/certificate checks use the
name, and any connection attempt that was not pinned by a check fails closed.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import http.cookiejar
import ipaddress
import os
import socket
import ssl
import time
import zlib
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Literal

import certifi
import httpcore
import httpx

from dossier.kit.dns import ResolutionError, Resolver

__all__ = [
    "BlockedDestination",
    "FetchError",
    "FetchErrorReason",
    "FetchResult",
    "GuardedClient",
    "OutboundPolicy",
    "address_block_reason",
    "destination_problem",
    "embedded_ipv4",
]

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FetchErrorReason = Literal["blocked", "connect", "timeout", "too_many_redirects", "bad_url", "tls", "protocol"]

_DEFAULT_PORTS = {"http": 80, "https": 443}
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_LOOPBACK_V4 = ipaddress.IPv4Address("127.0.0.1")


# --------------------------------------------------------------------------------------------------
# Address classification
# --------------------------------------------------------------------------------------------------

_V4_BLOCKED: tuple[tuple[ipaddress.IPv4Network, str], ...] = tuple(
    (ipaddress.IPv4Network(net), reason)
    for net, reason in (
        ("0.0.0.0/8", "unspecified / this network"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "shared address space (CGNAT)"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "IETF protocol assignments"),
        ("192.0.2.0/24", "documentation"),
        ("192.88.99.0/24", "6to4 relay anycast"),
        ("192.168.0.0/16", "private"),
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("224.0.0.0/4", "multicast"),
        ("255.255.255.255/32", "broadcast"),
        ("240.0.0.0/4", "reserved"),
    )
)

_V6_BLOCKED: tuple[tuple[ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.IPv6Network(net), reason)
    for net, reason in (
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("::/96", "IPv4-compatible (deprecated)"),
        ("64:ff9b:1::/48", "local-use IPv4/IPv6 translation"),
        ("100::/64", "discard-only"),
        ("2001::/32", "Teredo"),
        ("2001:2::/48", "benchmarking"),
        ("2001:10::/28", "ORCHID"),
        ("2001:20::/28", "ORCHIDv2"),
        ("2001:db8::/32", "documentation"),
        ("3fff::/20", "documentation"),
        ("fc00::/7", "private (unique local)"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"),
    )
)

_V6_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
_V6_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
_V6_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")
_V6_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_V6_6TO4 = ipaddress.IPv6Network("2002::/16")


def embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address carried inside an IPv4-mapped, IPv4-translated, NAT64 (64:ff9b::/96) or 6to4 address."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address in _V6_MAPPED or address in _V6_TRANSLATED or address in _V6_NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _V6_6TO4:
        return address.sixtofour
    return None


def address_block_reason(address: Address) -> str | None:
    """Why ``address`` must not be contacted (``"loopback"``, ``"private"``…), or ``None`` if it is public.

    IPv6 forms that embed an IPv4 address (mapped, translated, NAT64, 6to4) are judged by the
    embedded address. Anything not known to be globally routable is refused.
    """
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            inner_reason = address_block_reason(inner)
            return None if inner_reason is None else f"embeds {inner} ({inner_reason})"
        for v6net, reason in _V6_BLOCKED:
            if address in v6net:
                return reason
        if address not in _V6_GLOBAL_UNICAST:
            return "reserved"
    else:
        for v4net, reason in _V4_BLOCKED:
            if address in v4net:
                return reason
    if not address.is_global or address.is_multicast or address.is_reserved:
        return "not globally routable"
    return None


def _literal_address(host: str) -> Address | None:
    """The address a host denotes without DNS: IP literals, legacy numeric IPv4 forms, ``localhost``."""
    name = host.strip("[]").rstrip(".").lower()
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        pass
    if name == "localhost" or name.endswith(".localhost"):
        return _LOOPBACK_V4
    # "127.1", "2130706433", "0x7f.0.0.1": getaddrinfo (and so any proxy) reads these as IPv4.
    if name and set(name) <= set("0123456789abcdefx."):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(name))
        except OSError:
            return None
    return None


# --------------------------------------------------------------------------------------------------
# Policy, results, errors
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboundPolicy:
    allow_networks: tuple[Network, ...] = ()  # operator allowlist (DOSSIER_ALLOW_PRIVATE_NETWORKS)
    allowed_ports: frozenset[int] = frozenset({80, 443})
    max_redirects: int = 5
    max_bytes: int = 5_000_000
    timeout_seconds: float = 15.0
    user_agent: str = "DossierBot/0.1 (+https://github.com/dossier; research-signals crawler)"

    @staticmethod
    def parse_networks(value: str) -> tuple[Network, ...]:
        """``"127.0.0.1/32, ::1/128"`` -> networks (a bare address means a single host). ``ValueError`` on junk."""
        items = [item.strip() for item in value.replace(";", ",").replace(" ", ",").split(",")]
        networks: list[Network] = []
        for item in items:
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(f"not an IP network: {item!r}") from None
        return tuple(networks)

    def allows(self, address: Address) -> bool:
        """Whether connecting to ``address`` is permitted (public, or inside the allowlist)."""
        if self._allowlisted(address):
            return True
        inner = embedded_ipv4(address)
        if inner is not None and self._allowlisted(inner):
            return True
        return address_block_reason(address) is None

    def _allowlisted(self, address: Address) -> bool:
        return any(address.version == net.version and address in net for net in self.allow_networks)


class FetchError(Exception):
    """A fetch failed; ``reason`` is one of :data:`FetchErrorReason`."""

    def __init__(self, reason: FetchErrorReason, message: str = "", *, url: str | None = None) -> None:
        super().__init__(message or reason)
        self.reason: FetchErrorReason = reason
        self.url = url


class BlockedDestination(FetchError):
    """The destination (address, port or name) is not allowed by the outbound policy."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__("blocked", message, url=url)


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    headers: dict[str, str]  # lowercased names; repeated headers joined with "\n"
    content: bytes
    truncated: bool
    redirects: list[str] = field(default_factory=list)  # URLs that answered with a followed redirect, in order
    elapsed: float = 0.0

    @property
    def content_type(self) -> str:
        """Media type without parameters, lowercased (``""`` when absent)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for param in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset":
                return value.strip().strip("\"'") or None
        return None

    def text(self) -> str:
        """The body decoded with the content-type charset, else UTF-8; undecodable bytes are replaced."""
        encoding = "utf-8-sig"
        if self.charset:
            try:
                encoding = codecs.lookup(self.charset).name
            except LookupError:
                pass
        return self.content.decode(encoding, errors="replace")


def destination_problem(policy: OutboundPolicy, url: str) -> str | None:
    """Why ``url`` can never be fetched under ``policy``, judged without DNS (scheme, credentials, port, an
    IP-literal or ``localhost`` host outside the allowlist), or ``None``. For checking a URL when it is given
    (a webhook at create time); a fetch still resolves and checks every address."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return "must be a valid http or https URL"
    if parsed.scheme not in _DEFAULT_PORTS or not parsed.raw_host:
        return "must be an http or https URL"
    if parsed.userinfo:
        return "must not contain credentials"
    port = parsed.port or _DEFAULT_PORTS[parsed.scheme]
    if port not in policy.allowed_ports:
        allowed = ", ".join(str(p) for p in sorted(policy.allowed_ports))
        return f"must use an allowed port ({allowed}), not {port}"
    literal = _literal_address(parsed.raw_host.decode("ascii"))
    if literal is not None and not policy.allows(literal):
        reason = address_block_reason(literal) or "not allowed"
        return f"must not point at a {reason} address ({literal})"
    return None


# --------------------------------------------------------------------------------------------------
# Pinned connections (direct mode)
# --------------------------------------------------------------------------------------------------

# host (as it appears in the URL, lowercased) -> the checked addresses a connection may go to
_PINS: ContextVar[Mapping[str, tuple[str, ...]] | None] = ContextVar("dossier_http_pins", default=None)


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to addresses pinned for the current request; fails closed otherwise."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (interface signature)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        pins = _PINS.get()
        addresses = pins.get(host.lower()) if pins else None
        if not addresses:
            raise httpcore.ConnectError(f"refusing to connect to {host!r}: no checked address")
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (interface signature)
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used by the guarded client")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _CoreStream(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncIterable[bytes]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for part in self._stream:
            yield part

    async def aclose(self) -> None:
        aclose = getattr(self._stream, "aclose", None)
        if aclose is not None:
            await aclose()


class _PinnedTransport(httpx.AsyncBaseTransport):
    """An httpx transport over an httpcore pool whose connections go to pinned addresses only.

    httpcore exceptions are not translated here; :class:`GuardedClient` maps both families.
    """

    def __init__(self, ssl_context: ssl.SSLContext, limits: httpx.Limits) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_PinnedBackend(),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        core_response = await self._pool.handle_async_request(core_request)
        assert isinstance(core_response.stream, AsyncIterable)
        return httpx.Response(
            status_code=core_response.status,
            headers=core_response.headers,
            stream=_CoreStream(core_response.stream),
            extensions=core_response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


# --------------------------------------------------------------------------------------------------
# Proxy configuration
# --------------------------------------------------------------------------------------------------


class _ProxyConfig:
    """Standard proxy variables: ``<scheme>_proxy``, ``all_proxy``, ``no_proxy`` (lower case wins)."""

    def __init__(self, env: Mapping[str, str]) -> None:
        def get(name: str) -> str:
            value = env.get(name.lower())
            if value is None and not (name == "HTTP_PROXY" and "REQUEST_METHOD" in env):  # httpoxy: CGI header
                value = env.get(name.upper())
            return (value or "").strip()

        self._proxies = {scheme: get(f"{scheme.upper()}_PROXY") or get("ALL_PROXY") for scheme in _DEFAULT_PORTS}
        self._no_proxy = [item.lower() for item in get("NO_PROXY").replace(" ", ",").split(",") if item]

    def proxy_for(self, scheme: str, host: str, port: int) -> str | None:
        proxy = self._proxies.get(scheme)
        if not proxy or self._bypass(host, port):
            return None
        return proxy if "://" in proxy else f"http://{proxy}"

    def _bypass(self, host: str, port: int) -> bool:
        host = host.strip("[]").rstrip(".").lower()
        try:
            host_ip: Address | None = ipaddress.ip_address(host)
        except ValueError:
            host_ip = None
        for entry in self._no_proxy:
            if entry == "*":
                return True
            name, entry_port = entry, None
            if entry.startswith("["):  # [v6]:port
                name, _, rest = entry[1:].partition("]")
                entry_port = rest[1:] if rest.startswith(":") else None
            elif entry.count(":") == 1:
                name, _, entry_port = entry.partition(":")
            if entry_port is not None and entry_port != str(port):
                continue
            if host_ip is not None:
                try:
                    if host_ip in ipaddress.ip_network(name, strict=False):
                        return True
                except ValueError:
                    pass
                continue
            domain = name.removeprefix("*").lstrip(".").rstrip(".")
            if domain and (host == domain or host.endswith("." + domain)):
                return True
        return False


# --------------------------------------------------------------------------------------------------
# Body decoding with a hard output cap
# --------------------------------------------------------------------------------------------------


class _Inflater:
    """gzip/deflate decoding that never produces more than asked for per call."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._started = False
        self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS)
        self._done = False

    def feed(self, data: bytes, max_out: int) -> bytes:
        out = bytearray()
        while data and not self._done and len(out) < max_out:
            try:
                chunk = self._obj.decompress(data, max_out - len(out))
            except zlib.error:
                if self._gzip or self._started:
                    raise
                # "deflate" is often sent without the zlib wrapper.
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                self._started = True
                continue
            self._started = True
            out += chunk
            if self._obj.eof:
                data = self._obj.unused_data
                if self._gzip and data.strip(b"\x00"):  # another gzip member follows
                    self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
                else:
                    self._done = True
            else:
                data = self._obj.unconsumed_tail
        return bytes(out)


# --------------------------------------------------------------------------------------------------
# The client
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    url: httpx.URL
    scheme: str
    host: str  # as in the URL (IDNA-encoded, lowercased, no brackets)
    port: int
    literal: Address | None  # what the host denotes without DNS, if anything

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)


def _ssl_context(env: Mapping[str, str]) -> ssl.SSLContext:
    cafile = env.get("SSL_CERT_FILE") or None
    capath = env.get("SSL_CERT_DIR") or None
    if cafile or capath:
        return ssl.create_default_context(cafile=cafile, capath=capath)
    return ssl.create_default_context(cafile=certifi.where())


def _no_cookies() -> http.cookiejar.CookieJar:
    """A jar that stores nothing: fetches are stateless and never share cookies across callers or tenants."""
    return http.cookiejar.CookieJar(policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))


def _exception_chain(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _reason_for(exc: BaseException) -> FetchErrorReason | None:
    if any(isinstance(item, ssl.SSLError) for item in _exception_chain(exc)):
        return "tls"
    if isinstance(exc, httpx.TimeoutException | httpcore.TimeoutException | TimeoutError):
        return "timeout"
    if isinstance(exc, httpx.UnsupportedProtocol | httpcore.UnsupportedProtocol | httpx.InvalidURL):
        return "bad_url"
    if isinstance(exc, httpx.ProtocolError | httpcore.ProtocolError | httpx.DecodingError | zlib.error):
        return "protocol"
    if isinstance(
        exc,
        httpx.TransportError | httpcore.NetworkError | httpcore.ProxyError | httpcore.ConnectionNotAvailable | OSError,
    ):
        return "connect"
    if isinstance(exc, httpx.HTTPError | httpx.StreamError):
        return "protocol"
    module = type(exc).__module__.split(".", 1)[0]
    if module in ("httpx", "httpcore", "h11", "anyio"):
        return "protocol"
    return None


_STRIP_ON_REQUEST = frozenset({"host", "content-length", "transfer-encoding"})
_STRIP_ON_ORIGIN_CHANGE = frozenset({"authorization", "cookie", "proxy-authorization"})
_STRIP_ON_METHOD_CHANGE = frozenset({"content-type", "content-length", "transfer-encoding"})


class GuardedClient:
    """The one outbound HTTP client. Create once, share, :meth:`aclose` at shutdown."""

    def __init__(self, policy: OutboundPolicy, resolver: Resolver, *, env: Mapping[str, str] | None = None) -> None:
        environment = dict(os.environ if env is None else env)
        self.policy = policy
        self.resolver = resolver
        self._proxies = _ProxyConfig(environment)
        self._ssl_context = _ssl_context(environment)
        self._limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=30.0)
        self._clients: dict[str, httpx.AsyncClient] = {}  # "" -> direct; proxy URL -> through that proxy

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        max_bytes: int | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 (interface signature)
        follow_redirects: bool = True,
    ) -> FetchResult:
        """Fetch ``url`` under the policy. Raises :class:`FetchError` (:class:`BlockedDestination`)."""
        limit = self.policy.max_bytes if max_bytes is None else max_bytes
        budget = self.policy.timeout_seconds if timeout is None else timeout
        started = time.monotonic()
        try:
            async with asyncio.timeout(budget):
                result = await self._fetch(
                    url, method.upper(), headers, content, limit, started + budget, follow_redirects
                )
        except TimeoutError:
            raise FetchError("timeout", f"fetching {url} took longer than {budget:g}s", url=url) from None
        result.elapsed = time.monotonic() - started
        return result

    # -- steps ------------------------------------------------------------------------------------

    def _target(self, url: str | httpx.URL) -> _Target:
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise FetchError("bad_url", f"invalid URL {url!s}: {exc}", url=str(url)) from None
        text = str(parsed)
        if parsed.scheme not in _DEFAULT_PORTS:
            raise FetchError("bad_url", f"only http and https URLs are fetched, not {parsed.scheme!r}", url=text)
        if parsed.userinfo:
            raise FetchError("bad_url", "URLs with credentials are not fetched", url=text)
        host = parsed.raw_host.decode("ascii").lower()
        if not host:
            raise FetchError("bad_url", "URL has no host", url=text)
        port = parsed.port or _DEFAULT_PORTS[parsed.scheme]
        if port not in self.policy.allowed_ports:
            raise BlockedDestination(f"port {port} is not allowed", url=text)
        return _Target(parsed, parsed.scheme, host, port, _literal_address(host))

    async def _checked_addresses(self, target: _Target) -> tuple[str, ...]:
        """Resolve once (unless literal) and check every answer; the result is what we may connect to."""
        if target.literal is not None:
            addresses: list[Address] = [target.literal]
        else:
            try:
                addresses = [ipaddress.ip_address(a) for a in await self.resolver.addresses(target.host)]
            except ResolutionError as exc:
                raise FetchError("connect", str(exc), url=str(target.url)) from None
        for address in addresses:
            if not self.policy.allows(address):
                reason = address_block_reason(address) or "not allowed"
                raise BlockedDestination(f"{target.host} -> {address} is {reason}", url=str(target.url))
        return tuple(str(a) for a in addresses)

    async def _check_proxied(self, target: _Target) -> None:
        """Before a target goes to a proxy: every address its name has here must be allowed. The proxy resolves
        the name again (nothing here can pin its connection); a name unknown here is the proxy's to resolve."""
        try:
            await self._checked_addresses(target)
        except BlockedDestination:
            raise
        except FetchError:
            pass  # did not resolve here (a literal always "resolves" to itself)

    def _client(self, proxy: str | None) -> httpx.AsyncClient:
        key = proxy or ""
        client = self._clients.get(key)
        if client is None:
            default_headers = {"User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip, deflate"}
            if proxy is None:
                client = httpx.AsyncClient(
                    transport=_PinnedTransport(self._ssl_context, self._limits),
                    headers=default_headers,
                    cookies=_no_cookies(),
                    trust_env=False,
                    follow_redirects=False,
                )
            else:
                try:
                    client = httpx.AsyncClient(
                        proxy=self._proxy_settings(proxy),
                        verify=self._ssl_context,
                        limits=self._limits,
                        headers=default_headers,
                        cookies=_no_cookies(),
                        trust_env=False,
                        follow_redirects=False,
                    )
                except (ImportError, ValueError, RuntimeError, httpx.InvalidURL) as exc:
                    raise FetchError("connect", f"unusable proxy {proxy!r}: {exc}") from None
            self._clients[key] = client
        return client

    def _proxy_settings(self, proxy: str) -> httpx.Proxy:
        """An https:// proxy is verified with the same trust store as targets (egress proxies often use a corporate CA)."""
        if proxy.lower().startswith("https://"):
            return httpx.Proxy(proxy, ssl_context=self._ssl_context)
        return httpx.Proxy(proxy)

    async def _send(
        self, target: _Target, method: str, headers: httpx.Headers, content: bytes | None, deadline: float
    ) -> httpx.Response:
        proxy = self._proxies.proxy_for(target.scheme, target.host, target.port)
        pins: dict[str, tuple[str, ...]] | None = None
        if proxy is None:
            pins = {target.host: await self._checked_addresses(target)}
        else:
            await self._check_proxied(target)
        client = self._client(proxy)
        remaining = max(deadline - time.monotonic(), 0.001)
        token = _PINS.set(pins)
        try:
            request = client.build_request(
                method, target.url, headers=headers, content=content, timeout=httpx.Timeout(remaining)
            )
            return await client.send(request, stream=True)
        except Exception as exc:
            mapped = self._map(exc, target)
            if mapped is None:
                raise
            raise mapped from exc
        finally:
            _PINS.reset(token)

    @staticmethod
    def _map(exc: Exception, target: _Target) -> FetchError | None:
        """The :class:`FetchError` for a transport-level exception, ``None`` for anything else."""
        if isinstance(exc, FetchError):
            return exc
        reason = _reason_for(exc)
        if reason is None:
            return None
        return FetchError(reason, f"{target.url}: {type(exc).__name__}: {exc}", url=str(target.url))

    async def _read_body(self, response: httpx.Response, limit: int, target: _Target) -> tuple[bytes, bool]:
        encoding = response.headers.get("content-encoding", "").strip().lower()
        inflater = _Inflater(encoding) if encoding in ("gzip", "x-gzip", "deflate") else None
        body = bytearray()
        try:
            async for raw in response.aiter_raw():
                body += inflater.feed(raw, limit - len(body) + 1) if inflater is not None else raw
                if len(body) > limit:
                    del body[limit:]
                    return bytes(body), True
        except Exception as exc:
            mapped = self._map(exc, target)
            if mapped is None:
                raise
            raise mapped from exc
        return bytes(body), False

    async def _fetch(
        self,
        url: str,
        method: str,
        headers: Mapping[str, str] | None,
        content: bytes | None,
        limit: int,
        deadline: float,
        follow_redirects: bool,
    ) -> FetchResult:
        target = self._target(url)
        hop_headers = httpx.Headers({k: v for k, v in (headers or {}).items() if k.lower() not in _STRIP_ON_REQUEST})
        redirects: list[str] = []
        while True:
            response = await self._send(target, method, hop_headers, content, deadline)
            try:
                location = response.headers.get("location", "").strip()
                if follow_redirects and response.status_code in _REDIRECT_STATUSES and location:
                    if len(redirects) >= self.policy.max_redirects:
                        raise FetchError(
                            "too_many_redirects",
                            f"more than {self.policy.max_redirects} redirects",
                            url=str(target.url),
                        )
                    try:
                        next_url = target.url.join(location)
                    except (httpx.InvalidURL, ValueError) as exc:
                        raise FetchError("bad_url", f"bad redirect location {location!r}: {exc}", url=url) from None
                    next_target = self._target(next_url)
                    redirects.append(str(target.url))
                    status = response.status_code
                    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
                        method, content = "GET", None
                        for name in _STRIP_ON_METHOD_CHANGE:
                            hop_headers.pop(name, None)
                    if next_target.origin != target.origin:
                        for name in _STRIP_ON_ORIGIN_CHANGE:
                            hop_headers.pop(name, None)
                    target = next_target
                    continue
                body, truncated = await self._read_body(response, limit, target)
                merged: dict[str, str] = {}
                for name, value in response.headers.multi_items():
                    key = name.lower()
                    merged[key] = f"{merged[key]}\n{value}" if key in merged else value
                return FetchResult(
                    url=url,
                    final_url=str(target.url),
                    status=response.status_code,
                    headers=merged,
                    content=body,
                    truncated=truncated,
                    redirects=redirects,
                )
            finally:
                with contextlib.suppress(Exception):  # closing a broken stream must not mask the outcome
                    await response.aclose()
