#!/usr/bin/env python3
"""Run FanFicFare's real AO3 adapter against a live tome server and compare.

    fanficfare_check.py BASE_URL EXPECT.json [--modes full,bychapter] [--keep DIR] [-v]

BASE_URL is e.g. http://127.0.0.1:8080.  EXPECT.json is described in
FANFICFARE.md.  For every work it runs FanFicFare's own command line
(fanficfare.cli.main) on https://archiveofourown.org/works/ID, writing an HTML
e-book, with the network layer rewritten so that every request to
archiveofourown.org goes to BASE_URL instead (same path and query).  It then
compares what FanFicFare read (title, author, tags, stats, chapter list, the
start and end of each chapter's text) with the expectations.

Modes: "full" is FanFicFare's default (multi-chapter text from
/works/ID?view_full_work=true); "bychapter" sets use_view_full_work=false so the
text comes from each /works/ID/chapters/CID page (what FanFicFare falls back to
when the full-work page disagrees with the chapter index).  Both by default.

Exit status: 0 all matched, 1 a mismatch or FanFicFare failed, 2 bad usage.
Needs only fanficfare (and its dependencies, e.g. bs4).
"""
import argparse
import contextlib
import html as htmllib
import io
import json
import os
import re
import sys
import tempfile
import traceback

AO3 = "https://archiveofourown.org"

# expectation key -> FanFicFare story metadata key (raw, as the adapter set it)
LIST_FIELDS = {
    "warnings": "warnings",
    "categories": "ao3categories",
    "fandoms": "fandoms",
    "relationships": "ships",
    "characters": "characters",
    "freeforms": "freeformtags",
}
TEXT_FIELDS = {"title": "title", "rating": "rating", "language": "language",
               "chapters": "chapterslashtotal", "status": "status"}
NUMBER_FIELDS = {"words": "numWords", "comments": "comments", "kudos": "kudos",
                 "bookmarks": "bookmarks", "hits": "hits"}
DATE_FIELDS = {"published": "datePublished", "updated": "dateUpdated"}
KNOWN = (set(LIST_FIELDS) | set(TEXT_FIELDS) | set(NUMBER_FIELDS) | set(DATE_FIELDS)
         | {"id", "author", "series", "summary", "chapter_titles", "chapter_texts", "note"})


def norm(s):
    return re.sub(r"\s+", " ", s or "").strip()


def meta_text(s):
    """FanFicFare keeps metadata strings HTML-escaped ("Salt &amp; Honey")."""
    return norm(htmllib.unescape(s)) if isinstance(s, str) else s


def short(s, n=80):
    s = norm(s)
    return s if len(s) <= n else s[:n] + "..."


class Recorder:
    """Rewrites FanFicFare's requests to BASE and records them."""

    def __init__(self, base):
        self.base = base.rstrip("/")
        self.log = []

    def install(self):
        from fanficfare.fetchers import fetcher_requests
        from fanficfare import exceptions
        orig = fetcher_requests.RequestsFetcher.request
        rec = self

        # The narrowest place: every GET/POST of FanFicFare's default
        # (requests) fetcher goes through RequestsFetcher.request(method, url, ...).
        def request(self, method, url, *args, **kwargs):
            m = re.match(r"https?://(www\.)?archiveofourown\.org(?=/|$)", url)
            if not m:
                rec.log.append((method, url, "REFUSED (not archiveofourown.org)"))
                raise exceptions.FailedToDownload("harness: refusing non-AO3 request %s" % url)
            target = rec.base + url[m.end():]
            try:
                resp = orig(self, method, target, *args, **kwargs)
            except exceptions.HTTPErrorFFF as e:
                rec.log.append((method, target, e.status_code))
                raise
            except Exception as e:
                rec.log.append((method, target, "ERROR %r" % e))
                raise
            rec.log.append((method, target, 200))
            # Map redirects on the tome host back to the AO3 host so the
            # adapter sees the URLs it would see on AO3.
            if resp.redirecturl and resp.redirecturl.startswith(rec.base):
                resp.redirecturl = AO3 + resp.redirecturl[len(rec.base):]
            return resp

        fetcher_requests.RequestsFetcher.request = request

        # Keep a handle on the adapter the CLI creates, to read the raw
        # metadata it parsed (lists unjoined, in page order).
        from fanficfare import adapters
        orig_get = adapters.getAdapter
        self.adapters = []

        def getAdapter(*a, **k):
            ad = orig_get(*a, **k)
            rec.adapters.append(ad)
            return ad
        adapters.getAdapter = getAdapter


# Lines of base_otw_adapter.py that crash on missing markup -> what is missing.
CRASH_HINTS = [
    ("text.find('h3'", "the chapter page has no <div class=\"userstuff module\"> (class exactly that; "
                       "also needed on /works/ID/chapters/CID of a one-shot)"),
    ('"preface group"})', "no <div class=\"preface group\"> (class exactly that) on the chapter/full-work page"),
    ("stats.find_all", "no dl.stats on /works/ID"),
    ("value.split('/')[1]", "the Chapters: stat has no '/' (must be n/m or n/?)"),
    ("makeDate", "a date is not YYYY-MM-DD (dd.published / dd.status / navigate span.datetime '(YYYY-MM-DD)')"),
    ("stripHTML(a)", "navigate page: no <a href=\"/works/ID\"> title link"),
    ("downloada['href']", "chapter-URL input: no li.download ul li a"),
]


def crash_hint(tb):
    for needle, hint in CRASH_HINTS:
        if needle in tb:
            return "  hint: " + hint
    return ""


def run_fanficfare(rec, work_id, outdir, mode, verbose):
    """Returns (adapter or None, html text or None, error text or None)."""
    from fanficfare import cli
    url = "%s/works/%s" % (AO3, work_id)
    out = os.path.join(outdir, "work-%s-%s.html" % (work_id, mode))
    opts = {
        "is_adult": "true",               # sends ?view_adult=true, like most users
        "never_make_cover": "true",
        "include_images": "false",
        "use_cloudscraper": "false",
        "use_flaresolverr_proxy": "false",
        "use_browser_cache": "false",
        "always_login": "false",
        "slow_down_sleep_time": "0",
        "continue_on_chapter_error": "false",
        "max_request_retries": "0",
        "connect_timeout": "20",
        "output_filename": out,
        "use_view_full_work": "true" if mode == "full" else "false",
    }
    argv = ["--format=html", "--non-interactive", "--force"]
    if verbose:
        argv.append("--debug")
    for k, v in opts.items():
        argv += ["-o", "%s=%s" % (k, v)]
    argv.append(url)
    captured = io.StringIO()
    start = len(rec.adapters)
    err = None
    try:
        with contextlib.redirect_stdout(captured):
            cli.main(argv)
    except SystemExit as e:
        err = "FanFicFare exited (%s)" % e.code
    except Exception:
        tb = traceback.format_exc()
        err = "FanFicFare raised:\n" + tb + crash_hint(tb)
    printed = captured.getvalue().strip()
    if printed and verbose:
        print(printed)
    adapter = rec.adapters[start] if len(rec.adapters) > start else None
    html = None
    if os.path.exists(out):
        with open(out, encoding="utf-8") as f:
            html = f.read()
    elif err is None:
        err = "FanFicFare wrote no output file" + (": " + printed if printed else "")
    return adapter, html, err


def chapters_from_html(html):
    """[(title, text)] from FanFicFare's HTML writer output, notes removed."""
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(html, "html5lib")
    result = []
    for a in soup.find_all("a", attrs={"name": re.compile(r"^section\d+$")}):
        title = a.get_text()
        story = a.find_next("div", class_="story")
        if story is None:
            result.append((title, ""))
            continue
        for notes in story.find_all("div", class_="fff_chapter_notes"):
            notes.decompose()
        result.append((title, story.get_text(" ")))
    return result


def compare(exp, adapter, html):
    diffs = []
    story = adapter.story

    def raw(key):
        v = story.getMetadataRaw(key)
        return v

    def d(field, want, got):
        diffs.append("%s: expected %s, FanFicFare read %s" % (field, json.dumps(want, ensure_ascii=False),
                                                               json.dumps(got, ensure_ascii=False, default=str)))

    for f, key in TEXT_FIELDS.items():
        if f in exp:
            got = raw(key)
            got = meta_text(got)
            if got != exp[f]:
                d(f, exp[f], got)
    if "author" in exp:
        want = exp["author"] if isinstance(exp["author"], list) else [exp["author"]]
        got = raw("author")
        got = got if isinstance(got, list) else ([got] if got else [])
        got = [meta_text(x) for x in got]
        if got != want:
            d("author", want, got)
    for f, key in LIST_FIELDS.items():
        if f in exp:
            got = [meta_text(x) for x in (raw(key) or [])]
            if sorted(map(str, got)) != sorted(exp[f]):
                missing = [x for x in exp[f] if x not in got]
                extra = [x for x in got if x not in exp[f]]
                d(f, exp[f], got)
                diffs.append("    missing %s, unexpected %s" % (missing, extra))
    for f, key in NUMBER_FIELDS.items():
        if f in exp:
            got = raw(key)
            want = exp[f]
            want_n = None if want is None else int(str(want).replace(",", ""))
            try:
                got_n = None if got in (None, "") else int(str(got).replace(",", "").strip())
            except ValueError:
                got_n = "unparseable %r" % got
            if got_n != want_n:
                d(f, want, got)
    for f, key in DATE_FIELDS.items():
        if f in exp:
            got = raw(key)
            got_s = got.strftime("%Y-%m-%d") if hasattr(got, "strftime") else got
            if got_s != exp[f]:
                d(f, exp[f], got_s)
    if "series" in exp:
        got = []
        for i in range(4):
            s = raw("series%02d" % i)
            if s:
                got.append(meta_text(s))
        want = ["%s [%s]" % (name, pos) for name, pos in exp["series"]]
        if got != want:
            d("series", want, got)
    if "summary" in exp:
        desc = raw("description")
        text = meta_text(re.sub(r"<[^>]+>", " ", str(desc or "")))
        want = exp["summary"]
        if isinstance(want, str):
            if text != norm(want):
                d("summary", want, text)
        else:
            if not text.startswith(norm(want.get("starts", ""))) or not text.endswith(norm(want.get("ends", ""))):
                d("summary", want, short(text, 200))

    # chapter list (from /works/ID/navigate)
    chap_list = adapter.get_chapters()
    titles = [meta_text(re.sub(r"<[^>]+>", "", str(c["title"]))) for c in chap_list]
    if "chapter_titles" in exp and titles != exp["chapter_titles"]:
        d("chapter_titles", exp["chapter_titles"], titles)
    if "chapter_texts" in exp:
        want = exp["chapter_texts"]
        if len(chap_list) != len(want):
            d("number of chapters (navigate page)", len(want), len(chap_list))
        got_chapters = chapters_from_html(html or "")
        if len(got_chapters) != len(want):
            d("number of chapters (downloaded)", len(want), len(got_chapters))
        for i, (w, g) in enumerate(zip(want, got_chapters)):
            text = norm(g[1])
            if "starts" in w and not text.startswith(norm(w["starts"])):
                diffs.append("chapter %d text: expected to start with %r, FanFicFare got %r"
                             % (i + 1, norm(w["starts"]), short(text)))
            if "ends" in w and not text.endswith(norm(w["ends"])):
                diffs.append("chapter %d text: expected to end with %r, FanFicFare got ...%r"
                             % (i + 1, norm(w["ends"]), text[-80:]))
            if "contains" in w and norm(w["contains"]) not in text:
                diffs.append("chapter %d text: expected to contain %r" % (i + 1, norm(w["contains"])))
    return diffs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base_url")
    ap.add_argument("expect_json")
    ap.add_argument("--modes", default="full,bychapter",
                    help="comma list of full, bychapter (default both)")
    ap.add_argument("--keep", metavar="DIR", help="write FanFicFare's output here and keep it")
    ap.add_argument("-v", "--verbose", action="store_true", help="FanFicFare debug log, all requests")
    a = ap.parse_args(argv)
    modes = [m for m in a.modes.split(",") if m]
    if not modes or any(m not in ("full", "bychapter") for m in modes):
        ap.error("--modes takes full and/or bychapter")
    if not re.match(r"^https?://[^/]+$", a.base_url.rstrip("/")):
        ap.error("BASE_URL must be like http://127.0.0.1:8080")

    with open(a.expect_json, encoding="utf-8") as f:
        expect = json.load(f)
    works = expect["works"] if isinstance(expect, dict) else expect
    for w in works:
        unknown = set(w) - KNOWN
        if unknown:
            print("warning: work %s: unknown expectation keys ignored: %s" % (w.get("id"), sorted(unknown)))

    # No user configuration may leak in: FanFicFare reads ~/.fanficfare,
    # $XDG_CONFIG_HOME/fanficfare and ./personal.ini.
    home = tempfile.mkdtemp(prefix="fff-home-")
    os.environ["HOME"] = home
    os.environ["XDG_CONFIG_HOME"] = os.path.join(home, ".config")
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        os.environ.pop(var, None)
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "*"
    outdir = os.path.abspath(a.keep) if a.keep else tempfile.mkdtemp(prefix="fff-out-")
    os.makedirs(outdir, exist_ok=True)
    os.chdir(home)

    import logging
    logging.basicConfig(level=logging.DEBUG if a.verbose else logging.WARNING,
                        format="fanficfare %(levelname)s %(name)s: %(message)s")
    import fanficfare
    from fanficfare import cli  # noqa: F401  (import before patching)
    version = getattr(fanficfare, "__version__", None) or getattr(cli, "version", "?")
    rec = Recorder(a.base_url)
    rec.install()
    print("FanFicFare %s against %s (%d works, modes: %s)" % (version, a.base_url, len(works), ",".join(modes)))

    failed = 0
    for w in works:
        for mode in modes:
            label = "work %s %r [%s]" % (w["id"], w.get("title", ""), mode)
            log_start = len(rec.log)
            adapter, html, err = run_fanficfare(rec, w["id"], outdir, mode, a.verbose)
            requests = rec.log[log_start:]
            diffs = []
            if err:
                diffs.append(err.rstrip())
            if adapter is not None and (html is not None or not err):
                try:
                    diffs += compare(w, adapter, html)
                except Exception:
                    diffs.append("comparison failed:\n" + traceback.format_exc())
            if diffs:
                failed += 1
                print("FAIL %s" % label)
                for line in diffs:
                    print("  " + line.replace("\n", "\n  "))
            else:
                print("ok   %s" % label)
            if diffs or a.verbose:
                print("  requests:")
                for method, url, status in requests:
                    print("    %s %s -> %s" % (method, url, status))
    if a.keep:
        print("FanFicFare output kept in %s" % outdir)
    print("%s: %d of %d runs failed" % ("FAILED" if failed else "PASSED", failed, len(works) * len(modes)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
