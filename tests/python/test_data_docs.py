"""The gate's Data Docs open offline: in headless Chromium with the network
cut off (every request goes to a dead proxy), the pages request nothing
over http(s) and their scripts run (bootstrap-table lays out the tables).

`make test` installs Chromium from Debian's packages when it is missing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scripts.data_docs_assets import URLS, localise
from scripts.quality_gate import main
from tests.python.test_quality_gate import gx_project_copy, run_gate

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _chromium() -> str:
    # `make test` installs it; where it could not (no root, no Debian
    # mirror), the browser checks are reported as skipped, with the reason.
    if CHROMIUM is None:
        pytest.skip("chromium is not installed and `make test` could not install it (apt-get install chromium)")
    return CHROMIUM


def open_offline(page: Path, work_dir: Path) -> tuple[str, list[str]]:
    """(the DOM after the page's scripts ran, the http(s) URLs it requested)."""
    net_log = work_dir / f"{page.stem}.netlog.json"
    completed = subprocess.run(
        [
            _chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            f"--user-data-dir={work_dir / 'chromium-profile'}",
            # No network: every http(s) request goes to a port nothing listens on.
            "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            f"--log-net-log={net_log}", "--virtual-time-budget=10000", "--dump-dom", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout, page_requests(net_log)


def page_requests(net_log: Path) -> list[str]:
    """The http(s) URLs requested on behalf of a file:// page. Chromium
    itself still asks Google for updates, accounts and the time despite the
    flags; those requests belong to no page (another isolation key)."""
    log = json.loads(net_log.read_text())
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return sorted({
        str(event["params"]["url"])
        for event in log["events"]
        if event["type"] == start_job
        and str(event.get("params", {}).get("network_isolation_key", "")).startswith("file://")
        and str(event["params"].get("url", "")).startswith(("http://", "https://"))
    })


@pytest.fixture(scope="module")
def data_docs(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Data Docs of a gate run on the demo, as CI builds them."""
    work_dir = tmp_path_factory.mktemp("data_docs")
    docs = work_dir / "docs"
    code = main([
        "--database", str(demo_warehouse), "--gx-dir", str(gx_project_copy(work_dir)),
        "--output", str(work_dir / "result.json"), "--docs-dir", str(docs),
    ])
    assert code == 0
    return docs


def test_the_gate_says_its_data_docs_are_offline(
    demo_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_gate(demo_warehouse, tmp_path, capsys, "--docs-dir", str(tmp_path / "docs"))
    assert run.code == 0, run.report
    assert run.result["data_docs_offline"] is True, run.report
    assert "Data Docs still load" not in run.report and "not installed" not in run.report


def test_pages_request_nothing_from_the_network_and_their_scripts_run(data_docs: Path, tmp_path: Path) -> None:
    validation = next((data_docs / "validations").rglob("*.html"))
    for page in (data_docs / "index.html", validation):
        dom, requested = open_offline(page, tmp_path)
        assert requested == [], (page, requested)
        # bootstrap-table wraps every table it lays out: its script ran.
        assert 'class="bootstrap-table' in dom, (page, dom[:2000])


def test_without_the_assets_the_same_pages_would_need_the_network(data_docs: Path, tmp_path: Path) -> None:
    """The check above can fail: GX's own page, with its CDN links back,
    requests them and its scripts never run."""
    page = tmp_path / "index.html"
    html = (data_docs / "index.html").read_text()
    for url, (_, path) in URLS.items():
        html = re.sub(r'"[./]*static/vendor/[^"]*/' + re.escape(path) + '"', f'"{url}"', html)
    page.write_text(html)
    dom, requested = open_offline(page, tmp_path)
    assert "https://code.jquery.com/jquery-3.7.1.min.js" in requested
    assert 'class="bootstrap-table' not in dom


def test_missing_assets_are_named_and_do_not_fail_the_gate(
    demo_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_gate(demo_warehouse, tmp_path, capsys, "--docs-dir", str(tmp_path / "docs"),
                   "--docs-assets", str(tmp_path / "nothing"))
    assert run.code == 0, run.report
    assert run.result["data_docs_offline"] is False
    assert "Data Docs assets are not installed in" in run.report
    assert "audience-segments data-docs-assets" in run.report


def test_localise_leaves_no_cdn_url_in_any_page(data_docs: Path) -> None:
    pages = list(data_docs.rglob("*.html"))
    assert len(pages) > 2
    leftovers = [(page.name, url) for page in pages for url in URLS if url in page.read_text()]
    assert leftovers == []
    # Idempotent: a second pass finds nothing left to load from the network.
    assert localise(data_docs) == []
