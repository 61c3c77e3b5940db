"""Question file formats, one module each (as Moodle's question/format/*).

Each format module has ``NAME``, ``LABEL``, ``EXTENSIONS``, ``MIMETYPE``,
``read(text, file) -> ReadResult`` and ``write(questions) -> str`` (which raises
``ExportError`` naming what the format cannot express). The CLI and the browser upload
both come through ``read_bytes``/``read_file`` and ``write`` here.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from quizapp.core.formats import gift, moodle_xml
from quizapp.core.formats import yaml as yaml_format
from quizapp.core.formats.base import ExportError, ReadResult, Reporter
from quizapp.core.questions import Question

FORMATS: dict[str, ModuleType] = {m.NAME: m for m in (yaml_format, gift, moodle_xml)}
NAMES = tuple(FORMATS)


def get(name: str) -> ModuleType:
    """A format module by name; ValueError naming the known formats otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format '{name}': use one of {', '.join(NAMES)}") from None


def format_for(filename: str, name: str | None = None) -> ModuleType:
    """The format ``name``, or the one ``filename``'s extension stands for."""
    if name:
        return get(name)
    suffix = Path(filename).suffix.lower()
    for module in FORMATS.values():
        if suffix in module.EXTENSIONS:
            return module
    known = ", ".join(ext for m in FORMATS.values() for ext in m.EXTENSIONS)
    raise ValueError(
        f"cannot tell the format of '{filename}' from its extension: name it {known}, "
        f"or give the format ({', '.join(NAMES)})"
    )


def read_bytes(data: bytes, filename: str, format: str | None = None) -> ReadResult:
    """Read an uploaded or stored file: UTF-8 with or without a byte order mark."""
    module = format_for(filename, format)
    if module is moodle_xml:
        return moodle_xml.read_bytes(data, filename)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        reporter = Reporter(filename)
        line = data[: err.start].count(b"\n") + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        reporter.error(line, column, "the file is not UTF-8 text", "save it as UTF-8")
        return reporter.finish()
    return module.read(text.replace("\r\n", "\n").replace("\r", "\n"), filename)


def read_file(path: str | Path, format: str | None = None) -> ReadResult:
    """Read a question file from disk."""
    path = Path(path)
    return read_bytes(path.read_bytes(), str(path), format)


def write(questions: list[Question], fmt: str) -> str:
    """The questions in format ``fmt``; ExportError when the format cannot express some."""
    return get(fmt).write(list(questions))


__all__ = ["FORMATS", "NAMES", "ExportError", "ReadResult", "format_for", "get", "read_bytes"]
__all__ += ["read_file", "write"]
