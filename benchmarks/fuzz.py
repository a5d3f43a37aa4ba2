"""Mutation fuzzing of every reader (and the writers on the result) over the real corpora.

Each corpus file is mutated with seeded byte flips, deletions, duplications, truncations and
insertions of syntax characters; every mutant is read with its reader (through the same
``decode_bytes`` path as ``citekit.read``) and written with every writer. Reported:

* inputs tried;
* crashes — any exception escaping a reader or writer (must be 0);
* entries lost — an entry whose source span does not overlap the mutation but which is
  missing from the mutated read (must be 0). Entries whose span is untouched but whose
  record differs are counted separately as "changed" (a mutation in an ``@string`` or a
  crossref parent legitimately changes its users, so those are listed, not failed).

Not part of the test suite. Example::

    PYTHONPATH=src python benchmarks/fuzz.py --per-file 40 --seed 1 --jobs 2
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import citekit  # noqa: E402
from citekit._io import decode_bytes  # noqa: E402
from citekit.errors import Diagnostics  # noqa: E402

CORPORA = Path(os.environ.get("CITEKIT_SHARED", ROOT.parent / "shared")) / "corpora"
WRITERS = ("bibtex", "biblatex", "csl-json", "csl-yaml")
SPECIALS = [b"{", b"}", b"@", b'"', b",", b"=", b"#", b"%", b"\\", b"\n", b"\x00", b"[", b"]"]
MAX_BYTES = 40_000


def corpus_files(limit_bytes: int = MAX_BYTES) -> list[tuple[Path, str]]:
    """(path, format) of the corpus files small enough to fuzz quickly."""
    found: list[tuple[Path, str]] = []
    for pattern, fmt in (
        ("bib/small/**/*.bib", "biblatex"),
        ("bib/small/typst-biblatex/valid/*.bib", "bibtex"),
        ("csl-json/**/*.json", "csl-json"),
        ("markdown/**/*.md", "markdown"),
    ):
        for path in sorted(CORPORA.glob(pattern)):
            if path.is_file() and path.stat().st_size <= limit_bytes:
                found.append((path, fmt))
    return found


@dataclass
class Mutation:
    """What was done to the bytes: the affected original byte range [start, end)."""

    kind: str
    start: int
    end: int
    data: bytes


def mutate(data: bytes, rng: random.Random) -> Mutation:
    """One seeded mutation of ``data``."""
    n = len(data)
    i = rng.randrange(max(n, 1))
    kind = rng.choice(["flip", "delete", "duplicate", "truncate", "insert", "flip-many"])
    if kind == "flip":
        byte = bytes([rng.randrange(256)])
        return Mutation(kind, i, i + 1, data[:i] + byte + data[i + 1 :])
    if kind == "flip-many":
        out = bytearray(data)
        spots = sorted(rng.randrange(max(n, 1)) for _ in range(4))
        lo, hi = spots[0], spots[0] + 1
        for spot in spots:
            if spot - hi > 64:
                break  # keep the damage local: one contiguous window
            if spot < n:
                out[spot] = rng.randrange(256)
            hi = spot + 1
        return Mutation(kind, lo, hi, bytes(out))
    if kind == "delete":
        k = rng.randint(1, 64)
        return Mutation(kind, i, min(n, i + k), data[:i] + data[i + k :])
    if kind == "duplicate":
        k = rng.randint(1, 200)
        chunk = data[i : i + k]
        return Mutation(kind, i + len(chunk), i + len(chunk), data[: i + k] + chunk + data[i + k :])
    if kind == "truncate":
        return Mutation(kind, i, n, data[:i])
    special = rng.choice(SPECIALS)
    return Mutation(kind, i, i, data[:i] + special + data[i:])


@dataclass
class Entry:
    """An entry of the unmutated read: its record and its source span in bytes."""

    key: str
    record: dict[str, Any]
    start: int
    end: int
    indirect: bool


def _line_offsets(data: bytes) -> list[int]:
    offsets = [0]
    for index, byte in enumerate(data):
        if byte == 10:
            offsets.append(index + 1)
    return offsets


_FALLBACK_ID = re.compile(r"item-\d+")


def _key(record: dict[str, Any], fmt: str) -> str:
    if fmt == "markdown":
        return str(record.get("URL") or record.get("title") or record.get("id"))
    if _FALLBACK_ID.fullmatch(str(record.get("id"))):  # no id in the file: numbered by position
        return "title:" + json.dumps(record.get("title"))
    return str(record.get("id"))


def _indirect(record: dict[str, Any]) -> bool:
    bib = (record.get("custom") or {}).get("bibtex") or {}
    fields = bib.get("fields") or {}
    return bool(bib.get("macros")) or any(
        name in fields for name in ("crossref", "xdata", "xref", "set")
    )


def _read(data: bytes, fmt: str, source: str) -> citekit.Library:
    diagnostics = Diagnostics()
    text = decode_bytes(data, source=source, diagnostics=diagnostics)
    library = citekit.read_string(text, format=fmt, source=source)
    return library


def baseline(data: bytes, fmt: str, source: str) -> list[Entry]:
    """The entries of the unmutated file with byte spans (start → next entry's start)."""
    library = _read(data, fmt, source)
    lines = _line_offsets(data)
    text_lines = data.decode("utf-8", "replace").split("\n")
    starts: list[int | None] = []
    for location in library.locations:
        if location is None or location.line is None or location.line > len(lines):
            starts.append(None)
            continue
        column = (location.column or 1) - 1
        prefix = text_lines[location.line - 1][:column].encode("utf-8", "replace")
        starts.append(lines[location.line - 1] + len(prefix))
    known = sorted({s for s in starts if s is not None})
    entries: list[Entry] = []
    seen: set[str] = set()
    for record, start in zip(library.records, starts, strict=True):
        key = _key(record, fmt)
        if start is None or key in seen:
            seen.add(key)
            continue
        seen.add(key)
        later = [s for s in known if s > start]
        end = later[0] if later else len(data)
        entries.append(Entry(key, record, start, end, _indirect(record)))
    return entries


@dataclass
class Result:
    """Counters of one fuzz job."""

    tried: int = 0
    crashes: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    changed: int = 0
    kinds: Counter[str] = field(default_factory=Counter)


def _strip_volatile(record: dict[str, Any], fmt: str) -> Any:
    if fmt == "markdown":
        return record.get("title"), record.get("URL")
    if _FALLBACK_ID.fullmatch(str(record.get("id"))):
        return {k: v for k, v in record.items() if k != "id"}
    return record


def fuzz_file(path: Path, fmt: str, count: int, seed: int) -> Result:
    """Mutate one file ``count`` times and check every mutant."""
    result = Result()
    data = path.read_bytes()
    source = str(path.relative_to(CORPORA))
    base = baseline(data, fmt, source)
    rng = random.Random(f"{seed}:{source}:{fmt}")
    for _ in range(count):
        mutation = mutate(data, rng)
        result.tried += 1
        result.kinds[mutation.kind] += 1
        label = f"{source} [{fmt}] {mutation.kind}@{mutation.start}-{mutation.end}"
        try:
            library = _read(mutation.data, fmt, source)
            for writer in WRITERS:
                citekit.write_string(library, format=writer).encode("utf-8")
        except Exception:
            result.crashes.append(label + "\n" + traceback.format_exc(limit=6))
            continue
        got: dict[str, list[dict[str, Any]]] = {}
        for record in library.records:
            got.setdefault(_key(record, fmt), []).append(record)
        lo, hi = mutation.start - 1, mutation.end + 1
        # CSL-JSON: the bytes before the first item are the container ("[", '{"items": ['); a
        # mutation there damages the list itself, so it touches every item.
        if fmt == "csl-json" and base and mutation.start <= min(e.start for e in base):
            continue
        for entry in base:
            if entry.start < hi and lo < entry.end:
                continue  # touched by the mutation
            if mutation.kind == "truncate" and entry.end > mutation.start:
                continue
            candidates = got.get(entry.key)
            if not candidates:
                result.lost.append(f"{label}: {entry.key!r} (bytes {entry.start}-{entry.end})")
                continue
            wanted = _strip_volatile(entry.record, fmt)
            if not any(_strip_volatile(c, fmt) == wanted for c in candidates):
                if entry.indirect:
                    result.changed += 1
                else:
                    result.lost.append(f"{label}: {entry.key!r} changed")
    return result


def _job(args: tuple[str, str, int, int]) -> Result:
    path, fmt, count, seed = args
    return fuzz_file(Path(path), fmt, count, seed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-file", type=int, default=40, help="mutants per corpus file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", help="write the figures to this JSON file")
    parser.add_argument("--show", type=int, default=10, help="examples to print per problem")
    parser.add_argument("--format", action="append", help="fuzz only these reader formats")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        print(f"no corpora at {CORPORA}", file=sys.stderr)
        return 2
    files = [(p, f) for p, f in corpus_files() if not args.format or f in args.format]
    jobs = [(str(p), fmt, args.per_file, args.seed) for p, fmt in files]
    started = time.perf_counter()
    total = Result()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for part in pool.map(_job, jobs):
            total.tried += part.tried
            total.crashes += part.crashes
            total.lost += part.lost
            total.changed += part.changed
            total.kinds.update(part.kinds)
    elapsed = time.perf_counter() - started
    formats = Counter(fmt for _, fmt in files)
    print(f"files: {len(files)} {dict(formats)}; seed {args.seed}; {elapsed:.0f} s")
    print(f"inputs tried: {total.tried} {dict(total.kinds)}")
    print(f"crashes: {len(total.crashes)}")
    print(f"entries lost (untouched by the mutation): {len(total.lost)}")
    print(f"entries changed through @string/crossref (not counted as lost): {total.changed}")
    for crash in total.crashes[: args.show]:
        print("CRASH", crash)
    for lost in total.lost[: args.show]:
        print("LOST", lost)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "seed": args.seed,
                    "files": len(files),
                    "inputs": total.tried,
                    "crashes": len(total.crashes),
                    "lost": len(total.lost),
                    "changed_indirect": total.changed,
                    "kinds": dict(total.kinds),
                    "seconds": round(elapsed),
                },
                indent=2,
            )
        )
    return 1 if total.crashes or total.lost else 0


if __name__ == "__main__":
    sys.exit(main())
