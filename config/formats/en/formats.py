"""How English pages write dates and times: one format across the product, day
before month and a 24-hour clock ("9 Feb 2026", "9 Feb 2026, 14:05"), as the
company's people write them. Templates, emails and the Activity Log all name these
formats (`DATE_FORMAT`, `DATETIME_FORMAT`), so another language's formats (Django's
own, such as Dutch) replace them everywhere at once. Numbers keep Django's English
format."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
