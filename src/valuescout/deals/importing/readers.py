"""CSV files in (streamed, any encoding, every problem with file and line) and the rejects file.

A file is read once, row by row: memory does not grow with its length. Line numbers are the
physical lines where a record starts (a quoted field may span lines), counting the header as 1.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from valuescout.deals.importing.problems import Problem


class ReadError(Exception):
    """The file cannot be read on (encoding, CSV syntax): nothing after it can be trusted."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class SourceFile:
    """A file to import: where it is and the name to show (an upload's original name)."""

    path: Path
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.path.name


def check_encoding(encoding: str) -> str:
    """The codec name, or ValueError naming the unknown encoding."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ValueError(f"Unknown encoding {encoding!r}; try utf-8, cp1252 or latin-1.") from None


@dataclass
class CsvFile:
    """An open CSV file: its header is read; `rows()` streams the records after it."""

    source: SourceFile
    encoding: str
    header: list[str]
    size: int
    _handle: IO[str] = field(repr=False)
    _reader: Iterator[list[str]] = field(repr=False)
    _line_num: Callable[[], int] = field(repr=False)

    @property
    def label(self) -> str:
        return self.source.label

    def bytes_read(self) -> int:
        """How far into the file the reader is (for progress; a little ahead, it buffers)."""
        buffer = getattr(self._handle, "buffer", None)
        return int(buffer.tell()) if buffer is not None else 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line, values) for each non-blank record; ReadError on a bad byte or bad CSV."""
        last = self._line_num()
        while True:
            try:
                values = next(self._reader)
            except StopIteration:
                return
            except UnicodeError:  # a bad byte, or UTF-16 without its byte-order mark
                raise ReadError(_encoding_problem(self.source, self.encoding)) from None
            except csv.Error as exc:
                raise ReadError(
                    Problem(self.label, self._line_num(), "", _csv_message(exc), "csv")
                ) from None
            start, last = last + 1, self._line_num()
            if values and (values[0].strip() or any(v.strip() for v in values)):
                yield start, values

    def close(self) -> None:
        self._handle.close()


def open_csv(source: SourceFile, encoding: str = "utf-8") -> CsvFile:
    """Open a file and read its header; ReadError if it is empty, unreadable or mis-encoded."""
    codec = check_encoding(encoding)
    # A UTF-8 byte-order mark (Excel writes one) is not part of the first column's name.
    text_encoding = "utf-8-sig" if codec == "utf-8" else codec
    try:
        size = source.path.stat().st_size
        handle = source.path.open("r", encoding=text_encoding, newline="")
    except OSError as exc:
        raise ReadError(
            Problem(source.label, None, "", f"Cannot open the file: {exc.strerror}.", "file")
        ) from None
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        handle.close()
        raise ReadError(Problem(source.label, None, "", "The file is empty.", "file")) from None
    except UnicodeError:
        handle.close()
        raise ReadError(_encoding_problem(source, codec)) from None
    except csv.Error as exc:
        handle.close()
        raise ReadError(Problem(source.label, 1, "", _csv_message(exc), "csv")) from None
    return CsvFile(
        source=source,
        encoding=codec,
        header=[h.strip() for h in header],
        size=size,
        _handle=handle,
        _reader=reader,
        _line_num=lambda: reader.line_num,
    )


def _csv_message(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return (
            f"Not readable as CSV: a value is longer than {csv.field_size_limit():,} characters "
            "(often a quote that is never closed)."
        )
    return f"Not readable as CSV: {exc}."


def _encoding_problem(source: SourceFile, encoding: str) -> Problem:
    """Find the first line that does not decode (only on this error path: a second scan)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    hint = (
        "Tell the import the file's encoding (for example cp1252 for files saved by Excel on "
        "Windows, or latin-1)."
    )
    number = 1
    with source.path.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError as exc:
                # The position is in the bytes decoded: the line after any bytes the decoder
                # held back from the line before (UTF-16 does not split at b"\n").
                bad = exc.object[exc.start : exc.end]
                at = exc.start - (len(exc.object) - len(line))
                where = f" at position {at + 1} of the line" if at >= 0 else ""
                return Problem(
                    source.label,
                    number,
                    "",
                    f"The file is not valid {encoding} text: byte {bad.hex(' ')}{where}. {hint}",
                    "encoding",
                )
            except UnicodeError as exc:  # e.g. UTF-16 without its byte-order mark
                return Problem(
                    source.label,
                    number,
                    "",
                    f"The file is not valid {encoding} text ({exc}). {hint}",
                    "encoding",
                )
        try:
            decoder.decode(b"", final=True)
        except UnicodeError:
            return Problem(
                source.label,
                number,
                "",
                f"The file is not valid {encoding} text: it ends in the middle of a character. "
                f"{hint}",
                "encoding",
            )
    return Problem(source.label, None, "", f"The file is not valid {encoding} text.", "encoding")


class RejectsWriter:
    """Writes rejected rows with their problems: the row's own columns, then file, line, problem.

    The file is created at the first rejected row. Rows from a file whose columns differ from
    the first one's go to a sibling file (REJECTS.2.csv, ...), so every file re-imports as is.
    """

    EXTRA = ("_file", "_line", "_problems")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.paths: list[Path] = []
        self.count = 0
        self._outputs: dict[tuple[str, ...], tuple[IO[str], Any]] = {}

    def reject(self, header: list[str], file: str, line: int, values: list[str], why: str) -> None:
        key = tuple(header)
        if key not in self._outputs:
            n = len(self._outputs) + 1
            path = self.path if n == 1 else self.path.with_suffix(f".{n}{self.path.suffix}")
            handle = path.open("w", encoding="utf-8", newline="")
            writer = csv.writer(handle)
            writer.writerow([*header, *self.EXTRA])
            self._outputs[key] = (handle, writer)
            self.paths.append(path)
        _handle, out = self._outputs[key]
        padded = (values + [""] * len(header))[: len(header)]
        out.writerow([*padded, file, line, why])
        self.count += 1

    def close(self) -> None:
        for handle, _writer in self._outputs.values():
            handle.close()
        self._outputs.clear()
