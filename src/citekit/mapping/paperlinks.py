"""What a reading-list link points at: arXiv ids, DOIs, proceedings pages, code or project.

``identify("https://arxiv.org/pdf/2201.02177v2.pdf")`` gives arXiv id ``2201.02177``, DOI
``10.48550/arXiv.2201.02177`` and year 2022; ``identify("https://openaccess.thecvf.com/content/
CVPR2023/papers/X_CVPR_2023_paper.pdf")`` gives venue ``CVPR`` and year 2023. Links are
classified by their label first (``[[code]]``, ``[project]``, ``[bibtex]``) and their host
second. Every pattern is anchored or bounded (linear time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

__all__ = ["LinkInfo", "arxiv_year", "find_arxiv_in_text", "identify", "role_of"]

_ARXIV_NEW = re.compile(r"(\d{4}\.\d{4,5})(v\d{1,3})?")
_ARXIV_OLD = re.compile(r"([a-z][a-z\-]{1,15}(?:\.[A-Z]{2})?/\d{7})(v\d{1,3})?")
_ARXIV_TEXT = re.compile(r"arXiv:\s?(\d{4}\.\d{4,5}|[a-z][a-z\-]{1,15}(?:\.[A-Z]{2})?/\d{7})")
_DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>#?]{1,300}")
_CVF = re.compile(r"(?:content/|content_)([A-Za-z]{3,6})_?(\d{4})(W?)(?=[/_])", re.IGNORECASE)
_ACL_NEW = re.compile(r"(\d{4})\.([a-z\-]{2,30})\.(\d{1,4})")
_ACL_OLD = re.compile(r"([A-Z])(\d{2})-(\d{4})")
_NIPS = re.compile(r"paper(?:_files/paper)?/(\d{4})/")
_ECVA = re.compile(r"papers/eccv_(\d{4})/")
_JMLR = re.compile(r"papers/v(\d{1,3})/")

_ACL_LETTERS = {
    "P": "ACL",
    "N": "NAACL",
    "D": "EMNLP",
    "C": "COLING",
    "K": "CoNLL",
    "E": "EACL",
    "Q": "TACL",
    "J": "CL",
}
_ACL_EVENTS = {
    "acl": "ACL",
    "naacl": "NAACL",
    "emnlp": "EMNLP",
    "eacl": "EACL",
    "coling": "COLING",
    "conll": "CoNLL",
    "aacl": "AACL",
    "tacl": "TACL",
    "cl": "CL",
    "findings": "Findings of ACL",
}

_ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("bibtex", ("bibtex", "bib", "citation", "cite")),
    ("code", ("code", "github", "model&code", "models", "model", "codes", "repo", "gitlab")),
    ("project", ("project", "project page", "page", "website", "homepage", "web page", "web")),
    ("blog", ("blog", "post", "newsletter")),
    ("video", ("video", "youtube", "talk", "slides", "demo", "poster")),
    ("data", ("data", "dataset", "benchmark", "huggingface", "hf", "colab")),
    ("paper", ("paper", "pdf", "arxiv", "doi", "openreview", "thecvf", "acl", "pub", "link")),
)
_PAPER_HOSTS = (
    "arxiv.org",
    "doi.org",
    "openreview.net",
    "thecvf.com",
    "aclanthology.org",
    "aclweb.org",
    "nips.cc",
    "neurips.cc",
    "mlr.press",
    "jmlr.org",
    "ecva.net",
    "ieeexplore.ieee.org",
    "dl.acm.org",
    "link.springer.com",
    "sciencedirect.com",
    "nature.com",
    "science.org",
    "pnas.org",
    "semanticscholar.org",
    "biorxiv.org",
    "medrxiv.org",
    "ssrn.com",
    "ijcai.org",
    "aaai.org",
    "onlinelibrary.wiley.com",
    "isca-speech.org",
    "isca-archive.org",
    "roboticsproceedings.org",
    "usenix.org",
    "bmva.org",
    "researchgate.net",
    "papers.cool",
)
_CODE_HOSTS = ("github.com", "gitlab.com", "huggingface.co", "colab.research.google.com")
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "bilibili.com")


@dataclass(slots=True)
class LinkInfo:
    """What one link tells about a paper."""

    role: str
    """``paper``, ``code``, ``project``, ``blog``, ``video``, ``data``, ``bibtex``, ``anchor``,
    ``image`` or ``other``."""
    url: str
    arxiv: str | None = None
    doi: str | None = None
    venue: str | None = None
    year: int | None = None
    openreview: str | None = None


def arxiv_year(arxiv_id: str) -> int | None:
    """The submission year of an arXiv id: ``2304.02643`` → 2023, ``hep-th/9905111`` → 1999."""
    digits = arxiv_id.rsplit("/", 1)[-1][:2]
    if not digits.isdigit():
        return None
    yy = int(digits)
    return 1900 + yy if yy >= 91 else 2000 + yy


def find_arxiv_in_text(text: str) -> str | None:
    """An ``arXiv:2106.07139`` mention in plain text, if any."""
    match = _ARXIV_TEXT.search(text)
    return match.group(1) if match else None


def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0].lower().removeprefix("www.")


def role_of(label: str, url: str) -> str:
    """Classify a link by its label (``[[code]]``) and then by its host."""
    if url.startswith("#"):
        return "anchor"
    words = label.strip().strip("[]").strip().lower()
    words = "".join(ch for ch in words if ch.isalnum() or ch in " &").strip()
    host = _host(url)
    for role, names in _ROLE_WORDS:
        if words in names or (words and words.split(" ")[0] in names and role != "paper"):
            if role == "code" and any(h in host for h in _PAPER_HOSTS):
                return "paper"
            return role
    if any(host == h or host.endswith("." + h) for h in _PAPER_HOSTS):
        return "paper"
    if any(host == h or host.endswith("." + h) for h in _CODE_HOSTS):
        return "code"
    if any(host == h or host.endswith("." + h) for h in _VIDEO_HOSTS):
        return "video"
    if url.lower().split("?", 1)[0].endswith(".pdf"):
        return "paper"
    return "other"


def _arxiv_from_path(path: str) -> tuple[str, str] | None:
    for prefix in ("abs/", "pdf/", "html/", "format/", "ps/"):
        if path.startswith(prefix):
            rest = path[len(prefix) :]
            match = _ARXIV_NEW.match(rest) or _ARXIV_OLD.match(rest)
            if match is not None:
                return match.group(1), match.group(2) or ""
    return None


def identify(label: str, url: str) -> LinkInfo:
    """Classify a link and pull identifiers, venue and year out of its URL."""
    info = LinkInfo(role_of(label, url), url)
    host = _host(url)
    path = url.split("://", 1)[-1].split("/", 1)[-1] if "/" in url else ""
    if host.endswith("arxiv.org"):
        found = _arxiv_from_path(path)
        if found is not None:
            info.arxiv = found[0]
            info.doi = f"10.48550/arXiv.{found[0]}"
            info.year = arxiv_year(found[0])
            info.role = "paper" if info.role in ("other", "code") else info.role
        return info
    if host.endswith(("doi.org", "springer.com")) or "doi/" in path:
        match = _DOI.search(unquote(path))
        if match is not None:
            info.doi = match.group(0).rstrip(".,;)").removesuffix(".pdf")
        return info
    if host.endswith("nature.com") and path.startswith("articles/"):
        article = path[len("articles/") :].split("?", 1)[0].removesuffix(".pdf").strip("/")
        if article and "/" not in article:
            info.doi = f"10.1038/{article}"
        return info
    if host.endswith("openreview.net"):
        _, _, query = url.partition("id=")
        info.openreview = query.split("&", 1)[0] or None
        if info.openreview:
            info.url = f"https://openreview.net/forum?id={info.openreview}"
        return info
    if host.endswith("thecvf.com"):
        match = _CVF.search(path)
        if match is not None:
            info.venue = match.group(1).upper() + ("W" if match.group(3) else "")
            info.year = int(match.group(2))
            if "workshop" in path.lower() and not info.venue.endswith("W"):
                info.venue += "W"
        return info
    if host.endswith(("aclanthology.org", "aclweb.org")):
        tail = path.removeprefix("anthology/").split("/", 1)[0]
        new = _ACL_NEW.match(tail)
        old = _ACL_OLD.match(tail)
        if new is not None:
            info.year = int(new.group(1))
            event = new.group(2).split("-", 1)
            info.venue = _ACL_EVENTS.get(event[0])
            if event[0] == "findings" and len(event) > 1:
                info.venue = {"emnlp": "Findings of EMNLP"}.get(event[1], "Findings of ACL")
        elif old is not None:
            yy = int(old.group(2))
            info.year = 1900 + yy if yy >= 60 else 2000 + yy
            info.venue = _ACL_LETTERS.get(old.group(1))
        return info
    if host.endswith(("nips.cc", "neurips.cc")):
        match = _NIPS.search(path)
        info.venue = "NeurIPS"
        info.year = int(match.group(1)) if match else None
        return info
    if host.endswith("ecva.net"):
        match = _ECVA.search(path)
        info.venue = "ECCV"
        info.year = int(match.group(1)) if match else None
        return info
    if host.endswith("jmlr.org"):
        match = _JMLR.search(path)
        info.venue = "JMLR"
        info.year = 1999 + int(match.group(1)) if match else None
    return info
