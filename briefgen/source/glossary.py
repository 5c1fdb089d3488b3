"""The glossary (content/glossary.yaml) and article-local terms: YAML -> ``Term``; pure.

A glossary is a mapping of headword -> {name, aliases, definition, see}, or headword
-> definition text: ``TERMS``, the spec of its structure (``briefgen.source.specs``),
which sidecars' ``terms:`` share. ``check_terms`` checks what needs every entry:
see-also targets exist, and no spelling belongs to two site terms.
"""

from __future__ import annotations

from briefgen.errors import Diagnostic, did_you_mean
from briefgen.model import Term
from briefgen.source.fieldtypes import Text, Texts
from briefgen.source.specs import CONTENT, Checked, read_spec
from briefgen.source.structures import Record, Terms
from briefgen.source.yamlio import YamlDoc

TERM = Record(
    {
        "name": Text("The name the glossary page shows (default: the headword)."),
        "aliases": Texts(
            "Other spellings that mark the term in articles (whole words; a spelling with "
            "capitals beyond its first letter, such as NATO, matches exactly).",
            item="alias",
        ),
        "definition": Text(
            "What the term means, in Markdown.", nonblank=True, what="the definition"
        ),
        "see": Texts("Related terms: headwords of the glossary (or of the same sidecar)."),
    },
    what="term '{key}'",
    required=("definition",),
)
TERMS = Terms(
    TERM,
    "Glossary entries: each headword with its definition, or with a mapping of name, "
    "aliases, definition and see.",
)


def make_terms(found: list[tuple[str, Checked]], local_to: str | None) -> list[Term]:
    """The ``Term`` of each entry read by ``TERMS``."""
    return [
        Term(
            key=key.strip(),
            name=entry.get("name") or key.strip(),
            definition=entry.get("definition", ""),
            location=entry.doc.key_loc(*entry.path),
            aliases=tuple(alias for alias, _ in entry.get("aliases", [])),
            see=tuple(entry.get("see", [])),
            local_to=local_to,
        )
        for key, entry in found
    ]


def parse_glossary(doc: YamlDoc, problems: list[Diagnostic]) -> tuple[Term, ...]:
    """The site glossary's terms, from its loaded YAML (an empty file has none)."""
    if doc.data is None:
        return ()
    found, more = read_spec(TERMS, doc, CONTENT)
    problems += more
    return tuple(make_terms(found, None)) if isinstance(found, list) else ()


def check_terms(terms: tuple[Term, ...], local: list[Term]) -> list[Diagnostic]:
    """See-also targets exist; no spelling belongs to two site terms."""
    problems = []
    keys = {t.key for t in terms}
    owner: dict[str, Term] = {}
    for term in terms:
        for spelling in term.spellings:
            other = owner.setdefault(spelling.casefold(), term)
            if other is not term:
                problems.append(
                    Diagnostic(
                        term.location,
                        "TRM003",
                        f"'{spelling}' is a spelling of both '{other.key}' and '{term.key}'; "
                        f"it marks '{other.key}', the first",
                        "keep it in one entry only",
                        severity="warning",
                    )
                )
    for term in (*terms, *local):
        local_keys = {t.key for t in local if t.local_to == term.local_to}
        for target, loc in term.see:
            if target not in keys and target not in local_keys:
                fix = did_you_mean(target, sorted(keys), "add it to the glossary")
                problems.append(
                    Diagnostic(loc, "TRM002", f"see-also names an unknown term '{target}'", fix)
                )
    return problems
