"""Load and validate the knowledge files. A file with a mistake is refused, naming file, item, field."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .schema import ProcedureData, Text

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCES_FILE = "sources.yaml"


class KnowledgeDataError(ValueError):
    """A knowledge file is malformed; the message names the file, the item and the field."""

    def __init__(self, file: str, item: str, field: str, problem: str) -> None:
        self.file, self.item, self.field, self.problem = file, item, field, problem
        super().__init__(f"{file}: item {item}: field {field!r}: {problem}")


@dataclass(frozen=True)
class Sources:
    seed_title: Text
    seed_file: str
    seed_sections: dict[str, Text]
    publications: dict[str, dict[str, str]]

    def label(self, ref: str, language: str = "en", *, short: bool = False) -> str:
        """A human-readable citation for a source reference, in `language`; `short` names the article briefly."""
        if ref.startswith("seed#"):
            section = self.seed_sections.get(ref.removeprefix("seed#"))
            name = section.get(language) if section else ref
            if language.startswith("ru"):
                title = "статья-источник" if short else self.seed_title.ru
                return f"{title}, раздел «{name}»"
            title = "the source article" if short else self.seed_title.en
            return f"{title}, section “{name}”"
        if ref.startswith("pub:"):
            return self.publications[ref.removeprefix("pub:")]["citation"]
        prefix = "правило клиники" if language.startswith("ru") else "the clinic's own rule"
        return f"{prefix}: {ref.removeprefix('clinic:')}"

    def check(self, ref: str) -> str | None:
        """The problem with a reference, or None when it points at a known source."""
        if ref.startswith("seed#") and ref.removeprefix("seed#") not in self.seed_sections:
            known = ", ".join(sorted(self.seed_sections))
            return f"unknown seed section {ref!r}; known sections: {known}"
        if ref.startswith("pub:") and ref.removeprefix("pub:") not in self.publications:
            return f"unknown publication {ref!r}; add it to {SOURCES_FILE}"
        if ref.startswith("clinic:"):
            return "a data file cannot cite the clinic; clinic items are added in the admin"
        return None


@dataclass(frozen=True)
class KnowledgeBase:
    procedures: dict[str, ProcedureData]
    sources: Sources

    @property
    def version(self) -> str:
        return max(p.version for p in self.procedures.values())


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "unknown line"
        raise KnowledgeDataError(path.name, f"({where})", "-", f"not valid YAML: {exc}") from exc


def load_sources(path: Path) -> Sources:
    raw = _read_yaml(path)
    try:
        seed = raw["seed"]
        return Sources(
            seed_title=Text.model_validate(seed["title"]),
            seed_file=str(seed["file"]),
            seed_sections={str(k): Text.model_validate(v) for k, v in seed["sections"].items()},
            publications={
                str(k): {"citation": str(v["citation"]), **{kk: str(vv) for kk, vv in v.items()}}
                for k, v in (raw.get("publications") or {}).items()
            },
        )
    except (KeyError, TypeError, AttributeError, ValidationError) as exc:
        raise KnowledgeDataError(path.name, "seed", str(exc), "missing or malformed") from exc


def _item_label(raw: Any, loc: tuple[int | str, ...]) -> tuple[str, str]:
    """Split a pydantic error location into (item, field), naming an item by its code."""
    node = raw
    item_parts: list[str] = []
    for depth, part in enumerate(loc):
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
            code = node.get("code") if isinstance(node, dict) else None
            item_parts.append(f"[{part}]" + (f" (code {code!r})" if code else ""))
            rest = loc[depth + 1 :]
            if rest:
                return "".join(item_parts), ".".join(str(p) for p in rest)
            return "".join(item_parts), "-"
        item_parts.append(("." if item_parts else "") + str(part))
        node = node.get(part) if isinstance(node, dict) else None
    if len(loc) > 1:
        return ".".join(str(p) for p in loc[:-1]), str(loc[-1])
    return "(top level)", str(loc[0]) if loc else "-"


def _walk_sources(node: Any, path: tuple[int | str, ...] = ()):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, str):
                yield path + (key,), value
            elif key == "sources" and isinstance(value, list):
                for index, ref in enumerate(value):
                    yield path + (key, index), ref
            else:
                yield from _walk_sources(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk_sources(value, path + (index,))


def load_procedure(path: Path, sources: Sources) -> ProcedureData:
    raw = _read_yaml(path)
    if not isinstance(raw, dict):
        raise KnowledgeDataError(path.name, "(top level)", "-", "the file must hold a mapping")
    try:
        procedure = ProcedureData.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        item, field = _item_label(raw, tuple(error["loc"]))
        raise KnowledgeDataError(path.name, item, field, error["msg"]) from exc
    for loc, ref in _walk_sources(raw):
        problem = sources.check(ref)
        if problem:
            item, field = _item_label(raw, loc)
            raise KnowledgeDataError(path.name, item, field, problem)
    if procedure.slug != path.stem:
        raise KnowledgeDataError(
            path.name, "(top level)", "slug", f"{procedure.slug!r} must match the file name {path.stem!r}"
        )
    return procedure


def load_knowledge(data_dir: Path = DATA_DIR) -> KnowledgeBase:
    sources = load_sources(data_dir / SOURCES_FILE)
    procedures = {}
    for path in sorted(data_dir.glob("*.yaml")):
        if path.name == SOURCES_FILE:
            continue
        procedure = load_procedure(path, sources)
        procedures[procedure.slug] = procedure
    if not procedures:
        raise KnowledgeDataError(str(data_dir), "-", "-", "no procedure files found")
    return KnowledgeBase(procedures=procedures, sources=sources)


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The shipped knowledge files, loaded once per process."""
    return load_knowledge()
