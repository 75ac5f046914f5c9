"""Split a photo credit off caption text: "Kim in Moskau. Foto: dpa" -> ("Kim in Moskau.", "Foto: dpa").

The credit keeps its own marker ("© X", "Foto: X", "REUTERS/X") as printed; brackets around a credit
("(AFP)", "(Photo: AFP)") and separators before it are dropped.
"""

from __future__ import annotations

import re

from .text import normalize_space

AGENCIES = (
    "AFP",
    "AP",
    "AP Photo",
    "Associated Press",
    "Reuters",
    "REUTERS",
    "dpa",
    "DPA",
    "dpa-infocom",
    "epa",
    "EPA",
    "EPA-EFE",
    "EFE",
    "ANSA",
    "ANP",
    "APA",
    "KNA",
    "epd",
    "SDA",
    "Keystone",
    "KEYSTONE",
    "Belga",
    "BELGA",
    "TASS",
    "Xinhua",
    "XINHUA",
    "Kyodo",
    "Yonhap",
    "YONHAP",
    "KCNA",
    "KNS",
    "Sputnik",
    "SIPA",
    "Sipa",
    "PA",
    "PA Wire",
    "PA Images",
    "Getty Images",
    "Getty",
    "Imago",
    "IMAGO",
    "picture alliance",
    "picture-alliance",
    "Shutterstock",
    "iStock",
    "iStockphoto",
    "Bloomberg",
    "NurPhoto",
    "ZUMA",
    "Zuma",
    "Anadolu",
    "Anadolu Agency",
    "AA",
    "UPI",
    "Europa Press",
    "Agencia EFE",
    "Photothek",
    "ddp",
    "DDP",
)
_AGENCY = "|".join(re.escape(name) for name in sorted(AGENCIES, key=len, reverse=True))
_AGENCY_LAST_WORDS = frozenset(name.split()[-1] for name in AGENCIES)
# agency names that are never ordinary trailing words, so no separator is needed before them
_ALWAYS_CREDIT = frozenset(name for name in AGENCIES if name.isupper() or name.islower() or " " in name)

_COPYRIGHT = re.compile(r"(?:^|(?<=[\s(\[|/.,;:–—-]))(?:©|\(c\)|\(C\)|Copyright\b|copyright\b)\s*")
_LABEL = re.compile(
    r"(?:^|(?<=[\s(\[|/.,;–—-]))(?:Fotos?|Photos?|Bild(?:er)?|Credits?|Photograph(?:y)?|Image|Picture|Pic|"
    r"Illustration|Grafik|Quelle|Source|Crédits?(?:\s+photo)?|Cr[ée]dit\s+photo|Fuente|Imagen|Fotografía|"
    r"Foto\s+di|Credito|Bron|Beeld|Photo\s+credit|Image\s+credit|Photo\s+courtesy(?:\s+of)?|Courtesy(?:\s+of)?)"
    r"\s?:\s*",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"[(\[]([^()\[\]]{1,120})[)\]]\s*\.?$")
# "REUTERS/Evelyn Hockstein", "Jim Watson/AFP via Getty Images", "STR/AFP/Getty Images"
_NAME = r"[A-ZÀ-Ý][\w'’.-]*(?:\s[A-ZÀ-Ý][\w'’.-]*){0,2}"
_SLASHED = re.compile(rf"(?:(?:{_NAME})\s?/\s?)*(?:{_AGENCY})(?:\s?/\s?(?:{_NAME}))*(?:\s+via\s+(?:{_AGENCY}))?\s*$")
_SEGMENT_BREAK = re.compile(r"(?:(?<=[.!?…])\s+|\s+[|–—•·]\s+|\s+-\s+|\s*\|\s*)")
_SEPARATORS = " \t|/–—-•·,;:"
_MAX_CREDIT_CHARS = 120


def split_credit(text: str) -> tuple[str, str | None]:
    """Caption text and its credit (None when the caption carries none)."""
    text = normalize_space(text)
    if not text:
        return "", None
    for splitter in (_split_marked, _split_bracketed, _split_trailing_agency):
        result = splitter(text)
        if result is not None:
            return result
    return text, None


def _split_marked(text: str) -> tuple[str, str | None] | None:
    """A "©", "(c)" or "Foto:"-style marker starts the credit, which runs to the end."""
    marked = "©" in text or "(c" in text or "(C" in text or "opyright" in text
    matches = (_COPYRIGHT.search(text) if marked else None, _LABEL.search(text) if ":" in text else None)
    starts = [m.start() for m in matches if m is not None]
    if not starts:
        return None
    start = min(starts)
    caption, credit = text[:start], text[start:]
    if caption.endswith(("(", "[")):
        caption = caption[:-1]
        credit = credit.rstrip(" .")
        if credit.endswith((")", "]")):
            credit = credit[:-1]
    credit = credit.strip()
    if not credit or len(credit) > _MAX_CREDIT_CHARS or credit.rstrip(": ").casefold() in _BARE_MARKERS:
        return None
    return _tidy(caption), credit


_BARE_MARKERS = frozenset({"©", "(c)", "copyright", "foto", "photo", "bild", "credit", "image", "source"})


def _split_bracketed(text: str) -> tuple[str, str | None] | None:
    """ "Kim in Moskau (AFP)", "Kim in Moskau (Photo: AFP)"."""
    if not text.endswith((")", "]", ").", "].")):
        return None
    match = _BRACKETED.search(text, max(0, len(text) - 130))
    if match is None:
        return None
    inner = match.group(1).strip()
    if not (_LABEL.match(inner) or _COPYRIGHT.match(inner) or _SLASHED.fullmatch(inner)):
        return None
    return _tidy(text[: match.start()]), inner


def _split_trailing_agency(text: str) -> tuple[str, str | None] | None:
    """ "Kim in Moskau. REUTERS/Evelyn Hockstein", "… | dpa", "Kim in Moskau dpa"."""
    pieces = _SEGMENT_BREAK.split(text)
    last = pieces[-1].strip(" .")
    if len(pieces) > 1 and _SLASHED.fullmatch(last):
        return _tidy(text[: text.rfind(pieces[-1])]), last
    # the pattern is slow to try at every position: only run it when the text ends like a credit
    tail = text[-_MAX_CREDIT_CHARS:]
    if "/" not in tail and text.rsplit(None, 1)[-1].strip(".") not in _AGENCY_LAST_WORDS:
        return None
    match = _SLASHED.search(text, len(text) - len(tail))
    if match is None:
        return None
    credit = match.group(0).strip()
    start = match.start()
    # without a separator only unmistakable credits count: a slash group or an agency never used as a word
    if start > 0 and text[start - 1] not in " (":
        return None
    if "/" not in credit and credit not in _ALWAYS_CREDIT:
        return None
    if "/" in credit and start > 0:
        # "Moskau Evelyn Hockstein/REUTERS": a name before the slash is at most two words long
        head, _, _ = credit.partition("/")
        words = head.split()
        if len(words) > 2:
            start += len(" ".join(words[:-2])) + 1
            credit = text[start:].strip()
    return _tidy(text[:start]), credit


def _tidy(caption: str) -> str:
    return caption.strip().rstrip(_SEPARATORS).strip()
