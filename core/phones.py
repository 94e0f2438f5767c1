"""How a stored phone number is shown: one function for every page, the admin, the
Activity Log and emails."""

from phonenumber_field.phonenumber import PhoneNumber, to_python


def format_phone_number(value: str) -> str:
    """An E.164 number in international format: `+31 6 12345678`. A value that is
    not a valid number (old data) is shown as stored; an empty one stays empty."""
    if not value:
        return ""
    number = to_python(value)
    if isinstance(number, PhoneNumber) and number.is_valid():
        return number.as_international
    return value
