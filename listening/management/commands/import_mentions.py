"""Import captured platform responses: ``import_mentions --platform weibo FILE...``.

Each file holds one JSON response body, or JSON lines (one response per line). Every
body goes through the platform adapter's ``parse`` and its posts into
``mentions_store``, exactly as a poll would store them, so importing the same files
twice stores nothing the second time. Per file it reports what was new, already
known, refused (counted by reason) and any platform error bodies; a file that cannot
be read or holds no usable body is reported and the others still run. The exit code
is 1 when any file failed entirely.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from listening.adapters import MalformedPayload, PlatformError, get_adapter
from listening.models import Platform, Source
from listening.services import mentions_store

KINDS = ("search", "mentions", "comments")


class _BadLine:
    def __init__(self, reason: str) -> None:
        self.reason = reason


@dataclass(slots=True)
class FileReport:
    path: str
    bodies: int = 0
    parsed: int = 0
    new: int = 0
    known: int = 0
    refused: Counter = field(default_factory=Counter)
    refused_items: list[tuple[str, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failure: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.failure) or self.parsed == 0


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8-sig", errors="replace")


def read_bodies(text: str) -> list[tuple[str, Any]]:
    """[(label, body or _BadLine)]: one whole-file body, or one per JSON line.

    Raises ValueError when the file is neither (for instance a truncated body).
    """
    try:
        return [("body", json.loads(text))]
    except (ValueError, RecursionError) as whole_error:
        lines = [
            (number, line)
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip()
        ]
        if not lines:
            raise ValueError("the file is empty") from None
        bodies: list[tuple[str, Any]] = []
        good = 0
        for number, line in lines:
            try:
                body = json.loads(line)
            except (ValueError, RecursionError) as error:
                bodies.append((f"line {number}", _BadLine(f"invalid JSON: {error}")))
                continue
            if isinstance(body, dict | list):
                good += 1
            bodies.append((f"line {number}", body))
        # A pretty-printed body cut short has lines, but few that are JSON alone.
        if good == 0 or good * 2 < len(lines):
            raise ValueError(f"invalid JSON: {whole_error}") from None
        return bodies


def describe_error(platform: str, error: PlatformError) -> str:
    if isinstance(error, MalformedPayload):
        return f"malformed {platform} payload: {error.message}"
    if error.code:
        return f"{platform} error {error.code}: {error.message}"
    return f"{platform} error: {error.message}"


class Command(BaseCommand):
    help = (
        "Import captured platform responses (one JSON body or JSON lines per file) "
        "as mentions, exactly once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--platform", required=True, choices=[p.value for p in Platform]
        )
        parser.add_argument(
            "--kind",
            default="search",
            choices=KINDS,
            help="what the responses answered (helps shapes that look alike)",
        )
        parser.add_argument(
            "--source", type=int, default=None, help="id of the Source to credit"
        )
        parser.add_argument("files", nargs="+", metavar="FILE", help="'-' = stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        platform = options["platform"]
        source_id = options["source"]
        if source_id is not None and not Source.objects.filter(id=source_id).exists():
            raise CommandError(f"no source with id {source_id}")
        adapter = get_adapter(platform)
        verbose = options["verbosity"] >= 2
        reports = []
        for path in options["files"]:
            report = self._import_file(
                path,
                platform=platform,
                adapter=adapter,
                kind=options["kind"],
                store=lambda posts: mentions_store(posts=posts, source_id=source_id),
            )
            self._print(report, verbose=verbose)
            reports.append(report)
        failed = [r for r in reports if r.failed]
        totals = (
            f"{len(reports)} file(s): {sum(r.new for r in reports)} new, "
            f"{sum(r.known for r in reports)} already known, "
            f"{sum(sum(r.refused.values()) for r in reports)} refused, "
            f"{sum(len(r.errors) for r in reports)} error(s)"
        )
        self.stdout.write(totals)
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(reports)} file(s) failed: "
                + ", ".join(r.path for r in failed),
                returncode=1,
            )

    def _import_file(self, path, *, platform, adapter, kind, store) -> FileReport:
        report = FileReport(path=path)
        try:
            raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as error:
            report.failure = f"cannot read: {error.strerror or error}"
            return report
        try:
            bodies = read_bodies(_decode(raw))
        except ValueError as error:
            report.failure = str(error)
            return report
        for label, body in bodies:
            report.bodies += 1
            if isinstance(body, _BadLine):
                report.errors.append(f"{label}: {body.reason}")
                continue
            try:
                page = adapter.parse(body, kind=kind)
            except PlatformError as error:
                report.errors.append(f"{label}: {describe_error(platform, error)}")
                continue
            try:
                result = store(page.posts)
            except Exception as error:  # reported, and the other bodies still go in
                report.errors.append(
                    f"{label}: could not store: {type(error).__name__}: {error}"
                )
                continue
            report.parsed += 1
            report.new += len(result.created_ids)
            report.known += result.known
            for refusal in page.refused:
                report.refused[refusal.reason] += 1
                report.refused_items.append(
                    (label, refusal.external_id, refusal.reason)
                )
        if report.bodies and not report.parsed:
            report.failure = "no body could be imported"
        return report

    def _print(self, report: FileReport, *, verbose: bool) -> None:
        if report.failure and not report.bodies:
            self.stderr.write(self.style.ERROR(f"{report.path}: {report.failure}"))
            return
        refused = sum(report.refused.values())
        reasons = ", ".join(f"{r}: {n}" for r, n in report.refused.most_common())
        line = (
            f"{report.path}: {report.bodies} body(ies), {report.new} new, "
            f"{report.known} already known, {refused} refused"
            + (f" ({reasons})" if reasons else "")
            + (f", {len(report.errors)} error(s)" if report.errors else "")
        )
        style = self.style.ERROR if report.failed else self.style.SUCCESS
        self.stdout.write(style(line))
        for error in report.errors:
            self.stdout.write(f"  {error}")
        if verbose:
            for label, external_id, reason in report.refused_items:
                self.stdout.write(f"  {label}: refused {external_id or '?'}: {reason}")
        if report.failure:
            self.stderr.write(self.style.ERROR(f"{report.path}: {report.failure}"))
