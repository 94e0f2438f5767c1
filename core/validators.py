"""Which characters a text may hold, said once.

Every model's texts (through `core.models.TimeStampedModel.full_clean`), the plain
forms, the URL's parameters (`core.middleware`) and the imports refuse the same ones:

- control characters (Unicode's category Cc: U+0000–U+001F and U+007F–U+009F), NUL
  among them, which PostgreSQL cannot store and no person means to type;
- in a single-line text (every CharField, a search, a URL parameter) also line
  breaks and tabs, Unicode's line and paragraph separators (U+2028, U+2029)
  included: such a value ends up in an email's subject, a CSV cell or an HTML
  attribute, where a line break is a fault or an attack.

A text of several lines (a TextField: a customer's notes) keeps its line breaks and
tabs (`\\n`, `\\r`, `\\t`); the other control characters are refused there too.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

_REFUSED_IN_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_REFUSED_IN_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What ends a line for Unicode (str.splitlines) and for mail headers.
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


@dataclass(frozen=True)
class UnusableCharacter:
    """The first character a text may not hold: where it is (counting from 1) and,
    in words, what it is."""

    position: int
    character: str
    is_line_break: bool

    @property
    def words(self) -> str:
        if self.is_line_break:
            return gettext("a line break")
        if self.character == "\t":
            return gettext("a tab")
        if self.character == "\0":
            return gettext("a NUL byte")
        return gettext("the control character U+%(code)04X") % {
            "code": ord(self.character)
        }


def find_unusable_character(
    value: str, *, multiline: bool = False
) -> UnusableCharacter | None:
    """The first character `value` may not hold, or None. One regular expression:
    cheap enough for every cell of an import."""
    match = (_REFUSED_IN_LINES if multiline else _REFUSED_IN_ONE_LINE).search(value)
    if match is None:
        return None
    character = match.group()
    return UnusableCharacter(
        position=match.start() + 1,
        character=character,
        # In a text of several lines \n and \r are allowed; \v, \f, … are control
        # characters there, not line breaks the text may hold.
        is_line_break=character in _LINE_BREAKS and not multiline,
    )


def unusable_character_error(problem: UnusableCharacter) -> ValidationError:
    if problem.is_line_break:
        return ValidationError(
            gettext(
                "Keep this on one line: remove the line break (character %(position)d)."
            ),
            code="line_break",
            params={"position": problem.position},
        )
    if problem.character == "\t":
        return ValidationError(
            gettext(
                "Keep this on one line: replace the tab (character %(position)d) "
                "with a space."
            ),
            code="tab",
            params={"position": problem.position},
        )
    return ValidationError(
        gettext(
            "Remove %(what)s (character %(position)d): it is invisible and cannot "
            "be stored."
        ),
        code="control_character",
        params={"what": problem.words, "position": problem.position},
    )


def validate_single_line(value: str) -> None:
    """A one-line text: no control character, no line break, no tab."""
    if problem := find_unusable_character(value):
        raise unusable_character_error(problem)


def validate_lines(value: str) -> None:
    """A text of several lines: line breaks and tabs allowed, nothing else
    invisible."""
    if problem := find_unusable_character(value, multiline=True):
        raise unusable_character_error(problem)
