"""Credits in caption text: who made a picture ("© X", "Foto: X", "REUTERS/X", "(AFP)", a trailing
agency), split off the caption it ends or starts, whatever markup it came in.

Text in, text out: crawler.extraction.captions finds captions and credit elements in the page and
asks this where a caption's own text ends; people uses AGENCIES (an agency is no author).
A credit keeps its own marker as printed; brackets around a credit and separators before it are
dropped: "Kim in Moskau. Foto: dpa" -> ("Kim in Moskau.", "Foto: dpa").
"""

from __future__ import annotations

import re

from .document import normalize_space

AGENCIES = tuple(
    (
        "AFP|AP|AP Photo|Associated Press|Reuters|REUTERS|dpa|DPA|dpa-infocom|epa|EPA|EPA-EFE|EFE|ANSA|ANP|"
        "APA|KNA|epd|SDA|Keystone|KEYSTONE|Belga|BELGA|TASS|Xinhua|XINHUA|Kyodo|Yonhap|YONHAP|KCNA|KNS|"
        "Sputnik|SIPA|Sipa|PA|PA Wire|PA Images|Getty Images|Getty|Imago|IMAGO|picture alliance|"
        "picture-alliance|Shutterstock|iStock|iStockphoto|Bloomberg|NurPhoto|ZUMA|Zuma|Anadolu|"
        "Anadolu Agency|AA|UPI|Europa Press|Agencia EFE|Photothek|ddp|DDP"
    ).split("|")
)
_AGENCY = "|".join(re.escape(name) for name in sorted(AGENCIES, key=len, reverse=True))
_AGENCY_LAST_WORDS = frozenset(name.split()[-1] for name in AGENCIES)
# agency names that are never ordinary trailing words, so no separator is needed before them
_ALWAYS_CREDIT = frozenset(name for name in AGENCIES if name.isupper() or name.islower() or " " in name)

# the full-width "（Ｃ）" of Japanese captions needs no space before it
_COPYRIGHT = re.compile(r"(?:(?:^|(?<=[\s(\[|/.,;:–—-]))(?:©|\(c\)|\(C\)|Copyright\b|copyright\b)|（[CcＣｃ]）)\s*")
_LABEL = re.compile(
    r"(?:^|(?<=[\s(\[|/.,;–—-]))(?:Fotos?|Photos?|Bild(?:er)?|Credits?|Photograph(?:y)?|Image|Picture|Pic|"
    r"Illustration|Grafik|Quelle|Source|Crédits?(?:\s+photo)?|Cr[ée]dit\s+photo|Fuente|Imagen|Fotografía|"
    r"Foto\s+di|Credito|Bron|Beeld|Photo\s+credits?|Image\s+credits?|Photo\s+courtesy(?:\s+of)?|Courtesy(?:\s+of)?|"
    r"Bildquelle|Bildnachweis|Fotoquelle|Symbolfoto|Symbolbild|Zdjęcie|Kuva|Ảnh|Isithombe|Fotoğraf|Screenshot|Capture\s+d['’]écran)"
    r"\s?:\s*"
    # "Photograph by X", "Foto von X"; Korean "[사진 출처 = X]", Japanese "写真＝X"
    r"|(?:^|(?<=[\s(\[|/.,;–—-]))(?-i:(?:Photo(?:graph)?s?|Picture|Image|Foto|Video)\s+(?:by|von|de|di|door)\s+(?=[A-ZÀ-Ý]))"
    # a screenshot's source: "Capture d'écran de Reddit", "Screenshot: X" is a label above
    r"|(?:^|(?<=[\s(\[|/.,;–—-]))(?-i:(?:Capture\s+d['’]écran|Screenshot)\s+(?:de\s+|d['’]|from\s+|von\s+)?(?=[A-ZÀ-Ý]))"
    r"|(?:사진(?:\s*출처)?|写真|撮影)\s*[=:＝]\s*",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"[(\[]([^()\[\]]{1,120})[)\]]\s*\.?$")
# "REUTERS/Evelyn Hockstein", "Jim Watson/AFP via Getty Images", "STR/AFP/Getty Images"
_NAME = r"[A-ZÀ-Ý][\w'’.-]*(?:\s[A-ZÀ-Ý][\w'’.-]*){0,2}"
_SLASHED = re.compile(
    rf"(?:(?:{_NAME})\s?/\s?)*(?:{_AGENCY})(?:\s?/\s?(?:{_NAME}))*(?:\s+via\s+(?:{_AGENCY}))?"
    r"(?:,\s*(?:File|Pool|Archive|Archiv))?\s*$"  # "AP Photo/Eric Gay, File"
)
# a photographer and an agency or paper unknown to the list: "Mohamed El Saife/CBC", "Lichtgut/Christoph Schmidt"
_NAMES_SLASHED = re.compile(rf"(?:{_NAME})(?:\s?/\s?(?:The\s)?(?:{_NAME}))+")
# a bracketed credit without a marker stands after the sentence and is a few capitalised words:
# "… for sale. (Bespoke Real Estate)"; but not what the picture is ("(Archivbild)", "(File)")
SENTENCE_END = (".", "!", "?", "…", '"', "”", "»", "’", "'")
_PICTURE_KINDS = frozenset(
    "archivbild archivfoto archiv archive archives file symbolbild symbolfoto illustration montage grafik video"
    " left right centre center above below top bottom inset pictured".split()
)
# a caption that is only the word for a picture in some language
PICTURE_WORDS = _PICTURE_KINDS | frozenset("foto fotos photo photos fotoğraf bild bilder image picture".split())
_MAX_BARE_CREDIT_WORDS = 4
RUNNING_TIME = re.compile(r"\d{1,3}:\d\d\s*(?:min|Min\.?)\b")
# Japanese captions end with the credit after a full-width equals sign: "（ソウルで、３日）＝ＡＰ"; the
# sign also adds a place or date ("＝同国で2019年5月"), which has digits or the particle "で"
_JAPANESE_CREDIT = re.compile(r"＝([^＝\s\dで]{1,12})$")
_SEGMENT_BREAK = re.compile(r"(?:(?<=[.!?…])\s+|(?<=[.!?…][\"”»’'])\s+|\s+[|–—•·]\s+|\s+-\s+|\s*\|\s*)")
_SEPARATORS = " \t|/–—-•·,;:"
_MAX_CREDIT_CHARS = 120


def split_credit(text: str) -> tuple[str, str | None]:
    """Caption text and its credit (None when the caption carries none)."""
    text = normalize_space(text)
    if not text:
        return "", None
    for splitter in (_split_marked, _split_bracketed, _split_trailing_agency, _split_japanese):
        result = splitter(text)
        if result is not None:
            return result
    return text, None


def _split_marked(text: str) -> tuple[str, str | None] | None:
    """A "©", "(c)" or "Foto:"-style marker starts the credit, which runs to the end."""
    marked = "©" in text or "(c" in text or "(C" in text or "opyright" in text or "（" in text
    matches = (_COPYRIGHT.search(text) if marked else None, _LABEL.search(text))
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
    return tidy_caption(caption), credit


_BARE_MARKERS = frozenset({"©", "(c)", "copyright", "foto", "photo", "bild", "credit", "image", "source"})


def _split_bracketed(text: str) -> tuple[str, str | None] | None:
    """ "Kim in Moskau (AFP)", "Kim in Moskau (Photo: AFP)"."""
    if not text.endswith((")", "]", ").", "].")):
        return None
    match = _BRACKETED.search(text, max(0, len(text) - 130))
    if match is None:
        return None
    inner = match.group(1).strip()
    before = text[: match.start()].rstrip()
    if not (
        _LABEL.match(inner)
        or _COPYRIGHT.match(inner)
        or _SLASHED.fullmatch(inner)
        or _NAMES_SLASHED.fullmatch(inner)
        or ((not before or before.endswith(SENTENCE_END)) and _is_bare_credit(inner))
    ):
        return None
    return tidy_caption(before), inner


def _is_bare_credit(text: str) -> bool:
    """ "Christie's", "AAP", "Bespoke Real Estate": a few capitalised words, not a kind of picture."""
    words = text.split()
    return (
        0 < len(words) <= _MAX_BARE_CREDIT_WORDS
        and all(word[0].isupper() for word in words)
        and not any(word.casefold().strip(".,") in _PICTURE_KINDS for word in words)
        and not any(character.isdigit() for character in text)
    )


def _split_japanese(text: str) -> tuple[str, str | None] | None:
    match = _JAPANESE_CREDIT.search(text)
    return (tidy_caption(text[: match.start()]), match.group(1)) if match else None


def _split_trailing_agency(text: str) -> tuple[str, str | None] | None:
    """ "Kim in Moskau. REUTERS/Evelyn Hockstein", "… | dpa", "Kim in Moskau dpa"."""
    pieces = _SEGMENT_BREAK.split(text)
    last = pieces[-1].strip(" .")
    if len(pieces) > 1 and (_SLASHED.fullmatch(last) or _NAMES_SLASHED.fullmatch(last)):
        return tidy_caption(text[: text.rfind(pieces[-1])]), last
    # the pattern is slow to try at every position: only run it when the text ends like a credit
    tail = text[-_MAX_CREDIT_CHARS:]
    if "/" not in tail and text.rsplit(None, 1)[-1].strip(".").rsplit(".", 1)[-1] not in _AGENCY_LAST_WORDS:
        return None
    match = _SLASHED.search(text, len(text) - len(tail))
    if match is None:
        return None
    credit = match.group(0).strip()
    start = match.start()
    # without a separator only unmistakable credits count: a slash group or an agency never used as a word
    # "… durante la carrera.AFP": an agency glued to the sentence's full stop
    glued = start > 1 and text[start - 1] == "." and text[start - 2].isalpha() and credit in _ALWAYS_CREDIT
    if start > 0 and text[start - 1] not in " (" and not glued:
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
    return tidy_caption(text[:start]), credit


def tidy_caption(caption: str) -> str:
    return caption.strip().rstrip(_SEPARATORS).strip()
