"""The curated venue table: acronyms of conferences, journals and preprint servers → CSL data.

The table is data (a tuple of frozen :class:`Venue` records), read by :func:`lookup`:
``lookup("CVPR")`` is the CVPR conference (CSL ``paper-conference``, container title
"Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition");
``lookup("CVPRW")`` and ``lookup("CVPR Workshop")`` are its workshops; ``lookup("TPAMI")`` is a
journal (``article-journal``); ``lookup("arXiv")`` is the preprint server (``article``).
Matching ignores case, spaces, dots and hyphens, so ``Siggraph Asia``, ``SIGGRAPH-Asia``
and ``NeurIPS`` / ``NIPS`` all resolve. Users extend or override it with a TOML file
(:func:`load_user_venues`)::

    [venues.MYCONF]
    name = "Proceedings of My Conference"
    kind = "conference"          # conference | journal | preprint
    aliases = ["MyConf", "MC"]
    publisher = "ACM"            # optional
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["VENUES", "Venue", "VenueTable", "load_user_venues", "lookup", "venue_key"]

KINDS = ("conference", "journal", "preprint")


@dataclass(frozen=True, slots=True)
class Venue:
    """One venue: its short name, full name, kind and the spellings that mean it."""

    short: str
    name: str
    kind: str = "conference"
    """``conference`` → ``paper-conference``, ``journal`` → ``article-journal``,
    ``preprint`` → ``article`` (a preprint server such as arXiv)."""
    aliases: tuple[str, ...] = ()
    publisher: str | None = None
    workshop: bool = False
    """Set on the derived workshop venue (``CVPRW``)."""

    @property
    def csl_type(self) -> str:
        """The CSL item type a paper at this venue gets."""
        return {"conference": "paper-conference", "journal": "article-journal"}.get(
            self.kind, "article"
        )


def _c(short: str, name: str, *aliases: str, publisher: str | None = None) -> Venue:
    return Venue(short, name, "conference", aliases, publisher)


def _j(short: str, name: str, *aliases: str, publisher: str | None = None) -> Venue:
    return Venue(short, name, "journal", aliases, publisher)


_CVF = "Proceedings of the IEEE/CVF "

VENUES: tuple[Venue, ...] = (
    # Preprint servers
    Venue("arXiv", "arXiv", "preprint", ("arXiv preprint", "CoRR", "ArXiv e-prints"), "arXiv"),
    Venue("bioRxiv", "bioRxiv", "preprint", (), "Cold Spring Harbor Laboratory"),
    Venue("medRxiv", "medRxiv", "preprint", (), "Cold Spring Harbor Laboratory"),
    Venue("SSRN", "SSRN", "preprint", (), "SSRN"),
    # Computer vision
    _c("CVPR", _CVF + "Conference on Computer Vision and Pattern Recognition (CVPR)"),
    _c("ICCV", _CVF + "International Conference on Computer Vision (ICCV)"),
    _c("ECCV", "Proceedings of the European Conference on Computer Vision (ECCV)"),
    _c("WACV", _CVF + "Winter Conference on Applications of Computer Vision (WACV)"),
    _c("BMVC", "Proceedings of the British Machine Vision Conference (BMVC)"),
    _c("3DV", "Proceedings of the International Conference on 3D Vision (3DV)"),
    _c("ACCV", "Proceedings of the Asian Conference on Computer Vision (ACCV)"),
    _c("ICIP", "Proceedings of the IEEE International Conference on Image Processing (ICIP)"),
    _c("ICME", "Proceedings of the IEEE International Conference on Multimedia and Expo (ICME)"),
    _c("ICCP", "Proceedings of the IEEE International Conference on Computational Photography"),
    _c(
        "FG",
        "Proceedings of the IEEE International Conference on Automatic Face and Gesture"
        " Recognition (FG)",
    ),
    _c(
        "ACM MM",
        "Proceedings of the ACM International Conference on Multimedia",
        "ACMMM",
        "ACM Multimedia",
        "MM",
        publisher="ACM",
    ),
    _c(
        "ICMR",
        "Proceedings of the ACM International Conference on Multimedia Retrieval",
        publisher="ACM",
    ),
    _c(
        "MICCAI",
        "Proceedings of the International Conference on Medical Image Computing and"
        " Computer-Assisted Intervention (MICCAI)",
    ),
    _c(
        "MIDL",
        "Proceedings of the International Conference on Medical Imaging with Deep Learning (MIDL)",
    ),
    _c(
        "ISBI",
        "Proceedings of the IEEE International Symposium on Biomedical Imaging (ISBI)",
        "IEEE ISBI",
    ),
    # Machine learning and AI
    _c(
        "NeurIPS",
        "Advances in Neural Information Processing Systems (NeurIPS)",
        "NIPS",
        "NeuRIPS",
        "NeruIPS",
        "NeurrIPS",
    ),
    _c("ICML", "Proceedings of the International Conference on Machine Learning (ICML)"),
    _c("ICLR", "Proceedings of the International Conference on Learning Representations (ICLR)"),
    _c("AAAI", "Proceedings of the AAAI Conference on Artificial Intelligence"),
    _c(
        "IJCAI",
        "Proceedings of the International Joint Conference on Artificial Intelligence (IJCAI)",
    ),
    _c(
        "AISTATS",
        "Proceedings of the International Conference on Artificial Intelligence and"
        " Statistics (AISTATS)",
    ),
    _c("UAI", "Proceedings of the Conference on Uncertainty in Artificial Intelligence (UAI)"),
    _c("COLT", "Proceedings of the Conference on Learning Theory (COLT)"),
    _c("ECAI", "Proceedings of the European Conference on Artificial Intelligence (ECAI)"),
    _c("ICANN", "Proceedings of the International Conference on Artificial Neural Networks"),
    _c("CoLLAs", "Proceedings of the Conference on Lifelong Learning Agents (CoLLAs)"),
    # NLP and speech
    _c(
        "ACL",
        "Proceedings of the Annual Meeting of the Association for Computational Linguistics (ACL)",
    ),
    _c(
        "EMNLP",
        "Proceedings of the Conference on Empirical Methods in Natural Language Processing (EMNLP)",
    ),
    _c(
        "NAACL",
        "Proceedings of the Conference of the North American Chapter of the"
        " Association for Computational Linguistics (NAACL)",
        "NAACL-HLT",
    ),
    _c(
        "EACL",
        "Proceedings of the Conference of the European Chapter of the Association for"
        " Computational Linguistics (EACL)",
    ),
    _c(
        "AACL",
        "Proceedings of the Conference of the Asia-Pacific Chapter of the Association"
        " for Computational Linguistics (AACL)",
        "AACL-IJCNLP",
    ),
    _c(
        "COLING",
        "Proceedings of the International Conference on Computational Linguistics (COLING)",
    ),
    _c("CoNLL", "Proceedings of the Conference on Computational Natural Language Learning (CoNLL)"),
    _c(
        "Findings of ACL",
        "Findings of the Association for Computational Linguistics",
        "Findings",
        "ACL Findings",
    ),
    _c(
        "Findings of EMNLP",
        "Findings of the Association for Computational Linguistics: EMNLP",
        "EMNLP Findings",
    ),
    _c("Interspeech", "Proceedings of Interspeech", "ISCA Interspeech"),
    _c(
        "ICASSP",
        "Proceedings of the IEEE International Conference on Acoustics, Speech and"
        " Signal Processing (ICASSP)",
        "IEEE ICASSP",
    ),
    _c("SLT", "Proceedings of the IEEE Spoken Language Technology Workshop (SLT)", "IEEE SLT"),
    _c(
        "ISMIR",
        "Proceedings of the International Society for Music Information Retrieval"
        " Conference (ISMIR)",
    ),
    _c("COLM", "Proceedings of the Conference on Language Modeling (COLM)"),
    # Graphics and HCI
    _c("SIGGRAPH", "ACM SIGGRAPH Conference Proceedings", "SIGGRAPH Conference", publisher="ACM"),
    _c(
        "SIGGRAPH Asia",
        "ACM SIGGRAPH Asia Conference Proceedings",
        "SIGGRAPHASIA",
        "SIGGRAPH-Asia",
        publisher="ACM",
    ),
    _c("Eurographics", "Proceedings of Eurographics", "EG"),
    _c("EGSR", "Proceedings of the Eurographics Symposium on Rendering (EGSR)"),
    _c(
        "I3D",
        "Proceedings of the ACM SIGGRAPH Symposium on Interactive 3D Graphics and Games (I3D)",
        publisher="ACM",
    ),
    _c(
        "CHI",
        "Proceedings of the CHI Conference on Human Factors in Computing Systems",
        publisher="ACM",
    ),
    _c(
        "UIST",
        "Proceedings of the ACM Symposium on User Interface Software and Technology (UIST)",
        publisher="ACM",
    ),
    _c("IEEE VIS", "Proceedings of the IEEE Visualization Conference (VIS)", "VIS"),
    # Data mining, web and IR
    _c(
        "KDD",
        "Proceedings of the ACM SIGKDD Conference on Knowledge Discovery and Data Mining (KDD)",
        "SIGKDD",
        publisher="ACM",
    ),
    _c(
        "WWW",
        "Proceedings of the ACM Web Conference (WWW)",
        "TheWebConf",
        "Web Conference",
        publisher="ACM",
    ),
    _c(
        "SIGIR",
        "Proceedings of the International ACM SIGIR Conference on Research and"
        " Development in Information Retrieval (SIGIR)",
        publisher="ACM",
    ),
    _c(
        "CIKM",
        "Proceedings of the ACM International Conference on Information and Knowledge"
        " Management (CIKM)",
        publisher="ACM",
    ),
    _c(
        "WSDM",
        "Proceedings of the ACM International Conference on Web Search and Data Mining (WSDM)",
        publisher="ACM",
    ),
    _c(
        "ICDM",
        "Proceedings of the IEEE International Conference on Data Mining (ICDM)",
        "IEEE ICDM",
    ),
    _c("ICDE", "Proceedings of the IEEE International Conference on Data Engineering (ICDE)"),
    _c("ECIR", "Proceedings of the European Conference on Information Retrieval (ECIR)"),
    _c(
        "RecSys",
        "Proceedings of the ACM Conference on Recommender Systems (RecSys)",
        publisher="ACM",
    ),
    _c(
        "FAccT",
        "Proceedings of the ACM Conference on Fairness, Accountability, and Transparency (FAccT)",
        "FAACT",
        "FAT*",
        publisher="ACM",
    ),
    # Robotics
    _c(
        "ICRA", "Proceedings of the IEEE International Conference on Robotics and Automation (ICRA)"
    ),
    _c(
        "IROS",
        "Proceedings of the IEEE/RSJ International Conference on Intelligent Robots"
        " and Systems (IROS)",
    ),
    _c("RSS", "Proceedings of Robotics: Science and Systems (RSS)"),
    _c("CoRL", "Proceedings of the Conference on Robot Learning (CoRL)"),
    # Systems, architecture, security, software
    _c(
        "OSDI",
        "Proceedings of the USENIX Symposium on Operating Systems Design and Implementation (OSDI)",
        publisher="USENIX Association",
    ),
    _c(
        "SOSP",
        "Proceedings of the ACM Symposium on Operating Systems Principles (SOSP)",
        publisher="ACM",
    ),
    _c(
        "NSDI",
        "Proceedings of the USENIX Symposium on Networked Systems Design and Implementation (NSDI)",
        publisher="USENIX Association",
    ),
    _c(
        "EuroSys",
        "Proceedings of the European Conference on Computer Systems (EuroSys)",
        publisher="ACM",
    ),
    _c(
        "ASPLOS",
        "Proceedings of the ACM International Conference on Architectural Support"
        " for Programming Languages and Operating Systems (ASPLOS)",
        publisher="ACM",
    ),
    _c("ISCA", "Proceedings of the International Symposium on Computer Architecture (ISCA)"),
    _c("MLSys", "Proceedings of Machine Learning and Systems (MLSys)", "SysML"),
    _c(
        "SC",
        "Proceedings of the International Conference for High Performance Computing,"
        " Networking, Storage and Analysis (SC)",
    ),
    _c("DAC", "Proceedings of the ACM/IEEE Design Automation Conference (DAC)"),
    _c(
        "ICCAD",
        "Proceedings of the IEEE/ACM International Conference on Computer-Aided Design (ICCAD)",
    ),
    _c(
        "USENIX Security",
        "Proceedings of the USENIX Security Symposium",
        publisher="USENIX Association",
    ),
    _c(
        "CCS",
        "Proceedings of the ACM SIGSAC Conference on Computer and Communications Security (CCS)",
        publisher="ACM",
    ),
    _c(
        "S&P",
        "Proceedings of the IEEE Symposium on Security and Privacy (S&P)",
        "IEEE S&P",
        "Oakland",
    ),
    _c(
        "ICSE",
        "Proceedings of the IEEE/ACM International Conference on Software Engineering (ICSE)",
    ),
    _c(
        "ASE",
        "Proceedings of the IEEE/ACM International Conference on Automated Software"
        " Engineering (ASE)",
    ),
    _c(
        "PLDI",
        "Proceedings of the ACM SIGPLAN Conference on Programming Language Design"
        " and Implementation (PLDI)",
        publisher="ACM",
    ),
    _c(
        "SIGMOD",
        "Proceedings of the ACM SIGMOD International Conference on Management of Data",
        publisher="ACM",
    ),
    _c("VLDB", "Proceedings of the VLDB Endowment", "PVLDB"),
    # Journals
    _j(
        "TOG",
        "ACM Transactions on Graphics",
        "ACM TOG",
        "ToG",
        "ACM Transactions on Graphics",
        publisher="ACM",
    ),
    _j(
        "TPAMI",
        "IEEE Transactions on Pattern Analysis and Machine Intelligence",
        "PAMI",
        "T-PAMI",
        "IEEE TPAMI",
    ),
    _j("IJCV", "International Journal of Computer Vision", publisher="Springer"),
    _j("TIP", "IEEE Transactions on Image Processing", "IEEE TIP"),
    _j("TVCG", "IEEE Transactions on Visualization and Computer Graphics", "IEEE TVCG"),
    _j("TMM", "IEEE Transactions on Multimedia", "IEEE TMM", "IEEE Transactions on Multimedia"),
    _j("TCSVT", "IEEE Transactions on Circuits and Systems for Video Technology"),
    _j("TNNLS", "IEEE Transactions on Neural Networks and Learning Systems"),
    _j("TMI", "IEEE Transactions on Medical Imaging", "IEEE TMI"),
    _j("TASLP", "IEEE/ACM Transactions on Audio, Speech, and Language Processing"),
    _j(
        "TOMM",
        "ACM Transactions on Multimedia Computing, Communications, and Applications",
        publisher="ACM",
    ),
    _j("RA-L", "IEEE Robotics and Automation Letters", "RAL", "IEEE RA-L"),
    _j("T-RO", "IEEE Transactions on Robotics", "TRO"),
    _j("IJRR", "The International Journal of Robotics Research"),
    _j("JBHI", "IEEE Journal of Biomedical and Health Informatics", "IEEE JBHI"),
    _j("T-BIOM", "IEEE Transactions on Biometrics, Behavior, and Identity Science", "IEEE T-BIOM"),
    _j("IEEE Access", "IEEE Access"),
    _j("CGF", "Computer Graphics Forum", "Computer Graphics Forum"),
    _j("MIA", "Medical Image Analysis", "MedIA"),
    _j("PR", "Pattern Recognition", "Pattern Recognition"),
    _j("PRL", "Pattern Recognition Letters", "Pattern Recognition Letters"),
    _j("KBS", "Knowledge-Based Systems", "Knowledge-Based Systems"),
    _j("Neurocomputing", "Neurocomputing"),
    _j("Neural Networks", "Neural Networks"),
    _j("Neural Computation", "Neural Computation"),
    _j("Information Sciences", "Information Sciences"),
    _j("JMLR", "Journal of Machine Learning Research"),
    _j("TMLR", "Transactions on Machine Learning Research"),
    _j("TACL", "Transactions of the Association for Computational Linguistics"),
    _j("CL", "Computational Linguistics"),
    _j("JAIR", "Journal of Artificial Intelligence Research"),
    _j("AIJ", "Artificial Intelligence"),
    _j("TKDE", "IEEE Transactions on Knowledge and Data Engineering"),
    _j("TOIS", "ACM Transactions on Information Systems", publisher="ACM"),
    _j("CSUR", "ACM Computing Surveys", "ACM Computing Surveys", publisher="ACM"),
    _j("CACM", "Communications of the ACM", publisher="ACM"),
    _j("Nature", "Nature", publisher="Springer Nature"),
    _j("Nature Methods", "Nature Methods", publisher="Springer Nature"),
    _j(
        "Nature Machine Intelligence",
        "Nature Machine Intelligence",
        "NMI",
        publisher="Springer Nature",
    ),
    _j(
        "Nature Communications",
        "Nature Communications",
        "Nat. Commun.",
        publisher="Springer Nature",
    ),
    _j("Science", "Science", publisher="American Association for the Advancement of Science"),
    _j("Science Robotics", "Science Robotics"),
    _j("PNAS", "Proceedings of the National Academy of Sciences", "Proc. Natl. Acad. Sci."),
    _j("Cell", "Cell"),
    _j("ApJ", "The Astrophysical Journal"),
)


def venue_key(text: str) -> str:
    """The lookup key of a venue spelling: upper-case letters, digits, ``&`` and ``*`` only."""
    return "".join(ch for ch in text.upper() if ch.isalnum() or ch in "&*")


@dataclass(frozen=True, slots=True)
class VenueTable:
    """An index of venues by every spelling's :func:`venue_key`."""

    index: Mapping[str, Venue]

    @classmethod
    def build(cls, venues: Iterable[Venue]) -> VenueTable:
        """Index ``venues``; later entries override earlier ones with the same spelling."""
        index: dict[str, Venue] = {}
        for venue in venues:
            for spelling in (venue.short, venue.name, *venue.aliases):
                index[venue_key(spelling)] = venue
        return cls(index)

    def lookup(self, text: str) -> Venue | None:
        """The venue a tag means: exact spelling, or a workshop of a known conference.

        ``CVPRW``, ``CVPR Workshop``, ``CVPR Workshops`` and ``NeurIPS Workshop`` resolve to a
        derived workshop venue (``workshop=True``) named after the conference.
        """
        key = venue_key(text)
        if not key:
            return None
        found = self.index.get(key)
        if found is not None:
            return found
        for suffix in ("WORKSHOPS", "WORKSHOP", "W"):
            if key.endswith(suffix) and len(key) > len(suffix):
                base = self.index.get(key[: -len(suffix)])
                if base is not None and base.kind == "conference":
                    return Venue(
                        base.short + "W",
                        base.name.removesuffix(f" ({base.short})") + f" ({base.short}) Workshops",
                        "conference",
                        (),
                        base.publisher,
                        True,
                    )
        return None


DEFAULT_TABLE = VenueTable.build(VENUES)


def lookup(text: str) -> Venue | None:
    """Look ``text`` up in the built-in table (see :meth:`VenueTable.lookup`)."""
    return DEFAULT_TABLE.lookup(text)


def load_user_venues(path: str | Path) -> tuple[list[Venue], list[str]]:
    """Read a user's venue TOML file; returns the venues and a list of problems found.

    A malformed entry is reported and skipped; the rest of the file still loads.
    """
    problems: list[str] = []
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return [], [f"cannot read venue table {path}: {exc}"]
    table = data.get("venues", data)
    venues: list[Venue] = []
    if not isinstance(table, dict):
        return [], [f"{path}: expected a [venues.NAME] table"]
    for short, entry in table.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            problems.append(f"{path}: venue {short!r} needs a string 'name'")
            continue
        kind = entry.get("kind", "conference")
        if kind not in KINDS:
            problems.append(f"{path}: venue {short!r} has unknown kind {kind!r}")
            continue
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append(f"{path}: venue {short!r}: 'aliases' must be a list of strings")
            aliases = []
        publisher = entry.get("publisher")
        venues.append(
            Venue(
                str(short),
                entry["name"],
                kind,
                tuple(aliases),
                publisher if isinstance(publisher, str) else None,
            )
        )
    return venues, problems
