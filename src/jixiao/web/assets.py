"""Third-party browser assets, fetched from the npm registry at install time.

The dashboards draw their charts with Apache ECharts, served by the app itself
(no CDN at run time: township networks are often cut off from the internet, and
a page must not leak who reads it to a third party). The library is never
committed: ``python -m jixiao.web.assets`` (run by ``dev.sh``) downloads the
pinned npm tarball, checks it against the sha512 integrity published by the
registry and pinned here, and extracts the minified build and its licence into
``jixiao/web/static/vendor/echarts/``. When the files are already there with
the pinned hashes it does nothing, so it is cheap to run on every start.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "static" / "vendor"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # the registry's dist.integrity ("sha512-<base64>")
    # Member of the tarball → (file name under VENDOR/name, its sha256).
    files: dict[str, tuple[str, str]]

    @property
    def tarball(self) -> str:
        return f"https://registry.npmjs.org/{self.name}/-/{self.name}-{self.version}.tgz"

    @property
    def target(self) -> Path:
        return VENDOR / self.name


ECHARTS = Package(
    name="echarts",
    version="5.6.0",
    integrity=(
        "sha512-oTbVTsXfKuEhxftHqL5xprgLoc0k7uScAwtryCgWF6hPYFLRwOUHiFmHGCBKP5NPFNkDVopOieyUqYGH8Fa3kA=="
    ),
    files={
        "package/dist/echarts.min.js": (
            "echarts.min.js",
            "bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1",
        ),
        "package/LICENSE": (
            "LICENSE",
            "634293835b43a6dd2094fa39182a3d9a6b9ca43b7fdb9ac354e8037af2a3093a",
        ),
        "package/NOTICE": (
            "NOTICE",
            "fa99ac3af859d0e13166906dc53a73ad34a08898da7e8ae83407275496e9e30c",
        ),
    },
)

PACKAGES = (ECHARTS,)


class AssetError(Exception):
    """A download that failed or does not match its pinned hash."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_installed(package: Package) -> bool:
    """Every file of the package is in place with its pinned hash."""
    for name, digest in package.files.values():
        path = package.target / name
        if not path.is_file() or _sha256(path) != digest:
            return False
    return True


def verify_integrity(data: bytes, integrity: str) -> None:
    """Check a tarball against an npm ``dist.integrity`` string (sha512 only)."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise AssetError(f"unsupported integrity algorithm {algorithm!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual != expected:
        raise AssetError(f"integrity mismatch: expected sha512-{expected}, got sha512-{actual}")


def extract(package: Package, data: bytes) -> None:
    """Write the package's pinned files from the (verified) tarball, each atomically."""
    package.target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member_name, (name, digest) in package.files.items():
            member = archive.extractfile(member_name)
            if member is None:
                raise AssetError(f"{member_name} is missing from {package.tarball}")
            content = member.read()
            if hashlib.sha256(content).hexdigest() != digest:
                raise AssetError(f"{member_name}: sha256 does not match the pinned value")
            # Written under a temporary name and renamed: a reader never sees half a file.
            path = package.target / name
            partial = path.with_name(path.name + ".part")
            partial.write_bytes(content)
            os.replace(partial, path)


def download(url: str, timeout: float = 120) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "jixiao-assets"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except OSError as exc:
        raise AssetError(f"cannot download {url}: {exc}") from exc


def ensure(package: Package) -> bool:
    """Install the package's files unless present; True when something was fetched."""
    if is_installed(package):
        return False
    data = download(package.tarball)
    verify_integrity(data, package.integrity)
    extract(package, data)
    return True


def main() -> int:
    for package in PACKAGES:
        try:
            fetched = ensure(package)
        except AssetError as exc:
            print(f"jixiao.web.assets: {package.name} {package.version}: {exc}", file=sys.stderr)
            return 1
        if fetched:
            print(f"jixiao.web.assets: installed {package.name} {package.version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
