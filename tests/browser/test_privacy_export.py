"""A subject access export in a real browser: the school admin (the school's data
protection lead) goes from the menu to Data protection, finds the pupil, makes an export,
waits for it to be ready, downloads it once, and opens the ZIP's report, which reads as
a page of its own (its stylesheet beside it, no script). Every page is checked by axe and
must log no console error."""

import re
import threading
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from privacy.models import SubjectAccessExport
from tests.browser.helpers import follow_menu, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_lead_makes_and_downloads_a_pupils_export(
    world, new_page, live_server, check_accessibility, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = log_in_as(new_page(), live_server, world.school_admin)
    page.goto(live_server.url)
    follow_menu(page, "Data protection")
    page.get_by_label(re.compile("Name, UPN")).fill("Amara")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Amara Okafor").click()

    panel = page.get_by_role("region", name="Subject access exports")
    expect(panel).to_contain_text("No export has been made about this person.")
    check_accessibility(page)
    panel.get_by_role("button", name="Make a subject access export").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Subject access export: Amara Okafor")
    expect(page.get_by_text("Ready to download")).to_be_visible()
    check_accessibility(page)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()
    download = download_info.value
    assert re.fullmatch(
        r"subject-access-amara-okafor-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename
    )
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    export = SubjectAccessExport.objects.get()
    assert export.status == SubjectAccessExport.Status.DOWNLOADED
    assert export.downloaded_by == world.school_admin

    folder = tmp_path / "export"
    with zipfile.ZipFile(saved) as archive:
        archive.extractall(folder)
    # Served as plain files, as any folder of them would be (axe reads the stylesheet,
    # which a file:// page may not fetch).
    handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    report = new_page()
    report.goto(f"http://127.0.0.1:{server.server_port}/report.html")
    expect(report.get_by_role("heading", level=1)).to_have_text(
        "Everything Test Academy holds about Amara Okafor"
    )
    contents = report.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name="Classes").click()
    expect(report.get_by_role("heading", name="Classes")).to_be_visible()
    expect(report.locator("#pupil_classes")).to_contain_text("7x/Ma1")
    # report.css was found beside it: the headings take its colour rule.
    border = report.locator("h2").first.evaluate("h => getComputedStyle(h).borderBottomStyle")
    assert border == "solid"
    assert report.locator("script").count() == 0
    check_accessibility(report)
    server.shutdown()
    server.server_close()

    # Downloaded once: the page now says by whom, and offers no second download.
    page.reload()
    expect(page.get_by_text(re.compile("Downloaded by"))).to_be_visible()
    expect(page.get_by_role("button", name="Download")).to_have_count(0)
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Subject access exports"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Subject access exports: Test Academy"
    )
    expect(page.get_by_role("table")).to_contain_text("Amara Okafor")
    check_accessibility(page)
