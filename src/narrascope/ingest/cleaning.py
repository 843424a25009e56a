"""Text normalisation at read time and detection of boilerplate residue (share bars, cookie notices, tags)."""

from __future__ import annotations

import re
import unicodedata

from narrascope.records import Span

_KEEP_CONTROLS = {"\n", "\t"}
_BLANK_RUN = re.compile(r"\n{4,}")
_TRAILING = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
_MAX_LINE = 200  # a boilerplate line is short; longer lines are article prose
_TAIL = r"(?:\s*[:\-–—|»>→].{0,120})?"  # "Read more: <headline>" — a separator is required before any tail

# Whole lines that are residue. Each pattern must match the entire (stripped) line, case-insensitively.
_LINE_PATTERNS: tuple[str, ...] = (
    # English
    r"(?:share|share this(?: article| story| post)?|share on (?:facebook|twitter|x|whatsapp|telegram)|tweet|print|email)",
    r"(?:subscribe|subscribe (?:now|to (?:our|the) newsletter.*)|sign up (?:for|to) (?:our|the) newsletter.*)",
    rf"(?:read more|read also|read next|see also|related(?: articles| stories)?|continue reading){_TAIL}",
    r"(?:leave a (?:comment|reply)|comments?|\d+ comments?|show comments|add a comment)",
    r"(?:follow us on .{1,80}|advertisement|sponsored(?: content)?|all rights reserved.{0,120}|©.{0,120})",
    r"(?:photo|image|picture|photograph|credit|photo credit)s?\s*:.{0,120}",
    r"(?:this (?:web)?site uses cookies|we use cookies|accept(?: all)? cookies|cookie (?:policy|settings)).{0,200}",
    r"(?:full version (?:on|at) the (?:web)?site|view the full (?:version|article).{0,80})",
    # Russian
    rf"(?:читайте (?:также|еще|ещё|далее)|читать (?:далее|полностью)|подробнее|смотрите также){_TAIL}",
    r"(?:поделиться|поделитесь.{0,80}|подписывайтесь.{0,120}|подпишитесь.{0,120}|комментари[ийя](?:\s*\(?\d+\)?)?)",
    r"(?:фото|снимок|иллюстрация|источник фото)\s*:.{0,120}",
    r"(?:реклама|все права защищены.{0,120})",
    r"(?:(?:этот |наш )?сайт использует (?:файлы )?cookie.{0,200}|мы используем (?:файлы )?cookie.{0,200})",
    r"(?:полная версия (?:на сайте|материала).{0,80})",
    # Bulgarian
    rf"(?:прочетете (?:още|също)|вижте (?:още|също)|още по темата|прочети още){_TAIL}",
    r"(?:сподели(?:те)?|абонирайте се.{0,120}|последвайте ни.{0,80}|коментари?(?:\s*\(?\d+\)?)?)",
    r"(?:снимк[аи]|снимка|фото)\s*:.{0,120}",
    r"(?:реклама|всички права запазени.{0,120})",
    r"(?:(?:този )?сайт(?:ът)? използва бисквитки.{0,200}|ние използваме бисквитки.{0,200})",
    r"(?:пълната версия (?:на|в) сайта.{0,80})",
    # Portuguese
    rf"(?:leia (?:mais|também)|saiba mais|veja também|ler mais|continue a ler|continue lendo){_TAIL}",
    r"(?:partilh(?:ar|e)|compartilh(?:ar|e)|assine.{0,120}|subscreva.{0,120}|siga-nos.{0,80}|comentários?)",
    r"(?:foto|imagem|fotografia|créditos?)\s*:.{0,120}",
    r"(?:publicidade|todos os direitos reservados.{0,120})",
    r"(?:este (?:site|sítio) (?:usa|utiliza) cookies.{0,200}|(?:nós )?usamos cookies.{0,200}|utilizamos cookies.{0,200})",
    r"(?:versão completa no site.{0,80})",
    # Hindi
    rf"(?:और पढ़ें|यह भी पढ़ें|ये भी पढ़ें|इसे भी पढ़ें|आगे पढ़ें){_TAIL}",
    r"(?:शेयर करें|साझा करें|सब्सक्राइब करें.{0,120}|हमें फॉलो करें.{0,80}|टिप्पणियाँ|टिप्पणी करें)",
    r"(?:फोटो|फ़ोटो|तस्वीर|चित्र)\s*:.{0,120}",
    r"(?:विज्ञापन|सर्वाधिकार सुरक्षित.{0,120})",
    r"(?:यह (?:वेब)?साइट कुकीज़? का (?:उपयोग|इस्तेमाल) करती है.{0,200})",
)
_LINE_RE = re.compile("|".join(f"(?:{p})" for p in _LINE_PATTERNS), re.IGNORECASE)

_TAG_NAMES = (
    "a|abbr|article|aside|b|blockquote|br|div|em|figcaption|figure|font|footer|h[1-6]|header|hr|i|iframe|img|"
    "li|nav|noscript|ol|p|picture|script|section|small|source|span|strong|style|sub|sup|table|tbody|td|th|"
    "thead|tr|u|ul|video"
)
_TAG_RE = re.compile(rf"</?(?:{_TAG_NAMES})(?:\s[^<>\n]{{0,300}})?\s*/?>", re.IGNORECASE)
_ENTITY_RE = re.compile(
    r"&(?:nbsp|amp|quot|lt|gt|apos|mdash|ndash|laquo|raquo|hellip|rsquo|lsquo|rdquo|ldquo|copy|shy|"
    r"#\d{1,7}|#x[0-9a-fA-F]{1,6});"
)


def normalise_text(text: str) -> str:
    """Normalise newlines to "\\n", drop NULs and control characters, trailing spaces and extra blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if _keep_char(ch))
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING.sub("", text)
    text = _BLANK_RUN.sub("\n\n\n", text)
    return text.strip("\n")


def normalise_title(title: str) -> str:
    """A title on one line: normalised text with whitespace runs collapsed."""
    return " ".join(normalise_text(title).split())


def _keep_char(ch: str) -> bool:
    if ch in _KEEP_CONTROLS:
        return True
    if ch == "\ufeff":
        return False
    return unicodedata.category(ch) != "Cc"


def find_boilerplate(text: str) -> list[Span]:
    """Spans of obvious residue: footer lines, cookie notices, photo credits, stray tags and entities."""
    spans = _boilerplate_lines(text)
    covered = [(s.start, s.end) for s in spans]
    for regex in (_TAG_RE, _ENTITY_RE):
        for match in regex.finditer(text):
            if not any(a <= match.start() < b for a, b in covered):
                spans.append(Span(match.start(), match.end(), match.group()))
    return sorted(spans, key=lambda s: (s.start, s.end))


def _boilerplate_lines(text: str) -> list[Span]:
    spans: list[Span] = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and len(stripped) <= _MAX_LINE and _LINE_RE.fullmatch(stripped.rstrip(".:!…→>»")):
            start = offset + line.index(stripped)
            spans.append(Span(start, start + len(stripped), stripped))
        offset += len(line) + 1
    return spans
