"""The web UI in a real headless Chromium (Debian's ``chromium`` driven by playwright), on the
demo's store, with every request that would leave 127.0.0.1 refused and reported.

Screenshots are kept under ``build/screenshots/`` (ignored by git). Without a chromium binary
the tests skip, saying why; under CI=true a missing browser is a failure (``.ci/run`` installs
Debian's chromium).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
CHROMIUM_NAMES = ("chromium", "chromium-browser")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run; .ci/run installs chromium)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    """Debian's chromium binary ($DATAJOURNEY_CHROMIUM, else chromium on the PATH)."""
    given = os.environ.get("DATAJOURNEY_CHROMIUM")
    if given:
        return given if Path(given).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install playwright)")
    executable = chromium_path()
    if executable is None:
        _unavailable("no chromium binary: apt-get install chromium (or set DATAJOURNEY_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(demo) -> Iterator[str]:
    from datajourney.server.running import running

    with running(demo["url"], read_only=True) as url:
        yield url


@pytest.fixture
def page(browser, site):
    """A page whose requests may only go to the test server; ``page.left`` lists the others."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    opened = context.new_page()
    opened.left = []
    opened.errors = []

    def only_local(route) -> None:
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            opened.left.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    opened.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    yield opened
    context.close()


def shot(page, name: str, full: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    return path


def drawn_nodes(page) -> list[str]:
    return page.eval_on_selector_all("#lineage-svg .node", "els => els.map(e => e.dataset.key)")


def test_anomalies_lineage_raw_data_and_statistics(page, site, demo) -> None:
    anomalies = demo["anomalies_id"]
    # The overview, then the anomalies artifact from the artifact list.
    page.goto(site + "/")
    assert page.locator("h1").inner_text().startswith("Overview")
    shot(page, "home", full=True)
    page.goto(site + "/artifacts?type=ExampleAnomalies")
    page.click(f"#nodes a[href='/artifacts/{anomalies}']")
    assert page.locator("h1").inner_text().startswith(f"ExampleAnomalies #{anomalies}")
    shot(page, "artifact")
    page.click("#open-anomalies")
    assert page.locator("section.anomalies").count() >= 1
    assert "anomal" in page.locator("main").inner_text().lower()
    shot(page, "anomalies", full=True)

    # Its lineage: drawn as SVG around the artifact, a few events deep.
    page.click("#open-lineage")
    page.wait_for_selector("body[data-lineage-ready]")
    assert page.eval_on_selector("#lineage-svg", "s => s.getBoundingClientRect().width") > 400
    before = drawn_nodes(page)
    assert f"artifact:{anomalies}" in before
    assert not any(k.endswith("Examples") for k in before)
    shot(page, "lineage")

    # Expand a node at the edge of what was fetched: its neighbours appear.
    edge = page.locator("#lineage-svg .node:has(.more)").first
    expanded_key = edge.get_attribute("data-key")
    edge.dblclick()
    page.wait_for_function(
        f"document.querySelectorAll('#lineage-svg .node').length > {len(before)}"
    )
    after = drawn_nodes(page)
    assert set(before) < set(after)
    shot(page, "lineage-expanded")

    # Follow the path to the raw data: trace from the anomalies to the files it came from.
    page.click(f"#lineage-svg .node[data-key='artifact:{anomalies}']")
    page.click("#panel-trace")
    page.wait_for_selector("#panel a.source")
    sources = page.locator("#panel a.source")
    # The raw files are kept in the lake: their LakeEntry artifacts start the journey.
    raw = [i for i in range(sources.count()) if "LakeEntry" in sources.nth(i).inner_text()]
    assert raw, "the trace lists the raw data among the sources"
    data_source = None
    for i in raw:
        item = sources.nth(i)
        if item.locator("xpath=..").inner_text().strip().endswith("train.csv"):
            data_source = item
    assert data_source is not None
    raw_key = data_source.get_attribute("data-key")
    data_source.click()
    highlighted = page.eval_on_selector_all(
        "#lineage-svg .node.hl", "els => els.map(e => e.dataset.key)"
    )
    assert raw_key in highlighted and f"artifact:{anomalies}" in highlighted
    # raw file -> lake -> warehouse -> ExampleGen -> examples -> StatisticsGen -> statistics
    # -> validator -> anomalies
    assert len(highlighted) >= 5
    assert page.locator("#lineage-svg .edge.hl").count() >= len(highlighted) - 1
    shot(page, "lineage-path")
    assert expanded_key in drawn_nodes(page)

    # The statistics on that path: histograms drawn, with a size.
    page.click("#lineage-svg .node.hl[data-type='ExampleStatistics']")
    with page.expect_navigation():
        page.click("#panel-statistics")
    charts = page.locator("#charts svg")
    assert charts.count() >= 10
    sizes = page.eval_on_selector_all(
        "#charts svg",
        "els => els.map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])",
    )
    assert all(w > 50 and h > 30 for w, h in sizes)
    bars = page.eval_on_selector_all(
        "#charts svg rect",
        "els => els.filter(e => e.getBBox().width > 0 && e.getBBox().height > 0).length",
    )
    assert bars >= 50
    legend = page.locator("#charts .legend").inner_text()
    assert "train" in legend and "serving" in legend  # two data sets overlaid
    shot(page, "statistics", full=True)
    page.evaluate("document.getElementById('charts').scrollIntoView()")
    shot(page, "statistics-charts")

    # Missing values are highlighted: the demo's eval split lacks some Elevation values.
    page.goto(page.url.split("?")[0] + "?split=eval&compare=train")
    flagged = page.locator(".stats-summary tr.missing").all_inner_texts()
    assert any(row.startswith("Elevation") for row in flagged)
    assert page.locator("#charts td.has-missing").count() >= 1
    shot(page, "statistics-missing")

    # The raw data's own record.
    page.goto(site + "/" + raw_key.replace(":", "s/"))
    assert page.locator("main").inner_text().rstrip().count("/data") >= 1

    assert page.left == [], f"requests left the machine: {page.left}"
    assert page.errors == []


def test_lists_filter_and_compare_runs(page, site) -> None:
    page.goto(site + "/executions")
    page.fill("input[name=filter]", "type = 'StatisticsGen'")
    with page.expect_navigation():
        page.click("form.filter button[type=submit]")
    rows = page.locator("#nodes tr").count() - 1
    assert rows == 2
    assert "StatisticsGen" in page.locator("#nodes").inner_text()
    shot(page, "runs-filtered")
    ids = page.eval_on_selector_all(
        "#nodes td:first-child a", "els => els.map(e => e.textContent.slice(1))"
    )
    page.goto(f"{site}/diff?a={ids[0]}&b={ids[1]}")
    text = page.locator("main").inner_text()
    assert "Parameters" in text and "Outputs" in text
    shot(page, "compare", full=True)
    assert page.left == [] and page.errors == []


def test_audit_page_lists_the_demos_writes_and_filters(page, site) -> None:
    # The demo's lake ingestions and warehouse loads asked the access layer: their writes are
    # in the audit log even with no policy in force.
    page.goto(site + "/audit")
    rows = page.locator("table.audit tr").count() - 1
    assert rows >= 2
    assert "allowed" in page.locator("table.audit").inner_text()
    shot(page, "audit")
    page.select_option("select[name=outcome]", "denied")
    with page.expect_navigation():
        page.click("form.filter button[type=submit]")
    assert "No audit entries match these filters" in page.locator("main").inner_text()
    assert page.left == [] and page.errors == []


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Iterator[dict]:
    """A store with a 300-step chain and one data set read by 400 runs (1,401 nodes)."""
    import datajourney as dj
    from datajourney.server.running import running

    path = tmp_path_factory.mktemp("big") / "big.sqlite"
    store = dj.MetadataStore(f"sqlite:///{path}")
    data = store.put_type(dj.ArtifactType(name="DataSet"))
    step = store.put_type(dj.ExecutionType(name="Step"))

    def run(source: dj.Artifact, uri: str) -> dj.Artifact:
        out = dj.Artifact(type_id=data, uri=uri)
        _, ids, _ = store.put_execution(
            dj.Execution(type_id=step),
            [
                (source, dj.Event(type=dj.EventType.INPUT)),
                (out, dj.Event(type=dj.EventType.OUTPUT)),
            ],
            [],
        )
        out.id = ids[1]
        return out

    [first] = store.put([dj.Artifact(type_id=data, uri="/raw/start")])
    last = store.get_artifacts(ids=[first])[0]
    for i in range(300):
        last = run(last, f"/chain/{i}")
    [shared] = store.put([dj.Artifact(type_id=data, uri="/raw/shared")])
    shared_artifact = store.get_artifacts(ids=[shared])[0]
    for i in range(400):
        run(shared_artifact, f"/fan/{i}")
    store.close()
    with running(f"sqlite:///{path}", read_only=True) as url:
        yield {"url": url, "chain_end": last.id, "shared": shared}


def test_long_chains_and_wide_fans_stay_readable(page, big_site) -> None:
    site = big_site["url"]
    page.goto(f"{site}/lineage/artifact/{big_site['chain_end']}?depth=all")
    page.wait_for_selector("body[data-lineage-ready]")
    assert page.evaluate("window.djLineage.state.nodes.size") == 601
    drawn = len(drawn_nodes(page))
    assert drawn <= 6  # start, the collapsed run, the end and its neighbours
    group = page.locator("#lineage-svg .node.chain")
    assert "more steps" in group.text_content()
    shot(page, "lineage-chain")
    group.click()
    page.wait_for_function(f"document.querySelectorAll('#lineage-svg .node').length > {drawn}")
    assert len(drawn_nodes(page)) == drawn + 16  # eight more at each end

    page.goto(f"{site}/lineage/artifact/{big_site['shared']}?depth=all&direction=downstream")
    page.wait_for_selector("body[data-lineage-ready]")
    assert page.evaluate("window.djLineage.state.nodes.size") == 801
    keys = drawn_nodes(page)
    assert len(keys) <= 30
    fan = page.locator("#lineage-svg .node.chain")
    assert fan.count() == 1 and "388 more" in fan.text_content()
    shot(page, "lineage-fan")
    fan.click()
    page.wait_for_function(f"document.querySelectorAll('#lineage-svg .node').length > {len(keys)}")
    assert "376 more" in page.locator("#lineage-svg .node.chain").text_content()
    assert page.left == [] and page.errors == []
