#!/usr/bin/env python3
"""Static stand-in for `tome serve`: two hand-written works in AO3 markup.

The pages follow /work/shared/AO3-MARKUP.md plus the few extras FanFicFare
needs (see FANFICFARE.md, "Beyond AO3-MARKUP.md").  They are the reference
for what a tome page must look like for FanFicFare to read it; every element
FanFicFare looks at is marked with a `FFF:` comment below.

Works:
  1001  "The Lantern Road", 2 chapters (ids 5001, 5002) of "2/?", in progress
  1002  "Salt & Honey", a one-shot (chapter id 5003), complete

Usage: fixture_server.py [--port N] [--literal-oneshot]
  --port 0 (default) picks a free port; the first stdout line is the base URL.
  --literal-oneshot renders the one-shot's /works/ID/chapters/CID page with the
    one-shot body (h3.landmark.heading#work + div.userstuff) instead of the
    chapter body (div.userstuff.module) -- shows why FanFicFare needs the latter.
Python 3 standard library only.
"""
import argparse
import html
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs, quote

E = html.escape


def tag_href(name):
    # AO3 tag-name escaping from AO3-MARKUP.md, then percent-encoding.
    for a, b in (("*", "*"), ("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")):
        name = name.replace(a, b)
    return "/tags/%s/works" % quote(name, safe="*")


AUTHOR = ("lanternwright", "lanternwright")  # (user, pseud)

WORKS = {
    1001: {
        "title": "The Lantern Road",
        "authors": [AUTHOR],
        "rating": ["Teen And Up Audiences"],
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["F/M", "Gen"],
        "fandoms": ["Original Work"],
        "relationships": ["Mira/Tobin"],
        "characters": ["Mira", "Tobin", "The Ferryman"],
        "freeforms": ["Slow Burn", "Road Trip", "Found Family"],
        "language": "English",
        "series": [(7, "The Lantern Cycle", 1)],
        "published": "2024-01-02",
        "status": ("Updated", "2024-02-10"),
        "words": "1,234",
        "chapters": "2/?",
        "comments": "3",
        "kudos": "42",
        "bookmarks": "5",
        "hits": "1,024",
        "summary": "<p>Mira carries a lantern that never goes out.</p><p>Tobin wants to know why.</p>",
        "notes": "<p>Written for the winter exchange.</p>",
        "endnotes": "<p>Thanks for reading!</p>",
        "chapter_list": [
            {
                "id": 5001, "title": "Embers", "date": "2024-01-02",
                "summary": None, "notes": None, "endnotes": None,
                "body": "<p>The road out of Harrowgate was mud for the first three miles.</p>"
                        "<p>Mira did not mind the mud.</p>"
                        "<p>By nightfall the lantern was the only light left on the hill.</p>",
            },
            {
                "id": 5002, "title": "The Ferry", "date": "2024-02-10",
                "summary": "<p>A river, and a price.</p>",
                "notes": "<p>Sorry this took so long.</p>",
                "endnotes": "<p>Next time: the other bank.</p>",
                "body": "<p>The ferryman wanted a coin, and Tobin had none.</p>"
                        "<p>&ldquo;Then a story,&rdquo; said the ferryman.</p>"
                        "<p>So Mira told him one, and the river listened too.</p>",
            },
        ],
    },
    1002: {
        "title": "Salt & Honey",
        "authors": [AUTHOR],
        "rating": ["General Audiences"],
        "warnings": ["Creator Chose Not To Use Archive Warnings"],
        "categories": ["Gen"],
        "fandoms": ["Original Work"],
        "relationships": [],
        "characters": ["Old Wen"],
        "freeforms": ["Bees", "Fluff"],
        "language": "English",
        "series": [],
        "published": "2023-11-05",
        "status": None,
        "words": "312",
        "chapters": "1/1",
        "comments": None,   # zero: AO3 leaves the pair out
        "kudos": "7",
        "bookmarks": None,
        "hits": "88",
        "summary": "<p>Old Wen keeps bees by the sea.</p>",
        "notes": None,
        "endnotes": None,
        "chapter_list": [
            {
                "id": 5003, "title": None, "date": "2023-11-05",
                "summary": None, "notes": None, "endnotes": None,
                "body": "<p>Every morning Old Wen walked the hives along the dunes.</p>"
                        "<p>The bees made honey that tasted faintly of salt.</p>"
                        "<p>Nobody else would buy it, so she ate it herself.</p>",
            },
        ],
    },
}

CHAPTER_BY_ID = {c["id"]: (wid, i) for wid, w in WORKS.items() for i, c in enumerate(w["chapter_list"])}


def page(title, main):
    # FFF: nothing on the page other than the work may link /works/DIGITS or
    # /users/X/pseuds/Y (navigate page: first /works/N link = title, all
    # pseud links = authors).  The site header therefore only links "/".
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>%s</title></head><body>\n"
            "<div id=\"outer\">\n<div id=\"header\"><a href=\"/\">tome fixture</a></div>\n"
            "<div id=\"inner\" class=\"wrapper\">\n<div id=\"main\" class=\"region\" role=\"main\">\n%s\n"
            "</div></div></div></body></html>\n") % (E(title), main)


def tag_dd(kind_class, names):
    # FFF: dd with class attribute exactly "<kind> tags"; each tag an a.tag whose
    # only content is the tag's text (FFF reads a.string).
    lis = "".join('<li><a class="tag" href="%s">%s</a></li>' % (tag_href(n), E(n)) for n in names)
    return '<dd class="%s"><ul class="commas">%s</ul></dd>' % (kind_class, lis)


def byline(w):
    links = ", ".join('<a rel="author" href="/users/%s/pseuds/%s">%s</a>' % (u, p, E(p)) for u, p in w["authors"])
    return links or "Anonymous"


def meta_block(wid, w):
    rows = []
    for label, cls, key in (("Rating:", "rating tags", "rating"), ("Archive Warning:", "warning tags", "warnings"),
                            ("Category:", "category tags", "categories"), ("Fandom:", "fandom tags", "fandoms"),
                            ("Relationship:", "relationship tags", "relationships"),
                            ("Characters:", "character tags", "characters"),
                            ("Additional Tags:", "freeform tags", "freeforms")):
        if w[key]:
            rows.append('<dt class="%s">%s</dt>\n%s' % (cls, label, tag_dd(cls, w[key])))
    # FFF: dd.language text is the language name
    rows.append('<dt class="language">Language:</dt>\n<dd class="language" lang="en">%s</dd>' % E(w["language"]))
    if w["series"]:
        # FFF: dd.series; each a[href=/series/N] preceded by the text "Part N of "
        parts = "".join('<span class="series"><span class="position">Part %d of <a href="/series/%d">%s</a></span></span>'
                        % (pos, sid, E(name)) for sid, name, pos in w["series"])
        rows.append('<dt class="series">Series:</dt>\n<dd class="series">%s</dd>' % parts)
    # FFF: the first dl.stats on the page; dt/dd paired by position; dt text
    # must contain the English label, dd text a YYYY-MM-DD date or a number;
    # Chapters value must contain "/".
    stats = ['<dt class="published">Published:</dt><dd class="published">%s</dd>' % w["published"]]
    if w["status"]:
        stats.append('<dt class="status">%s:</dt><dd class="status">%s</dd>' % w["status"])
    stats.append('<dt class="words">Words:</dt><dd class="words">%s</dd>' % w["words"])
    stats.append('<dt class="chapters">Chapters:</dt><dd class="chapters">%s</dd>' % w["chapters"])
    for label, key in (("Comments", "comments"), ("Kudos", "kudos"), ("Bookmarks", "bookmarks"), ("Hits", "hits")):
        if w[key] is not None:
            stats.append('<dt class="%s">%s:</dt><dd class="%s">%s</dd>' % (key, label, key, w[key]))
    rows.append('<dt class="stats">Stats:</dt>\n<dd class="stats"><dl class="stats">%s</dl></dd>' % "".join(stats))
    return '<dl class="work meta group">\n%s\n</dl>' % "\n".join(rows)


def work_nav(wid, w, full):
    n = len(w["chapter_list"])
    items = []
    if n > 1:
        if full:
            # FFF: li.bychapter on the *default* /works/ID page means "this is
            # already the full work"; only the full-work view may have it.
            items.append('<li class="chapter bychapter"><a href="/works/%d/chapters/%d#workskin">Chapter by Chapter</a></li>'
                         % (wid, w["chapter_list"][0]["id"]))
        else:
            items.append('<li class="chapter entire"><a href="/works/%d?view_full_work=true">Entire Work</a></li>' % wid)
        items.append('<li class="chapter"><a href="/works/%d/navigate">Chapter Index</a></li>' % wid)
    dl = "".join('<li><a href="/works/%d/download.%s">%s</a></li>' % (wid, ext, ext.upper()) for ext in ("epub", "html", "txt"))
    items.append('<li class="download"><a href="#">Download</a><ul class="expandable secondary">%s</ul></li>' % dl)
    return '<ul class="work navigation actions" role="menu">%s</ul>' % "".join(items)


def userstuff_block(cls, heading, content, div_id=None):
    if not content:
        return ""
    idattr = ' id="%s"' % div_id if div_id else ""
    return '<div%s class="%s"><h3 class="heading">%s</h3><blockquote class="userstuff">%s</blockquote></div>' % (
        idattr, cls, heading, content)


def work_preface(wid, w):
    # FFF: a div whose class is exactly "preface group" must exist on every
    # page it reads chapter text from (it crashes otherwise); its
    # div.notes.module blockquote becomes the "Author's Note".
    # FFF: the first blockquote.userstuff on /works/ID is the summary.
    return ('<div class="preface group">\n<h2 class="title heading">%s</h2>\n'
            '<h3 class="byline heading">%s</h3>\n%s\n%s\n</div>') % (
        E(w["title"]), byline(w),
        userstuff_block("summary module", "Summary:", w["summary"]),
        userstuff_block("notes module", "Notes:", w["notes"]))


def chapter_div(wid, n, c):
    # FFF: div id "chapter-N" (FFF counts divs whose id matches chapter-\d+,
    # so no other div id may contain "chapter-<digit>"); inside it the text is
    # the div whose class is exactly "userstuff module"; its
    # h3.landmark.heading is dropped; div#summary / div#notes .userstuff and
    # div.end.notes.module blockquote are the chapter's summary/notes/end notes.
    title = "Chapter %d" % n + (": %s" % E(c["title"]) if c["title"] else "")
    pre = ['<h3 class="title"><a href="/works/%d/chapters/%d">%s</a></h3>' % (wid, c["id"], title)]
    if c["summary"]:
        pre.append(userstuff_block("summary module", "Summary:", c["summary"], "summary"))
    if c["notes"]:
        pre.append(userstuff_block("notes module", "Notes:", c["notes"], "notes"))
    after = ""
    if c["endnotes"]:
        after = '<div class="chapter preface group" role="complementary">%s</div>' % userstuff_block(
            "end notes module", "Notes:", c["endnotes"], "chapter_%d_endnotes" % n)
    return ('<div class="chapter" id="chapter-%d">\n<div class="chapter preface group" role="complementary">%s</div>\n'
            '<div class="userstuff module" role="article">\n<h3 class="landmark heading" id="work">Chapter Text</h3>\n%s\n</div>\n%s\n</div>'
            % (n, "".join(pre), c["body"], after))


def work_page(wid, chapter_index=None, full=False, literal_oneshot=False):
    """chapter_index None: /works/ID (first chapter, or all with full)."""
    w = WORKS[wid]
    chs = w["chapter_list"]
    oneshot = len(chs) == 1
    if oneshot and (chapter_index is None or literal_oneshot):
        body = ('<h3 class="landmark heading" id="work">Work Text:</h3>\n<div class="userstuff">%s</div>' % chs[0]["body"])
    elif full:
        body = "\n".join(chapter_div(wid, i + 1, c) for i, c in enumerate(chs))
    else:
        i = chapter_index or 0
        body = chapter_div(wid, i + 1, chs[i])
    afterword = ""
    if w["endnotes"] and (full or oneshot or (chapter_index or 0) == len(chs) - 1):
        afterword = ('<div class="afterword preface group">%s</div>'
                     % userstuff_block("end notes module", "Notes:", w["endnotes"], "work_endnotes"))
    main = ('<div class="work">\n%s\n<div class="wrapper">\n%s\n</div>\n'
            '<div id="workskin">\n%s\n<div id="chapters" role="article">\n%s\n</div>\n%s\n</div>\n'
            '<div id="feedback" class="feedback"><form id="new_kudo" action="/kudos" method="post">'
            '<input type="hidden" id="kudo_commentable_id" name="kudo[commentable_id]" value="%d">'
            '<input type="submit" value="Kudos &hearts;"></form></div>\n</div>') % (
        work_nav(wid, w, full), meta_block(wid, w), work_preface(wid, w), body, afterword, wid)
    return page("%s - %s" % (w["title"], w["fandoms"][0]), main)


def navigate_page(wid):
    w = WORKS[wid]
    # FFF: title = first <a href="/works/ID"> on this page; authors = every
    # a[href=/users/U/pseuds/P]; chapters = every a[href=/works/ID/chapters/CID]
    # (root-relative, nothing after the id), each followed by
    # span.datetime "(YYYY-MM-DD)".
    lis = "\n".join('<li><a href="/works/%d/chapters/%d">%d. %s</a> <span class="datetime">(%s)</span></li>'
                    % (wid, c["id"], i + 1, E(c["title"] or w["title"]), c["date"])
                    for i, c in enumerate(w["chapter_list"]))
    main = ('<h2 class="heading">Chapter Index for <a href="/works/%d">%s</a> by %s</h2>\n'
            '<ol class="chapter index group" role="navigation">\n%s\n</ol>') % (wid, E(w["title"]), byline(w), lis)
    return page("Chapter Index - %s" % w["title"], main)


class Handler(BaseHTTPRequestHandler):
    literal_oneshot = False

    def log_message(self, fmt, *args):
        sys.stderr.write("fixture: %s\n" % (fmt % args))

    def send_html(self, status, text):
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        u = urlsplit(self.path)
        q = parse_qs(u.query)
        parts = [p for p in u.path.split("/") if p]
        full = q.get("view_full_work", [""])[0] == "true"
        try:
            if len(parts) >= 2 and parts[0] == "works" and parts[1].isdigit() and int(parts[1]) in WORKS:
                wid = int(parts[1])
                if len(parts) == 2:
                    return self.send_html(200, work_page(wid, None, full))
                if len(parts) == 3 and parts[2] == "navigate":
                    return self.send_html(200, navigate_page(wid))
                if len(parts) == 4 and parts[2] == "chapters" and parts[3].isdigit():
                    cid = int(parts[3])
                    if CHAPTER_BY_ID.get(cid, (None,))[0] == wid:
                        return self.send_html(200, work_page(wid, CHAPTER_BY_ID[cid][1], False, self.literal_oneshot))
            if parts == []:
                return self.send_html(200, page("tome fixture", "<p>fixture</p>"))
        except Exception as e:  # pragma: no cover
            return self.send_html(500, page("Error", "<p>%s</p>" % E(repr(e))))
        self.send_html(404, page("Not found", '<h2 class="heading">Error 404</h2>'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--literal-oneshot", action="store_true")
    a = ap.parse_args()
    Handler.literal_oneshot = a.literal_oneshot
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    print("http://127.0.0.1:%d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
