import pytest
from django.test import Client


@pytest.mark.django_db
def test_pages_are_thai_even_when_the_browser_asks_for_english(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "th"
    assert "หน้าแรก" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_keeps_english_for_the_reader(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/projects/"})
    assert response.status_code == 302 and response["Location"] == "/projects/"
    page = client.get("/")
    assert page["Content-Language"] == "en"
    assert "The city's projects" in page.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_thai(client: Client) -> None:
    client.cookies["django_language"] = "xx"
    assert client.get("/")["Content-Language"] == "th"
