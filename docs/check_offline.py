"""Check that the built documentation works without a network.

Run it after the HTML build::

    sphinx-build -W -b html docs docs/_build/html
    python docs/check_offline.py docs/_build/html

It reads every HTML page of the site and fails (exit status 1, one line per
problem) when

- a page loads something from another host: ``<script src>``, a
  ``<link href>`` that the browser fetches (stylesheet, preload, icon, ...),
  ``<img>``, ``<iframe>``, ``<source>``, ``<video>``, ``<audio>``, ``<embed>``
  or ``<object>`` with an ``http:``, ``https:`` or protocol-relative (``//``)
  address, or an inline ``style`` that imports one;
- a local script or stylesheet that a page loads is not in the build;
- a page with maths (Sphinx's ``class="math"``) does not load MathJax from
  the site itself;
- a stylesheet under ``_static`` imports a file or a font from another host.

Links (``<a href>``) to other sites are fine: following one needs the
network, reading the page does not.
"""

import os
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

# <link rel=...> values for which the browser fetches the href
FETCHED_LINK_RELS = {
    "stylesheet", "preload", "modulepreload", "prefetch", "preconnect",
    "dns-prefetch", "icon", "shortcut", "apple-touch-icon", "manifest",
}
SOURCE_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
EXTERNAL_CSS = re.compile(
    r"""(?:@import\s+|url\(\s*)["']?\s*((?:https?:)?//[^"')\s;]+)""", re.IGNORECASE)
LOCAL_MATHJAX = re.compile(r"(^|/)_static/mathjax/[^/]+\.js$")


def is_external(url):
    url = url.strip().lower()
    return url.startswith(("http://", "https://", "//"))


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.external = []    # (tag, address)
        self.local = []       # (tag, address): scripts and stylesheets
        self.has_math = False
        self.scripts = []     # every <script src>

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if "math" in classes:
            self.has_math = True
        style = attrs.get("style") or ""
        self.external += [(tag + " style", url) for url in EXTERNAL_CSS.findall(style)]
        if tag == "link":
            rels = set((attrs.get("rel") or "").lower().split())
            href = attrs.get("href") or ""
            if rels & FETCHED_LINK_RELS and href:
                if is_external(href):
                    self.external.append((f"link rel={attrs.get('rel')}", href))
                elif rels & {"stylesheet", "preload", "modulepreload"}:
                    self.local.append(("link", href))
            return
        for name in SOURCE_ATTRS.get(tag, ()):
            value = attrs.get(name)
            if not value:
                continue
            urls = [part.split()[0] for part in value.split(",") if part.split()] \
                if name == "srcset" else [value]
            for url in urls:
                if is_external(url):
                    self.external.append((tag, url))
                elif tag == "script":
                    self.local.append((tag, url))
            if tag == "script":
                self.scripts.append(value)


def check_page(path, root):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    parser = _PageParser()
    parser.feed(text)
    # <style> blocks are data to the parser: look at their text directly
    for block in re.findall(r"<style[^>]*>(.*?)</style>", text, flags=re.S | re.I):
        parser.external += [("style", url) for url in EXTERNAL_CSS.findall(block)]
    name = os.path.relpath(path, root)
    problems = [f"{name}: <{tag}> loads {url}" for tag, url in parser.external]
    page_dir = os.path.dirname(path)
    for tag, url in parser.local:
        parts = urlsplit(url)
        if parts.scheme or not parts.path:  # data:, javascript:, ...
            continue
        target = os.path.normpath(os.path.join(page_dir, unquote(parts.path)))
        if not os.path.isfile(target):
            problems.append(f"{name}: <{tag}> {url} is not in the build")
    if parser.has_math:
        local = [src for src in parser.scripts
                 if not is_external(src) and LOCAL_MATHJAX.search(urlsplit(src).path)]
        if not local:
            problems.append(f"{name}: has maths but loads no MathJax from _static/mathjax")
    return problems


def check_stylesheets(root):
    problems = []
    static = os.path.join(root, "_static")
    for folder, _, files in os.walk(static):
        for file in files:
            if not file.endswith(".css"):
                continue
            path = os.path.join(folder, file)
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            for url in EXTERNAL_CSS.findall(text):
                problems.append(f"{os.path.relpath(path, root)}: loads {url}")
    return problems


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    root = argv[0] if argv else os.path.join(os.path.dirname(__file__), "_build", "html")
    pages = sorted(
        os.path.join(folder, file)
        for folder, dirs, files in os.walk(root)
        for file in files
        if file.endswith(".html")
        and not os.path.relpath(folder, root).split(os.sep)[0] == "_static"
    )
    if not pages:
        print(f"check_offline: no HTML page under {root}: build the site first")
        return 1
    problems = check_stylesheets(root)
    math_pages = 0
    for page in pages:
        problems += check_page(page, root)
        with open(page, encoding="utf-8") as f:
            math_pages += 'class="math' in f.read()
    for problem in problems:
        print(problem)
    print(f"check_offline: {len(pages)} pages ({math_pages} with maths), "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
