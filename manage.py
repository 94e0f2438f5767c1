#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    from core.history_groups import history_group

    # What one command run writes is one entry of the Activity Log (the worker
    # opens one per task inside it).
    with history_group():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
