"""Filters that format values for the page."""

import pytest

from core.templatetags.formatting import wrappable


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("anna.peeters@fjord.example", "anna<wbr>.peeters<wbr>@fjord<wbr>.example"),
        ("https://fjord.example/", "https:/<wbr>/<wbr>fjord<wbr>.example/"),
        ("<b>@x", "&lt;b&gt;<wbr>@x"),
        ("", ""),
    ],
)
def test_a_long_address_may_break_before_its_periods_and_at_sign(value, shown):
    assert wrappable(value) == shown
