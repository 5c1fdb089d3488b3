"""Every diagnostic code briefgen reports and what it means: the README's table of codes.

The README's table (section Errors) is made of these lines and kept in step by a test;
``briefgen check --format sarif`` describes its rules with them. A code never changes
its meaning: add codes, never reuse one. A meaning that starts with "warning:" is a
warning's, "info:" what a command did; "usage:" a mistake on the command line.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    "YAML001": (
        "not valid YAML: its syntax, a character YAML does not allow (NUL, ESC), a value "
        "that does not fit its explicit tag (`!!int abc`)"
    ),
    "YAML002": "a key given twice in one mapping",
    "YAML003": (
        "aliases that expand to more than 10,000 values, or an alias inside the value it names"
    ),
    "CFG001": "an unknown key in site.yaml",
    "CFG002": "a required key missing from site.yaml",
    "CFG003": "a bad value in site.yaml, such as an unsafe `base_url` or an ambiguous number",
    "CFG004": "no site.yaml",
    "CFG005": "an unknown theme",
    "CFG006": "an `image` that names no file of the built site",
    "SC001": "an unknown key in a sidecar or glossary entry",
    "SC002": (
        "a value of the wrong type or form: an ambiguous flag or number, a tag without "
        "letters or too long"
    ),
    "SC003": (
        "a required value missing (`date`, a note's `quote` or `text`, a link's `to`, a definition)"
    ),
    "SC004": "a `date` that is not a date",
    "SC005": "an article with no title",
    "SC006": "warning: an article without a summary",
    "SC007": (
        "a required value that is empty: a quote, a note's text, a link's target, a "
        "definition, an alias, a source"
    ),
    "SC008": "warning: a note without sources",
    "CNT001": "a slug used by two articles",
    "CNT002": "a file name that gives no valid slug",
    "CNT003": "a sidecar without its article",
    "CNT004": "a file that is not UTF-8 (an article, a sidecar, site.yaml, a template)",
    "CNT005": "an article without its sidecar",
    "CNT006": "no `content/` folder",
    "CNT007": "a symbolic link that leads outside the site",
    "CNT008": "symbolic links that loop (one error names them all)",
    "CNT009": "a named pipe, socket, device, or a folder where a file is expected: never opened",
    "CNT010": "a file or folder that cannot be read, with the reason (permission denied)",
    "CNT011": "a symbolic link to nothing",
    "CNT012": "two sidecars, `x.yaml` and `x.yml`, for one article",
    "CNT013": "an article that changed on disk while the site was being built (build again)",
    "ANC001": "a quote not found in its article (the closest text is named)",
    "ANC002": "a quote found several times, and nothing to choose one",
    "ANC003": "an `occurrence` beyond the matches",
    "ANC004": "a `prefix` or `suffix` that matches no occurrence",
    "ANC005": "two quotes that partly overlap",
    "ANC006": "a phrase link inside or across another link",
    "ANC007": "a quote that spans two blocks (paragraphs, cells, a code block)",
    "LNK001": "a phrase link to an unknown article, or to its own",
    "LNK002": "a `related` slug that is unknown, or the article's own",
    "LNK003": "a phrase link or `related` entry that names a draft, in a build without `--drafts`",
    "LNK004": (
        "warning: a phrase link whose phrase also occurs elsewhere in the article, not linked"
    ),
    "TRM001": "a glossary that is not a mapping, or a term without a definition",
    "TRM002": "a see-also naming an unknown term",
    "TRM003": "warning: one spelling belongs to two terms",
    "TRM005": "warning: a term no article mentions",
    "TRM006": "warning: a capitalised acronym in an article that no glossary term spells",
    "TPL001": "a template syntax error",
    "TPL002": (
        "a template error while rendering, such as an undefined variable, or an `asset()`"
        " that names no stylesheet or script"
    ),
    "TPL003": "a template not found, at the extends, include or import that names it",
    "TPL004": "a template reaching beyond what briefgen passes it (the sandbox)",
    "URL001": "a sidecar URL that is not a safe web address",
    "URL002": "a `--base-url` that is not a safe absolute http(s) URL",
    "OUT001": "an output path written twice (two pages, a page and a file of `root/`)",
    "OUT002": "an unsafe output path, or a name longer than 255 bytes",
    "OUT003": "an output folder briefgen must not replace, or cannot make (below a file)",
    "OUT004": "the output folder cannot be written: permission denied, disk full, a name too long",
    "SRH001": "the search index could not be made (Pagefind failed)",
    "SRV001": "`briefgen serve`: the port is taken",
    "SCH001": "`briefgen schema` without a schema's name nor `--write`",
    "IMP001": "usage: a seed file or folder that does not exist",
    "IMP002": "usage: `--slug` with more than one seed",
    "IMP003": "the seed is neither UTF-8 nor Windows-1252",
    "IMP004": "warning: the seed is not UTF-8 and was decoded as Windows-1252",
    "IMP005": "no article text is left once the seed is cleaned",
    "IMP006": "the headline gives no slug (pass `--slug`)",
    "IMP007": "the slug is already used by another article",
    "IMP008": "an article in `content/` already has this text",
    "IMP009": "`--slug` or `--format` differs from the seed's earlier import",
    "IMP010": "the earlier import's sidecar cannot be merged safely",
    "IMP011": "warning: Markdown would read the article's text as markup (`--format md`)",
    "IMP012": "warning: the glossary has problems (`briefgen build` lists them)",
    "IMP101": (
        "info: import converted the encoding: removed the byte order mark, converted line endings"
    ),
    "IMP102": "info: import took the headline as the title",
    "IMP103": "info: import took each line as a paragraph (no blank lines between them)",
    "IMP104": "info: import removed a line of boilerplate",
    "IMP105": "info: import moved a credits line to the sidecar",
    "IMP106": "info: import removed a teaser headline",
    "IMP107": "info: import found (or, with `--fix-punctuation`, fixed) a punctuation artefact",
    "IMP108": 'info: import wrote, rewrote or updated a file ("would ..." in a dry run), or not',
    "IMP109": "info: import kept the editor's fields, notes and links on a re-import",
    "IMP110": "info: import left the date for the editor to fill in",
    "IMP111": "info: import skipped a seed imported before",
    "ANN001": "the file is not JSON (at the line and column of the mistake)",
    "ANN002": "the JSON holds no W3C annotations nor Hypothesis rows",
    "ANN003": "an annotation has no `TextQuoteSelector` (a page note or a reply)",
    "ANN004": "an annotation targets a page that is no article of the site",
    "ANN005": "a sidecar's notes cannot be extended safely (a flow list `notes: [...]`)",
    "ANN006": "usage: the annotation file cannot be read",
    "ANN007": "usage: `--article` names no article",
    "ANN008": "an annotation has no comment (a highlight is not a note)",
    "ANN101": "info: annotate added a note",
    "ANN102": "info: annotate skipped an annotation a note already has",
    "ANN103": "info: annotate wrote a sidecar",
    "LCK001": (
        "warning: the words around a quote changed since `briefgen lock` recorded them "
        "(the old and the new words are shown)"
    ),
    "LCK002": (
        "warning: `briefgen.lock` cannot be read (not JSON, a merge conflict): no drift is checked"
    ),
    "NEW001": "usage: `briefgen new` with a slug that is not one (the slug it would make is named)",
    "NEW002": (
        "`briefgen new` with a slug an article, a sidecar, the glossary or a folder of the "
        "site's own pages (tags/, glossary/, search/) already has"
    ),
    "NEW003": "usage: `briefgen new --date` that is not a date in YYYY-MM-DD form",
    "NEW004": "usage: `briefgen new --title` that is empty",
    "FIX001": "warning: `check --fix` cannot edit a sidecar safely; its repairs are left undone",
    "FIX002": "usage: `check --write` without `--fix`",
    "FIX101": "info: `check --fix --write` repaired quotes in a sidecar",
}


def level(code: str) -> str:
    """The SARIF level of a code's diagnostics: error, warning or note."""
    meaning = CODES.get(code, "")
    if meaning.startswith("warning:"):
        return "warning"
    return "note" if meaning.startswith("info:") else "error"
