from core.phones import format_phone_number
from core.templatetags.formatting import phone


def test_the_phone_filter_shows_the_international_format():
    assert phone("+31612345678") == "+31 6 12345678"
    assert phone("+12015550101") == "+1 201-555-0101"
    assert phone("") == ""


def test_a_value_that_is_not_a_valid_number_is_shown_as_stored():
    assert format_phone_number("+3161234") == "+3161234"
    assert format_phone_number("not a number") == "not a number"
