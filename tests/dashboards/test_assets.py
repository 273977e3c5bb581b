"""The ECharts fetcher: pinned integrity, idempotent, nothing written from a bad tarball.

The network is replaced by an in-memory tarball; the real pinned package is checked
by tests/web/test_dashboards.py, which needs it installed (dev.sh does that).
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile

import pytest

from jixiao.web import assets


def tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


JS = b"!function(){/* charts */}();"
LICENSE = b"Apache License 2.0"


@pytest.fixture
def fake(monkeypatch, tmp_path):
    data = tarball({"package/dist/lib.min.js": JS, "package/LICENSE": LICENSE, "package/x": b"no"})
    package = assets.Package(
        name="lib",
        version="1.0.0",
        integrity=integrity(data),
        files={
            "package/dist/lib.min.js": ("lib.min.js", hashlib.sha256(JS).hexdigest()),
            "package/LICENSE": ("LICENSE", hashlib.sha256(LICENSE).hexdigest()),
        },
    )
    calls: list[str] = []

    def download(url: str, timeout: float = 120) -> bytes:
        calls.append(url)
        return data

    monkeypatch.setattr(assets, "VENDOR", tmp_path / "vendor")
    monkeypatch.setattr(assets, "download", download)
    monkeypatch.setattr(assets, "PACKAGES", (package,))
    return package, calls


def test_installs_once_then_skips(fake) -> None:
    package, calls = fake
    assert assets.ensure(package) is True
    assert (package.target / "lib.min.js").read_bytes() == JS
    assert (package.target / "LICENSE").read_bytes() == LICENSE
    assert not (package.target / "x").exists()  # only the pinned files
    assert calls == ["https://registry.npmjs.org/lib/-/lib-1.0.0.tgz"]
    assert assets.ensure(package) is False and len(calls) == 1


def test_a_changed_file_is_fetched_again(fake) -> None:
    package, calls = fake
    assets.ensure(package)
    (package.target / "lib.min.js").write_bytes(b"tampered")
    assert assets.is_installed(package) is False
    assert assets.ensure(package) is True and len(calls) == 2
    assert (package.target / "lib.min.js").read_bytes() == JS


def test_integrity_mismatch_writes_nothing(fake, capsys) -> None:
    package, _calls = fake
    bad = assets.Package(package.name, package.version, integrity(b"something else"), package.files)
    with pytest.raises(assets.AssetError, match="integrity mismatch"):
        assets.ensure(bad)
    assert not package.target.exists()


def test_main_reports_a_failure_on_one_line(fake, monkeypatch, capsys) -> None:
    package, _calls = fake
    monkeypatch.setattr(
        assets, "PACKAGES", (assets.Package("lib", "1.0.0", "sha1-abc", package.files),)
    )
    assert assets.main() == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "unsupported integrity algorithm" in err


def test_main_prints_what_it_installed(fake, capsys) -> None:
    assert assets.main() == 0
    assert capsys.readouterr().out == "jixiao.web.assets: installed lib 1.0.0\n"
    assert assets.main() == 0
    assert capsys.readouterr().out == ""


def test_echarts_pin_is_the_registrys_sha512() -> None:
    assert assets.ECHARTS.integrity.startswith("sha512-")
    assert len(base64.b64decode(assets.ECHARTS.integrity.removeprefix("sha512-"))) == 64
    assert assets.ECHARTS.tarball == "https://registry.npmjs.org/echarts/-/echarts-5.6.0.tgz"
