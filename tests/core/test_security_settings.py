"""The security settings an operator changes through the environment."""

from tests.core.test_settings import manage

PRINT_SETTINGS = (
    "from django.conf import settings; print(settings.SESSION_COOKIE_AGE, "
    "settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds(), "
    "settings.TRUSTED_PROXY_COUNT)"
)


def test_session_length_lockout_and_proxies_come_from_the_environment():
    result = manage(
        "shell",
        "-c",
        PRINT_SETTINGS,
        SESSION_COOKIE_AGE="3600",
        SIGN_IN_FAILURE_LIMIT="3",
        SIGN_IN_LOCKOUT_MINUTES="60",
        TRUSTED_PROXY_COUNT="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "3600 3 3600.0 1"


def test_a_setting_that_is_not_a_number_is_refused_with_its_name():
    result = manage("check", SIGN_IN_LOCKOUT_MINUTES="a quarter")

    assert result.returncode != 0
    assert "SIGN_IN_LOCKOUT_MINUTES must be a whole number, not 'a quarter'" in (
        result.stderr
    )
