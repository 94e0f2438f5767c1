"""One page requested over and over, for bench/loadtest.py.

The page is LOAD_PAGE (a path), requested with the session LOAD_SESSION (signed in
once by loadtest.py: signing in costs a second of password hashing, which would be
measured instead of the page); LOAD_ANONYMOUS=1 requests it without a session (the
sign-in page). No wait between requests: the figure is what the server sustains.
"""

import os

from locust import HttpUser, task

PAGE = os.environ.get("LOAD_PAGE", "/customers/")
ANONYMOUS = os.environ.get("LOAD_ANONYMOUS") == "1"
SESSION = os.environ.get("LOAD_SESSION", "")


class PageUser(HttpUser):
    def on_start(self):
        if not ANONYMOUS:
            self.client.cookies.set("sessionid", SESSION)

    @task
    def page(self):
        with self.client.get(PAGE, name="page", catch_response=True) as response:
            signed_out = not ANONYMOUS and "/accounts/login/" in response.url
            if response.status_code != 200 or signed_out:
                response.failure(f"{response.status_code} {response.url}")
