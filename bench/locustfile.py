"""One page requested over and over by signed-in users, for bench/loadtest.py.

The page is LOAD_PAGE (a path); LOAD_ANONYMOUS=1 requests it without signing in (the
sign-in page). No wait between requests: the figure is what the server sustains.
"""

import os
import re

from locust import HttpUser, task

PAGE = os.environ.get("LOAD_PAGE", "/customers/")
ANONYMOUS = os.environ.get("LOAD_ANONYMOUS") == "1"
USERNAME = os.environ.get("LOAD_USER", "bench_manager")
PASSWORD = os.environ.get("LOAD_PASSWORD", "")


class PageUser(HttpUser):
    def on_start(self):
        if ANONYMOUS:
            return
        form = self.client.get("/accounts/login/", name="sign-in (setup)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        self.client.post(
            "/accounts/login/",
            {
                "username": USERNAME,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign-in (setup)",
        )

    @task
    def page(self):
        with self.client.get(PAGE, name="page", catch_response=True) as response:
            signed_out = not ANONYMOUS and "/accounts/login/" in response.url
            if response.status_code != 200 or signed_out:
                response.failure(f"{response.status_code} {response.url}")
