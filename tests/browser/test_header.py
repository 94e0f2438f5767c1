"""The header in Chromium: one row on a desktop for a manager with every navigation
item, a compact bar with a Menu on a phone (with and without JavaScript), a search
placeholder that is not cut off, and a language that switches with one click."""

import pytest
from playwright.sync_api import expect

from core.languages import user_language

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

NAV = {
    "en": [
        "Customers",
        "Sales orders",
        "Invoices",
        "Shipments",
        "Failed communications",
        "Possible duplicates",
    ],
    "nl": [
        "Klanten",
        "Verkooporders",
        "Facturen",
        "Zendingen",
        "Mislukte berichten",
        "Mogelijke dubbelen",
    ],
}
WORDS = {
    "en": {"main": "Main", "menu": "Menu", "other": "Nederlands", "other_code": "nl"},
    "nl": {"main": "Hoofdmenu", "menu": "Menu", "other": "English", "other_code": "en"},
}

# The placeholder's text against the room inside the search field, both in pixels.
PLACEHOLDER_ROOM = """() => {
  const field = document.querySelector('#site-search-q');
  const style = getComputedStyle(field);
  const canvas = document.createElement('canvas').getContext('2d');
  canvas.font = style.font;
  return [
    canvas.measureText(field.placeholder).width,
    field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
  ];
}"""


@pytest.fixture(params=["en", "nl"])
def language(request):
    return request.param


def signed_in_page(chromium, live_server, language, *, width, javascript=True):
    context = chromium.new_context(
        base_url=live_server.url,
        locale="nl-NL" if language == "nl" else "en-GB",
        viewport={"width": width, "height": 800},
        java_script_enabled=javascript,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("manager")
    page.locator("#id_password").fill("secret-password")
    page.locator("form[action] button[type=submit]").last.click()
    page.wait_for_url("**/customers/")
    return page


def header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def assert_placeholder_fits(page):
    text, room = page.evaluate(PLACEHOLDER_ROOM)
    assert text <= room, f"the placeholder needs {text:.0f} px, has {room:.0f}"


def test_the_header_is_one_row_at_1280_for_a_manager(
    chromium, live_server, manager, language
):
    page = signed_in_page(chromium, live_server, language, width=1280)
    nav = page.get_by_role("navigation", name=WORDS[language]["main"])
    links = nav.get_by_role("link")
    expect(links).to_have_text(NAV[language])
    tops = {round(box["y"]) for box in (link.bounding_box() for link in links.all())}
    assert len(tops) == 1, "the navigation wraps"
    search = page.locator("#site-search-q")
    menu = page.locator(".header-menu summary")
    # Brand, navigation, search and the user's menu share the one row.
    assert abs(search.bounding_box()["y"] - menu.bounding_box()["y"]) < 10
    assert header_height(page) < 60
    assert_placeholder_fits(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.context.close()


@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("javascript", [True, False])
def test_a_phone_has_a_compact_bar_whose_menu_holds_the_navigation(
    chromium, live_server, manager, language, width, javascript
):
    page = signed_in_page(
        chromium, live_server, language, width=width, javascript=javascript
    )
    words = WORDS[language]
    assert header_height(page) < 100
    assert_placeholder_fits(page)
    expect(page.get_by_role("navigation", name=words["main"])).to_be_hidden()

    page.get_by_text(words["menu"], exact=True).click()
    nav = page.get_by_role("navigation", name=words["main"])
    expect(nav.get_by_role("link")).to_have_text(NAV[language])
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    nav.get_by_role("link", name=NAV[language][1]).click()
    page.wait_for_url("**/sales/orders/")
    expect(page.get_by_role("heading", level=1)).to_have_text(NAV[language][1])
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_choosing_a_language_switches_at_once(
    chromium, live_server, manager, language, javascript
):
    page = signed_in_page(
        chromium, live_server, language, width=1280, javascript=javascript
    )
    words = WORDS[language]
    page.locator(".header-menu summary").click()
    menu = page.locator(".header-menu-panel")
    # One button per language and nothing more to press.
    expect(menu.get_by_role("button", name="English")).to_be_visible()
    expect(menu.get_by_role("button", name="Change")).to_have_count(0)
    expect(menu.get_by_role("button", name="Wijzigen")).to_have_count(0)
    current = "English" if language == "en" else "Nederlands"
    expect(menu.get_by_role("button", name=current)).to_have_attribute(
        "aria-pressed", "true"
    )

    menu.get_by_role("button", name=words["other"]).click()
    page.wait_for_url("**/customers/")
    expect(page.locator("html")).to_have_attribute("lang", words["other_code"])
    assert user_language(manager) == words["other_code"]
    page.context.close()


def test_the_menu_closes_on_escape_and_on_a_click_elsewhere(
    chromium, live_server, manager
):
    page = signed_in_page(chromium, live_server, "en", width=360)
    menu = page.locator("details.header-menu")
    page.get_by_text("Menu", exact=True).click()
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(page.locator("details.header-menu summary")).to_be_focused()
    page.get_by_text("Menu", exact=True).click()
    page.mouse.click(10, 790)
    expect(menu).not_to_have_attribute("open", "")
    page.context.close()
