"""BibTeX → CSL for fields that combine: dates, eprints (arXiv), language, ``origyear``."""

from __future__ import annotations

from citekit.mapping import converters
from citekit.mapping._bib_state import MapState
from citekit.mapping.bib_tables import EPRINT_URLS, LANGIDS, LANGUAGE_VARIANTS
from citekit.mapping.bib_values import is_simple_date
from citekit.model.dates import parse_month

__all__ = ["map_date", "map_eprint", "map_language", "map_origyear"]


def map_date(state: MapState) -> None:
    """``date`` (EDTF) or ``year``/``month``/``day`` → ``issued``; bad parts reported and kept."""
    fields = state.fields
    ctx = state.ctx
    if "date" in fields and fields["date"].strip():
        date = converters.edtf_date(fields["date"])
        if date is None:
            ctx.report("bibtex.bad-date", f"date {fields['date'].strip()!r} is not a date", "date")
            state.keep("date")
        else:
            state.record["issued"] = date
            start = (date.get("date-parts") or [[]])[0]
            ranged = not is_simple_date(date)
            for index, name in enumerate(("year", "month", "day")):
                # ``year``/``month`` next to a range ``date`` (as the BibTeX writer emits them)
                # repeat its start: keeping them would make the next write drop the range.
                if not (ranged and _repeats(fields.get(name, ""), start, index)):
                    state.keep(name)
            return
    year, month, day = fields.get("year", ""), fields.get("month", ""), fields.get("day", "")
    if not year.strip():
        for name in ("year", "month", "day"):
            if name in fields:
                state.keep(name)
        return
    date, problems = converters.bib_date(ctx.decode("year", year, "text"), month, day)
    for problem in problems:
        # "day 'July~20,' is not a day of the month" is about the day (plume-bib Hartman2006).
        bad = next((n for n in ("year", "month", "day") if problem.startswith(n)), "day")
        ctx.report("bibtex.bad-date", problem, bad)
        if bad != "year":
            state.keep(bad)
    if date is not None:
        state.record["issued"] = date


def _repeats(value: str, start: list[int], index: int) -> bool:
    """Whether a year/month/day field ``value`` equals part ``index`` of the date's start."""
    text = value.strip()
    if not text or index >= len(start):
        return False
    signed = text.lstrip("+-")
    number = parse_month(text) if index == 1 else (int(text) if signed.isdigit() else None)
    return number == start[index]


def map_origyear(state: MapState) -> None:
    """Legacy ``origyear`` (biblatex < 1.0, still common) → original-date."""
    if "origyear" not in state.fields:
        return
    raw = state.fields["origyear"].strip()
    if not raw:
        state.keep("origyear")
        return
    if "original-date" in state.record:
        state.keep("origyear")
        return
    date, problems = converters.bib_date(raw, "", "")
    if problems or date is None:
        state.ctx.report("bibtex.bad-date", f"origyear {raw!r} is not a year", "origyear")
        state.keep("origyear")
        return
    state.record["original-date"] = date


_EPRINT_FIELDS = frozenset(
    ("eprint", "eprinttype", "archiveprefix", "eprintclass", "primaryclass", "arxivid")
)


def map_eprint(state: MapState) -> None:
    """Eprints: arXiv → preprint ``article`` with number, URL, DOI; other known types → URL."""
    fields = state.fields
    if _EPRINT_FIELDS.isdisjoint(fields):
        return  # the common case: nothing to map, nothing to keep
    eprint = fields.get("eprint", "").strip()
    kind = (fields.get("eprinttype") or fields.get("archiveprefix") or "").strip().lower()
    if not eprint and fields.get("arxivid", "").strip():  # Mendeley/JabRef export field
        eprint, kind = fields["arxivid"].strip(), "arxiv"
    match = converters.ARXIV_ID.match(eprint) if eprint else None
    is_arxiv = kind == "arxiv" or (not kind and match is not None)
    if not eprint or not is_arxiv or match is None:
        for name in ("eprint", "eprinttype", "archiveprefix", "eprintclass", "primaryclass",
                     "arxivid"):  # fmt: skip
            state.keep(name)
        if eprint and kind == "pubmed" and "PMID" not in state.record:
            state.record["PMID"] = eprint
        template = EPRINT_URLS.get(kind)
        if eprint and template and "URL" not in state.record and "url" not in fields:
            state.record["URL"] = template.format(eprint)
            state.guessed.append("URL")
        return
    arxiv_id = match.group(1) + (match.group(2) or "")
    record = state.record
    preprint = state.entry_type in ("misc", "unpublished", "online", "article") and not (
        state.entry_type == "article" and ("journal" in fields or "journaltitle" in fields)
    )
    if preprint and record.get("type") != "article":
        record["type"] = "article"
        state.guessed.append("type")
    if record["type"] == "article":
        record.setdefault("number", f"arXiv:{arxiv_id}")
        if "publisher" not in record:
            record["publisher"] = "arXiv"
            state.guessed.append("publisher")
    if "URL" not in record and "url" not in fields:
        record["URL"] = f"https://arxiv.org/abs/{arxiv_id}"
        state.guessed.append("URL")
    if "DOI" not in record and "doi" not in fields:
        record["DOI"] = f"10.48550/arXiv.{match.group(1)}"
        state.guessed.append("DOI")
    # The eprint fields themselves stay in custom so writers restore them exactly.
    for name in ("eprint", "eprinttype", "archiveprefix", "eprintclass", "primaryclass",
                 "arxivid"):  # fmt: skip
        state.keep(name)


def map_language(state: MapState) -> None:
    """``langid`` (then ``language``) → BCP 47 ``language``; babel names kept in custom."""
    for name in ("langid", "language"):
        if name not in state.fields:
            continue  # nothing to map or keep
        raw = state.fields[name].strip()
        if not raw:
            state.keep(name)
            continue
        tag = LANGIDS.get(raw) or LANGIDS.get(raw.lower())
        variant = state.fields.get("langidopts", "").replace(" ", "").lower()
        if tag and "variant=" in variant:
            region = LANGUAGE_VARIANTS.get(variant.split("variant=", 1)[1].split(",")[0])
            tag = f"{tag.split('-')[0]}-{region}" if region else tag
        if "language" in state.record:
            state.keep(name)
        elif tag:
            state.record["language"] = tag
            state.keep(name)  # the babel name, for an exact round trip
        else:
            state.record["language"] = state.text(name, "text")
