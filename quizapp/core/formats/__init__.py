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
    if (nul := data.find(b"\x00")) >= 0:  # no database can store it in a text column
        return _refused(data, filename, nul, "the file contains a NUL character (U+0000)")
    if module is moodle_xml:
        return moodle_xml.read_bytes(data, filename)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return _refused(data, filename, err.start, "the file is not UTF-8 text")
    return module.read(text.replace("\r\n", "\n").replace("\r", "\n"), filename)


def _refused(data: bytes, filename: str, offset: int, what: str) -> ReadResult:
    """A file refused at one byte, located by line and column; save it as UTF-8 text."""
    reporter = Reporter(filename)
    line = data[:offset].count(b"\n") + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    reporter.error(line, column, what, "save it as UTF-8 text, without NUL or binary data")
    return reporter.finish()


def read_file(path: str | Path, format: str | None = None) -> ReadResult:
    """Read a question file from disk."""
    path = Path(path)
    return read_bytes(path.read_bytes(), str(path), format)


def write(questions: list[Question], fmt: str) -> str:
    """The questions in format ``fmt``; ExportError when the format cannot express some."""
    return get(fmt).write(list(questions))


__all__ = ["FORMATS", "NAMES", "ExportError", "ReadResult", "format_for", "get", "read_bytes"]
__all__ += ["read_file", "write"]
