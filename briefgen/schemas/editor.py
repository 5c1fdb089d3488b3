"""The JSON Schemas editors use, made from the specs briefgen validates with; pure.

The schemas of site.yaml, sidecars and the glossary come from the specs of
``briefgen.source`` (``briefgen.source.specs``), so an editor and briefgen agree on
every file. They ship beside this module (``<name>.schema.json``, kept in step by a
test), ``briefgen schema NAME`` prints one, and a site keeps a copy in its
``schemas/`` folder, which the first line of every file briefgen writes points at,
relative to that file (``modeline``): yaml-language-server (VS Code, Neovim, Helix,
Zed) and JetBrains IDEs read that line.
"""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.output import OutputFile
from briefgen.source.config import SITE
from briefgen.source.glossary import TERMS
from briefgen.source.sidecar import SIDECAR
from briefgen.source.specs import CONFIG, CONTENT, Dialect, Spec, json_schema

PACKAGED = Path(__file__).parent
SITE_FOLDER = "schemas"  # where a site keeps its copy, beside site.yaml
MODELINE = "# yaml-language-server: $schema="  # yaml-language-server's and JetBrains' comment


@dataclass(frozen=True)
class Schema:
    """One file format's schema: its spec, how its problems are named, and its title."""

    spec: Spec
    dialect: Dialect
    title: str
    nullable: bool = False  # an empty file is valid (the glossary)

    def data(self) -> dict[str, Any]:
        """The JSON Schema as data."""
        found = json_schema(self.spec, self.dialect, self.title)
        if self.nullable:
            found["type"] = ["object", "null"]
        return found

    def text(self) -> str:
        """The JSON Schema as its file holds it (sorted nowhere: fields in their order)."""
        return json.dumps(self.data(), indent=2, ensure_ascii=False) + "\n"


SCHEMAS = {
    "site": Schema(SITE, CONFIG, "briefgen site.yaml"),
    "sidecar": Schema(SIDECAR, CONTENT, "briefgen sidecar (content/<slug>.yaml)"),
    "glossary": Schema(TERMS, CONTENT, "briefgen glossary (content/glossary.yaml)", True),
}


def file_name(name: str) -> str:
    """The file name of schema ``name``: ``sidecar.schema.json``."""
    return f"{name}.schema.json"


def modeline(path: str, name: str) -> str:
    """The first line of a YAML file at site path ``path`` that points at its schema."""
    folder = posixpath.dirname(path) or "."
    target = posixpath.relpath(f"{SITE_FOLDER}/{file_name(name)}", folder)
    return f"{MODELINE}{target}"


def site_schema_file(name: str) -> OutputFile:
    """Schema ``name`` as the site keeps it in its schemas/ folder, as a file to write."""
    data = SCHEMAS[name].text().encode("utf-8")
    return OutputFile(f"{SITE_FOLDER}/{file_name(name)}", data, "briefgen")


def site_schema_files() -> list[OutputFile]:
    """The schemas a site keeps in its schemas/ folder, as files to write."""
    return [site_schema_file(name) for name in SCHEMAS]


def missing_schema_files(site_dir: Path, names: Sequence[str]) -> list[OutputFile]:
    """The schemas ``names`` the site's schemas/ folder lacks, for a command that writes
    files pointing there (`new`, `import`): its modeline then resolves. A schema the site
    has is left as it is (``briefgen schema --write`` refreshes them)."""
    files = [site_schema_file(name) for name in dict.fromkeys(names)]
    return [f for f in files if not os.path.lexists(site_dir / f.path)]
