"""The PDF renderer: Thai text in the vendored font, and no address fetched but static files."""

from __future__ import annotations

import socket
import subprocess
import threading
from pathlib import Path

import pytest

from tidtam.lib.pdf import BASE_URL, render_pdf, static_file_for

FONT_FACE = """
<style>
@font-face { font-family: "Tidtam Print"; src: url(/static/fonts/print/Sarabun-Regular.ttf); }
body { font-family: "Tidtam Print"; font-size: 16pt; }
</style>
"""


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_fonts(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout


def test_thai_text_is_set_in_the_vendored_font_and_extracts_intact(tmp_path):
    pdf = render_pdf(
        f"<html><head>{FONT_FACE}</head><body><p>โครงการปรับปรุงถนน ๒๕๖๘ Road</p></body></html>"
    )

    assert pdf.startswith(b"%PDF")
    assert "โครงการปรับปรุงถนน ๒๕๖๘ Road" in pdf_text(pdf, tmp_path)
    # The one font of the PDF, embedded: the vendored one named in @font-face, no fallback.
    fonts = pdf_fonts(pdf, tmp_path).splitlines()[2:]
    assert len(fonts) == 1
    assert "Tidtam-Print" in fonts[0]
    assert fonts[0].split()[-5:-2] == ["yes", "yes", "yes"]


def test_static_addresses_map_onto_static_files_only():
    assert static_file_for(BASE_URL + "static/fonts/print/Sarabun-Regular.ttf") is not None
    assert static_file_for(BASE_URL + "static/css/tidtam.css") is not None
    assert static_file_for(BASE_URL + "static/../tidtam/settings.py") is None
    assert static_file_for(BASE_URL + "static/%2E%2E/tidtam/settings.py") is None
    assert static_file_for(BASE_URL + "static/no-such-file.css") is None
    assert static_file_for(BASE_URL + "media/anything.png") is None
    assert static_file_for("https://example.com/static/css/tidtam.css") is None
    assert static_file_for("file:///etc/passwd") is None


@pytest.fixture
def listener():
    """A loopback socket that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    connections: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            connections.append(connection)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join()
    server.close()


def test_addresses_in_user_text_never_become_requests(tmp_path, listener):
    port, connections = listener
    secret = tmp_path / "secret.txt"
    secret.write_text("DO-NOT-EMBED")
    html = f"""<html><head>{FONT_FACE}
    <link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">
    <style>@import url("http://127.0.0.1:{port}/imported.css");</style></head><body>
    <img src="http://127.0.0.1:{port}/image.png" alt="">
    <img src="file://{secret}" alt="">
    <object data="file://{secret}"></object>
    <a href="http://127.0.0.1:{port}/link">ลิงก์</a>
    <p style="background: url('http://127.0.0.1:{port}/bg.png')">ข้อความ</p>
    <iframe src="http://127.0.0.1:{port}/frame"></iframe>
    <embed src="file://{secret}" type="text/plain">
    <img src="/static/../../../{secret}" alt="">
    </body></html>"""

    pdf = render_pdf(html)

    assert connections == []
    assert b"DO-NOT-EMBED" not in pdf
    assert "ข้อความ" in pdf_text(pdf, tmp_path)
