""".bib → CSL output unchanged: this checkout against a baseline checkout (issue 7).

Reads every ``.bib`` of ``../shared/corpora`` and the perf corpus' 10k.bib/full.bib with
``citekit.api.read`` (``bibtex``, ``biblatex``, ``bibtex`` + ``sentence_case``; the two big
files in the first two only) and streams the perf files to CSL-JSON with
``convert_stream(jobs=1)``, once with each tree's ``src`` on ``PYTHONPATH``, and compares a
SHA-256 of the records, diagnostics and locations (of the output file and diagnostics for
streams). Prints every difference; exit status 1 if there is one.

    python benchmarks/parse_check.py --baseline /work/ck-base [--quick]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CITEKIT_SHARED", ROOT.parent / "shared"))
CACHE = Path(os.environ.get("CITEKIT_BENCH_CACHE", Path(tempfile.gettempdir()) / "citekit-bench"))

_DUMP = r"""
import glob, hashlib, json, os, sys
from citekit.api import read
try:
    from citekit._stream_convert import convert_stream
except ImportError:  # a baseline from before the module split
    from citekit._streaming import convert_stream
shared, big, quick, out = sys.argv[1], sys.argv[2].split(os.pathsep), sys.argv[3], sys.argv[4]
files = sorted(glob.glob(os.path.join(shared, "corpora", "**", "*.bib"), recursive=True))
big = [b for b in big if b][: 1 if quick == "1" else None]
with open(out, "w", encoding="utf-8") as sink:
    for path in files + big:
        variants = [("bibtex", {}), ("biblatex", {}), ("bibtex", {"sentence_case": True})]
        for fmt, opts in variants[:2] if path in big else variants:
            try:
                lib = read(path, format=fmt, **opts)
                payload = json.dumps([lib.records, [repr(d) for d in lib.diagnostics],
                                      [repr(x) for x in lib.locations]],
                                     sort_keys=True, ensure_ascii=False, default=repr)
            except Exception as exc:
                payload = "EXC " + repr(exc)
            digest = hashlib.sha256(payload.encode()).hexdigest()
            sink.write(f"{path}\t{fmt}\t{opts}\t{digest}\n")
        if path in big or os.sep + "perf" + os.sep in path:
            target = out + ".stream.json"
            result = convert_stream(path, target, to_format="csl-json", jobs=1)
            with open(target, "rb") as handle:
                data = handle.read() + repr(result.diagnostics).encode()
            sink.write(f"{path}\tstream\t\t{hashlib.sha256(data).hexdigest()}\n")
"""


def _dump(src: Path, big: list[str], quick: bool, out: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(src))
    args = [sys.executable, "-c", _DUMP, str(SHARED), os.pathsep.join(big), "1" if quick else "0"]
    subprocess.run([*args, str(out)], env=env, check=True)
    lines = out.read_text(encoding="utf-8").splitlines()
    return {line.rsplit("\t", 1)[0]: line.rsplit("\t", 1)[1] for line in lines}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, type=Path, help="checkout to compare with")
    parser.add_argument("--quick", action="store_true", help="10k.bib only, no full.bib")
    args = parser.parse_args()
    corpus = sorted(CACHE.glob("corpus-*"))
    big = [str(corpus[-1] / name) for name in ("10k.bib", "full.bib")] if corpus else []
    if not big:
        print("perf corpus not built (run benchmarks/run.py once); corpora only")
    with tempfile.TemporaryDirectory() as tmp:
        mine = _dump(ROOT / "src", big, args.quick, Path(tmp) / "mine.tsv")
        base = _dump(args.baseline / "src", big, args.quick, Path(tmp) / "base.tsv")
    differ = sorted(key for key in base.keys() | mine.keys() if base.get(key) != mine.get(key))
    for key in differ:
        print("DIFFERS:", key.replace("\t", " "))
    print(f"{len(mine)} outputs compared, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
