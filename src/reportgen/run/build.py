"""`build_draft`: the whole run, as small stages the CLI calls directly and the flows wrap as tasks.

    prepare_build ─▶ check_plan ─▶ make_paper ─▶ write_docx ∥ write_pdf ∥ write_html ∥ write_records
                                                  ─▶ write_tables ─▶ finish_draft
    └──────────── check_draft (also `validate_draft`) ──┘

Every stage is a plain function of values; `build_draft` only times and sequences them. A build
with blocking issues still writes the paper (marked as a draft, the issues listed at its front) so
the officer can see it. `validate_draft` runs exactly the same checks and writes nothing.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from reportgen import memory
from reportgen.check.checked import Checked, check_inputs
from reportgen.check.editions import public_issues, public_view
from reportgen.check.narrative import read_narrative
from reportgen.drafts import folders as drafts
from reportgen.drafts import records
from reportgen.drafts.earlier import (
    PeriodDraft,
    carried_in_public,
    carry_source,
    edition_of,
    exemptions_dropped,
    exemptions_known,
    misplaced_issues,
    read_carry_source,
    read_history,
    read_kept_paper,
    register_for,
    reported_found,
    restricted_beside,
    returns_after,
    unfinished_issues,
    unread_source,
    withdrawn_earlier,
)
from reportgen.drafts.later import LaterDrafts, later_drafts, stale_later_issues
from reportgen.errors import ReportgenError, UsageError
from reportgen.files import write_atomically
from reportgen.issues import Issue, issue, issues_csv
from reportgen.look import Theme
from reportgen.model import MergedRegister, Paper, UpdateState
from reportgen.paper.build_paper import build_paper, status_display
from reportgen.paper.cover import (
    cover_issues,
    exemption_issues,
    font_issues,
    meeting_issues,
    removed_character_issues,
    settings_issues,
)
from reportgen.read.richtext import explanation_issues
from reportgen.read.sheets import toml_string
from reportgen.read.workspace import Inputs, find_inputs
from reportgen.read.xlsx_guard import refuse_reason
from reportgen.render.fonts import resolve_fonts
from reportgen.render.pdf.html import STYLESHEET, stylesheet_lacks
from reportgen.render.pdf.html import check_template as check_pdf_template
from reportgen.render.pdf.parallel import PdfWorkers, start_workers
from reportgen.render.pdf.writer import write_pdf
from reportgen.render.template_tags import NEEDED_TAGS
from reportgen.render.theme import TEMPLATE_COLUMN_KEYS, read_theme
from reportgen.render.web import TEMPLATE_NAME as WEB_TEMPLATE
from reportgen.render.web import check_template as check_web_template
from reportgen.render.web import web_template_lacks, write_html
from reportgen.run.chase import (
    ChaseRow,
    chase_csv,
    chase_list,
    cleared_explanations,
    deleted_rows,
    unchanged_returns,
)
from reportgen.run.prefill import prefill_values
from reportgen.run.publish import not_revised, revised_is_published
from reportgen.run.template_copies import copy_issues, is_earlier_release, record_unrecorded
from reportgen.safe_cells import CSV_ENCODING
from reportgen.settings import SETTINGS_FILE, Edition
from reportgen.template_files import DEFAULT_TEMPLATES, template_file, templates_folder
from reportgen.wording import counted, listed

log = logging.getLogger(__name__)
T = TypeVar("T")

OUTPUT_FILES = ("paper.docx", "paper.pdf", "paper.html", "register.xlsx", "issues.csv", "chase.csv")


@dataclass(frozen=True)
class Plan:
    """What a build reads: the inputs, their hashes at the start, and the drafts it builds on."""

    inputs: Inputs
    edition: Edition
    hashes: tuple[records.InputFile, ...]
    carry_from: Path | None  # latest draft of an earlier period: source of carried-forward statuses
    compare_with: Path | None  # latest draft of this edition: "changes since the last draft"
    issues: tuple[Issue, ...] = ()
    carried: Paper | None = None  # the paper of `carry_from`
    restricted_from: Path | None = None  # `carry_from` public: the newest restricted draft of its period or before
    restricted: Paper | None = None  # its paper: the exempt actions' values (`check.checked.left_out_of_public`)
    theme: Theme | None = None  # the look, from the Word template: both renderers draw it
    theme_issues: tuple[Issue, ...] = ()  # about the template (fonts, logo): listed after the inputs' issues
    history: tuple[PeriodDraft, ...] = ()  # newest kept draft of each earlier period, this edition
    later: LaterDrafts | None = None  # the later periods' drafts, and the draft of this period they were built on
    revises: bool = False  # `compare_with` is the paper this one corrects (`reportgen build --revises`)

    @property
    def carried_name(self) -> str:
        return self.carry_from.relative_to(self.inputs.outputs).as_posix() if self.carry_from else ""

    @property
    def carried_label(self) -> str:
        """`carried_name` as this edition's outputs say it: a public paper carrying its published actions from a
        restricted draft (the newest kept) says so, since its reader finds that draft among no public ones."""
        restricted = self.edition == "public" and self.carried is not None and self.carried.edition == "restricted"
        return f"{self.carried_name} (restricted edition)" if restricted else self.carried_name

    @property
    def compare_name(self) -> str:
        """The draft this one is compared with, named as kept: "2026-10/draft-01"."""
        return self.compare_with.relative_to(self.inputs.outputs).as_posix() if self.compare_with else ""

    @property
    def restricted_name(self) -> str:
        return self.restricted_from.relative_to(self.inputs.outputs).as_posix() if self.restricted_from else ""


@dataclass(frozen=True)
class BuildResult:
    folder: Path
    paper: Paper
    issues: tuple[Issue, ...]
    manifest: records.Manifest
    previous: Path | None = None  # the draft this one is compared with (same edition)
    chase: tuple[ChaseRow, ...] = ()

    @property
    def blocking(self) -> list[Issue]:
        return [i for i in self.issues if i.blocking]


@dataclass
class Timer:
    """Seconds per stage, for the manifest and the benchmarks."""

    timings: dict[str, float] = field(default_factory=dict)
    on_stage: Callable[[str], None] | None = None

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.on_stage:
            self.on_stage(name)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - start, 4)


def input_files(inputs: Inputs) -> list[Path]:
    files = [inputs.workspace / SETTINGS_FILE, inputs.register, *inputs.returns]
    if inputs.narrative:
        files.append(inputs.narrative)
    return [path for path in files if path.is_file()]


def prepare_build(workspace: Path, period: str | None = None, edition: Edition = "public",
                  todays_register: bool = False, revises: Path | None = None) -> Plan:
    """What a build reads. `todays_register`: today's register, though the period is built again while a later
    period has drafts (`register_for`: by default it keeps the plan its last draft was built from). `revises`: the
    kept draft of the period, of this edition, the paper corrects (the one published), compared with in its place
    of the newest."""
    inputs, found = find_inputs(workspace, period)
    inputs, register_issues = register_for(inputs, todays_register)
    hashes = tuple(records.file_record(path, inputs.workspace) for path in input_files(inputs))
    kept = drafts.draft_folders(inputs.outputs)
    carry_from = carry_source(inputs.outputs, inputs.period)
    compare_with = next((f for f in reversed(kept)
                         if f.parent.name <= inputs.period and edition_of(f) == edition), None)
    if revises is not None:
        compare_with = revised_draft(revises, inputs.outputs, inputs.period, edition)
    carried, unreadable = read_carry_source(carry_from)
    carried = exemptions_known(carried, carry_from, inputs.exemption_files, inputs.workspace)
    if edition == "public":  # the returns' pre-fill reads the same (`prefill_carried`), so the two agree
        carry_from, carried, instead = carried_in_public(inputs.outputs, carry_from, carried)
        unreadable = [*unreadable, *instead]
    restricted_from = restricted_beside(inputs.outputs, carry_from) if carried is not None else None
    restricted, unreadable_restricted = read_kept_paper(restricted_from)
    carried, restricted = reported_found(inputs.outputs, carried), reported_found(inputs.outputs, restricted)
    theme, theme_issues = load_theme(inputs)
    wanted = inputs.settings.history
    history, damaged = read_history(inputs.outputs, edition, before=inputs.period,
                                    limit=max(wanted.periods - 1, wanted.stalled_after))
    issues = (*found, *register_issues, *not_revised(inputs.outputs, inputs.period, edition, revises),
              *misplaced_issues(inputs.outputs), *unfinished_issues(inputs.outputs),
              *unreadable, *unreadable_restricted, *damaged,
              *returns_after(inputs.outputs, carry_from, inputs.workspace))
    return Plan(inputs, edition, hashes, carry_from, compare_with, issues, carried, restricted_from, restricted, theme,
                tuple(theme_issues), history if wanted.progress else (), later_drafts(inputs.outputs, inputs.period),
                revises is not None)


def revised_draft(given: Path, outputs: Path, period: str, edition: Edition) -> Path:
    """The kept draft `--revises` names, as the workspace keeps it: one of `period`'s drafts of `edition`, the newest
    recorded as published (`reportgen publish`). Any other folder is refused, naming the drafts it may be: a revised
    paper compared with another month's, with the other edition's, or with a check's draft the Panel never had,
    would list as corrected what never was. A relative path naming nothing from here is read
    within the workspace, as the drafts are named to the officer ("outputs/2026-09/draft-01")."""
    kept = [folder for folder in drafts.draft_folders(outputs, period) if edition_of(folder) == edition]
    named_here = given.expanduser()
    if not named_here.is_absolute() and not named_here.exists():
        named_here = outputs.parent / named_here
    found = next((folder for folder in kept if folder.resolve() == named_here.resolve()), None)
    paper = read_kept_paper(found)[0] if found is not None else None
    if found is not None and (paper is None or not paper.blocking_issues):
        revised_is_published(found, outputs, period, edition, given)
        return found  # one that cannot be read is said by the build, which reads it to compare
    if found is not None and paper is not None:  # its every page said it was not for publication
        open_ = [folder.relative_to(outputs.parent).as_posix() for folder in kept
                 if (other := read_kept_paper(folder)[0]) is not None and not other.blocking_issues]
        marked = f" (its pages are marked '{paper.draft_marking}')" if paper.draft_marking else ""
        raise UsageError(f"--revises {given}: {counted(paper.blocking_issues, 'issue')} blocked that draft's "
                         f"publication{marked}, so it is not the paper published, which a revised paper corrects "
                         f"(the {edition} drafts of {period} with nothing blocking publication: "
                         f"{', '.join(open_) or 'none'})")
    named = ", ".join(folder.relative_to(outputs.parent).as_posix() for folder in kept) or "none is kept yet"
    raise UsageError(f"--revises {given}: not a kept draft of {period} in the {edition} edition, which the revised "
                     f"paper corrects (the {edition} drafts of {period}: {named})")


def load_theme(inputs: Inputs) -> tuple[Theme, list[Issue]]:
    """The Word template's look, with the PDF's font for each font it names (swaps reported once)."""
    template = template_file(inputs.templates, "paper.docx")  # a folder without one: the DOCX is laid out from ours
    shown = inputs.display(template) if template.is_relative_to(inputs.workspace) else "reportgen's default template"
    refused = refuse_reason(template, "Word document")  # before python-docx expands every part into memory
    if refused:
        raise ReportgenError(f"DOCX template {shown} cannot be read: {refused}; open it in Word and save it "
                             "again as a Word Document (.docx), or move it out of the templates folder to use "
                             "reportgen's own")
    theme, issues = read_theme(template, shown)
    earlier = template.is_relative_to(inputs.workspace) and is_earlier_release(template)
    issues = [found for found in issues if not _unmissed(found, inputs)
              and not (earlier and found.code == "template-own-text")]  # an earlier release's words, not theirs
    theme, font_issues = resolve_fonts(theme, shown)
    return theme, [*template_name_issues(inputs), *template_copy_issues(inputs), *issues, *font_issues,
                   *stylesheet_issues(inputs), *web_template_issues(inputs)]


def template_copy_issues(inputs: Inputs) -> list[Issue]:
    """The workspace's copies of our templates that ours has changed since (`template_copies`)."""
    folder = inputs.templates
    return copy_issues(folder, inputs.display, inputs.workspace) if folder.is_relative_to(inputs.workspace) else []


def _unmissed(found: Issue, inputs: Inputs) -> bool:
    """A tag the template lacks whose words reportgen.toml leaves out (a paper without a subtitle): the Word paper
    loses nothing, so nothing is said."""
    return found.code == "template-tag-missing" and any(
        needed.tag == found.value and needed.optional and not getattr(inputs.settings.paper, needed.field, "")
        for needed in NEEDED_TAGS)


# what an officer may save a restyled Word template as (Word's own lock files, ~$…, are not)
WORD_SUFFIXES = (".docx", ".dotx", ".docm", ".dotm", ".doc", ".dot", ".odt", ".rtf")


def template_name_issues(inputs: Inputs) -> list[Issue]:
    """A workspace templates folder without paper.docx but with another Word file (Paper.docx, paper.dotx,
    'paper (restyled).docx'): the paper is laid out from reportgen's own template, which the officer would not
    expect."""
    folder = inputs.templates
    if not folder.is_relative_to(inputs.workspace) or (folder / "paper.docx").is_file():
        return []
    others = sorted(path for path in folder.iterdir()
                    if path.is_file() and path.suffix.lower() in WORD_SUFFIXES and not path.name.startswith("~$"))
    return [issue("template-not-read", file=inputs.display(path)) for path in others]


def stylesheet_issues(inputs: Inputs) -> list[Issue]:
    """The workspace's own paper.css, when it lacks rules that reportgen's has (a copy from an older one)."""
    stylesheet = template_file(inputs.templates, STYLESHEET)
    lacking = stylesheet_lacks(stylesheet) if stylesheet.is_relative_to(inputs.workspace) else []
    if not lacking:
        return []
    return [issue("stylesheet-outdated", file=inputs.display(stylesheet), value=listed(lacking),
                  ours=str(DEFAULT_TEMPLATES / STYLESHEET))]


def web_template_issues(inputs: Inputs) -> list[Issue]:
    """The workspace's own paper.web.html.j2, when its rows lack what the filters read (a copy from an older one)."""
    template = template_file(inputs.templates, WEB_TEMPLATE)
    lacking = web_template_lacks(template) if template.is_relative_to(inputs.workspace) else []
    if not lacking:
        return []
    return [issue("web-template-outdated", file=inputs.display(template), value=" and ".join(lacking),
                  ours=str(DEFAULT_TEMPLATES / WEB_TEMPLATE))]


def check_plan(plan: Plan) -> Checked:
    paper = plan.inputs.settings.paper
    found = [*plan.issues, *settings_issues(plan.inputs.workspace),
             *removed_character_issues(plan.inputs.settings), *meeting_issues(paper, plan.inputs.period),
             *cover_issues(paper, plan.inputs.period, plan.edition), *font_issues(paper)]
    unread = plan.carried_name if unread_source(plan.carry_from, plan.carried, plan.inputs.exemption_files,
                                                plan.inputs.workspace) else ""
    checked = check_inputs(plan.inputs, plan.carried, plan.carried_label, found, plan.restricted,
                           plan.restricted_name, public=plan.edition == "public", unread=unread)
    return replace(checked, issues=withdrawn_earlier(checked.issues, checked.register, plan.inputs.outputs,
                                                     plan.inputs.period))


def make_paper(plan: Plan, checked: Checked) -> Paper:
    """The paper, marked as a draft and listing what blocks it while anything does."""
    inputs = plan.inputs
    narrative = read_narrative(inputs.narrative, inputs.display(inputs.narrative))[0] if inputs.narrative else None
    previous, _ = read_kept_paper(plan.compare_with)
    earlier = tuple(found.paper for found in plan.history)
    return build_paper(with_unchanged_returns(checked), plan.inputs.settings, narrative, plan.edition,
                       known_issues(plan, checked),
                       previous, theme=plan.theme, earlier=earlier, absent=checked.register.absent,
                       headings=dict(checked.register.headings), previous_name=plan.compare_name,
                       revises=plan.revises)


def with_unchanged_returns(checked: Checked) -> MergedRegister:
    """The merged register, each action whose update came from a return sent back exactly as pre-filled
    (`unchanged_returns`) marked so: the paper says it repeats what was last reported, as the chase list
    does not count it as updated."""
    untouched = {found.file for found in unchanged_returns(checked)}
    if not untouched:
        return checked.merged
    actions = tuple(
        replace(item, returned_unchanged=True, last_reported=last.reported if last else "")
        if item.state is UpdateState.UPDATED and item.source in untouched else item
        for item in checked.merged.actions for last in (checked.carried.get(item.ref),))
    return replace(checked.merged, actions=actions)


@dataclass(frozen=True)
class Checks:
    """Everything a build knows before it writes: what `validate` prints."""

    plan: Plan
    checked: Checked
    paper: Paper
    issues: tuple[Issue, ...]

    @property
    def blocking(self) -> list[Issue]:
        return [i for i in self.issues if i.blocking]

    @property
    def chase(self) -> list[ChaseRow]:
        return chase_of(self.plan, self.checked, self.issues)


def check_draft(workspace: Path, period: str | None = None, edition: Edition = "public",
                runner: StageRunner | None = None, timer: Timer | None = None, todays_register: bool = False,
                revises: Path | None = None) -> Checks:
    """The build's checks, in the build's order: inputs, carry-forward, merge, narrative, edition, and
    returns sent back unchanged. `build_draft` renders from the result; `validate_draft` only reports it."""
    run = runner or StageRunner()
    timer = timer or Timer()
    with timer.stage("read"):
        plan = run.run("prepare", prepare_build, workspace, period, edition, todays_register, revises)
        checked = run.run("check", check_plan, plan)
    with timer.stage("paper"):
        paper = run.run("paper", make_paper, plan, checked)
    return Checks(plan, checked, paper, known_issues(plan, checked))


def validate_draft(workspace: Path, period: str | None = None, edition: Edition = "public",
                   todays_register: bool = False, revises: Path | None = None) -> Checks:
    """`reportgen validate`: exactly the checks of a build, writing nothing (`revises`: as the build's, refused
    alike when it names no kept draft of the period and edition)."""
    checks = check_draft(workspace, period, edition, todays_register=todays_register, revises=revises)
    check_word_template(checks.paper, checks.plan)
    check_html_templates(checks.plan.inputs.templates)
    return replace(checks, issues=(*checks.issues, *changed_inputs(checks.plan)))


def check_word_template(paper: Paper, plan: Plan) -> None:
    """A workspace's own Word template filled in as the build fills it, and thrown away: one the build cannot
    fill (a tag retyped wrong, a marker deleted) stops validate with the build's line, not on the day of the
    build. The paper's first action of each section is enough (rows are written by reportgen, not the
    template); ours is not checked (it fills, and validate then needs no docxtpl)."""
    template = template_file(plan.inputs.templates, "paper.docx")
    if template.resolve() == (DEFAULT_TEMPLATES / "paper.docx").resolve():
        return
    few = replace(paper, sections=tuple(replace(section, rows=section.rows[:1]) for section in paper.sections))
    with tempfile.TemporaryDirectory(prefix="reportgen-validate-") as folder:
        render_docx(few, plan, Path(folder))


def check_html_templates(templates: Path) -> None:
    """The workspace's own PDF and web-edition templates compiled as the build compiles them: one it cannot compile
    (a copy made by an older reportgen, using a filter this one no longer has) stops validate with the build's
    line. Ours are not compiled (they compile, and compiling one costs validate a tenth of a second)."""
    for name, check in (("paper.html.j2", check_pdf_template), (WEB_TEMPLATE, check_web_template)):
        if template_file(templates, name).resolve() != (DEFAULT_TEMPLATES / name).resolve():
            check(templates)


def render_docx(paper: Paper, plan: Plan, folder: Path) -> Path:
    from reportgen.render.docx.writer import write_docx  # imported here: a build's PDF workers fork before it

    out = folder / "paper.docx"
    write_docx(paper, template_file(plan.inputs.templates, "paper.docx"), out)
    memory.give_back()  # while the PDF is laid out
    return out


def render_pdf(paper: Paper, plan: Plan, folder: Path, workers: PdfWorkers | None = None) -> Path:
    out = folder / "paper.pdf"
    write_pdf(paper, plan.inputs.templates, out, workers)
    return out


def render_web_edition(paper: Paper, plan: Plan, folder: Path) -> Path:
    out = folder / "paper.html"
    write_html(paper, plan.inputs.templates, out)
    memory.give_back()  # while the PDF is laid out
    return out


def edition_issues(issues: tuple[Issue, ...], checked: Checked, edition: Edition) -> tuple[Issue, ...]:
    """In the public edition, issues about exempt actions keep their code and place but lose the text. In the
    restricted edition (the Part II paper, where a confidential update belongs) an action a return marks
    confidential is a warning, not what blocks it: the public edition stays held until the register decides."""
    if edition == "restricted":
        return tuple(_in_restricted(item) if item.code == "return-exempt" else item for item in issues)
    return public_issues(issues, public_view(checked))


def _in_restricted(item: Issue) -> Issue:
    return issue("return-exempt-restricted", file=item.file, sheet=item.sheet, row=item.row, column=item.column,
                 value=item.value, ref=item.ref)


def changed_inputs(plan: Plan) -> list[Issue]:
    """Inputs whose bytes differ from when the build started: the paper may mix old and new."""
    now = {f.path: f for f in (records.file_record(p, plan.inputs.workspace) for p in input_files(plan.inputs))}
    return [
        issue("file-changed", file=before.path)
        for before in plan.hashes
        if now.get(before.path) != before
    ]


def template_heading_issues(plan: Plan, checked: Checked) -> list[Issue]:
    """Each plan heading the officer reworded in the Word template that the paper does not print: its headings
    come from the register and reportgen.toml (the template's header row gives their look)."""
    settings = plan.inputs.settings
    template = template_file(plan.inputs.templates, "paper.docx")
    found = []
    for key, heading in plan.theme.renamed_headings if plan.theme is not None else ():
        if key not in settings.paper.table_columns:
            continue
        printed = settings.column_heading(key, dict(checked.register.headings))
        if " ".join(printed.split()).casefold() != " ".join(heading.split()).casefold():
            found.append(issue("template-heading-ignored", file=plan.inputs.display(template), value=heading,
                               key=key, section="register" if key in ("ref", "action", "page") else "returns",
                               printed=printed, heading_toml=toml_string(heading), printed_toml=toml_string(printed)))
    return found


def template_column_issues(plan: Plan, checked: Checked) -> list[Issue]:
    """Each column of the paper the officer deleted from the Word template's plan table: the paper still prints it
    (its columns are reportgen.toml's), and the Word paper's table no longer fills the page."""
    settings = plan.inputs.settings
    theme = plan.theme
    if theme is None:
        return []
    template = plan.inputs.display(template_file(plan.inputs.templates, "paper.docx"))
    printed = [key for key in settings.paper.table_columns if key in TEMPLATE_COLUMN_KEYS]
    if not theme.missing_columns and 0 < theme.template_columns < len(printed):  # which went cannot be told
        return [issue("template-column-deleted", "untold", file=template, cells=theme.template_columns,
                      columns=len(printed))]
    return [issue("template-column-deleted", file=template, key=key,
                  printed=settings.column_heading(key, dict(checked.register.headings)))
            for key in theme.missing_columns if key in printed]


def known_issues(plan: Plan, checked: Checked) -> tuple[Issue, ...]:
    """The issues known before writing: the inputs', returns sent back untouched (or with a pre-filled
    explanation or an action's row deleted) and the template's; links in explanations the paper does not
    keep; a restricted cover that says not exempt; a register with no exemption column after a draft with exempt
    actions; later periods' drafts built on an older draft of this period with other statuses; in the public
    edition, issues about exempt actions lose their text."""
    exempt = sum(1 for item in checked.merged.actions if item.action.exempt)
    settings = plan.inputs.settings
    found = (*checked.issues, *unchanged_returns(checked), *cleared_explanations(checked), *deleted_rows(checked),
             *plan.theme_issues, *template_heading_issues(plan, checked), *template_column_issues(plan, checked),
             *explanation_issues(checked.returns, settings.returns.columns["explanation"].heading),
             *exemption_issues(settings.paper, plan.edition, exempt),
             *exemptions_dropped(checked.register, plan.carried, plan.carried_label,
                                 settings.register.columns["exempt"].heading),
             *stale_later_issues(plan.later, plan.inputs.period,
                                 {item.action.ref: status_display(item)[0] for item in checked.merged.actions}))
    return edition_issues(found, checked, plan.edition)


def collect_issues(plan: Plan, checked: Checked) -> tuple[Issue, ...]:
    """Every issue of the run, checked just before publishing: the known ones, and inputs changed
    while building."""
    return (*known_issues(plan, checked), *changed_inputs(plan))


def write_records(paper: Paper, folder: Path) -> None:
    """register.xlsx (the merged register for the secretariat) and draft.json (the paper, for later
    builds): from the paper alone, so written while the PDF is laid out."""
    from reportgen.render.xlsx import write_register_xlsx

    write_register_xlsx(paper, folder / "register.xlsx")
    drafts.write_paper_record(folder, paper)
    memory.give_back()  # while the PDF is laid out


def write_tables(plan: Plan, issues: tuple[Issue, ...], checked: Checked, folder: Path) -> list[ChaseRow]:
    """issues.csv and chase.csv: what to fix and whom to chase (in the public edition, from what the
    public paper shows: `issues` are already the edition's), with a byte order mark, as Excel needs to read
    them as UTF-8 (`CSV_ENCODING`). Written last: they list inputs changed while the draft was built."""
    marking = plan.inputs.settings.paper.restricted_marking if plan.edition == "restricted" else ""
    write_atomically(folder / "issues.csv", issues_csv(issues, marking).encode(CSV_ENCODING))
    chase = chase_of(plan, checked, issues)
    register = checked.register
    unread = register.unread_published if plan.edition == "public" else register.unread
    write_atomically(folder / "chase.csv", chase_csv(chase, marking, unread).encode(CSV_ENCODING))
    return chase


# what a build finds in a partner's return after the inputs' own checks (`known_issues`, `changed_inputs`): counted
# in the chase list with the rest, so that its errors and warnings for a file are the ones issues.csv lists
FOUND_BY_THE_BUILD = frozenset({"unchanged-return", "file-changed", "row-deleted", "explanation-cleared",
                                "link-not-kept", "list-not-closed", "paragraphs-joined"})


def chase_of(plan: Plan, checked: Checked, issues: Sequence[Issue]) -> list[ChaseRow]:
    """Who to chase: partners with no return, actions not updated, rows and returns sent back as they were
    pre-filled (in the public edition, only what the public paper shows)."""
    view = public_view(checked) if plan.edition == "public" else None
    return chase_list(checked, [i for i in issues if i.code in FOUND_BY_THE_BUILD], view,
                      prefill_values(checked.carried))


def edition_inputs(plan: Plan, checked: Checked) -> tuple[tuple[records.InputFile, ...], tuple[str, ...]]:
    """The inputs the draft's manifest names, and the digests of those it may not (`records.withheld_digest`): a
    public draft names no return of a lead whose every action is exempt (`PublicView.hidden_files`), as its
    issues and chase list do not, since the file's name says that partner reported on work the paper leaves out."""
    if plan.edition != "public":
        return plan.hashes, ()
    hidden = public_view(checked).hidden_files
    shown = tuple(record for record in plan.hashes if record.path not in hidden)
    return shown, tuple(sorted(records.withheld_digest(record) for record in plan.hashes if record.path in hidden))


def finish_draft(plan: Plan, checked: Checked, paper: Paper, issues: tuple[Issue, ...], chase: Sequence[ChaseRow],
                 folder: Path, out: Path | None, timings: dict[str, float],
                 on_kept: Callable[[Path], None] | None = None) -> BuildResult:
    """Write manifest.json (draft.json is written with the paper, `write_records`), then publish the
    folder as the next draft (or `out`); `on_kept` is told where (`drafts.publish_draft`)."""
    shown, withheld = edition_inputs(plan, checked)
    manifest = records.Manifest(
        period=plan.inputs.period,
        edition=plan.edition,
        draft="",
        inputs=shown,
        settings_digest=plan.inputs.settings.digest(),
        versions=records.package_versions(),
        counts=paper.counts,
        issue_counts=records.count_by_severity(i.severity.value for i in issues),
        timings=tuple(timings.items()),
        withheld=withheld,
    )
    drafts.write_manifest(folder, manifest)
    published = drafts.publish_draft(folder, plan.inputs.outputs, plan.inputs.period, out, on_kept)
    if plan.inputs.templates.is_relative_to(plan.inputs.workspace):  # a copy with no record: its note given once
        record_unrecorded(plan.inputs.templates)
    manifest = drafts.load_manifest(published)
    return BuildResult(published, paper, issues, manifest, plan.compare_with, tuple(chase))


class StageRunner:
    """Runs each stage as a plain call (the CLI). The Prefect flows pass a runner that makes each
    stage a task, so the CLI and the flows compose exactly the same stages in the same order."""

    def run(self, name: str, stage: Callable[..., T], *args: Any) -> T:
        return stage(*args)

    def run_together(self, calls: Sequence[tuple[str, Callable[..., Any], tuple[Any, ...]]],
                     stop: Callable[[], None] | None = None) -> list[Any]:
        """The stages in threads side by side; stopped meanwhile (Ctrl-C, SIGTERM to this process alone), `stop`
        is called before the threads are waited for: the PDF workers closed, the PDF's thread ends at once rather
        than when the whole paper is laid out."""
        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            futures = [pool.submit(stage, *args) for _name, stage, args in calls]
            try:
                return [future.result() for future in futures]
            except KeyboardInterrupt:
                if stop is not None:
                    stop()
                raise


def build_draft(
    workspace: Path,
    period: str | None = None,
    out: Path | None = None,
    edition: Edition = "public",
    on_stage: Callable[[str], None] | None = None,
    runner: StageRunner | None = None,
    workers: PdfWorkers | None = None,
    on_kept: Callable[[Path], None] | None = None,
    todays_register: bool = False,
    revises: Path | None = None,
) -> BuildResult:
    """Read, check, merge, render and keep one draft. Raises ReportgenError only if nothing can be built.

    `workers`: PDF workers the caller started earlier (`pdf_parallel.start_workers`) and closes;
    without them (or for other templates) the build starts its own once it knows the templates.
    `on_kept`: told the draft's folder the moment it is published, so a caller stopped after that (Ctrl-C
    while the summary prints) can say the draft is there and whole rather than that none was kept.
    `todays_register`, `revises`: see `prepare_build`.
    """
    run = runner or StageRunner()
    timer = Timer(on_stage=on_stage)
    own = None
    if workers is None and Path(workspace).is_dir():
        # the PDF workers import WeasyPrint and set up its fonts while this process reads the inputs
        workers = own = start_workers(templates_folder(Path(workspace).resolve()))
    try:
        return _build(workspace, period, out, edition, run, timer, workers, on_kept, todays_register, revises)
    finally:
        if own is not None:
            own.close()


def _build(workspace: Path, period: str | None, out: Path | None, edition: Edition, run: StageRunner, timer: Timer,
           workers: PdfWorkers | None, on_kept: Callable[[Path], None] | None = None, todays_register: bool = False,
           revises: Path | None = None) -> BuildResult:
    checks = check_draft(workspace, period, edition, run, timer, todays_register, revises)
    plan, checked, paper = checks.plan, checks.checked, checks.paper
    if out is not None:
        drafts.check_out_outputs(out, plan.inputs.period, plan.inputs.outputs)
        drafts.check_out_place(out, plan.inputs.workspace)
        drafts.check_out_period(out, plan.inputs.period, plan.inputs.outputs)
    if workers is not None and workers.templates != plan.inputs.templates.resolve():
        workers = None  # started for other templates: write_pdf starts its own
    folder = drafts.start_draft(plan.inputs.outputs, plan.inputs.period, beside=out)
    try:
        if out is None or out.absolute().resolve().is_relative_to(plan.inputs.outputs.resolve()):
            # a later build of the period reads its plan; a draft kept elsewhere (--out) is never built on
            drafts.keep_register(plan.inputs.workspace, plan.inputs.register)
        with timer.stage("render"):
            run.run_together([("render-docx", render_docx, (paper, plan, folder)),
                              ("render-pdf", render_pdf, (paper, plan, folder, workers)),
                              ("render-html", render_web_edition, (paper, plan, folder)),
                              ("write-records", write_records, (paper, folder))],
                             workers.stop if workers is not None else None)
        with timer.stage("tables"):
            issues = run.run("collect-issues", collect_issues, plan, checked)
            chase = run.run("write-tables", write_tables, plan, issues, checked, folder)
        with timer.stage("draft"):
            return run.run("publish", finish_draft, plan, checked, paper, issues, chase, folder, out, timer.timings,
                           on_kept)
    except BaseException:
        drafts.discard_draft(folder)
        raise
