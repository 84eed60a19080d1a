"""The Maven CRM import (preset "maven"): tell its files apart by their columns, build the
organisation, products and accounts from the reference files, then stream the pipeline file
through the same writer as every other import. The shared steps are ImportJob's (job.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from valuescout.deals.importing import maven
from valuescout.deals.importing.job import ImportJob
from valuescout.deals.importing.layout import Layout, make_fixes
from valuescout.deals.importing.org import OrgProblem, People, Teams, load_products, upsert_products
from valuescout.deals.importing.presets import column_key
from valuescout.deals.importing.problems import Problem, quoted
from valuescout.deals.importing.products import ProductBook
from valuescout.deals.importing.readers import CsvFile
from valuescout.deals.importing.report import FileReport
from valuescout.deals.importing.validate import StageBook
from valuescout.identity.roles import Role

PRESET_FIX = "a known typo in this export"
MAPPING_FIX = "as the mapping file says"


class MavenImportJob(ImportJob):
    """The Maven CRM's files: the organisation, products and accounts, then the pipeline."""

    def _import(self, opened: list[CsvFile], stages: StageBook) -> None:
        by_kind: dict[str, CsvFile] = {}
        for f in opened:
            kind = maven.kind_of(f.header)
            if kind is None:
                self._fatal(
                    [
                        Problem(
                            f.label,
                            1,
                            "",
                            f"not one of the Maven CRM files; its columns are "
                            f"{', '.join(f.header)}. The files are: {maven.describe_kinds()}",
                            "columns",
                        )
                    ]
                )
            elif kind in by_kind:
                self._fatal([Problem(f.label, None, "", f"a second {kind} file", "columns")])
            else:
                by_kind[kind] = f
        if maven.PIPELINE not in by_kind and not self.report.fatal:
            self._fatal([Problem("", None, "", "the sales_pipeline file is missing", "columns")])
        if self.report.fatal:
            return
        mapping = self.options.mapping
        layouts: dict[str, Layout] = {}
        for kind, f in by_kind.items():
            layout = Layout(f.label, f.header, {})
            if kind == maven.PIPELINE:
                ix = {column_key(h): i for i, h in enumerate(f.header)}
                layout.columns = {ours: ix[col] for ours, col in maven.PIPELINE_FIELDS.items()}
            make_fixes(f.header, self.preset.values, PRESET_FIX, layout.fixes)
            make_fixes(f.header, mapping.values, MAPPING_FIX, layout.fixes)
            layouts[kind] = layout
            self.report.files.append(
                FileReport(f.label, "ignored" if kind == maven.DICTIONARY else kind)
            )
        self._unused_fixes(opened)
        people = People(self.session, self.actor, self.options.email_domain)
        self._maven_reference(by_kind, layouts, people)
        if self.report.fatal:
            return
        products = ProductBook(load_products(self.session), mapping.products, self.product_notes)
        pipeline = by_kind[maven.PIPELINE]
        self.layouts[pipeline.label] = layouts[maven.PIPELINE]
        writer = self._writer(stages, products, people)
        check = maven.PipelineRows(layouts[maven.PIPELINE], stages, products, self.notes)
        self._stream(pipeline, check, writer)
        self._counts(writer, people)

    def _maven_reference(
        self, by_kind: dict[str, CsvFile], layouts: dict[str, Layout], people: People
    ) -> None:
        def rows(kind: str) -> Iterator[tuple[int, list[str]]]:
            f = by_kind[kind]
            report = next(r for r in self.report.files if r.name == f.label)
            for line, values in f.rows():
                report.rows += 1
                if len(values) != len(f.header):
                    message = f"The row has {len(values)} values; the header has {len(f.header)}."
                    self._fatal([Problem(f.label, line, "", message, "columns")])
                    continue
                yield line, values
            self.done_bytes += f.size

        if maven.DICTIONARY in by_kind:
            self.report.warnings.append(
                f"{by_kind[maven.DICTIONARY].label}: the data dictionary is not imported"
            )
        if maven.TEAMS in by_kind:
            f = by_kind[maven.TEAMS]
            seats, problems = maven.read_teams(f.label, f.header, rows(maven.TEAMS))
            if problems:
                self._fatal(problems)
            else:
                self._organisation(seats, people)
        if maven.PRODUCTS in by_kind:
            f = by_kind[maven.PRODUCTS]
            products, problems = maven.read_products(f.label, f.header, rows(maven.PRODUCTS))
            if problems:
                self._fatal(problems)
            else:
                made, changed = upsert_products(self.session, products, self.at)
                self.report.products_created, self.report.products_updated = made, changed
        if maven.ACCOUNTS in by_kind:
            f = by_kind[maven.ACCOUNTS]
            fixes = layouts[maven.ACCOUNTS].fixes
            details, names, problems = maven.read_accounts(
                f.label, f.header, rows(maven.ACCOUNTS), fixes, self.notes
            )
            if problems:
                self._fatal(problems)
            else:
                self.accounts.upsert(details, names)

    def _organisation(self, seats: list[maven.Seat], people: People) -> None:
        """Regions under the company, a team per manager, managers and agents as users."""
        teams = Teams(self.session, self.actor)
        company = teams.company()
        for seat in seats:
            region = teams.ensure(seat.region, "region", company)
            team = teams.ensure(f"{seat.manager}'s team", "team", region)
            for name, role in ((seat.manager, Role.MANAGER), (seat.agent, Role.SELLER)):
                found = people.find(name)
                if isinstance(found, list):
                    raise OrgProblem(
                        f"{quoted(name)} matches {len(found)} users; give them distinct names first"
                    )
                if found is None:
                    people.create(name, role, team.id, "Maven CRM import")
        self.report.teams_created = teams.created
