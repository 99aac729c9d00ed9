"""Fetching release files from the hub, any HTTP(S) URL, a file:// URL or a local folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Protocol
from urllib.parse import urljoin, urlparse
from urllib.request import url2pathname

from kiosk.release.manifest import ReleaseError

CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 60.0
_CHUNK = 1 << 20


class FetchError(ReleaseError):
    """A release file could not be fetched (network, HTTP status, too large)."""


class Fetcher(Protocol):
    """Where release files come from (tests pass a folder; terminals the hub)."""

    def get(self, url: str, limit: int) -> bytes:
        """The whole resource, at most `limit` bytes."""
        ...

    def download(self, url: str, destination: Path, limit: int) -> None:
        """Save the resource to `destination`, at most `limit` bytes."""
        ...


def join(base: str, name: str) -> str:
    """`name` relative to the release location `base` (a folder URL or path)."""
    if _is_http(base):
        return urljoin(base if base.endswith("/") else base + "/", name)
    return str(_local(base) / name)


def _is_http(url: str) -> bool:
    return urlparse(url).scheme in ("http", "https")


def _local(url: str) -> Path:
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return Path(url2pathname(parsed.path))
    if parsed.scheme and len(parsed.scheme) > 1:
        raise FetchError(f"unsupported location {url!r} (https://, http://, file:// or a path)")
    return Path(url)


class UrlFetcher:
    """HTTP(S) with `requests` (timeouts on every call, size limits), file:// and local paths."""

    def __init__(
        self,
        *,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT_S, READ_TIMEOUT_S),
        headers: dict[str, str] | None = None,
    ) -> None:
        self._timeout = timeout
        self._headers = headers or {}

    def get(self, url: str, limit: int) -> bytes:
        """The whole resource, at most `limit` bytes."""
        if not _is_http(url):
            path = _local(url)
            try:
                with path.open("rb") as stream:
                    data = stream.read(limit + 1)
            except OSError as exc:
                raise FetchError(f"{path}: {exc.strerror}") from exc
            if len(data) > limit:
                raise FetchError(f"{url}: larger than {limit} bytes")
            return data
        chunks = bytearray()
        self._stream(url, limit, chunks.extend)
        return bytes(chunks)

    def download(self, url: str, destination: Path, limit: int) -> None:
        """Save the resource to `destination`, at most `limit` bytes."""
        if not _is_http(url):
            path = _local(url)
            try:
                if path.stat().st_size > limit:
                    raise FetchError(f"{url}: larger than {limit} bytes")
                shutil.copyfile(path, destination)
            except OSError as exc:
                raise FetchError(f"{path}: {exc.strerror}") from exc
            return
        with destination.open("wb") as out:
            self._stream(url, limit, out.write)

    def _stream(self, url: str, limit: int, sink: Callable[[bytes], object]) -> None:
        import requests  # noqa: PLC0415 (only updates need it)

        try:
            response = requests.get(url, timeout=self._timeout, headers=self._headers, stream=True)
        except requests.RequestException as exc:
            raise FetchError(f"{url}: {exc}") from exc
        with response:
            if response.status_code != 200:
                raise FetchError(f"{url}: HTTP {response.status_code}")
            size = 0
            try:
                for chunk in response.iter_content(_CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(f"{url}: larger than {limit} bytes")
                    sink(chunk)
            except requests.RequestException as exc:
                raise FetchError(f"{url}: {exc}") from exc
