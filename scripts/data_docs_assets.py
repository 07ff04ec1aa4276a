"""Data Docs that open offline: GX's stylesheets, scripts and fonts served locally.

GX 1.x writes Data Docs whose every stylesheet and script comes from a CDN
(jsdelivr, cdnjs, unpkg, the Bootstrap CDN) and whose logo comes from S3, so
the report of a CI gate is blank on a machine without the internet. The
same files are npm packages:

    audience-segments data-docs-assets [--dest DIR]

downloads them once from the npm registry (pinned versions, each tarball
checked against its pinned sha512), and the gate copies them beside the
Data Docs it builds and points every page at them (`localise`). `make`
runs the download when it installs the project.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import os
import re
import shutil
import sys
import tarfile
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
DEFAULT_DEST = Path(sys.prefix) / "share" / "audience-segments" / "data-docs-assets"
VENDOR = Path("static") / "vendor"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # npm's sha512 of the tarball, pinned here
    files: tuple[str, ...]  # paths inside the package; a trailing / takes a folder

    @property
    def folder(self) -> str:
        return f"{self.name.replace('/', '__')}@{self.version}"

    @property
    def tarball(self) -> str:
        return f"{REGISTRY}/{self.name}/-/{self.name.split('/')[-1]}-{self.version}.tgz"


PACKAGES = (
    Package(
        "jquery",
        "3.7.1",
        "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        ("dist/jquery.min.js",),
    ),
    Package(
        "bootstrap",
        "4.3.1",
        "sha512-rXqOmH1VilAt2DyPzluTi2blhk17bO7ef+zLLPlWvG494pDxcM234pJ8wTc/6R40UWizAIIMgxjvxZg5kmsbag==",
        ("dist/css/bootstrap.min.css", "dist/js/bootstrap.min.js"),
    ),
    Package(
        "popper.js",
        "1.12.9",
        "sha512-s0EEi9xiSCdqz9lV4IiVH5yIZnDX/U1t0tCjB+0jXx9jW8lrR7kOpVupiUg175ogqVoudpDXHF1p6dKATCHMeg==",
        ("dist/umd/popper.min.js",),
    ),
    Package(
        "bootstrap-table",
        "1.19.1",
        "sha512-WvV+l1AI/C+zThaKmfHmi/IuayVNB0qdFyEhFx1jyZhO0oLtNJNANkCR3rvJf6Dkh72dsLElxpE/bzK9seEQLA==",
        (
            "dist/bootstrap-table.min.css",
            "dist/bootstrap-table.min.js",
            "dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
            "dist/extensions/filter-control/bootstrap-table-filter-control.css",
            "dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
        ),
    ),
    Package(
        "bootstrap-datepicker",
        "1.9.0",
        "sha512-9rYYbaVOheGYxjOr/+bJCmRPihfy+LkLSg4fIFMT9Od8WwWB/MB50w0JO1eBgKUMbb7PFHQD5uAfI3ArAxZRXA==",
        ("dist/css/bootstrap-datepicker.min.css", "dist/js/bootstrap-datepicker.min.js"),
    ),
    # The stylesheet loads its fonts from ../webfonts/.
    Package(
        "@fortawesome/fontawesome-free",
        "6.6.0",
        "sha512-60G28ke/sXdtS9KZCpZSHHkCbdsOGEhIUGlwq6yhY74UpTiToIh8np7A8yphhM4BWsvNFtIvLpi4co+h9Mr9Ow==",
        ("css/all.min.css", "webfonts/"),
    ),
    Package(
        "@forevolve/bootstrap-dark",
        "1.1.0",
        "sha512-A3ucpEpxPoTVO490lZZCfjPXxv832l7mm1IxX3bXyxvgwnPGXDLyh7dWrphXKO8YBAu3EswbBEu3VSW8NRMW3A==",
        ("dist/css/bootstrap-prefers-dark.css",),
    ),
    # GX asks for the latest 5.x / 6.x; these were the latest on 2026-12-02.
    Package(
        "vega",
        "5.33.1",
        "sha512-1fArfVDUqVbb5z8n+/nVQb+VNBzx8svY6CrsyTK4Ujm4yrd9I1auoKxBAPXLCavY1LcrbHUskQbGUP8gXOzyQw==",
        ("build/vega.min.js",),
    ),
    Package(
        "vega-lite",
        "5.23.0",
        "sha512-l4J6+AWE3DIjvovEoHl2LdtCUkfm4zs8Xxx7INwZEAv+XVb6kR6vIN1gt3t2gN2gs/y4DYTs/RPoTeYAuEg6mA==",
        ("build/vega-lite.min.js",),
    ),
    Package(
        "vega-embed",
        "6.29.0",
        "sha512-PmlshTLtLFLgWtF/b23T1OwX53AugJ9RZ3qPE2c01VFAbgt3/GSNI/etzA/GzdrkceXFma+FDHNXUppKuM0U6Q==",
        ("build/vega-embed.min.js",),
    ),
)
_BY_NAME = {package.name: package for package in PACKAGES}

# Each URL GX writes -> (package, file). The filter-control stylesheet is
# linked from 1.19.0 while its script is 1.19.1: one package serves both.
URLS: dict[str, tuple[str, str]] = {
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery", "dist/jquery.min.js"),
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        "bootstrap", "dist/css/bootstrap.min.css"),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": ("bootstrap", "dist/js/bootstrap.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (
        "popper.js", "dist/umd/popper.min.js"),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table", "dist/bootstrap-table.min.css"),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "bootstrap-table", "dist/bootstrap-table.min.js"),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (
        "bootstrap-table", "dist/extensions/filter-control/bootstrap-table-filter-control.min.js"),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": (
        "bootstrap-table", "dist/extensions/filter-control/bootstrap-table-filter-control.css"),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (
        "bootstrap-table", "dist/extensions/filter-control/bootstrap-table-filter-control.min.css"),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker", "dist/css/bootstrap-datepicker.min.css"),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker", "dist/js/bootstrap-datepicker.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "@fortawesome/fontawesome-free", "css/all.min.css"),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "@forevolve/bootstrap-dark", "dist/css/bootstrap-prefers-dark.css"),
    "https://cdn.jsdelivr.net/npm/vega@5": ("vega", "build/vega.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-lite@5": ("vega-lite", "build/vega-lite.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-embed@6": ("vega-embed", "build/vega-embed.min.js"),
}
# GX's logo, fetched from S3 with a tracking query string; the site ships the same image.
_LOGO = re.compile(r"https://great-expectations-web-assets\.s3[^\"']*/logo-long\.png[^\"']*")
LOCAL_LOGO = Path("static") / "images" / "logo-long.png"
# What a page loads (not what it links to: an <a href> is never requested).
_LOADED = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)=[\"'](https?://[^\"']+)", re.I)


class AssetsMissing(Exception):
    """The assets are not installed where the gate looks for them."""


# --------------------------------------------------------------------------- install


def _download(package: Package) -> bytes:
    with urllib.request.urlopen(package.tarball, timeout=60) as response:
        data: bytes = response.read()
    found = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if found != package.integrity:
        raise RuntimeError(f"{package.tarball}: sha512 {found} is not the pinned {package.integrity}")
    return data


def _wanted(package: Package, member: str) -> bool:
    inside = member.removeprefix("package/")
    return any(inside == f or (f.endswith("/") and inside.startswith(f)) for f in package.files)


def install(dest: Path) -> list[Path]:
    """Download and unpack every package's files under dest/<name>@<version>/."""
    written = []
    for package in PACKAGES:
        with tarfile.open(fileobj=io.BytesIO(_download(package)), mode="r:gz") as archive:
            for member in archive.getmembers():
                if not member.isfile() or not _wanted(package, member.name):
                    continue
                target = dest / package.folder / member.name.removeprefix("package/")
                target.parent.mkdir(parents=True, exist_ok=True)
                extracted = archive.extractfile(member)
                assert extracted is not None, member.name
                target.write_bytes(extracted.read())
                written.append(target)
    return written


def is_installed(dest: Path) -> bool:
    return all((dest / _BY_NAME[name].folder / path).is_file() for name, path in URLS.values())


# --------------------------------------------------------------------------- localise


def _relative(target: Path, page: Path) -> str:
    return Path(os.path.relpath(target, page.parent)).as_posix()


def localise(site: Path, assets: Path = DEFAULT_DEST) -> list[str]:
    """Copy the assets into the site and point every page at them.

    Returns what pages still load from the network (none, unless GX
    changes its templates: then the caller says so).
    """
    if not is_installed(assets):
        raise AssetsMissing(
            f"Data Docs assets are not installed in {assets} (run: audience-segments data-docs-assets)"
        )
    shutil.copytree(assets, site / VENDOR, dirs_exist_ok=True)
    remaining: set[str] = set()
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for url, (name, path) in URLS.items():
            html = html.replace(f'"{url}"', f'"{_relative(site / VENDOR / _BY_NAME[name].folder / path, page)}"')
        html = _LOGO.sub(_relative(site / LOCAL_LOGO, page), html)
        page.write_text(html, encoding="utf-8")
        remaining.update(_LOADED.findall(html))
    return sorted(remaining)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="audience-segments data-docs-assets", description=__doc__.split("\n")[0])
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST, help=f"where to install (default: {DEFAULT_DEST})")
    parser.add_argument("--force", action="store_true", help="download again even when installed")
    args = parser.parse_args(argv)
    if is_installed(args.dest) and not args.force:
        print(f"Data Docs assets already installed in {args.dest}")
        return 0
    written = install(args.dest)
    print(f"Data Docs assets: {len(written)} files from {len(PACKAGES)} npm packages in {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
