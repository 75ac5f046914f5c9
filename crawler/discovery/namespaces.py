"""Namespace URIs of the feed and sitemap dialects, folded into short family names.

Parsers match on (family, local name) so that the many spellings of one vocabulary (RSS 0.90,
1.0 and 2.0; Atom 0.3 and 1.0; sitemaps at sitemaps.org or google.com) and undeclared prefixes
in broken documents ("dc:date" with no xmlns:dc) all look the same to them.
"""

from __future__ import annotations

from types import MappingProxyType

# The RSS dialects share element names; none of them needs telling apart below the root.
CORE = ""
ATOM = "atom"
DC = "dc"
DCTERMS = "dcterms"
RDF = "rdf"
NEWS = "news"
SITEMAP = "sitemap"

ATOM_NS = "http://www.w3.org/2005/Atom"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

NAMESPACE_FAMILIES = MappingProxyType(
    {
        "http://purl.org/rss/1.0/": CORE,
        "http://my.netscape.com/rdf/simple/0.9/": CORE,
        "http://backend.userland.com/rss2": CORE,
        "http://backend.userland.com/rss": CORE,
        ATOM_NS: ATOM,
        "http://purl.org/atom/ns#": ATOM,
        "http://purl.org/dc/elements/1.1/": DC,
        "http://purl.org/dc/terms/": DCTERMS,
        RDF_NS: RDF,
        "http://www.google.com/schemas/sitemap-news/0.9": NEWS,
        "https://www.google.com/schemas/sitemap-news/0.9": NEWS,
        "http://www.google.com/schemas/sitemap-news/0.84": NEWS,
        "http://www.sitemaps.org/schemas/sitemap/0.9": SITEMAP,
        "https://www.sitemaps.org/schemas/sitemap/0.9": SITEMAP,
        "http://www.google.com/schemas/sitemap/0.9": SITEMAP,
        "http://www.google.com/schemas/sitemap/0.84": SITEMAP,
    }
)

# libxml2 in recovery mode keeps an undeclared prefix as part of the tag ("dc:date").
PREFIX_FAMILIES = MappingProxyType({"atom": ATOM, "dc": DC, "dcterms": DCTERMS, "rdf": RDF, "news": NEWS, "rss": CORE})


def split_tag(tag: str) -> tuple[str, str]:
    """(family, local name) of an element tag; unknown namespaces are their own family."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return NAMESPACE_FAMILIES.get(namespace, namespace), local
    prefix, colon, local = tag.partition(":")
    if colon:
        return PREFIX_FAMILIES.get(prefix, prefix + ":"), local
    return CORE, tag
