#!/usr/bin/env python3
"""Logs in through tome's form as a browser would; prints the Cookie header value.

    bench/login.py BASE_URL LOGIN PASSWORD
"""
import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

base, login, password = sys.argv[1:4]
jar = http.cookiejar.CookieJar()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
html = op.open(base + "/users/login").read().decode()
token = re.search(r'name="authenticity_token" value="([^"]+)"', html).group(1)
body = urllib.parse.urlencode(
    {"authenticity_token": token, "user[login]": login, "user[password]": password}
).encode()
try:
    op.open(base + "/users/login", body)
except urllib.error.HTTPError as e:
    if e.code != 303:
        sys.exit(f"log-in answered {e.code}")
print("; ".join(f"{c.name}={c.value}" for c in jar))
