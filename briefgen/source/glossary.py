"""The glossary (content/glossary.yaml) and article-local terms: YAML -> ``Term``; pure.

A glossary is a mapping of headword -> {name, aliases, definition, see}, or headword
-> definition text. ``check_terms`` checks what needs every entry: see-also targets
exist, and no spelling belongs to two site terms.
"""

from __future__ import annotations

from typing import Any

from briefgen.errors import Diagnostic, did_you_mean
from briefgen.model import Term
from briefgen.source.fields import Fields
from briefgen.source.scalars import is_null
from briefgen.source.yamlio import Key, YamlDoc

TERM_KEYS = ("name", "aliases", "definition", "see")


def parse_terms(
    doc: YamlDoc, data: Any, path: tuple[Key, ...], problems: list[Diagnostic], local_to: str | None
) -> list[Term]:
    """Glossary entries: a mapping of headword -> {name, aliases, definition, see} or text."""
    if data is None:
        return []
    if not isinstance(data, dict):
        problems.append(
            Diagnostic(
                doc.loc(*path),
                "TRM001",
                "a glossary must be a mapping of terms",
                "write each term as 'SCO:' with name, definition and aliases below",
            )
        )
        return []
    terms = []
    for key, entry in data.items():
        where = (*path, key)
        if isinstance(entry, str) and not is_null(entry):
            entry = {"definition": entry}
        if not isinstance(key, str) or not isinstance(entry, dict):
            problems.append(
                Diagnostic(
                    doc.loc(*where),
                    "TRM001",
                    f"term {key!r} must have a definition",
                    "write 'definition: ...' under the term",
                )
            )
            continue
        fields = Fields(doc, where, entry, problems)
        fields.known(TERM_KEYS, f"term '{key}'")
        definition = fields.text("definition", required=True, what="the definition")
        see = tuple(fields.texts("see"))
        aliases = []
        for alias, loc in fields.texts("aliases"):
            if alias:
                aliases.append(alias)
            else:
                problems.append(
                    Diagnostic(loc, "SC007", "an alias is empty", "write the alias, or remove it")
                )
        terms.append(
            Term(
                key=key.strip(),
                name=fields.text("name") or key.strip(),
                definition=definition,
                location=doc.key_loc(*where),
                aliases=tuple(aliases),
                see=see,
                local_to=local_to,
            )
        )
    return terms


def parse_glossary(doc: YamlDoc, problems: list[Diagnostic]) -> tuple[Term, ...]:
    """The site glossary's terms, from its loaded YAML."""
    return tuple(parse_terms(doc, doc.data, (), problems, None))


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
