"""The catalogue of issue codes: for each, its one severity, what it means, its message template and what to do.

A message is rendered from the issue's own fields (file, sheet, row, column as the partner wrote it,
value, ref) and the few named fields its template adds, so call sites pass values, never sentences; a
count is passed with its noun ("3 cells", `reportgen.wording.counted`), so no template says "cell(s)".
A code whose situations need different sentences of the same meaning names them in `wordings`;
a different meaning (or severity) gets its own code. docs/issues.md is generated from this module
(`python scripts/make_docs.py`). This module must not import the rest of reportgen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from string import Formatter


class Severity(StrEnum):
    # declared in the order issues are listed: errors first
    ERROR = "error"  # blocks publication: the paper would be wrong or incomplete
    WARNING = "warning"  # published as is, but someone should look
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for notes: the one order issues are sorted and shown in."""
        return list(Severity).index(self)


# another situation of the same meaning: its template, or its template and its own advice
Wording = str | tuple[str, str]


@dataclass(frozen=True)
class Code:
    severity: Severity
    title: str  # what it means, in a sentence
    template: str  # the message, from the issue's fields, e.g. "Row {row}: action {ref} has no lead partner."
    advice: str  # what to do: a template too (a literal brace doubled), mostly with no field
    wordings: Mapping[str, Wording] = field(default_factory=dict)  # by name
    partner_advice: str = ""  # what to do, as the partner is told it when a mailed return is acknowledged
    # the message as the partner is told it, for a code whose message names the secretariat's own files or folders
    # (a partner is never shown them): from the issue's coordinates ({file}: the name the partner sent) and the
    # fields every wording of the code is made with, which the issue keeps (`Issue.named_fields`)
    partner_message: str = ""
    # the partner's advice of a named wording whose situation asks the partner for something else (its advice, as
    # the officer's, has no field: an issue is told its wording by its advice alone)
    partner_wordings: Mapping[str, str] = field(default_factory=dict)

    def partner_advice_for(self, advice: str) -> str:
        """What to do, as the partner is told it, for an issue whose advice (the officer's) is `advice`: the
        partner's advice of the wording it was made with, else the code's (`partner_advice`); "" for none."""
        wording = next((name for name in self.partner_wordings if self.advice_text(name) == advice), "")
        return self.partner_wordings[wording] if wording else self.partner_advice

    def template_for(self, wording: str = "") -> str:
        found = self.wordings[wording] if wording else self.template
        return found if isinstance(found, str) else found[0]

    def advice_for(self, wording: str = "") -> str:
        found = self.wordings[wording] if wording else self.template
        return found[1] if isinstance(found, tuple) else self.advice

    def fields_for(self, wording: str = "") -> set[str]:
        """The fields an issue of this wording is rendered from: its message's and its advice's."""
        return placeholders(self.template_for(wording)) | placeholders(self.advice_for(wording))

    def advice_text(self, wording: str = "") -> str:
        """The advice as the catalogue shows it: its fields named ({example}), a literal brace single."""
        return self.advice_for(wording).replace("{{", "{").replace("}}", "}")

    def names(self) -> list[str]:
        """'' for the main template, then each named wording."""
        return ["", *self.wordings]


def placeholders(template: str) -> set[str]:
    """The field names a template needs: 'Row {row}: {value!r}' -> {'row', 'value'}."""
    return {name.split(".")[0].split("[")[0] for _text, name, _spec, _conv in Formatter().parse(template) if name}


E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: a note for information

# the register's numbers written as formulas with no value: the numbers themselves are what to keep
FORMULA_REFS_ADVICE = ("Type each action's whole number in {column!r} in place of its formula: in Excel, copy the "
                       "column and paste it back with Paste Special > Values (once Excel has calculated the "
                       "formulas), then save the register and build again.")

# a file named after no lead, whose lead's own file name is taken: how to add it beside that return
NAME_TAKEN = ("{example} is already in the folder: if this file is a later version of that return, name it {later} "
              "(the most recently saved is read); if it is not a return, move it out of the folder.")

# a register numbering its actions as its plan does (1.1, A-101, P1.2a): how to keep that numbering beside ours
NUMBERING_ADVICE = ("reportgen numbers each action with a whole number (1, 2, 3 …) in {column!r}, which the returns "
                    "and the drafts' comparisons go by: write one there. To keep the plan's own numbering ({value!r} "
                    "and so on) in the paper, put it in a column of its own and name it in reportgen.toml: "
                    "[[register.extra]] key = \"number\", heading = \"<its heading>\", and under [paper] "
                    "table_columns = [\"ref\", \"number\", \"action\", \"status\", \"explanation\", "
                    "\"timeframe\", \"page\"].")

# how a workbook in a format not read is saved as one that is, in either program partners use (Excel, LibreOffice
# Calc): one sentence, so that validate, the build and the replies to partners say it alike
SAVE_AS_XLSX = ('In Excel: File > Save As, file type "Excel Workbook (.xlsx)". In LibreOffice: File > Save As, '
                'file type "Excel 2007-365 (.xlsx)".')
# the same, for the programs that make the other formats partners send: an Apple Numbers file opens in Numbers
# alone, and an OpenDocument one comes from LibreOffice or from Google Sheets' File > Download
SAVE_NUMBERS_AS_XLSX = "In Numbers: File > Export To > Excel, then Save."
SAVE_ODS_AS_XLSX = ('In LibreOffice: File > Save As, file type "Excel 2007-365 (.xlsx)". In Google Sheets: File > '
                    'Download > Microsoft Excel (.xlsx). In Excel: File > Save As, file type "Excel Workbook (.xlsx)".')
# a tab-separated file is what Google Sheets' File > Download offers beside .xlsx and .csv
SAVE_TSV_AS_XLSX = f"In Google Sheets: File > Download > Microsoft Excel (.xlsx). {SAVE_AS_XLSX}"
# by a file's ending, how it is saved as .xlsx (`SAVE_AS_XLSX` for the others)
SAVE_AS_XLSX_IN = {".numbers": SAVE_NUMBERS_AS_XLSX, ".ods": SAVE_ODS_AS_XLSX, ".fods": SAVE_ODS_AS_XLSX,
                   ".tsv": SAVE_TSV_AS_XLSX}

CODES: dict[str, Code] = {
    "unreadable-file": Code(
        E, "The file could not be opened as a spreadsheet.",
        "{file} could not be read: {error}.",
        "Save it again as .xlsx or UTF-8 .csv and put it back in the folder.",
        {"old-xls": ("{file} is an old .xls workbook; it was not read.",
                     f"Open it and save it as an Excel workbook (.xlsx) in its place. {SAVE_AS_XLSX}"),
         "no-permission": ("{file} could not be read: permission to read it was refused (to the user running "
                           "reportgen).",
                           "Let that user read the file (on a server, the account the worker runs as), or save it "
                           "again into the folder."),
         "no-bytes": ("{file} is empty (0 bytes): there is nothing in it to read.",
                      "Save or copy the file again: one of 0 bytes was saved or copied before anything was written "
                      "to it."),
         "other-spreadsheet": ("{file} is {what}; it was not read.",
                               f"Open it and save it as an Excel workbook (.xlsx) in its place. {SAVE_AS_XLSX}"),
         "numbers-file": ("{file} is {what}; it was not read.",
                          f"Open it and export it as an Excel workbook (.xlsx) in its place. {SAVE_NUMBERS_AS_XLSX}"),
         "opendocument": ("{file} is {what}; it was not read.",
                          f"Open it and save it as an Excel workbook (.xlsx) in its place. {SAVE_ODS_AS_XLSX}"),
         "saved-as-text": ("{file} is {what}; it was not read as a return.",
                           "If it is a partner's return, open it in Excel and save it with File > Save As as an "
                           "Excel Workbook (.xlsx) in its place; if it is not a return, move it out of the returns "
                           "folder."),
         "not-xlsx": ("{file} is {what}: it is not a readable .xlsx file.",
                      "Open it in Excel and save it as .xlsx (without a password)."),
         "csv-named-xlsx": ("{file} is a text (CSV) file named {suffix}: it is not a readable workbook; it was not "
                            "read.",
                            "Rename it with the .csv ending (or open it in Excel and save it as .xlsx)."),
         "workbook-named-csv": ("{file} is {what} named .csv: it is not a text (CSV) file; it was not read.",
                                "Rename it with the .xlsx ending (or open it in Excel and save it as .xlsx)."),
         "no-sheets": ("{file} has no worksheet: it holds no cells to read (a Word or PowerPoint file, or a "
                       "workbook of charts only, saved as .xlsx?).",
                       "Open the partner's return in Excel and save it as .xlsx in its place."),
         "strict": ("{file} is saved as a Strict Open XML Spreadsheet (one of Excel's Save As types), a kind of "
                    ".xlsx file that is not read; it was not read.",
                    'Open it in Excel and save it in its place with File > Save As, file type "Excel Workbook '
                    '(.xlsx)".'),
         "refused": ("{file} was not opened: {reason}.",
                     "Open it in Excel, save it again as .xlsx, and check it is the right file."),
         "too-large": ("{file} was not opened: {reason}.",
                       "Open it in Excel, copy the return's rows into a new workbook and save that."),
         "rows-lost": ("{file}: row {row} and the rows after it were not read: a cell there is over {limit:,} "
                       "characters long, or a quote (\") is opened and never closed ({error}).",
                       "Open the file in Excel, check the cells of that row for a stray quote, and save it again."),
         "unclosed-quote": ("{file}: a quote (\") in row {row} is never closed, so everything after it was read "
                            "as one cell of that row.",
                            "Open the file in Excel, remove the stray quote, and save it again."),
         "unknown-encoding": ("{file} is in an unknown text encoding (byte {byte} is not valid).",
                              "Save it from Excel as 'CSV UTF-8' or as .xlsx."),
         "bad-encoding": ("{file} is not valid {encoding} (at byte {byte}).",
                          "Save it from Excel as 'CSV UTF-8' or as .xlsx."),
         "mixed-encoding": ("{file} mixes two text encodings: most of it is UTF-8, but line {line} (byte {byte:,}) "
                            "is not, so its accented letters and dashes cannot be told apart; it was not read.",
                            "Open it in Excel and save it again as 'CSV UTF-8' (or as .xlsx).")},
        partner_advice="Save the workbook again as .xlsx and send it again.",
        partner_wordings={**{wording: f"Save it as an Excel workbook (.xlsx) and send it again. {SAVE_AS_XLSX}"
                             for wording in ("old-xls", "other-spreadsheet")},
                          "numbers-file": f"Export it as an Excel workbook (.xlsx) and send it again. "
                                          f"{SAVE_NUMBERS_AS_XLSX}",
                          "opendocument": f"Save it as an Excel workbook (.xlsx) and send it again. "
                                          f"{SAVE_ODS_AS_XLSX}",
                          "strict": 'Save it with File > Save As, file type "Excel Workbook (.xlsx)" (not "Strict '
                                    'Open XML Spreadsheet"), and send it again.'}),
    "unreadable-draft": Code(
        W, "A kept draft could not be read; what it would have given (statuses carried forward, pre-filled "
        "workbooks, history) is missing.",
        "The earlier draft could not be read: {error}",
        # a kept draft is never repaired in place: a new build of its period makes the next draft, read instead
        "Restore the draft folder from a backup, or build that period's paper again in the same edition (a new "
        "draft is kept beside the damaged one). Do not just move the damaged folder out of outputs: a restricted "
        "draft is what records which actions were exempt that month.",
        {"history": "A kept draft could not be read for the history: {error}",
         "prefill": "The earlier draft could not be read, so the workbooks are not pre-filled from it: {error}",
         # an earlier draft of a period the history reads a later one of: building again cannot give back what
         # it said, and it may be the paper the Panel had
         "corrections": ("An earlier draft of {period} could not be read, so the history cannot say which statuses it "
                         "published {newest}, the draft shown for {period}, corrected: {error}",
                         "Restore the draft folder from a backup, then run reportgen history again: until it can be "
                         "read, no correction to what it said is marked in the history, and a status the Panel's "
                         "paper printed may be shown as if never corrected. Do not delete or move it: it may be "
                         "the paper that was published.")}),
    "damaged-draft": Code(
        E, "The newest kept draft of an earlier period has a manifest.json that cannot be read: the statuses it "
        "would carry forward are not known, so the paper would be published without them.",
        "The earlier draft's manifest.json could not be read, so no status is carried forward from it: {error}",
        # a damaged manifest is not an unfinished copy (that has none): a draft was kept there, and losing the
        # statuses it carried would publish a paper saying nothing was reported before
        "Restore the draft folder from a backup, or build that period's paper again in the same edition (a new "
        "draft is kept beside the damaged one, and carried forward from instead)."),
    "unfinished-draft": Code(
        W, "A draft folder holds no manifest.json: it is not a finished draft, and is not read as one.",
        "{file} holds no manifest.json, which every kept draft has (a build writes it last and moves the draft "
        "into place whole): it is not a finished draft, so it is not read as one{instead}.",
        # never removed by reportgen: it may be the half of a copy the officer means to finish
        "If it is a copy or sync of a draft that stopped partway, copy the draft again in full; otherwise move the "
        "folder out of outputs."),
    "abandoned-workbooks": Code(
        N, "A hidden folder of return workbooks that a run killed partway left behind was removed.",
        "{file} is where a run of reportgen returns was writing its workbooks when it was killed (that run has "
        "ended: it no longer holds the folder's lock): it was removed.",
        # only one whose run has gone: a folder a live run holds is never removed
        "Nothing to do: no workbook of that run was ever put in place, and this run wrote the whole set.",
        # an older reportgen's, with no lock file, or another machine's: only one that old, as a younger one may be a
        # run's, writing now
        {"aged": "{file} is where a run of reportgen returns was writing its workbooks when it was killed (nothing "
                 "in it had changed for over an hour, so no run is still writing there): it was removed."}),
    "misplaced-draft": Code(
        W, "A kept draft is in a folder named for another period: it is not read as a draft of either.",
        "{file} is a draft of {recorded}, kept in the folder of {named}: a draft's period is the one it records, "
        "so it is read as a draft of neither period (no status is carried forward from it, no paper compared "
        "with it, no history read from it).",
        # never moved or renamed by reportgen: a kept draft is a record, and only the officer knows what it was for
        "Move the folder out of outputs/{named}. If it is the paper of {recorded} you mean to keep, build that "
        "period's paper again: the new draft is kept in outputs/{recorded}/.",
        {"history": "{file} is a draft of {recorded}, kept in the folder of {named}: the history reads it as a "
                    "draft of neither period."}),
    "return-after-draft": Code(
        W, "A return of an earlier period was filed or changed after that period's newest draft was built: its "
        "updates are not carried forward.",
        "{file} was {how} {draft}, the newest draft of {label}, was built: statuses are carried forward from that "
        "draft, which did not read it, so its updates are not carried forward.",
        # never read past the draft: the kept draft is the record of the period, and what later papers say was last
        # reported in it must be what it holds
        "Build {label}'s paper again (reportgen build --period {period}, in each edition you keep): the new draft "
        "reads it, its plan kept as it was; then build each later period again in turn, so that it carries forward "
        "from the new draft (later-periods-stale names them). If the file is not meant to be read, move it out of "
        "inputs/returns/{period}.",
        {"prefill": "{file} was {how} {draft}, the newest draft of {label}, was built: the workbooks are pre-filled "
                    "from that draft, which did not read it, so its updates are not pre-filled."}),
    "later-periods-stale": Code(
        W, "An earlier period was built again while later periods have drafts built on its older draft: until built "
        "again, they carry forward (and measure progress from) the older draft's statuses.",
        "{later} {were} built on {built_on}, and this draft of {label} changes its statuses ({changed}): their papers "
        "still carry forward, and measure progress from, the statuses of {built_on}.",
        # never built by reportgen on its own: a later paper may already have gone to the Panel as it is
        "Build {them} again to carry this draft's statuses forward: reportgen build --period {first}, then each later "
        "period in turn, in each edition you keep.",
        {"before": "{later} {were} built before {label} had a draft: their papers carry forward, and measure progress "
                   "from, an earlier period's statuses, not this draft's.",
         "history": ("{file} was built on {built_on}, an older draft of {label} than the one this history reads "
                     "({read}): the statuses it carried forward, and its progress, are that older draft's.",
                     "Build {period} again (reportgen build --period {period}, in each edition you keep), and each "
                     "period after it in turn, so that each carries forward from the draft the history reads.")}),
    "published-not-revised": Code(
        W, "A period whose paper was recorded as published (reportgen publish) is built again without --revises: the "
        "new draft does not say that it corrects the paper the Panel had.",
        "{published} is the {edition} paper published for {period} (recorded by reportgen publish); this draft does "
        "not say it corrects it: its cover is not marked revised and it lists no corrections to the paper published.",
        "To check a corrected return before revising, nothing to do, but do not send this draft. To correct the paper "
        "published, build the revised paper: reportgen build --period {period} --revises {published}."),
    "kept-register": Code(
        W, "An earlier period was built again while a later period has drafts: its plan is the register its last "
        "draft was built from (a copy kept in registers/), not today's register.",
        "Built from the register kept for {draft} ({file}), not today's {today}, which has changed since: "
        "{later} drafts built on {label}'s plan, so that plan is kept as it was and only the returns "
        "are read again.",
        "Nothing to do about the plan to pick up a late or corrected return; the later periods' drafts still hold "
        "what they carried from {label}'s older draft (later-periods-stale says when to build them again). To change "
        "{label}'s plan to today's register, build again with --todays-register, then build the later periods again.",
        {"todays": ("Built from today's register {file}, which differs from the one {draft} was built from "
                    "({kept}): {label}'s plan changes, and {later} drafts built on the old one.",
                    "Build the later periods again, so that their papers follow the new plan."),
         "altered": ("Built from today's register {file}: the copy of the register {draft} was built from, {kept}, "
                     "has been changed since it was kept, so {label}'s plan may differ from that draft's, and {later} "
                     "drafts built on the old one.",
                     "Put the kept copy back as it was (from a backup) and build again; or check the plan against "
                     "{draft} and build the later periods again if it changed."),
         "unkept": ("Built from today's register {file}, which has changed since {draft} was built (no copy of the "
                    "register it was built from was kept): {label}'s plan may differ from it, and {later} "
                    "drafts built on the old one.",
                    "Check the plan against {draft}; build the later periods again if it changed.")}),
    "narrative-placeholder": Code(
        E, "The narrative holds one of its values in single braces: the paper prints it as typed.",
        "{placeholder!r} is in single braces, so the paper prints it as typed: the narrative fills in a value "
        "written in double braces.",
        "Write {suggestion}; if the braces are meant as text, write them as {{{{ '{{' }}}}…{{{{ '}}' }}}}."),
    "narrative-braces": Code(
        W, "The narrative holds a word in single braces that is none of its values: the paper prints it as typed.",
        "{placeholder!r} is in braces, and the paper prints it as typed: it is none of the narrative's values.",
        "Nothing to do if the braces are meant; to fill in a value, write it in double braces ({names})."),
    "narrative-image-not-shown": Code(
        W, "The narrative holds an image, which the paper cannot show: only the image's description is printed.",
        "The narrative {file} holds the image {address!r}, which the paper cannot show: it prints the image's "
        "description, {words!r}, in its place.",
        "Take the image out and say in words what it shows, or put it where readers can open it and link to it "
        "([Chart of progress](https://…)).",
        {"no-description": "The narrative {file} holds the image {address!r}, which the paper cannot show; with "
                           "no description, nothing is printed in its place."}),
    "narrative-table-not-shown": Code(
        W, "The narrative holds a Markdown table, which the paper cannot lay out: each row is printed as a line.",
        "The narrative {file} holds a table, which the paper cannot lay out as one: each of its rows is printed as "
        "a line of text, its cells split by upright bars.",
        "Write what the table says as a list ('- Completed: 12') or in sentences; the counts of each status are "
        "values the narrative can fill in ({{{{ counts[\"Completed\"] }}}})."),
    "narrative-language-not-closed": Code(
        W, "The narrative marks a passage's language (<span lang=\"cy\">) and never ends it (</span>) in its "
        "paragraph: the language runs to the paragraph's end.",
        "The narrative {file} opens a passage in another language ({written}) and does not end it with </span> in the "
        "same paragraph: every word after it to the paragraph's end is read in that language by a screen reader and "
        "checked in it by Word's spelling.",
        "Put </span> right after the passage's last word (<span lang=\"cy\">Croeso i bawb</span>), in the same "
        "paragraph, then build again."),
    "narrative-markdown-not-shown": Code(
        W, "The narrative uses Markdown the paper has no way to show (a quotation, a rule, a footnote, struck-through "
        "words): it is printed without it, or as typed.",
        "The narrative {file} has a quotation (a line starting >), which the paper cannot set apart: its words are "
        "printed as an ordinary paragraph, without the >.",
        "To show the words are quoted, put them in quotation marks, or introduce them ('The Chief Constable said: …').",
        {"rule": ("The narrative {file} has a horizontal rule (---), which the paper cannot draw: nothing is printed "
                  "in its place.",
                  "To start a new part of the narrative, give it a heading (## …); else take the rule out."),
         "footnote": ("The narrative {file} has a footnote ({written}), which the paper cannot lay out as one: it "
                      "is printed as typed, in its brackets.",
                      "Put what the footnote says in brackets in the sentence, or in a sentence of its own after it."),
         "strikethrough": ("The narrative {file} has struck-through words ({written}), which the paper cannot strike "
                           "through: they are printed as typed, between their tildes.",
                           "Take out the words that no longer apply, or say in words what has changed.")}),
    "narrative-joined-to-item": Code(
        W, "A narrative sentence starts on the line straight after a list item, with no blank line between: it is "
        "printed in that item's bullet, run on after its words, not as a paragraph of its own.",
        "The narrative {file} goes on from a list item into a sentence on the next line, {value!r}, with no blank "
        "line between: Markdown reads it as part of that item, so the paper prints it in the bullet, run on after "
        "the item's words, not as a paragraph of its own.",
        "If it is a paragraph of its own, put a blank line before it. If it belongs to the item, indent it as the "
        "item's text is (two spaces under a '- ' item) and this warning goes."),
    "narrative-list-too-deep": Code(
        W, "A narrative list is nested deeper than the paper's three levels: it is drawn at the third level.",
        "The narrative {file} has a list nested {depth} levels deep; the paper's lists go three levels deep, so it is "
        "drawn at the third level, under the item it is nested in, numbered on its own.",
        "Nest it at most three levels deep (1., then 1. indented under it, then 1. indented under that), or say its "
        "points in a sentence of the item above."),
    "narrative-heading-too-deep": Code(
        W, "A narrative heading is deeper than the paper's three levels: it is printed at the third level (###).",
        "The narrative {file} has a {written} heading; the paper's headings go three levels deep (#, ## and ###), so "
        "it is printed as a ### heading, at the level of a ### heading before it.",
        "Make it a ### heading (or ## or #, as it belongs), or, for a smaller title, a line of bold words "
        "(**Next steps**)."),
    "narrative-comment-left-out": Code(
        N, "The narrative holds an HTML comment (<!-- … -->), a note to its writers: the paper leaves it out.",
        "The narrative {file} holds a comment (<!-- … -->), which the paper leaves out: a note to the paper's "
        "writers is never printed.",
        "Nothing to do if the note is for the writers only; to print its words, write them without <!-- and -->."),
    "narrative-comment-not-closed": Code(
        E, "The narrative opens an HTML comment (<!--) and never closes it (-->): the paper leaves out everything "
        "after it.",
        "The narrative {file} opens a comment (<!--) at this line and never closes it with -->: where the note ends "
        "cannot be known, so the paper leaves out everything from the <!-- to the end of the narrative, and a note to "
        "the paper's writers is never printed.",
        "Close the note with --> where it ends (<!-- check these figures -->), then build again; to print its words, "
        "take out the <!--."),
    "narrative-heading-skipped": Code(
        W, "A narrative heading skips a level: a screen reader, and the PDF's bookmarks, find a level missing.",
        "The narrative {file} has a {written} heading under a {before} heading, a level skipped: the paper prints it "
        "as written, and a screen reader moving through the headings (or the PDF's bookmarks) finds a level "
        "missing between them.",
        "Give each heading one # more than the heading it is under, at most (# under the paper's title, ## under "
        "#, ### under ##): make this one a {before}# heading, or put a heading of that level before it.",
        {"first": ("The narrative {file} opens its headings with a {written} heading, a level skipped: the paper's "
                   "title is the level above #, so a screen reader moving through the headings (or the PDF's "
                   "bookmarks) finds a level missing under it.",
                   "Make the narrative's first heading a # heading (## and ### go under it).")}),
    "narrative-error": Code(
        E, "The narrative could not be read or filled in; the paper has no narrative.",
        "The narrative {file} could not be filled in: {why}.",
        "Fix the narrative at the line given (a value name, a bracket, a loop), then build again.",
        {"too-big": "The narrative {file} is over {limit_kib:,} KiB; it was not used.",
         "outside": ("The narrative {file} is not a file inside the workspace; it was not read.",
                     "Put the narrative in the workspace folder and name it in reportgen.toml."),
         "not-found": ("The narrative {file} named in reportgen.toml was not found.",
                       "Check the file name in reportgen.toml [paper] narrative."),
         "empty": ("The narrative {file} is empty: the paper would go out with no narrative.",
                   "Write the narrative in it, then build again. On a synced drive (OneDrive, Teams) a file not yet "
                   "downloaded is empty here: open it there, or choose Always keep on this device, and wait for it "
                   "to download."),
         "not-text": ("The narrative {file} is a {kind} file, not a plain-text Markdown file; it was not read.",
                      "Write the narrative as plain text: in Word, File > Save As, choose 'Plain Text (.txt)' and "
                      "the encoding 'Unicode (UTF-8)', rename the file narrative.md and name it in reportgen.toml "
                      "[paper] narrative.")}),
    "same-file-name": Code(
        W, "Two lead names make the same workbook file name.",
        "Leads {other!r} and {value!r} make the same file name {first}.xlsx; {value!r}'s workbook is {stem}.xlsx.",
        "Rename one lead in the register, or match its returns with [partners] files in reportgen.toml."),
    "long-word": Code(
        W, "A cell holds a very long run of characters without a space.",
        "Row {row}, column {column!r} holds {run:,} characters without a space; the PDF breaks such runs every "
        "{every} characters.",
        "Check the cell: a pasted link or code is fine; otherwise add spaces where words end."),
    "personal-data": Code(
        W, "A cell the paper publishes holds what looks like personal data: a named officer or person, a personal "
        "email address or phone number, a victim's initials or age, a vehicle registration, a case or crime "
        "reference, a home address or postcode.",
        "Row {row}, column {column!r}: Action {ref} holds what looks like personal data, {found}; the paper "
        "publishes it as written.",
        "Public papers go on the council's website: ask the partner to take it out of the return (a role, a team's "
        "inbox or number, a town, not a person's) and build again; if the Panel needs it, mark the action exempt in "
        "the register's Exempt column, so that only the restricted edition shows it. An organisation's own "
        "address or number, or a named public office holder, is fine: nothing to do.",
        {"register": ("Row {row}, column {column!r}: Action {ref}'s register entry holds what looks like personal "
                      "data, {found}; every paper publishes it as written.",
                      "Public papers go on the council's website: take it out of the register (a role, a team's inbox "
                      "or number, a town, not a person's) and build again; if the Panel needs it, mark the action "
                      "exempt in the register's Exempt column, so that only the restricted edition shows it. An "
                      "organisation's own address or number, or a named public office holder, is fine: nothing to "
                      "do."),
         "narrative": ("Line {row}: the narrative holds what looks like personal data, {found}; every edition "
                       "publishes it as written.",
                       "Public papers go on the council's website: take it out of the narrative (a role, a team's "
                       "inbox or number, a town, not a person's) and build again. An organisation's own address or "
                       "number, or a named public office holder, is fine: nothing to do."),
         "cover": ("The cover sheet's {heading} holds what looks like personal data, {found}; every edition publishes "
                   "it as written.",
                   "Public papers go on the council's website: take it out of [paper] in reportgen.toml (a role, a "
                   "team's inbox or number, not a person's) and build again. The paper's author named in "
                   "submitted_by, an organisation's own address or number, or a named public office holder, is fine: "
                   "nothing to do."),
         "carried": ("Action {ref}'s {field}, carried forward from {source} as no update came this period, holds what "
                     "looks like personal data, {found}; the paper publishes it again.",
                     "Public papers go on the council's website: ask the lead partner for an update without it (a "
                     "role, a team's inbox or number, a town, not a person's) and build again; if the Panel needs "
                     "it, mark the action exempt in the register's Exempt column, so that only the restricted "
                     "edition shows it. An organisation's own address or number, or a named public office holder, "
                     "is fine: nothing to do.")},
        partner_advice="The paper is published on the council's website: please take out names, personal email "
        "addresses and phone numbers, and anything that identifies a victim, a vehicle, a case or a home (give a "
        "role, a team's inbox, a town instead), and send the return again."),
    "no-font-for": Code(
        W, "Text holds characters that no font installed here has: the PDF shows an empty box for each.",
        "Row {row}, column {column!r} holds {characters} ({points}), which no font installed here has: the PDF "
        "shows an empty box for each.",
        "Install a font that has them (Debian: fonts-noto-cjk for Chinese, Japanese and Korean, fonts-noto for "
        "most other scripts) and build again, or write them otherwise; the DOCX and the web edition show them "
        "where the reader has a font.",
        wordings={"narrative": "The narrative {file} holds {characters} ({points}), which no font installed here "
                               "has: the PDF shows an empty box for each.",
                  "settings": "[paper] {column} holds {characters} ({points}), which no font installed here has: "
                              "the PDF shows an empty box for each."}),
    "cells-beyond": Code(
        W, "A sheet has cells further right than any return's columns; they were not read.",
        "Sheet {sheet!r} of {file} has {cells} beyond column {last_column} (first {cell}); nothing beyond that "
        "column was read.",
        "Check those cells: delete them, or move what they hold into the return's columns."),
    "no-data-sheet": Code(
        E, "No sheet in the file has the expected column headings.",
        "No sheet in {file} has the headings {expected}.",
        "Use the return template, or rename the headings to the expected ones.",
        {"instructions-csv": ("{file} holds the Instructions sheet of the return workbook{whose}, saved as CSV "
                              "while that sheet was showing, not its Return sheet; no update was read.",
                              "Ask the partner to open the workbook, click the Return sheet's tab and save as CSV "
                              "again, or to send the .xlsx workbook itself."),
         "register": ("No sheet in the register {file} has the headings {expected}, so no action was read.",
                      "If the register heads those columns otherwise, name its headings in reportgen.toml under "
                      "[register.columns], one line a column: ref = {{ aliases = [\"<its heading>\"] }}, and so "
                      "for lead and action (section, page and exempt are optional).")}),
    "missing-column": Code(
        E, "A required column heading was not found.",
        "Column {value!r} was not found in {file}, so none of its rows were read.{hint}",
        "Ask the partner to add the column, or to rename its heading as the return template has it; if the partner "
        "heads it otherwise, name that heading in reportgen.toml under [returns.columns]: {key} = {{ aliases = "
        "[{example}] }}. The file's headings that are not read: {unread}.",
        {"register": ("Column {value!r} was not found in the register {file}, so no action was read.",
                      "If the register heads it otherwise, name that heading in reportgen.toml under "
                      "[register.columns]: {key} = {{ aliases = [{example}] }}; the register's headings that are "
                      "not read: {unread}.")},
        partner_advice="Put the column back, headed as it is in the workbook we sent you, then send the workbook "
        "again."),
    "register-column-absent": Code(
        N, "The register has no column for one of the paper's table columns, so the paper leaves it out.",
        "The register has no {word} column (none headed {headings}), so the paper's table has no such column.",
        "If the register has it under another heading, name that heading in reportgen.toml under "
        "[register.columns]: {key} = {{ aliases = [\"<its heading>\"] }}; otherwise nothing to do.",
        {"extra": ("The register has no column {value!r} ([[register.extra]] {key}), so the paper's table has no "
                   "such column.",
                   "If the register has it under another heading, add that heading to the aliases of that "
                   "[[register.extra]] in reportgen.toml; otherwise take {key} out of [paper] table_columns."),
         "extra-taken": ("The register's column {column!r} is read as its {other} column, not as [[register.extra]] "
                         "{key}: a heading is read as one column only, so the paper's table has no {key} column.",
                         "To show that column in the paper, put \"{other}\" in [paper] table_columns in place of "
                         "\"{key}\" and remove that [[register.extra]] from reportgen.toml.")}),
    "register-column-unread": Code(
        N, "A column of the register is not one reportgen reads, so the paper does not show it.",
        "Column {column!r} of the register is not a column reportgen reads, so the paper does not show it.",
        "Statuses, explanations and timeframes come from the partners' returns, not the register. To show the "
        "column in the paper, name it in reportgen.toml: [[register.extra]] key = \"<a name>\", heading = "
        "{example}, and add that key to [paper] table_columns; if it is the office's own working column, nothing "
        "to do.",
        {"section": ("Column {column!r} of the register is not a column reportgen reads, and the register has no "
                     "section column: it holds {values}, each over a run of rows, as a column of sections does.",
                     "If it holds the plan's sections, name it in reportgen.toml under [register.columns]: section = "
                     "{{ aliases = [{example}] }}; the paper then heads each section with it, and the workbooks and "
                     "the web edition carry it. If it does not, nothing to do.")}),
    "csv-mac-roman": Code(
        N, "A CSV file was read as Excel for Mac saves one (Mac OS Roman), not as Windows-1252.",
        "{file} is read as Mac OS Roman, the encoding Excel for Mac saves a 'CSV (Macintosh)' in: it holds "
        "{characters}, which Windows-1252, as Excel for Windows saves a CSV, would read as {garbled}.",
        "Nothing to do if its text reads right in the paper. If it does not, save it from Excel as 'CSV UTF-8' "
        "or as .xlsx and put it back in the folder.",
        partner_advice="Save the workbook as .xlsx (or as 'CSV UTF-8') next time."),
    "register-section-column": Code(
        N, "The register's sections are read from a column headed otherwise than 'Section'.",
        "The register's sections are read from its column {column!r}, a heading reportgen reads as the plan's "
        "sections: the paper heads each section with them, and the workbooks and the web edition carry them.",
        "Nothing to do if that column holds the plan's sections. If it does not, stop it being read so in "
        "reportgen.toml under [register.columns]: section = {{ not_aliases = [{example}] }}."),
    "extra-looks-like-sections": Code(
        N, "A further register column holds what a column of sections does, and the register has no section column.",
        "Column {column!r} of the register, read as [[register.extra]] {key}, holds {values}, each over a run of "
        "rows, as a column of sections does, and the register has no section column: the paper heads no section "
        "with it.",
        "If it holds the plan's sections, replace that [[register.extra]] in reportgen.toml with this line under "
        "[register.columns]: section = {{ aliases = [{example}] }} (and take \"{key}\" out of [paper] "
        "table_columns); the paper then heads each section with it, and the workbooks and the web edition carry "
        "it. If it does not, nothing to do."),
    "section-rows": Code(
        N, "The register has no section column; rows holding only a name above its actions are read as its "
        "section headings.",
        "The register has no section column: {rows}, holding only a name ({names}), head its sections, each "
        "over the actions under it, in the register's order.",
        "Nothing to do if those rows head the plan's sections. If one is a note, move it below the last action. "
        "If the register has a column of sections, name its heading in reportgen.toml under [register.columns]: "
        "section = {{ aliases = [\"<its heading>\"] }} (those rows are then notes)."),
    "optional-column-misnamed": Code(
        W, "A heading is close to an optional column's but does not match it, so that column was not read.",
        "Column {column!r} was not read: its heading is close to {value!r} but not the same, so the paper "
        "shows nothing from it.",
        "Rename the heading as the template has it, or add it to that column's aliases in reportgen.toml.",
        {"sections": ("Column {column!r} of the register is not read, and the register has no section column: it "
                      "holds {values}, each over a run of rows, as a column of sections does.",
                      "If it holds the plan's sections, name it in reportgen.toml under [register.columns]: section = "
                      "{{ aliases = [{example}] }}; the paper then heads each section with it. If it does not, nothing "
                      "to do.")},
        partner_advice="Put the heading back as it is in the workbook we sent you, then send the workbook again."),
    "exempt-column-unnamed": Code(
        E, "A register column reads as the exemption flag but is not headed as that column is: publication is "
        "held until it is named.",
        "Column {column!r} of the register reads as its exemption flag, but its heading is neither {value!r} nor "
        "one of that column's aliases ({aliases}), so which actions are exempt from publication is not certain: "
        "it is read as the flag (the actions it marks, and those whose cell is neither Yes nor No, are left out "
        "of the public edition) and publication is blocked until it is named.",
        "If the column marks the actions exempt from publication, rename its heading {value!r}, or name it in "
        "reportgen.toml under [register.columns]: exempt = {{ aliases = [{example}] }}. If it marks something "
        "else, give it a heading without exempt, exemption, Part II, confidential, restricted, Schedule 12A or "
        "not for publication in it.",
        {"also": ("Column {column!r} of the register reads as an exemption flag too, but only {read!r} is read as "
                  "the flag: an action this column alone marks exempt would be published, so publication is "
                  "blocked.",
                  "If this column is the exemption flag, name it in reportgen.toml under [register.columns]: "
                  "exempt = {{ aliases = [{example}] }}, or rename its heading {value!r}; give the other column a "
                  "heading that does not read as an exemption flag.")}),
    "exempt-column-gone": Code(
        W, "The register has no exemption column, though the previous period's draft had exempt actions.",
        "The register has no exemption column ({value!r} nor one of its aliases), so it marks no action exempt "
        "from publication, although the previous period's draft, {draft}, had {exempt_actions} exempt.",
        "If the register's {value!r} column was removed or renamed, the public edition publishes those actions "
        "in full: put the column back, or name its heading in reportgen.toml under [register.columns]: exempt = "
        "{{ aliases = [\"<its heading>\"] }}. If no action is exempt any more, nothing to do."),
    "link-not-kept": Code(
        W, "A link in an explanation goes somewhere the paper never links to; its words are shown without it.",
        "Action {ref}: the link to {value!r} was not kept, so the paper shows its words without a link (only "
        "web addresses starting http:// or https:// and mailto: links are kept).",
        "If the partner meant a web page or a document, ask them for its full web address (https://…).",
        {"narrative": ("The narrative {file} links {words!r} to {address!r}, which the paper never links to: it shows "
                       "the words without a link (only web addresses starting http:// or https:// and mailto: links "
                       "are kept).",
                       "Write the full web address the link should open (https://…); a document needs an address "
                       "readers can open online.")}),
    "list-not-closed": Code(
        W, "An explanation's HTML list is never closed, and its last item ends a sentence where the items before it "
        "do not: the words after the list may have been read into it.",
        "Action {ref}: the explanation's list is never closed (no </ul> or </li>), and its last item ends a sentence "
        "where the items before it do not, so the words after the list may be shown as part of that item: "
        "{value!r}.",
        "Read the item in the paper: if words after the list were meant as a paragraph of their own, ask the partner "
        "to end the list before them (</ul>), or to put them on a line of their own after the last bullet, with an "
        "empty line before them (a new line is enough after a • bullet); if it reads right, nothing to do.",
        partner_advice="If the words after your last bullet are a paragraph of their own, put them on a line of "
        "their own after the list, with an empty line before them."),
    "paragraphs-joined": Code(
        N, "A sentence of an explanation was broken into two paragraphs in its HTML; the paper shows it whole.",
        "Action {ref}: the explanation's HTML starts a new paragraph inside a sentence ({value}); the paper runs "
        "the sentence on, as one paragraph (some systems write a <p> where the text crossed a page).",
        "Nothing to do if the sentence reads right whole. If a new paragraph was meant, ask the partner to end the "
        "sentence before it or to start the new paragraph with a capital letter."),
    "cell-link-not-kept": Code(
        W, "A cell the paper shows as plain words (a status, timeframe, lead, section or page) links somewhere "
        "(Insert > Link); its words are read without the link.",
        "Row {row}, column {column!r}: the cell links to {value!r}; its words were read without the link (the "
        "paper keeps links only in the action and the explanation).",
        "If readers need the link, write it into the explanation (or the register's action) as "
        "[words](https://…); otherwise remove the link from the cell.",
        partner_advice="If readers need the link, write it into the explanation as [words](https://…); otherwise "
        "nothing to do."),
    "unread-column": Code(
        W, "A column of a return has a heading reportgen does not read, or no heading, and it holds text.",
        "Column {column!r} is not one of the columns read, so what it holds is not in the paper (in this "
        "row: {value!r}{others}).",
        "If it holds updates, ask the partner to put them in the return's own columns (or add its heading to a "
        "column's aliases in reportgen.toml); if it is the partner's own note, nothing to do.",
        {"hidden": ("Column {column!r} (column {letter}) is hidden in Excel and is not one of the columns read, so "
                    "what it holds is not in the paper (in this row: {value!r}{others}).",
                    "Unhide the column to see it (select the columns either side of it, right-click, Unhide); if it "
                    "holds updates, ask the partner to put them in the return's own columns, and if it is an old or "
                    "private note, nothing to do."),
         "no-heading": ("Column {letter} has no heading, so it is not read and what it holds is not in "
                        "the paper (in this row: {value!r}{others}).",
                        "If it is part of the update, move the text into the Explanation column (or give the column "
                        "a heading reportgen reads: one of the return's headings, or an alias of one in "
                        "reportgen.toml); if it is the partner's own note, nothing to do."),
         "hidden-no-heading": ("Column {letter} is hidden in Excel and has no heading, so it is not read "
                               "and what it holds is not in the paper (in this row: {value!r}{others}).",
                               "Unhide the column to see it (select the columns either side of it, right-click, "
                               "Unhide); if it is part of the update, move the text into the Explanation column, "
                               "and if it is an old or private note, nothing to do.")},
        partner_advice="If it holds this period's updates, put them in the return's own columns (the Explanation "
        "column for text; a hidden column: select the columns either side of it, right-click, Unhide); if it is "
        "your own note, nothing to do."),
    "missing-optional-column": Code(
        W, "A return has no timeframe column, so the paper shows no timeframe for its actions.",
        "There is no column {value!r} (or one of its aliases), so the paper shows no timeframe for the "
        "actions this return updates.",
        "Ask the partner for the timeframes under the template's heading, or add the heading they use to that "
        "column's aliases in reportgen.toml.",
        partner_advice="Put the timeframes in the column headed as in the workbook we sent you, then send the "
        "workbook again."),
    "duplicate-column": Code(
        E, "Two columns have headings that mean the same thing, and both hold text.",
        "Column {column!r} (column {letter}) means the same as {first!r} (column {first_letter}); only column "
        "{first_letter} is read, and the text in column {letter} is not in the paper (in {rows}, starting {text!r}).",
        "Move what the paper should say into the column that is read, then delete or rename the other.",
        {"hidden": ("Column {column!r} (column {letter}), hidden in Excel, means the same as {first!r} (column "
                    "{first_letter}); only column {first_letter} is read, and the text in column {letter} is not in "
                    "the paper (in {rows}, starting {text!r}).",
                    "Unhide column {letter} (select the columns either side of it, right-click, Unhide), move what "
                    "the paper should say into column {first_letter}, then delete or rename column {letter}."),
         "words": ("Column {column!r} (column {letter}) is read as the action number, as {first!r} (column "
                   "{first_letter}) is, but holds words, not numbers (in {rows}, starting {text!r}); only column "
                   "{first_letter} is read.",
                   "If column {letter} is not the action number (the plan's sections, or a priority), stop reading "
                   "its heading as one: in reportgen.toml under [{table}.columns], add not_aliases = [{example}] to "
                   "the ref line, e.g. ref = {{ aliases = [{first_example}], not_aliases = [{example}] }}; if it holds "
                   "the plan's sections, name it under [register.columns]: section = {{ aliases = [{example}] }}."),
         "words-named": ("Column {column!r} (column {letter}) is read as the action number, as {first!r} (column "
                         "{first_letter}) is, but holds words, not numbers (in {rows}, starting {text!r}); only "
                         "column {first_letter} is read.",
                         "If column {letter} is not the action number, take {example} out of the ref line's aliases "
                         "in reportgen.toml under [{table}.columns] (e.g. ref = {{ aliases = [{first_example}] }}); "
                         "if it holds the plan's sections, name it under [register.columns]: section = {{ aliases = "
                         "[{example}] }}.")}),
    "duplicate-column-empty": Code(
        N, "An empty column has a heading that means the same as another column's.",
        "Column {column!r} (column {letter}) means the same as {first!r} (column {first_letter}) and is empty; "
        "column {first_letter} is read.",
        "Nothing to do; delete the empty column to keep the return tidy."),
    "empty-file": Code(
        E, "The file holds no rows of data.",
        "{file} has headings but no rows of updates.",
        "Ask the partner for the completed return.",
        {"register": ("The register {file} holds no actions.",
                      "Fill in the register, one row per action under its headings, and build again."),
         "register-unread": ("None of the register {file}'s {rows} could be read as an action: the issues of its "
                             "rows say why.",
                             "Correct those rows as their issues say, and build again."),
         "no-cells": "{file} holds nothing: not one of its cells is filled in.",
         "register-no-cells": ("The register {file} holds nothing: not one of its cells is filled in.",
                               "Save the register with its actions in it (one row per action, under its headings) "
                               "and build again.")},
        partner_advice="Fill in the workbook and send it again."),
    "bad-ref": Code(
        E, "The action reference is not a whole number.",
        "Row {row}: the action reference {value!r} is {why}; {left_out}.",
        "Write the action's whole number only in {column!r}, e.g. 12; if the row is not an action (a total, a "
        "heading), delete it.",
        # a number with letters, dashes or dots (1.1, A-101, P1.2a): the plan's own numbering, kept beside ours
        {"numbering": ("Row {row}: the action reference {value!r} is {why}; {left_out}.", NUMBERING_ADVICE),
         "return-numbering": ("Row {row}: the action reference {value!r} is {why}; {left_out}.",
                              "Write the action's number as the register numbers it, a whole number (e.g. 12, as in "
                              "the workbook sent), in {column!r}: that number says which action the row updates. The "
                              "plan's own numbering ({value!r}) may be kept in a column of its own beside it (as the "
                              "register keeps it, shown in the paper through [[register.extra]] in reportgen.toml).")}),
    "bad-ref-rows": Code(
        E, "Many rows of the register are left out for one kind of action reference that is not a whole number.",
        "{rows} of the register were left out: the action reference in {column!r} of each ({examples}) is {why}.",
        "Write each action's whole number only in {column!r}, e.g. 12; delete the rows that are not actions (a "
        "total, a heading).",
        {"numbering": ("{rows} of the register were left out: the action reference in {column!r} of each "
                       "({examples}) is {why}.", NUMBERING_ADVICE),
         "all": ("None of the register's {rows} could be read as an action: the action reference in {column!r} of "
                 "each ({examples}) is {why}.",
                 "Write each action's whole number only in {column!r}, e.g. 12; delete the rows that are not actions "
                 "(a total, a heading)."),
         "all-numbering": ("None of the register's {rows} could be read as an action: the action reference in "
                           "{column!r} of each ({examples}) is {why}.", NUMBERING_ADVICE),
         # numbers filled down as formulas (=A2+1) by a script, which saves no value: one cause, said once
         "formulas": ("{rows} of the register were left out: the action reference in {column!r} of each is a "
                      "formula ({examples}) that {what}, so it was read as empty.", FORMULA_REFS_ADVICE),
         "all-formulas": ("None of the register's {rows} could be read as an action: the action reference in "
                          "{column!r} of each is a formula ({examples}) that {what}, so it was read as empty.",
                          FORMULA_REFS_ADVICE)}),
    "note-row": Code(
        W, "A row holds text where the action reference goes, and nothing else: a note, not read.",
        "Row {row} holds only {value!r}, in the reference column, and nothing else: it was read as a note, not as "
        "an action, and is not in the paper.",
        "Nothing to do if it is a note. If it is an action, write its plan priority number in that column and its "
        "update beside it.",
        # the register holds actions, not updates; a row naming a section is a section only where no column holds them
        {"register": ("Row {row} holds only {value!r}, in the reference column, and nothing else: it was read as a "
                      "note, not as an action, and is not in the paper.",
                      "Nothing to do if it is a note. If it is an action, write its plan priority number in that "
                      "column and its action and lead beside it. If it heads a section, the rows under it are "
                      "read under that section only when two or more such rows head actions; or give the register "
                      "a column of sections."),
         "register-sections": ("Row {row} holds only {value!r}, in the reference column, and nothing else: it was "
                               "read as a note, not as an action or a section heading, and is not in the paper.",
                               "Nothing to do if it is a note: the register's sections are read from its column "
                               "{sections!r}, each action's own. If it is an action, write its plan priority number "
                               "in that column and its action and lead beside it."),
         # a row under the table that counts or sums it: "Total" beside a number, or =COUNTA(…) beside "Total actions"
         "total": ("Row {row} is a total ({holds}), with no status or explanation: it was read as a note, not as "
                   "an update, and is not in the paper.",
                   "Nothing to do if it is a total. If it is an action's update, write the action's plan priority "
                   "number (a number, not a formula) in {column!r} and its status and explanation beside it."),
         # a return's totals and count by status under its rows: "Total" beside =COUNTA(…), "Complete" beside
         # =COUNTIF(…, "Complete"), one note for them all
         "summary": ("{rows}: counts of the rows above ({holds}), with no status or explanation: read as one "
                     "note, not as updates, and not in the paper.",
                     "Nothing to do if they are totals. If one is an action's update, write the action's plan "
                     "priority number (a number, not a formula) in {column!r} and its status and explanation beside "
                     "it."),
         "register-total": ("Row {row} is a total ({holds}), with no action: it was read as a note, not as an "
                            "action, and is not in the paper.",
                            "Nothing to do if it is a total. If it is an action, write its plan priority number (a "
                            "number, not a formula) in {column!r} and its action and lead beside it.")},
        partner_advice="Nothing to do if this is a note for us. If it is an action, write its plan priority number "
        "in that column and its status and explanation beside it."),
    "total-like-row": Code(
        W, "A row looks like a total (its number counts or sums other cells, or it says only \"Total\") but holds "
        "an update: it was read as one.",
        "Row {row} looks like a total ({holds}), but it has a status or an explanation, so it was read as an "
        "update of action {ref}.",
        "If the row is a total, delete it (or clear its status and explanation) and build again; if it is action "
        "{ref}'s update, write the number as a number, not a formula, and nothing more to do.",
        {"register": ("Row {row} looks like a total ({holds}), but it holds an action, so it was read as action "
                      "{ref}.",
                      "If the row is a total, delete it and build again; if it is action {ref}, write its plan "
                      "priority number as a number, not a formula.")},
        partner_advice="If the row is a total, delete it; if it is an update, write the action's plan priority "
        "number as a number, not a formula, and send the workbook again."),
    "missing-ref": Code(
        E, "A row has text but no action reference.",
        "Row {row} has no action reference; {left_out}. It holds {holds}.",
        "Add the plan priority number, or delete the row.",
        # a row a partner adds is often a new action it proposes: only the register makes an action, and numbers it
        {"return": ("Row {row} has no action reference; {left_out}. It holds {holds}.",
                    "If it is an action of the plan, write its plan priority number in the row. If it is a new "
                    "action the partner proposes, it is in no paper until it is in the register: once it is agreed, "
                    "the secretariat adds it there with the next plan priority number, and the partner reports on it "
                    "under that number (write the number in this row, or leave it to the next period's workbook, "
                    "which has its row). Else delete the row.")},
        partner_advice="If this row is an action already in the plan, write its plan priority number in it and send "
        "the workbook again. If it is a new action you propose, we cannot report on it until it is in the plan's "
        "register: tell us about it in a reply to this message; once it is agreed, we add it with a number of its "
        "own, and you report on it under that number from then on."),
    "duplicate-ref": Code(
        E, "The same action reference appears twice in the register.",
        "Action {ref} is also on row {first_row}; this row ({action!r}) was left out.",
        "Keep one row per action in the register.",
        {"gap": ("Action {ref} is also on row {first_row}; this row ({action!r}) was left out. The register has "
                 "no action {meant}: is this row action {meant}?",
                 "Correct the number if this row is action {meant} (a partner's update for action {meant} is "
                 "otherwise refused as not in the register); else keep one row per action.")}),
    "hidden-duplicate-ref": Code(
        W, "A row hidden in Excel is numbered as an action that a row the officer sees is numbered too: the row "
        "seen is the action, the hidden one most likely its old copy.",
        "Action {ref} is also on row {used_row} ({used_action!r}), which is seen in Excel; this row ({action!r}) "
        "is hidden, most likely the action's old copy kept out of sight, so row {used_row} is used and this row "
        "was left out.",
        "Nothing to do if this hidden row is the old copy (delete it to keep one row per action). If it is the "
        "action as it should be, unhide it and delete row {used_row}; if it is another action, unhide it and "
        "correct its number."),
    "no-lead": Code(
        W, "An action in the register names no lead partner.",
        "Row {row}: action {ref} has no lead partner.",
        "Fill in its lead: until then it gets no return workbook and is not on the chase list."),
    "lead-spelling": Code(
        W, "The register writes one lead two ways (differing only in case, spacing, punctuation or a word such "
        "as 'and'): they are read as two leads.",
        "Lead {value!r} ({rows}) is written {other!r} on row {first_row}; the two differ only in case, "
        "spacing, punctuation or a word such as 'and', so they are read as two leads, each with its own line in "
        "the chase list and its own return workbook (read back as that lead's return), and a return named otherwise "
        "after either fits both and is not read.",
        "Write the lead the same way on every row of the register (e.g. {other!r}). If they are two partners, "
        "name them so that they differ by a word."),
    "joint-lead": Code(
        N, "A lead cell names two or more partners, each the lead of other actions: its actions are led jointly.",
        "Lead {value!r} ({rows}) is read as a joint lead of {partners}, each the lead of other actions: the "
        "action is in each one's return workbook, either one's return updates it, and neither is chased for it "
        "once one has returned it; the paper prints the lead as written.",
        "Nothing to do if they lead it together. If {value!r} is the name of one partner, write it in the "
        "register so that it is not other leads' names joined by '/', '&' or 'and'."),
    "lead-looks-joint": Code(
        W, "A lead cell looks like two or more partners, but not every one of them leads other actions: it is "
        "read as the name of one lead.",
        "Lead {value!r} ({rows}) looks like a joint lead, but {missing} leads no other action in the register{hint}, "
        "so it is read as the name of one partner, not as led jointly with {known}: it gets a return workbook "
        "and a line in the chase list of its own, and a return from {known} updates it only as another partner's "
        "would.",
        "If it is led jointly, write each partner exactly as the register names it where it leads actions of its "
        "own, joined by '/', '&' or 'and' (a partner that leads no other action cannot return for it: name a "
        "lead that does). If {value!r} is one partner's name, nothing to do."),
    "section-spelling": Code(
        E, "The register writes one section two ways (differing only in case, spacing, punctuation or '&' for "
        "'and'): the paper heads them as two sections.",
        "Section {value!r} ({rows}) is written {other!r} on row {first_row}; the two differ only in case, "
        "spacing, punctuation or '&' for 'and', so the paper heads them as two sections.",
        "Write the section the same way on every row of the register (e.g. {other!r})."),
    "section-left-blank": Code(
        W, "Actions of the register have an empty section cell below an action with a section: the section "
        "is not carried down to them.",
        "The register's {column!r} cell is empty on {rows} ({refs}), below the section {value!r} of row "
        "{first_row}: a section typed on the first row of its group only is not carried down, so the paper shows "
        "these actions where they stand in the register, under a heading of their own, {none!r}, not under "
        "{value!r}.",
        "Type the section in the {column!r} cell of each of these rows and build again. If they belong to no "
        "section, nothing to do."),
    "page-is-a-date": Code(
        E, "A page in the register is a date: Excel makes one of a page range typed like 5-6.",
        "Row {row}: action {ref}'s page is the date {value}, not a page; Excel turns a range typed like 5-6 "
        "into a date.",
        "Type the page as text in the register: an apostrophe first ('5-6), or format the column as Text."),
    "unknown-ref": Code(
        E, "The return updates an action that is not in the register.",
        "Action {ref} is not in the register; this update was left out.",
        "Check the number against the register; the update is left out of the paper.",
        partner_advice="Check the number against the workbook we sent; this update is left out until then."),
    "unchecked-ref": Code(
        N, "The return updates an action not among the register's actions as read, while part of the register "
        "could not be read: the update was not checked against it, and is held back until the register is "
        "corrected.",
        "Action {ref} is not among the register's actions as read, but the register could not be read in full "
        "({unread}): this update was not checked against it, and is left out until the register is corrected.",
        "Nothing to ask the partner: correct the register (see its errors) and build again; the update is then "
        "checked as any other."),
    "returns-not-checked": Code(
        W, "Part of the register could not be read, so the returns' updates of actions it lacks were not checked "
        "against it: they are held back, and no partner is chased for them.",
        "The register could not be read in full ({unread}), so the returns were not checked against it: {updates} "
        "of actions not among those read ({files}) are left out until it is corrected, and no partner is chased "
        "for them.",
        "Correct the register (see its errors) and build again; nothing to ask the partners until then."),
    "register-not-whole": Code(
        E, "Part of the register could not be read, so no partner workbook was made or mailed: each would lack the "
        "actions of what could not be read, and its partner would be asked for too few.",
        "The register could not be read in full ({unread}), so no partner workbook was written: a workbook made now "
        "would lack the actions of what could not be read.",
        "Correct the register (see its errors), then run again.",
        {"mailed": "The register could not be read in full ({unread}), so no workbook was mailed: a workbook made "
                   "now would lack the actions of what could not be read.",
         "reminded": "The register could not be read in full ({unread}), so no partner was reminded: a reminder "
                     "made now would list too few of its actions and attach a workbook lacking the rest."}),
    "withdrawn-ref": Code(
        W, "The return updates an action that was in the last kept draft, or that its workbook was sent with, and "
        "is no longer in the register (withdrawn since, e.g. after the workbooks were sent).",
        "Action {ref} was in the paper of {draft} and is no longer in the register (withdrawn?); this update is "
        "not shown.",
        "Nothing to do if the action was withdrawn. If it was not, put it back in the register and build again.",
        {"sent": ("Action {ref} is not in the register, but {workbook} was sent with a row for it: the action was "
                  "withdrawn (or renumbered) after the workbook was made, so this row is not used.",
                  "Nothing to do if the action was withdrawn: the row can stay in the return or be deleted, and "
                  "the paper leaves it out either way; do not ask the partner to correct it. If it was not "
                  "withdrawn, put it back in the register under this number and build again.")},
        partner_advice="Nothing to do: the action has been withdrawn from the plan, so this update is not used.",
        partner_message="Action {ref} is no longer in the plan: it was withdrawn after the workbook was made."),
    "renumbered-ref": Code(
        W, "The return updates an action by the number it had before the plan was renumbered: the register's "
        "Was numbered column gives its number now, and the update is shown under it.",
        "Action {ref} is numbered {new} in the register now (its {was_column!r} cell, register row {register_row}, "
        "says {was!r}): this row's update is shown as action {new}'s.",
        "Nothing to do if the row is action {new}'s (its workbook was made before the plan was renumbered). If it is "
        "not, correct the register's {was_column!r} cell and build again.",
        partner_advice="Nothing to do: your update is used under the action's new number. Next time, use the "
        "workbook we send, which has the new numbers.",
        partner_message="Action {ref} has been renumbered {new} in the plan: this update is used as action {new}'s."),
    "bad-was-numbered": Code(
        E, "A register cell saying what number an action had before the plan was renumbered is not one or more "
        "whole numbers: the action is not paired with its earlier drafts or old workbook rows.",
        "Action {ref}: {value!r} in {column!r} is not the number the action had before ({why}): it is paired with "
        "earlier drafts and workbooks by its number now, {ref}.",
        "Write the action's number before the plan was renumbered, e.g. 12, or the numbers of the actions merged "
        "into it, e.g. 11, 12; leave the cell empty for an action that kept its number or is new."),
    "duplicate-update": Code(
        W, "An action is updated by its lead partner and by another row or return: the lead's update is used.",
        "Action {ref} is also updated in {used_file} row {used_row}; the lead's update is used and this one is not.",
        "The lead partner's update is used; check the other one with its author.",
        {"same": ("Action {ref} is updated again, word for word, in {used_file} row {used_row}: the update is used "
                  "once.",
                  "Nothing to do for the paper: they say the same. Keep one of the two rows (a whole return sent "
                  "again under another name can be taken out of the returns folder)."),
         "lead-unchanged": ("Action {ref} is updated here, but its lead, {lead}, returned it unchanged ({used_file} "
                            "row {used_row}, as last reported): the paper shows what was last reported, and this "
                            "update is not used.",
                            "Ask {lead} whether this update is right: if it is, the lead should return it (or put it "
                            "in the lead's return) and build again.")},
        partner_advice="Keep one row per action."),
    "ambiguous-update": Code(
        E, "An action is updated twice by its lead partner, or by several partners none of which leads it: "
        "which update is right cannot be told.",
        "Action {ref} is also updated in {used_file} row {used_row}, with {differ}; the first one is used and this "
        "one is not.",
        "Keep one update per action: ask the lead partner which one is right and delete the other.",
        {"joint": ("Action {ref}, led jointly by {leads}, is updated differently in {used_file} row {used_row}, "
                   "which is used for now; this update is not.",
                   "Ask the joint leads which update is right: the other leaves its row as it was pre-filled, or "
                   "writes the same update.")},
        partner_advice="Keep one row per action."),
    "hidden-update": Code(
        W, "A row hidden in Excel updates an action that a row the partner sees updates too: the one seen is used.",
        "Action {ref} is updated in row {used_row} too, with {differ}; this row is hidden in Excel, so row "
        "{used_row}, which the partner sees, is used and this one is not.",
        "Nothing to do if the hidden row is an old update kept out of sight; else ask the lead partner which is "
        "right.",
        partner_advice="Delete the hidden row if it is an old update: only one row per action is read."),
    "unknown-status": Code(
        E, "The status is not one of the recognised statuses.",
        "Action {ref}: status {value!r} is not recognised; it is not counted.{hint}",
        "Use Completed, In progress, Not started or On hold (or add an alias in reportgen.toml).",
        {"synonym": ("Action {ref}: status {value!r} is not recognised; it is not counted. Did you mean "
                     "{suggestion!r}?",
                     "Ask the partner which status they mean; a word that is not a status is never counted as one "
                     "unless you say so. If it always means that status in your partners' returns, add it to "
                     "[statuses] aliases in reportgen.toml, as the word written and the status it means: "
                     "aliases = {{ \"<the word>\" = \"<the status>\" }}."),
         "date": ("Action {ref}: status {value!r} is a date, not a status; it is not counted.",
                  "Ask the lead partner for the status. A date in the status column is often the timeframe typed "
                  "one column along: if it is, it belongs under {timeframe!r}.")},
        partner_advice="Choose Completed, In progress, Not started or On hold from the list."),
    "empty-status": Code(
        E, "The action has no status this period.",
        "Action {ref} has no status in row {row}.",
        "Ask the lead partner for the status.",
        {"prompt": ("Action {ref} has no status in row {row}: the cell shows the drop-down's prompt {value!r}, not a "
                    "status.", "Ask the lead partner for the status."),
         "elsewhere": ("Action {ref} has no status in row {row}, and its {there!r} cell holds {value!r}: a status "
                       "typed in the wrong column?",
                       "If it is the status, move it into the status column (and write the explanation in its own); "
                       "else ask the lead partner for the status.")},
        partner_advice="Choose this period's status from the list."),
    "prompt-cell": Code(
        W, "A cell shows a drop-down's or form's prompt ('Please select'), not an answer: it is read as empty.",
        "Action {ref}: {value!r} in row {row} is the drop-down's prompt, not an answer; the paper shows the cell "
        "empty.",
        "Nothing to do if the partner left it unanswered; else ask them for it.",
        partner_advice="Choose or type the answer in that cell, or clear it."),
    "prompt-rows": Code(
        N, "Rows that hold only a drop-down's prompt ('Please select') and no action: read as empty rows.",
        "Only a drop-down's prompt ({value!r}) is in {rows}, with no action reference: read as empty, not as "
        "actions.",
        "Nothing to do.",
        partner_advice="Nothing to do."),
    "no-update": Code(
        W, "No return updated this action this period.",
        "Action {ref} ({lead}): no return updated this action this period.",
        "Chase the lead partner; the paper shows the action without an update.",
        {"refused": ("Action {ref} ({lead}): no update was read for this action this period; {refused_file} row "
                     "{refused_row}, left out for its reference {written!r}, looks like its update.",
                     "Correct that row's reference to {ref} if it is this action's update (see the error on that "
                     "row); else chase the lead partner."),
         "wording": ("Action {ref} ({lead}): no return updated this action this period, and no status was "
                     "recognised in the update reported {when}: the paper shows its explanation and timeframe as "
                     "reported then, with no status.",
                     "Chase the lead partner for this period's status.")}),
    "carried-forward": Code(
        N, "No update this period: the last draft's status is carried forward.",
        "Action {ref} ({lead}): no update this period; status {status!r} carried forward from {source}.",
        "Chase the lead partner if an update is due."),
    "earlier-return-problem": Code(
        N, "A return of an earlier period, read to carry statuses forward, has a problem; it was that period's "
        "to fix, and of an action whose status it left unclear only the explanation and timeframe are carried.",
        "({period}, read to carry statuses forward) {problem}",
        "Nothing to do for this paper; chase the lead partner if the action needs an update."),
    "action-text-changed": Code(
        W, "The return's action text differs from the register.",
        "Action {ref}: the return's action text differs from the register; the register's wording is used.",
        "The register's wording is used; change the register if the wording really changed.",
        partner_advice="Leave the action text as we sent it; the plan's wording is used in the paper.",
        wordings={"update": (
            "Action {ref}: the explanation is empty, and the action cell holds other words than the register's "
            "({value!r}): is that the update? The paper shows the register's action and no explanation.",
            "Ask the partner to put the update in the explanation column and leave the action as it was.")}),
    "action-text-of-other-action": Code(
        W, "A return's row has the register's wording of another action than its ref's: the ref may be mis-keyed.",
        "Action {ref}: the return's action text is the register's wording of action {other}, not of action {ref}: "
        "was the ref mis-keyed? The row's update is shown as action {ref}'s.",
        "Ask the partner which action the row's update is for: if action {other}'s, correct the ref; if action "
        "{ref}'s, put back its own wording.",
        partner_advice="Check the row's ref: its action text is another action's. Put your update on the row of "
        "the action it is for, and leave the action text as we sent it."),
    "action-text-of-exempt-action": Code(
        E, "A return's row has the register's wording of an action exempt from publication, under another "
        "action's ref: its update may be the exempt action's, and the public paper would print it.",
        "Action {ref}: the return's action text is the register's wording of action {other}, which is exempt from "
        "publication, not of action {ref}: if the ref was mis-keyed, the row's update (shown as action {ref}'s) is "
        "action {other}'s, and the public paper would print it.",
        "Ask the partner which action the row's update is for: if action {other}'s, correct the ref (its update then "
        "goes in the restricted edition only); if action {ref}'s, put back its own wording. The public edition is "
        "held until then.",
        partner_advice="Check the row's ref: its action text is another action's. Put your update on the row of "
        "the action it is for, and leave the action text as we sent it.",
        # a partner is not told which action, nor that it is exempt: it may not lead it
        partner_message="Action {ref}: the row's action text is another action's wording, not action {ref}'s: is "
        "the ref right?",
        wordings={"public": (
            "Action {ref}: the return's action text is the register's wording of another action, one exempt from "
            "publication (the restricted edition names it): if the ref was mis-keyed, the row's update (shown as "
            "action {ref}'s) is that action's, and the public paper would print it.",
            "Build the restricted edition (--edition restricted) to see which action, and ask the partner which "
            "action the row's update is for: correct the ref, or put back action {ref}'s own wording. The public "
            "edition is held until then.")}),
    "section-changed": Code(
        W, "The return's section for an action differs from the register's.",
        "Action {ref}: the return puts it in section {value!r}, the register in {section}; the register's section "
        "is used.",
        "To move the action to another section, change its section in the register; otherwise nothing to do.",
        partner_advice="Leave the Section as we sent it. If the action should move to another section, tell us "
        "in the explanation and we will change the plan."),
    "register-changed-since-sent": Code(
        N, "A return's Section or Action cells came back as its workbook showed them, but the register has changed "
        "them since the workbook was made (a section renamed, an action's text edited): not the partner's change, "
        "so the partner is not asked about it, and the paper uses the register's.",
        "The workbook was made before the register changed {changed}; those cells came back as the workbook showed "
        "them, so they are not the partner's changes, and the paper uses the register's.",
        "Nothing to correct. Where an action's text changed in substance, check that the partner's update, written "
        "against the old text, still fits it."),
    "return-exempt": Code(
        E, "A return marks an action confidential (a column such as Exempt, Confidential or Part II) that the register "
        "does not: the public paper would print its update.",
        "Action {ref}: the return's column {column!r} says {value!r}, but the register does not mark the action "
        "exempt, so the public paper prints its update. A return cannot make an action exempt.",
        "If the action is exempt from publication, mark it so in the register's Exempt column (the public paper "
        "then leaves it out); if not, clear the cell in the return.",
        partner_advice="Tell us in an email which actions are confidential and why: that column is not read, and "
        "what you write in the return is published unless we mark the action exempt."),
    "return-exempt-restricted": Code(
        W, "A return marks an action confidential that the register does not: this restricted edition prints its "
        "update, as a Part II paper may; the public edition is held until the register decides.",
        "Action {ref}: the return's column {column!r} says {value!r}, but the register does not mark the action "
        "exempt: this restricted edition prints its update, and the public edition is held until the register does "
        "(or the cell is cleared).",
        "If the action is exempt from publication, mark it so in the register's Exempt column; if not, clear the "
        "cell in the return."),
    "register-column-changed": Code(
        W, "A return writes an action's lead or plan page otherwise than the register: the paper prints the "
        "register's.",
        "Action {ref}: the return's column {column!r} says {value!r}, the register's {what} is {register}; the paper "
        "prints the register's.",
        "If the register is out of date, change it there; if the column is the partner's own note (a named officer), "
        "nothing to do.",
        partner_advice="The paper takes each action's lead and plan page from our register, not from the return: "
        "if one has changed, tell us in the explanation."),
    "unknown-partner": Code(
        W, "The return's file name matches no lead in the register.",
        "{file}: the file name matches no lead in the register ({leads}). Its updates are used, each counted as "
        "returned by the lead of its action.",
        "Name the file after its lead (e.g. {example}), or add a file pattern for the lead under [partners] in "
        "reportgen.toml.",
        {"public-edition": "{file}: the file name matches no lead partner of the paper ({leads}). Its updates are "
                           "used, each counted as returned by the lead of its action.",
         "unread": "{file}: the file name matches no lead in the register ({leads}). None of its updates are used: "
                   "see its other issues.",
         "public-edition-unread": "{file}: the file name matches no lead partner of the paper ({leads}). None of its "
                                  "updates are used: see its other issues.",
         "some": "{file}: the file name matches no lead in the register ({leads}). Some of its updates are used, each "
                 "counted as returned by the lead of its action; the others are not: see its other issues.",
         "public-edition-some": "{file}: the file name matches no lead partner of the paper ({leads}). Some of its "
                                "updates are used, each counted as returned by the lead of its action; the others are "
                                "not: see its other issues.",
         "name-taken": ("{file}: the file name matches no lead in the register ({leads}). Its updates are used, "
                        "each counted as returned by the lead of its action.",
                        NAME_TAKEN),
         "unread-name-taken": ("{file}: the file name matches no lead in the register ({leads}). None of its "
                               "updates are used: see its other issues.",
                               NAME_TAKEN),
         "some-name-taken": ("{file}: the file name matches no lead in the register ({leads}). Some of its updates "
                             "are used, each counted as returned by the lead of its action; the others are not: see "
                             "its other issues.",
                             NAME_TAKEN)}),
    "copied-return": Code(
        W, "A file named after no lead repeats a lead's return word for word: nothing in it is new, and it is "
        "not another partner's return.",
        "{file}: the file name matches no lead in the register, and every row of it says word for word what "
        "{value}'s return ({lead_file}) says: it is a copy of that return, and the paper uses {value}'s own.",
        "Nothing to do for the paper: take the copy out of the returns folder, so that nobody takes it for another "
        "partner's return.",
        partner_advice="Nothing to do: we have your return.",
        partner_message="{file} says word for word what the return we already have says: it is a copy of it."),
    "renamed-return": Code(
        N, "A return workbook made by reportgen was renamed so that its name fits no lead; its Instructions sheet "
        "says whose it is, and it is read as that lead's return.",
        "{file} is named after no lead, but it is the workbook made for {value} (its Instructions sheet says so): it "
        "is read as {value}'s return.",
        "Nothing to do. To keep the folder tidy, name it {example}.",
        partner_advice="Nothing to do."),
    "ambiguous-partner": Code(
        E, "The return's file name fits more than one lead; it was not read.",
        "{file}: the file name fits several leads ({leads}); it was not read.",
        "Rename the file as reportgen names each lead's return workbook ({names}), or make the [partners] file "
        "patterns in reportgen.toml not overlap.",
        {"one-lead": ("{file}: the file name fits several leads ({leads}), one lead written in different ways in "
                      "the register: it is that lead's return, not read until the register writes the lead one way.",
                      "Write the lead the same way on every row of the register (the register's warnings name the "
                      "rows), then build again; the file need not be renamed. If they are different partners, "
                      "rename the file as reportgen names each one's return workbook ({names}), or match each "
                      "one's files with [partners] files patterns in reportgen.toml.")}),
    "superseded-return": Code(
        N, "A lead saved several versions of its return for the period (e.g. 'return (1).xlsx'); only the "
        "newest is read.",
        "{file}: {value} has a newer return in this period ({newest}); only that one is read.",
        "Nothing to do if the newest file is the right one; otherwise move the others out of the folder.",
        {"other-period": ("{file} is {value}'s return workbook made for {made_for}; its return for this period, "
                          "{newest}, is read instead, even where this one is newer.",
                          "Nothing to do; move it out of the folder to keep the folder tidy.")}),
    "newest-return-unread": Code(
        W, "A lead's newest return file could not be read (or holds no update), and an older one was set aside for "
        "it: none of the lead's updates is used.",
        "{file} was set aside for {newest}, {value}'s newest return, from which no update could be read: none of "
        "{value}'s updates is used.",
        "If {newest} is not the partner's latest return (an empty copy, another document saved under its name), "
        "move it out of the folder and {file} is read; otherwise ask the partner to send it again."),
    "several-return-files": Code(
        W, "Files under different names are each a return of the same lead for the period; only the newest is "
        "read.",
        "{file}: {value} has a newer return in this period ({newest}); only that one is read.",
        "Check the newest file is the right one, then move the others out of the folder.",
        {"version-order": ("{file}: {value}'s file is marked a later version ({marked}) than {newest} ({read}), "
                           "but {newest} was saved later, so it is the one read.",
                           "Check which is the partner's latest return; move the other out of the folder (the "
                           "newest saved file is read, whatever its name says).")}),
    "no-settings": Code(
        W, "The workspace has no reportgen.toml: the paper is built with reportgen's defaults.",
        "The workspace has no {file}: the paper is built with reportgen's defaults (a cover sheet with no date, no "
        "title of its own and no one submitting it; the register's and returns' headings as reportgen's).",
        "Run reportgen init --workspace <a new folder> and copy the reportgen.toml it writes (every setting "
        "explained) into the workspace, beside inputs/, or copy a colleague's; then fill in the [paper] section."),
    "cover-empty": Code(
        W, "A cover sheet row that says what the paper is (meeting, date, title, submitted by) is empty, or [paper] "
        "sets no title, meeting or Freedom of Information exemption, so the paper prints one nobody chose.",
        "{file}: the cover sheet's {rows} would be printed empty.",
        "Fill them in under [paper] in reportgen.toml (date = 2026-11-05, or meetings = [2026-11-05, 2027-01-14]; "
        "submitted_by = \"Name, role\"), or leave a row out with cover_leave_out.",
        {"title": ("{file}: [paper] sets no title, so the paper is titled {title!r}.",
                   "Set [paper] title in reportgen.toml to the paper's title (it may name the period: "
                   "title = \"Delivery Update ({{period:%B %Y}})\")."),
         "unset": ("{file}: [paper] sets no {column}, so the cover sheet's {rows} says {value!r}, which nobody chose.",
                   "Set [paper] {column} in reportgen.toml to what the Panel's cover sheet says ({example}), or leave "
                   "the row out with cover_leave_out, if the Panel's cover sheet has no such row.")}),
    "meeting-too-long": Code(
        W, "[paper] meeting is longer than the PDF's footer holds: the footer of every page may not show all of it.",
        "{file}: the meeting and its date are {length} characters; the PDF's footer holds about {most} in the "
        "{edition} edition, so the end of the meeting name, the date or the marking may be cut off at the foot of "
        "the page.",
        "Shorten [paper] meeting in reportgen.toml to the name the Panel goes by (the full title can go in a "
        "[[paper.cover]] row or the narrative)."),
    "cover-row-empty": Code(
        W, "A cover sheet row is empty: the paper prints its heading with nothing beside it, where a published Panel "
        "paper fills every row.",
        "{file}: the cover sheet's {rows} would be printed empty.",
        "Fill them in under [paper] in reportgen.toml (e.g. purpose = \"…\", legal_implications = \"None "
        "identified\"), or leave a row out with cover_leave_out, if the Panel's cover sheet has no such row."),
    "cover-field-mistyped": Code(
        E, "A [paper] text holds a field mistyped (period or date misspelt, a brace left open, a strftime code that "
        "is none, double braces): the paper would print it as typed, on the cover and in the page headers.",
        "{file}: {field!r} is not a field reportgen fills in, so the paper prints {printed!r}.",
        "Write {{period}} or {{date}}, with strftime codes if wanted ({{period:%B %Y}} gives 'October 2026', "
        "{{date:%d %B %Y}} '05 November 2026'), each brace closed.",
        {"meant": ("{file}: {field!r} is not a field reportgen fills in (did you mean {meant!r}?), so the paper "
                   "prints {printed!r}.",
                   "Write {meant}.")}),
    "cover-placeholder": Code(
        W, "A [paper] text holds a word or words in braces ('{TBC}'), or a brace alone: the paper prints them as "
        "typed.",
        "{file}: {field!r} is not a field reportgen fills in, so the paper prints {printed!r}.",
        "If the braces are not meant to be printed, write {{period}} or {{date}} (with strftime codes if wanted: "
        "{{period:%B %Y}} gives 'October 2026'), each brace closed; else nothing to do."),
    "meeting-date": Code(
        W, "The meeting date on the cover is before the period, no listed meeting follows it, or [paper] date is set "
        "beside meetings and not used.",
        "{file}: [paper] meetings lists no meeting after {period}; the paper shows {shown_date}.",
        "Add the Panel's next meeting to [paper] meetings (or date) in reportgen.toml.",
        {"before-period": "{file}: the meeting date {shown_date} is before the period {period}; the cover sheet "
                          "would show it.",
         "date-unused": ("{file}: date = {date} is not the meeting the paper goes to: [paper] meetings comes first, "
                         "and its first meeting after {period} is {shown_date}, which the cover sheet shows.",
                         "If the meeting has moved, change it in meetings (date is used only when no listed meeting "
                         "follows the period); else remove date.")}),
    "restricted-cover-not-exempt": Code(
        W, "The restricted edition holds exempt actions, but its cover sheet says the paper is not exempt.",
        "{file}: this restricted edition holds {exempt_actions}, but its cover sheet gives "
        "{value!r} as the Freedom of Information exemption.",
        "Set [paper] restricted_foi_exemption in reportgen.toml to the exemption that applies to the Part II "
        "paper (e.g. the paragraph of Schedule 12A); the public edition keeps foi_exemption.",
        {"left-out": ("{file}: this restricted edition holds {exempt_actions}, but its cover sheet has no Freedom "
                      "of Information exemption row ([paper] cover_leave_out leaves out {value!r}).",
                      "Take foi_exemption out of [paper] cover_leave_out in reportgen.toml and set "
                      "restricted_foi_exemption to the exemption that applies to the Part II paper (e.g. the "
                      "paragraph of Schedule 12A), or give the exemption in a [[paper.cover]] row of your own.")}),
    "wrong-partner-return": Code(
        E, "A partner's return updates none of the actions it leads, only other partners': is it the right file?",
        "{file} is {partner}'s return, but it has no update for the {led} {partner} leads, only {updates} for "
        "actions led by {others}.",
        "Check with the partner: if the file is another partner's return, ask for its own (and file this one "
        "under the right partner's name). Meanwhile its updates are used, as any partner's are.",
        partner_advice="Check that you sent the right file: please fill in your own workbook (the one we sent you, "
        "listing the actions you lead) and send that."),
    "not-lead": Code(
        N, "A partner updated an action it does not lead.",
        "Action {ref} is led by {lead!r} but was updated by {partner!r}; that update is used.",
        "Check with the lead partner that the update is agreed."),
    "several-sheets": Code(
        W, "More than one sheet has the expected headings; the best match was read.",
        "Sheets {others} in {file} also have return headings; only {sheet!r} was read.",
        "Keep the updates on one sheet, or delete the other sheets.",
        {"register": ("Sheets {others} in the register {file} also have its headings; only {sheet!r} was read.",
                      "Keep the actions on one sheet, or delete the other sheets.")}),
    "other-sheet": Code(
        W, "A sheet of the return holds text but none of the return's headings; it was not read.",
        "Sheet {sheet!r} holds text but no return headings, so it was not read (the updates were read from "
        "{read!r}).",
        "Look at it: if it holds updates, ask the partner to put them in the return sheet.",
        partner_advice="Nothing to do if it is a note for us. If it holds updates, put them in the sheet that lists "
        "your actions, in each action's row, and send the workbook again."),
    "rows-on-another-sheet": Code(
        E, "Another sheet also has the return's headings and rows under them; they were not read.",
        "Sheet {sheet!r} in {file} also has the return's headings, with {rows} under them from row {row}: that "
        "sheet was not read (only sheet {read!r} was).",
        "If one of the two sheets is another period's return (last month's kept as a copy), delete that sheet, "
        "whichever it is (sheet {read!r} is read because {why}); otherwise move those rows onto one sheet "
        "with the others.",
        {"register": ("Sheet {sheet!r} in the register {file} also has the register's headings, with {rows} under "
                      "them from row {row}: that sheet was not read, so none of its actions is in the paper (only "
                      "sheet {read!r} was).",
                      "Move those actions onto sheet {read!r} with the others; if they are not actions of the plan "
                      "(an archive, a copy), delete the sheet or take its headings off.")}),
    "hidden-sheet": Code(
        W, "The workbook has a hidden sheet that was not read.",
        "Hidden sheet {sheet!r} in {file} was not read.",
        "Unhide it if it holds updates, or delete it.",
        {"read": ("Sheet {sheet!r} in {file} is hidden in Excel, but it is the only sheet with the headings, so it "
                  "was read.", "Check that its rows are meant to be the return; unhide the sheet to see them."),
         "register": ("Hidden sheet {sheet!r} in {file} was not read.",
                      "Unhide it (right-click a sheet tab, Unhide) if it holds actions of the plan, and move them to "
                      "the register's sheet; if it is an old copy, nothing to do, or delete it."),
         "register-read": ("Sheet {sheet!r} in {file} is hidden in Excel, but it is the only sheet with the "
                           "headings, so it was read.",
                           "Check that its rows are the plan's actions; unhide the sheet to see them.")}),
    "hidden-row": Code(
        W, "A hidden row was read.",
        "Row {row} is hidden in Excel; it was read.",
        "Check the row is meant to be in the return; unhide it to see it.",
        {"register": ("Row {row} is hidden in Excel; its action was read like any other.",
                      "Check the action is meant to be in the plan (unhide the row to see it); if it is not, "
                      "delete the row from the register."),
         "filtered": ("Row {row} is hidden by the filter set on the sheet; it was read.",
                      "Check the row is meant to be in the return; clear the filter (Data > Clear) to see every row."),
         "register-filtered": ("Row {row} is hidden by the filter set on the register's sheet; its action was read "
                               "like any other.",
                               "Check the action is meant to be in the plan (clear the filter, Data > Clear, to see "
                               "every row); if it is not, delete the row from the register."),
         # a row of a known action: the message names it first, as every message about an action's row does
         "action": "Action {ref}: the row is hidden in Excel; it was read.",
         "register-action": ("Action {ref}: the row is hidden in Excel; its action was read like any other.",
                             "Check the action is meant to be in the plan (unhide the row to see it); if it is not, "
                             "delete the row from the register."),
         "filtered-action": ("Action {ref}: the row is hidden by the filter set on the sheet; it was read.",
                             "Check the row is meant to be in the return; clear the filter (Data > Clear) to see every "
                             "row."),
         "register-filtered-action": ("Action {ref}: the row is hidden by the filter set on the register's sheet; its "
                                      "action was read like any other.",
                                      "Check the action is meant to be in the plan (clear the filter, Data > Clear, "
                                      "to see every row); if it is not, delete the row from the register.")}),
    "hidden-column": Code(
        W, "A column that is read is hidden in Excel.",
        "Column {column!r} (column {letter}) is hidden in Excel; what it holds was read.",
        "Check that what it holds is meant for the paper; unhide the column (select the columns either side of "
        "it, right-click, Unhide) to see it.",
        {"empty": ("Column {column!r} (column {letter}) is hidden in Excel and empty, so whoever filled in the "
                   "file could not see it to fill it in.",
                   "Ask the partner to unhide the column (select the columns either side of it, right-click, "
                   "Unhide) and fill it in.")},
        partner_advice="Unhide the column (select the columns either side of it, right-click, Unhide), check what it "
        "holds, and fill it in where it is empty."),
    "csv-letters-lost": Code(
        W, "A CSV not saved as UTF-8 holds '?' where a letter stood: the character set it was saved in (Excel's \"CSV "
        "(Comma delimited)\", or LibreOffice's \"Text CSV\" in Western Europe) lacks the letter (ŵ, ŷ), and '?' was "
        "written for it.",
        "{value!r} has a question mark where a letter stood ({words}): the file was not saved as UTF-8 (Excel's \"CSV "
        "(Comma delimited)\" is Windows-1252, as is LibreOffice's \"Text CSV\" with a Western Europe character "
        "set), and a '?' is written for each letter that character set lacks (ŵ, ŷ and others of Welsh), so the letter "
        "is lost and the paper prints the '?'.",
        "Save the file again as UTF-8 (File > Save As): in Excel as \"CSV UTF-8 (Comma delimited)\"; in LibreOffice as "
        "\"Text CSV\", ticking \"Edit filter settings\" and choosing the character set \"Unicode (UTF-8)\". Put it "
        "in place of this one and build again; or type the letters back in, checking every '?' of the file: a letter "
        "lost at a word's end (\"T? Diogel\") cannot be told from a question's mark, so it is named only where the "
        "word is also a lead's or section's. If the question mark is meant, nothing to do.",
        partner_advice="Save the file again as UTF-8 (File > Save As): in Excel as \"CSV UTF-8 (Comma delimited)\"; "
        "in LibreOffice as \"Text CSV\", ticking \"Edit filter settings\" and choosing the character set "
        "\"Unicode (UTF-8)\". Send us that file, or the .xlsx workbook itself."),
    "csv-character-lost-not-printed": Code(
        N, "A CSV not saved as UTF-8 holds '?' where a character stood, in a column the paper does not take from it "
        "(a return's Action, whose wording the paper takes from the register): nothing printed is lost.",
        "{value!r} has a question mark where a character stood ({words}): the file was not saved as UTF-8, and a '?' "
        "was written for each character its character set lacks. Column {column!r} is not printed from the "
        "return: the paper prints the register's wording, so nothing of the paper is lost.",
        "Nothing to do for the paper. If other cells of the file lost letters too, they are warned of each."),
    "merged-cells": Code(
        E, "Cells are merged where each row needs its own value, or each column its own heading.",
        "Cells {value} are merged; only the first holds a value, so the other rows have none (nothing was filled "
        "in for them).",
        "Unmerge the cells and fill in each row.",
        {"heading": ("Cells {value} of the heading row are merged; only the first holds a heading, so the other "
                     "columns have none, and what they hold is not read.",
                     "Unmerge the cells and give each column its own heading, as the return template has them."),
         "block": ("Cells {value} are merged across rows and columns; only the first holds a value, so the other "
                   "cells have none (nothing was filled in for them, and a column with no heading is not read).",
                   "Unmerge the cells, then fill in each row and give each column its own heading."),
         "hidden": ("Cells {value} are merged: Excel shows the first one's value across them all, but the merge "
                    "hides other text in {rows}, read as each row's own.",
                    "Unmerge the cells (the hidden text shows again), then check each row's text and fill in any "
                    "left empty.")}),
    "formula-cell": Code(
        W, "The cell holds a formula; its last calculated value was used.",
        "Cell {cell} holds {formula}; its last calculated value, {used!r}, was used.",
        "Paste the value instead of the formula.",
        # a row of a known action: the message names it first, as every message about an action's row does
        {"action": "Action {ref}: cell {cell} holds {formula}; its last calculated value, {used!r}, was used."}),
    "formula-error": Code(
        E, "The cell holds a formula with no value to read: one never calculated, or one giving an error such as "
        "#REF! (or the error pasted as a value).",
        "Cell {cell} holds {formula}, which {what}; it was read as empty.",
        "Replace the formula with the value.",
        {"pasted": ("Cell {cell} shows the error {error} (a formula's error pasted as a value), not a value; it was "
                    "read as empty.",
                    "Type the value in, or fix the formula where it was copied from and paste its value again."),
         "action": "Action {ref}: cell {cell} holds {formula}, which {what}; it was read as empty.",
         "pasted-action": ("Action {ref}: cell {cell} shows the error {error} (a formula's error pasted as a value), "
                           "not a value; it was read as empty.",
                           "Type the value in, or fix the formula where it was copied from and paste its value "
                           "again.")}),
    "formula-not-used": Code(
        N, "A cell in a column the paper does not use (a return's Action text, which the register's wording "
        "replaces, or a column not read) holds a formula with no value to read, or an error pasted as a value: "
        "nothing in the paper is missing for it.",
        "Cell {cell} holds {formula}, which {what}; the paper does not use this column, so nothing is missing "
        "from it.",
        "Nothing to do for the paper; paste the value instead of the formula if the column should say something.",
        {"pasted": "Cell {cell} shows the error {error} (a formula's error pasted as a value); the paper does not "
                   "use this column, so nothing is missing from it.",
         "action": "Action {ref}: cell {cell} holds {formula}, which {what}; the paper does not use this column, so "
                   "nothing is missing from it.",
         "pasted-action": "Action {ref}: cell {cell} shows the error {error} (a formula's error pasted as a value); "
                          "the paper does not use this column, so nothing is missing from it."},
        partner_advice="Nothing to do; if the column should say something, type the value in instead of the "
        "formula."),
    "number-format-not-read": Code(
        W, "A number is shown in Excel through a number format reportgen does not write (scientific notation, a "
        "fraction, a condition, a currency set by the computer's region); the paper shows the number as stored.",
        "Cell {cell} holds the number {value}, which Excel shows through the number format {format!r} ({what}); "
        "the paper does not show numbers that way, so it shows {value}.",
        "Look at the cell in Excel: if the paper should show what it shows there, type that in as text (an apostrophe "
        "first, e.g. '2 1/2); if {value} is right, give the cell the General format.",
        partner_advice="If the paper should show what the cell shows in Excel, type that in as text (an apostrophe "
        "first); otherwise give the cell the General format."),
    "true-false-value": Code(
        W, "A cell that should hold words holds TRUE or FALSE (a tick box's value, or a formula's): the paper "
        "shows that word.",
        "Action {ref}: the cell holds the value {value} (TRUE or FALSE, as a tick box or a formula gives), not "
        "words; the paper shows {value}.",
        "Ask the partner what the cell should say, and have it typed in.",
        partner_advice="Type in what the cell should say: it holds TRUE or FALSE, which the paper would show as it "
        "is."),
    "long-timeframe": Code(
        W, "A timeframe as long as an update: the explanation, or part of it, typed in the timeframe column?",
        "Action {ref}: the timeframe is {words} words long; is it the explanation, or part of it? The paper prints it "
        "in the timeframe column.",
        "Ask the partner to put the update in the explanation column and keep the timeframe to when it will be done.",
        {"swapped": ("Action {ref}: the timeframe ({words} words) is longer than the explanation ({explanation!r}): "
                     "were the two typed in each other's columns? The paper prints them as written.",
                     "Ask the partner to put the update in the explanation column and the timeframe in its own.")},
        partner_advice="Put the update in the explanation column, and only when it will be done in the timeframe."),
    "date-number": Code(
        W, "A timeframe is a number that is a date in Excel's calendar (45382): a date pasted as a value, or in a "
        "cell formatted as General; the paper shows the number.",
        "Action {ref}: the timeframe is the number {value}, which is {date} in Excel's calendar: a date pasted as a "
        "number, or in a cell formatted as General? The paper shows {value}.",
        "Ask the partner to type the timeframe in words or as a date (a cell formatted as a date).",
        partner_advice="Type the timeframe in words, or as a date in a cell formatted as a date: the cell holds a "
        "date's number, which the paper would show as a number."),
    "time-value": Code(
        W, "A cell that should hold words is formatted as a time, and shows one (00:00): the paper shows that time.",
        "Action {ref}: the cell is formatted as a time and shows {value!r}{stored}; the paper shows {value!r}.",
        "Ask the partner to format the cell as Text (Home > Number Format > Text) and type it again.",
        partner_advice="Format the cell as Text (Home > Number Format > Text) and type it again: it is formatted as a "
        "time, and shows one."),
    "cell-comment": Code(
        W, "A cell of a return has a comment (Review > New Comment, or a note): the paper does not show comments.",
        "Cell {cell} has a comment by {author}: {comment!r}. The paper does not show comments.",
        "Read it: if the Panel should see it, ask the partner to put it in the explanation (or add it there "
        "yourself and say so); otherwise nothing to do.",
        {"no-author": "Cell {cell} has a comment: {comment!r}. The paper does not show comments."},
        partner_advice="Comments on cells are not read: put anything the Panel should see in the explanation "
        "itself."),
    "struck-text": Code(
        W, "A cell's words are struck through; the paper shows them as if they were not.",
        "Row {row} has words struck through ({cells}); the paper shows them as ordinary words.",
        "Struck-through words are usually ones no longer meant: ask the partner to delete them (or remove the "
        "strikethrough if they stand), then build again.",
        {"register": ("Row {row} of the register has words struck through ({cells}); the paper shows them "
                      "as ordinary words, and the row's action as any other.",
                      "If the action is withdrawn, delete its row; otherwise delete the struck-through words, or "
                      "remove the strikethrough if they stand.")},
        partner_advice="Delete the words that no longer stand (the paper cannot show them struck through), or "
        "remove the strikethrough if they do, and send the workbook again."),
    "longer-than-a-page": Code(
        W, "An update is longer than a page of the plan.",
        "Row {row}, column {column!r} holds {length:,} characters, more than a page of the delivery plan: its row "
        "breaks across pages, the Panel reading one action's update over two pages or more.",
        "Shorten the update, or summarise it and link to a fuller report."),
    "cell-too-long": Code(
        E, "The text is longer than a spreadsheet cell can safely hold.",
        "Row {row}, column {column!r} holds {length:,} characters (the limit is {limit:,}).",
        "Shorten the text or link to a document; the text was not truncated, the row was left out."),
    "control-characters": Code(
        W, "The text holds invisible control characters; they were removed.",
        "Row {row}, column {column!r}: invisible control characters were removed.",
        "No action needed unless the text looks wrong.",
        {"nul-bytes": "{file} holds NUL bytes; they were removed."}),
    "invisible-characters": Code(
        W, "The text holds zero-width or direction-changing characters.",
        "Row {row}, column {column!r}: zero-width or text-direction characters were removed ({points}).",
        "No action needed: they do not show. Check the text reads as intended.",
        {"around": ("Zero-width or text-direction characters were removed ({points}), {around}.",
                     "No action needed: they do not show. To be rid of this note, delete and retype the words "
                     "around them in {file}.")}),
    "unsafe-path": Code(
        E, "A file in the returns folder is a link or lies outside the folder.",
        "{file} is a link; it was not read.",
        "Copy the real file into the folder.",
        {"folder-outside": "{file} is a link to a folder outside the workspace; it was not read."}),
    "unknown-file-type": Code(
        W, "A file in the returns folder is not .xlsx or .csv.",
        "{file} is not a .xlsx or .csv file; it was not read.",
        "Save it as .xlsx or .csv, or move it out of the folder.",
        {"folder": ("{file} is a folder; returns go directly in the period folder, so nothing in it was read.",
                    "Move the returns in it up into the period folder, or move the folder out of inputs/returns."),
         "not-regular": "{file} is not a regular file (a pipe or a device); it was not read.",
         "temporary": ("{file} is a temporary file, made while a file is being saved or synced; it was not read.",
                       "Nothing to do once the save has finished: it goes by itself. If it stays (a save that "
                       "stopped), check the return itself is in the folder, then delete it."),
         "not-spreadsheet": "{file} is not a .xlsx or .csv file.",
         "document": ("{file} is {what}, not a spreadsheet; it was not read.",
                      "If the partner wrote its update in it, ask for the return workbook filled in instead; "
                      "otherwise (a covering letter, a paper) move it out of the returns folder."),
         "loose-file": ("{file} lies in inputs/returns itself, not in a period's folder, so it was not read.",
                        "Move it into the folder of the period it is for, e.g. inputs/returns/{example}/."),
         "not-a-period": ("{file} is not a period folder (YYYY-MM), so nothing in it is read.",
                          "If it holds a period's returns, put them in the folder named for the period, e.g. "
                          "inputs/returns/{example}; otherwise move it out of inputs/returns.")},
        partner_advice="Please fill in the return workbook we sent you (or copy your updates into it) and send it "
        "back as an Excel workbook (.xlsx)."),
    "register-copy-unread": Code(
        W, "The inputs folder holds another copy of the register (a copy a sync made, or the same name in other "
        "capitals), which is not read.",
        "{file} looks like a copy of the register that a sync or a second editor made ({saved}); it was not read: "
        "the register read is {register}.",
        "If it holds changes the register lacks, make them in {register} (or save this copy as {register}), then "
        "delete the copy or move it out of the inputs folder.",
        {"case": "{file} is the register's name in other capitals ({saved}); it was not read: the register read is "
                 "{register} (Windows and macOS show only one of the two)."}),
    "workbook-open": Code(
        W, "A returns folder (or the inputs folder, for the register) holds the lock file Excel (or LibreOffice) "
        "keeps while a workbook is open: the workbook may be open, with changes not yet saved.",
        "{file} is the lock file {program} keeps while {workbook} is open: {workbook} may be open in {program} now, "
        "so changes not yet saved in it are not read.",
        "Save and close the workbook (ask whoever has it open), then run again; if nobody has it open, delete the "
        "lock file (left behind when a program or computer stops unexpectedly).",
        {"no-workbook": ("{file} is the lock file {program} keeps while {workbook} is open, but there is no "
                         "{workbook} in the folder: it may have been open when the folder was copied, or saved "
                         "elsewhere.",
                         "Check that the partner's return is in the folder (saved and closed); then delete the "
                         "lock file.")}),
    "file-changed": Code(
        E, "An input file changed while the paper was being built.",
        "{file} changed while the paper was being built.",
        "Build again once the file is final."),
    "exempt-when-reported": Code(
        W, "An action published now was exempt from publication when it was last reported: what was reported "
        "then is not carried into the public edition.",
        "Action {ref} ({lead}): no update this period, and when last reported ({source}) it was exempt from "
        "publication; what was reported then is not carried into the public edition, which shows it with no update.",
        "Ask the lead partner for an update this period, written for publication; the restricted edition "
        "(--edition restricted) carries the last report.",
        wordings={"unrecorded": (
            "Action {ref} ({lead}): no update this period, and it was last reported in {source}, a restricted draft "
            "kept before reportgen recorded which actions were exempt (the register or reportgen.toml has changed "
            "since): it may have been exempt then, so what was reported is not carried into the public edition, "
            "which shows it with no update.",
            "Ask the lead partner for an update this period, written for publication; the restricted edition "
            "(--edition restricted) carries the last report. Restricted drafts kept from now on record their "
            "exempt actions."),
            "unreadable": (
            "Action {ref} ({lead}): no update this period, and it was last reported in {source}; the draft kept "
            "for that period, {draft}, cannot be read, so whether the action was exempt from publication then is "
            "not known: what was reported is not carried into the public edition, which shows it with no update.",
            "Restore the draft folder {draft} from a backup and build again (do not move it out of outputs: that "
            "period's returns would then be carried as if no action had been exempt); or ask the lead partner for "
            "an update this period, written for publication. The restricted edition (--edition restricted) "
            "carries the last report."),
            "counted": (
            "Published actions with no update this period that were exempt from publication when last reported: "
            "{count}. What was reported then is not carried into the public edition, which shows them with no "
            "update; they are not named here, as that would say which actions were exempt.",
            "The chase list lists them as not updated: ask their leads for an update this period, written for "
            "publication. The restricted edition (--edition restricted) carries the last report.")}),
    "exemptions-unrecorded": Code(
        E, "The newest earlier draft, which statuses are carried forward from, is a restricted draft kept before "
        "reportgen recorded which actions were exempt, the register or reportgen.toml has changed since, and no public "
        "draft of its period is kept to carry from instead.",
        "{draft} is the newest draft of {label} and the one statuses are carried forward from, but it is a "
        "restricted draft kept before reportgen recorded which actions were exempt, and the register or "
        "reportgen.toml has changed since: any action in it may have been exempt then, so none of what it holds is "
        "carried into the public edition, and no public draft of {period} is kept to carry from instead.",
        "Build {label} again in the restricted edition (reportgen build --period {period} --edition restricted): "
        "its new draft records which actions are exempt, and is carried from. Then build this period again.",
        {"prefill": (
            "{draft} is the newest draft of {label} and the one the workbooks are pre-filled from, but it is a "
            "restricted draft kept before reportgen recorded which actions were exempt, and the register or "
            "reportgen.toml has changed since: any action in it may have been exempt then, so none of what it holds "
            "is pre-filled, and no public draft of {period} is kept to pre-fill from instead.",
            "Build {label} again in the restricted edition (reportgen build --period {period} --edition "
            "restricted): its new draft records which actions are exempt, and is pre-filled from. Then make the "
            "workbooks again.")}),
    "exempt-errors": Code(
        E, "Errors about actions exempt from publication block the public edition; it does not list them, as "
        "they would identify the actions.",
        "Issues about actions exempt from publication (or a partner leading only such actions) are not listed in "
        "the public edition, as they would identify the actions: {issues} among them {verb} it. The restricted "
        "edition lists them.",
        "Build the restricted edition (--edition restricted): its issues.csv says which actions, and what to do. "
        "Then build the public edition again."),
    "exempt-warnings": Code(
        W, "Warnings about actions exempt from publication are counted in the public edition, not listed, as they "
        "would identify the actions.",
        "Issues about actions exempt from publication (or a partner leading only such actions) are not listed in "
        "the public edition, as they would identify the actions: {issues} left out. The restricted edition lists "
        "them.",
        "Build the restricted edition (--edition restricted) to see them: its issues.csv says what to do."),
    "exempt-notes": Code(
        N, "Notes about actions exempt from publication are counted in the public edition, not listed, as they "
        "would identify the actions.",
        "Issues about actions exempt from publication (or a partner leading only such actions) are not listed in "
        "the public edition, as they would identify the actions: {issues} left out. The restricted edition lists "
        "them.",
        "Nothing to do; the restricted edition (--edition restricted) lists them."),
    "exempt-flag": Code(
        E, "The exemption flag is not a recognised value; the action is treated as exempt.",
        "Row {row}: exemption flag {flag!r} is not Yes or No; the action is treated as exempt.",
        "Write Yes or No; or, for the register's own words, list them in reportgen.toml under [register] as "
        "exempt_values = [\"Restricted\"] or not_exempt_values = [\"Public\"] (case aside; each list replaces "
        "the built-in one)."),
    "no-period-folder": Code(
        E, "The workspace has no period folder under inputs/returns yet: there are no returns to check.",
        "{file} holds no period folder (YYYY-MM) yet: there are no partners' returns to check.",
        "Write the partners' workbooks with reportgen returns --period YYYY-MM (the month they report) and send "
        "them; save each one that comes back in {file}/YYYY-MM, then run reportgen validate again."),
    "no-returns": Code(
        E, "Not one return was read for the period: the paper would show no partner's update (a wrong folder "
        "or --period, most likely).",
        "No return was read for {period}: the folder {file} holds no return files. Every action is shown with "
        "no update this period (its last reported status carried forward, where there is one).",
        "Put the partners' returns for {period} in {file} and build again. If none has come in yet, this paper "
        "is not ready: chase the partners (see the chase list).",
        {"elsewhere": (
            "No return was read for {period}: the folder {file} holds no return files, but {others} do. Every "
            "action is shown with no update this period (its last reported status carried forward, where there "
            "is one).",
            "If those are the returns for {period}, move them into {file} and build again; if the paper is for "
            "another period, build that one (reportgen build --period {other})."),
         "none-read": (
            "No return was read for {period}: none of the files in {file} ({count}) could be used (see each file's "
            "issues). Every action is shown with no update this period (its last reported status carried "
            "forward, where there is one).",
            "Resolve each file's issues (a workbook made for another period, a file that cannot be read) and "
            "build again."),
         "none-read-settings": (
            "No return was read for {period}: not one of the files in {file} ({count}) has a column reportgen.toml "
            "reads as {heading!r}. The partners' files are alike, so it is reportgen.toml to correct, not the "
            "partners to chase.",
            "Name the heading the returns use under [returns.columns] in reportgen.toml, as each file's issue says, "
            "and build again."),
         "none-read-elsewhere": (
            "No return was read for {period}: none of the files in {file} ({count}) could be used (see each file's "
            "issues), and {others} hold returns. Every action is shown with no update this period (its last "
            "reported status carried forward, where there is one).",
            "Resolve each file's issues and build again; if the paper is for another period, build that one "
            "(reportgen build --period {other}).")}),
    "blank-workbooks": Code(
        W, "No earlier period was reported: the return workbooks are not pre-filled.",
        "No kept draft or returns of a period before {period}: the return workbooks are blank, not pre-filled.",
        "Send them as they are (partners fill in every action), or build the earlier period's draft first "
        "and write them again."),
    "not-prefilled": Code(
        W, "An action's row in its return workbook is not fully pre-filled: nothing was reported for it before, "
        "or no status was recognised in its last update.",
        "Action {ref} ({lead}): the status reported {when}, {value!r}, was not recognised, so its workbook leaves the "
        "status blank for the partner to choose; the explanation and timeframe are pre-filled as reported then.",
        "Nothing to do: the partner chooses the status from the list. If the wording means one of the statuses, "
        "add it to [statuses] aliases in reportgen.toml (and build the earlier period again if a draft of it is "
        "kept), then make the workbooks again.",
        {"no-status": ("Action {ref} ({lead}): no status was recognised in the update reported {when}, so its "
                       "workbook leaves the status blank for the partner to choose; the explanation and timeframe "
                       "are pre-filled as reported then.",
                       "Nothing to do: the partner chooses the status from the list."),
         "nothing": ("Action {ref} ({lead}): no status, explanation or timeframe was reported for it before "
                     "{period} (a new action, one its lead did not update, or a blank row), so its workbook row "
                     "is blank for the partner to fill in.",
                     "Nothing to do: the partner fills in the row. If an earlier return did update it, check that "
                     "return's row for the action."),
         "exempt": ("Action {ref} ({lead}): when last reported ({source}) it was exempt from publication, so its "
                    "workbook row is blank: what was reported then is not pre-filled into a return whose update the "
                    "public edition publishes.",
                    "Nothing to do: the partner writes an update for publication. Until one comes, the restricted "
                    "edition (--edition restricted) carries the last report."),
         "exempt-unrecorded": ("Action {ref} ({lead}): it was last reported in {source}, a restricted draft kept "
                               "before reportgen recorded which actions were exempt (the register or reportgen.toml "
                               "has changed since): it may have been exempt then, so its workbook row is blank, what "
                               "was reported then not pre-filled into a return whose update the public edition "
                               "publishes.",
                               "Nothing to do: the partner writes an update for publication."),
         "exempt-unread": ("Action {ref} ({lead}): it was last reported in {source}; the draft kept for that period, "
                           "{draft}, cannot be read, so whether it was exempt from publication then is not known: "
                           "its workbook row is blank, what was reported then not pre-filled into a return whose "
                           "update the public edition publishes.",
                           "Restore the draft folder {draft} from a backup and make the workbooks again; or leave the "
                           "row for the partner to fill in.")}),
    "missing-return": Code(
        W, "A lead partner sent no return this period.",
        "{value} sent no return for {period}.",
        "Chase the partner (see the chase list).",
        {"spelled": ("{value} sent no return of its own for {period}, but the register writes the same lead "
                     "{other!r} elsewhere, and its return ({returned}) is read as {other}'s only.",
                     "If they are one partner, do not chase it: its return came; write the lead the same way on "
                     "every row of the register (its warnings name the rows), then build again. If they are two "
                     "partners, name them so that they differ by a word.")}),
    "return-in-other-folder": Code(
        E, "A lead's return workbook for this period is in another period's folder: it was not read.",
        "{value} sent no return in inputs/returns/{period}/, but {file} is its return workbook made for {label}: it "
        "is in the folder of {other}, so it was not read and its updates are not in this paper.",
        "Move it into inputs/returns/{period}/ and build again (do not chase the partner: its return came)."),
    "period-not-started": Code(
        W, "The period built has not begun yet.",
        "The period {period} has not begun yet (today is {today}){chosen}.",
        "Check the period: give --period for the month being reported. A folder made early for a month to come "
        "(or a return put in it by mistake) is read before the month's own when no --period is given."),
    "csv-not-checked": Code(
        W, "A return saved as CSV from the workbook reportgen made for the partner, with no copy of that workbook "
        "in the workspace: it could not be checked against what it was sent with.",
        "{file} is laid out as the workbook made for {partner}, saved as CSV, which keeps no record of what the "
        "workbook was sent with; and no copy of the workbook made for {partner} for {period} is in {folder} to "
        "compare it with. So whether an explanation it was pre-filled with, or an action's row, was deleted could "
        "not be checked, and a row of an action withdrawn since it was sent is read as one the partner added.",
        "Ask {partner} to send the workbook back as an Excel Workbook (.xlsx), as it was sent; or, if the workbooks "
        "were written elsewhere (`reportgen returns --out`), copy the one made for {partner} into {folder} and "
        "build again.",
        partner_advice="Please send the workbook back as an Excel Workbook (.xlsx), as we sent it: saved as CSV it "
        "loses what we check it against.",
        partner_message="{file} is the workbook we sent, saved as CSV, which keeps no record of what the workbook "
        "was sent with, so whether an explanation it was pre-filled with, or an action's row, was deleted could not "
        "be checked."),
    "sent-copy-beside": Code(
        W, "The workbook mailed to a partner differs from the one already kept for it in outputs/<period>/returns: "
        "both are kept.",
        "{file} is the workbook mailed to {value}, kept beside {earlier}: a different workbook made for {value} "
        "earlier (by reportgen returns, or mailed with the first message or a reminder, before the register or what "
        "it is pre-filled from changed), which is kept as it was, as {value} may have been sent it too.",
        "Nothing to do: whichever of them {value} answers, a return it saves as CSV is checked against each. If "
        "{earlier} was never sent to {value}, it may be moved out of the folder."),
    "sent-copy-not-kept": Code(
        W, "The workbook mailed to a partner could not be kept in outputs/<period>/returns: it is left where it was "
        "staged before sending.",
        "{file} is the workbook mailed to {value}; it could not be kept in {folder} ({reason}), so it was left "
        "where it is.",
        "Make {folder} a folder that can be written to (move away a file of that name, or give write permission): "
        "the next send-returns, chase or collect keeps the workbook there. Until then a return {value} saves as CSV "
        "is not checked against it."),
    "unchanged-return": Code(
        W, "The return is identical to the pre-filled workbook.",
        "{file}: every status, explanation and timeframe is as pre-filled; {value} may have sent {workbook} back "
        "without updating it.",
        "Check with the partner that nothing has changed.",
        partner_advice="Please write this period's updates in it; if nothing has moved on, say so in each action's "
        "explanation. Then send the workbook again."),
    "prefilled-before-correction": Code(
        N, "A row was sent back as its workbook was pre-filled, but the update it was pre-filled with has been "
        "corrected since (an earlier period's return sent again after the workbooks were made): the row is read as "
        "returned as sent, with the corrected update.",
        "Action {ref}: the row was sent back as its workbook was pre-filled ({value!r}), before the update reported "
        "{when} was corrected ({source}); the paper shows the corrected update ({status!r}) and counts the row as "
        "returned as sent. The partner saw the update before the correction.",
        "Check with the partner that the corrected update still holds: their workbook showed the one before it. If "
        "they meant the old one, ask them to say so in the row's explanation and send the workbook again.",
        {"blank": ("Action {ref}: the row was sent back as its workbook was pre-filled, with no status, before the "
                   "update reported {when} was corrected ({source}); the paper shows the corrected update ({status!r}) "
                   "and counts the row as returned as sent. The partner saw no status for it before the correction.",
                   "Check with the partner that the corrected update still holds: their workbook showed no status for "
                   "it. If it does not, ask them to write this period's update in the row and send the workbook "
                   "again.")},
        partner_advice="Nothing to do if the corrected update still holds. If it does not, write this period's "
        "update in the row (if you meant the status your workbook showed, say so in the explanation) and send the "
        "workbook again.",
        partner_message="Action {ref}: the row is as your workbook was pre-filled, but that update was corrected to "
        "{status!r} after the workbook was made, so your return for this period is read as {status!r}.",
        partner_wordings={"blank": "Nothing to do if the corrected update still holds (your workbook showed no "
                          "status for it). If it does not, write this period's update in the row and send the workbook "
                          "again."}),
    "prefilled-before-unrecognised": Code(
        N, "A row was sent back as its workbook was pre-filled, but the update it was pre-filled with has been "
        "corrected since to a status not recognised: the row is read as pre-filled with no status, no update.",
        "Action {ref}: the row was sent back as its workbook was pre-filled ({value!r}), before the update reported "
        "{when} was corrected ({source}) to {status!r}, which is not a recognised status; the row is read as "
        "pre-filled now, with no status, so the paper counts no update for it. The partner saw the update before the "
        "correction.",
        "Ask the partner for the action's status this period; if {status!r} always means a status, add it to "
        "[statuses] aliases in reportgen.toml.",
        {"blank": ("Action {ref}: the row was sent back as its workbook was pre-filled, with no status, before the "
                   "update reported {when} was corrected ({source}) to {status!r}, which is not a recognised status; "
                   "the row is read as pre-filled now, with no status, so the paper counts no update for it.",
                   "Ask the partner for the action's status this period; if {status!r} always means a status, add "
                   "it to [statuses] aliases in reportgen.toml.")},
        partner_advice="Choose this period's status from the list in the row and send the workbook again.",
        partner_message="Action {ref}: the row is as your workbook was pre-filled, but that update was corrected to "
        "{status!r} after the workbook was made, which is not a status we recognise, so your return for this period "
        "has no status for this action."),
    "explanation-cleared": Code(
        W, "An explanation the workbook was pre-filled with was deleted and nothing written in its place: the paper "
        "shows the action with no explanation.",
        "Action {ref}: the explanation pre-filled as reported {when} was deleted and nothing written in its place; "
        "the paper shows the action with no explanation.",
        "Ask the partner for this period's explanation (or whether last period's still holds); if the action needs "
        "none, nothing to do.",
        partner_advice="Write this period's explanation in the cell: the one it was pre-filled with was deleted and "
        "nothing put in its place. If last period's still holds, put it back."),
    "row-deleted": Code(
        W, "An action's row is missing from the workbook made for its lead's updates: deleted by the partner, or "
        "the workbook made before the action was in the register. The action has no update this period.",
        "Action {ref} has no row in {file}, the workbook made for {lead}'s updates: the row was deleted (or the "
        "workbook made before the action was in the register). The paper shows no update for it this period.",
        "Ask the partner for the action's update; if it has none this period, nothing to do: its last status is "
        "carried forward.",
        {"never-reported": (
            "Action {ref} has no row in {file}, the workbook made for {lead}'s updates: most likely the action is new "
            "to the register and the workbook was made before it was added (or the row was deleted). Nothing was "
            "reported for it before, so the paper shows it with no update and no status.",
            "Ask the partner for the action's first update (status, explanation and timeframe), as a row added to "
            "the workbook or in a message; until one comes the paper shows the action as having no update yet.")},
        partner_advice="Please send an update for this action too: its row was missing from the workbook you sent "
        "back. Do not delete rows; if an action has nothing new, say so in its explanation.",
        partner_wordings={"never-reported": (
            "Please send this action's first update (its status, explanation and timeframe) in your reply to this "
            "email: the workbook you were sent has no row for it (it was made before the action joined the plan), "
            "and its rows cannot be added to. Next period's workbook will have its row.")}),
    "return-wrong-period": Code(
        W, "A return is the workbook reportgen made for another period (last month's, sent back again): its rows "
        "were not used, and its partner is chased as if it had sent no return.",
        "{file} is the return workbook made for {made_for}, not the one for {period}: none of its rows were used "
        "as {period}'s updates.",
        "If it is {made_for}'s return saved in this period's folder by mistake, move it to inputs/returns/{value}/. "
        "Else ask the partner for this period's workbook, filled in (to make it again: reportgen returns --period "
        "{folder_period}). If they did write this period's updates in this one, "
        "copy them into this period's workbook and put that in the folder in its place. Until then the partner's "
        "actions keep their last reported status and the partner is on the chase list.",
        {"kept-there": (
            "{file} is the return workbook made for {made_for}, not the one for {period}: none of its rows were used "
            "as {period}'s updates. inputs/returns/{value}/ already holds the same file, read for {made_for}.",
            "This copy can be deleted. Ask the partner for this period's workbook, filled in (to make it again: "
            "reportgen returns --period {folder_period}). If they did write this period's updates in this one, copy "
            "them into this period's workbook and put that in the folder in its place. Until then the partner's "
            "actions keep their last reported status and the partner is on the chase list.")},
        partner_advice="Please fill in the workbook we sent you for this period (its Instructions sheet names the "
        "period) and send that back; if you wrote this period's updates in this one, copy them into that "
        "workbook."),
    "partner-not-lead": Code(
        W, "A [partners] entry in reportgen.toml is not a lead in the register.",
        "{file}: {column} is not a lead in the register ({leads}).{hint}",
        "Write the lead's name exactly as in the register, or remove the entry.",
        {"letters-lost": ("{file}: {column} is not a lead in the register as read: the register writes it "
                          "{lead!r}, with a '?' where reportgen.toml has a letter, so the register's letters were "
                          "lost when it was saved (Excel's \"CSV (Comma delimited)\" and LibreOffice's \"Text "
                          "CSV\" in Western Europe are Windows-1252, which has no ŵ, ŷ and others: a '?' is "
                          "written for each). reportgen.toml is right.",
                          "Save the register again as UTF-8 (File > Save As): in Excel as \"CSV UTF-8 (Comma "
                          "delimited)\"; in LibreOffice as \"Text CSV\", ticking \"Edit filter settings\" and "
                          "choosing the character set \"Unicode (UTF-8)\"; or save it as an Excel workbook "
                          "(.xlsx). Do not write the '?' into reportgen.toml.")}),
    "register-issues-not-listed": Code(
        N, "A mail command counts the register's own warnings and notes, and leaves listing them to validate and "
        "build: said at every run, they buried what the command had to say.",
        "The register has {counted} of its own, not listed here; reportgen validate --all lists each, as every "
        "build's issues.csv does.",
        "Nothing to do for the mail. See them with reportgen validate --all, and mend the register before the "
        "paper is built."),
    "no-partner-address": Code(
        W, "A lead partner has no email address in [partners].",
        "{value} has no email address in {file}; {doing}.",
        "Add its addresses (emails = [...]) to reportgen.toml, or send its workbook by hand."),
    "mail-unknown-sender": Code(
        W, "A message came from an address that is no partner's; nothing was saved.",
        "A message from {sender!r} ({subject!r}) is from no partner's address; nothing was saved.",
        "If it is a partner's, add the address to its [partners] emails and move the message back to the inbox.",
        {"with-return": ("A message from {sender!r} ({subject!r}) is from no partner's address; it had {names} "
                         "attached: nothing was saved and no reply was sent.",
                         "If it is a partner's, add the address to its [partners] emails and move the message back "
                         "to the inbox: the next collect saves and checks it."),
         "colleague": ("A message from {sender!r} ({subject!r}), an address at {partner}'s domain but not one of its "
                       "[partners] emails, had {names} attached: nothing was saved and no reply was sent.",
                       "If the sender answers for {partner}, add the address to [partners.\"{partner}\"] emails in "
                       "reportgen.toml and move the message back to the inbox: the next collect saves and checks it. "
                       "If not, ask {partner} to send its return from its own address.")}),
    "mail-shared-address": Code(
        W, "A message came from an address reportgen.toml gives to more than one partner, and nothing in it says "
        "whose return it is; nothing was saved.",
        "{heading}: {value} is an address {file} gives to {partners}, and the message holds no workbook made for one "
        "of them (each workbook sent names its partner), so whose return it is cannot be told. Nothing was saved and "
        "no reply was sent.",
        "Ask the sender to reply with the workbook sent for the partner it answers for, one per message. If the "
        "address answers for one of them only, take it out of the other's [partners] emails in {file} and move the "
        "message back to the inbox: the next collect saves and checks it."),
    "mail-unverified-sender": Code(
        E, "A message from a partner's address was not shown to come from the partner; nothing was saved.",
        "A message from {sender!r} ({subject!r}) was not shown to come from {partner}: {why}. Nothing was saved and "
        "no reply was sent.",
        "If the partner sent it, ask your IT team why your mail server did not vouch for it, then move it back to "
        "the inbox; if not, someone is writing in the partner's name: tell your IT security team."),
    "mail-no-return": Code(
        W, "A partner's message had no .xlsx or .csv attachment.",
        "{partner}'s message had no {accepted} attachment; nothing was saved.",
        "The partner was asked to reply with the workbook attached.",
        {"outlook-rich-text": ("{partner}'s message came from Outlook in Rich Text format: its attachments are packed "
                               "in {value!r}, which cannot be read, so its return (if it is in there) was not read "
                               "or saved.",
                               "The partner was asked to send the workbook again in a message formatted as HTML or "
                               "plain text. If it cannot wait, open the message in Outlook (it is {kept}), which "
                               "shows the workbook, and save it into the period's returns folder."),
         "link": ("{partner}'s message had a link to a shared file ({value}) but no {accepted} attachment; links are "
                  "not followed, so nothing was saved.",
                  "The partner was asked to download the workbook and reply with it attached. Do not save it from "
                  "the link yourself unless you can tell it is the partner's finished return.")}),
    "mail-other-attachment": Code(
        W, "An attachment is not an .xlsx or .csv file; it was not saved.",
        "{partner} attached {value!r}, which is not a .xlsx or .csv file; it was not saved.",
        "The partner was asked to send the return as .xlsx or .csv.",
        {"beside": ("{partner} attached {value!r} beside its return; it was not saved.",
                    "Nothing to do, unless it holds updates the return lacks: open it in the message, which stays "
                    "in the mailbox."),
         "other-format": ("{partner} attached {value!r}, {what}, as its return: it is not a .xlsx or .csv file, so "
                          "it was not read or saved.",
                          "The partner was asked to save it as an Excel workbook (.xlsx) and send it again."),
         "forwarded": ("{partner}'s message also forwards the message {subject!r}, which holds {value!r}; that "
                       "one was not read or saved: the workbook attached to the message itself was taken as its "
                       "return.",
                       "Nothing to do, unless the forwarded workbook is the one with the updates: then open it in "
                       "the message, which stays in the mailbox, and ask the partner to send it attached by "
                       "itself.")}),
    "mail-several-returns": Code(
        W, "A message had more than one spreadsheet; none was saved.",
        "{partner} sent {names} in one message; none was saved.",
        "The partner was asked to send one workbook per message."),
    "mail-other-lead-workbook": Code(
        W, "A partner sent the workbook made for another lead; it was saved as neither partner's return.",
        "{partner} sent {value!r}, the return workbook made for {lead}; it was saved neither as {partner}'s return "
        "(which it would have replaced) nor as {lead}'s.",
        "{partner} was asked to have {lead} send it from {lead}'s own address (or to send its own workbook, if it "
        "meant to); until then none of its updates are used. If you trust it as {lead}'s return, save the "
        "attachment from the message ({kept}) as {path}.",
        {"beside": ("{partner} sent {value!r}, the return workbook made for {lead}, beside its own return; it was "
                    "not saved as {lead}'s return ({partner}'s own was saved and checked).",
                    "{partner} was asked to have {lead} send it from {lead}'s own address; until then its updates "
                    "are not used. If you trust it as {lead}'s return, save the attachment from the message ({kept}) "
                    "as {path}.")}),
    "mail-refused-attachment": Code(
        E, "An attachment was too big, damaged or unsafe; it was not saved.",
        "{partner}: {value!r} was not saved: {why}.",
        "{told} why; the message is {kept}.",
        {"message-too-big": "{partner}: the message is {size:,} bytes, over the limit; it was not read."}),
    "mail-duplicate": Code(
        N, "The message or its file was already collected; nothing new was saved.",
        "{partner} sent {attachment!r} again, the same as {same_as}; nothing new was saved.",
        "No action needed. {told} it had already been received, and which return is used.",
        {"message": ("The message {subject!r} from {sender} was already collected on {time} ({outcome}); nothing "
                     "new was saved.", "No action needed.")}),
    "mail-sent-before-used": Code(
        W, "A partner's return reached the mailbox after a return it sent later had been collected; the later one "
        "stays the one used and this one was not saved.",
        "{partner}'s message sent {sent}, with {attachment!r}, arrived after its return sent {later}, {used}, was "
        "collected: that later return stays the one used, and this workbook was not saved.",
        "{told} which return is used. If this workbook is the one to use (the sender's clock was wrong, say), ask "
        "{partner} to send it again, or save it from the message, {kept}, as {save_as}: the newest saved file is "
        "read."),
    "mail-returns-in-one-run": Code(
        W, "A partner's return came in more than one message in one collect; the last sent is used.",
        "{partner} sent more than one return in this collect: {files}. The last sent, {file}, is the one used: "
        "each return replaces the one before it, whatever order the messages reached the mailbox in.",
        "Check that {file} holds every update {partner} meant to send (returns sent in parts keep only the last "
        "part); if it does not, ask {partner} to send one workbook with all of them."),
    "mail-automatic": Code(
        N, "A partner's message was an automatic reply (out of office); it was not answered.",
        "{partner} sent an automatic reply ({subject!r}); it was not answered.",
        "No action needed; it is {kept}."),
    "mail-other-period": Code(
        N, "The message is about another period; it was left in the inbox.",
        "The message {subject!r} is about {period}; it was left in the inbox.",
        "Collect that period to read it."),
    "mail-unreadable": Code(
        E, "A message could not be read as email; nothing was saved.",
        "Message {uid} could not be read as email: {error}",
        "Open the message ({kept}) and ask its sender to send it again.",
        {"empty": ("Message {uid} is empty: it holds no email, so who sent it cannot be told.",
                   "Save the message again from the mail program (the file may have been cut short while it was "
                   "copied or synced); this one is {kept}."),
         "no-headers": ("Message {uid} is not an email: it has no sender, subject or date.",
                        "Save the message again from the mail program as an .eml file; this file is {kept}."),
         "too-deep": ("Message {uid} could not be read as email: its parts are nested inside one another too deeply "
                      "(no mail program writes a message so); nothing in it was saved or answered.",
                      "It is {kept}; if it is a partner's, ask them to attach the return to a new "
                      "message.")}),
    "deadline-passed": Code(
        W, "The returns deadline in reportgen.toml has passed.",
        "The returns deadline in reportgen.toml, {value}, has passed: the workbooks ask partners to reply by it.",
        "Set [returns] deadline in reportgen.toml to this period's deadline (or remove it), then make the workbooks "
        "or send them again.",
        wordings={"counted": ("The returns deadline for {period}, {value} ({days} before its meeting, as "
                              "[returns] days_before_meeting in reportgen.toml says), has passed: the workbooks ask "
                              "partners to reply by it.",
                              "Check the period and its meeting's date ([paper] meetings, or date); to ask for a later "
                              "day, lower days_before_meeting, then make the workbooks or send them again.")}),
    "deadline-unknown": Code(
        W, "The returns deadline cannot be worked out: the period has no meeting date.",
        "reportgen.toml sets [returns] days_before_meeting = {value}, but the paper for {period} has no meeting date "
        "to count back from ([paper] meetings lists none after the period, and [paper] sets no date): the "
        "workbooks and the mail name no deadline.",
        "Add the Panel's next meeting to [paper] meetings in reportgen.toml, then make the workbooks or send "
        "them again."),
    "no-deadline": Code(
        W, "No returns deadline is set: the workbooks, and any mail sending them, name no day to reply by.",
        "reportgen.toml sets no returns deadline ([returns] deadline or days_before_meeting): the {period} workbooks, "
        "and any mail sending them, name no day to reply by.",
        "To name one, set [returns] deadline = YYYY-MM-DD in reportgen.toml (one date, for this round), or "
        "days_before_meeting = 12 (so many days before each period's meeting) with the Panel's meeting dates in "
        "[paper] meetings (or its one date, [paper] date); then make the workbooks or send them again. If no deadline "
        "is meant, nothing to do.",
        {"meeting": ("reportgen.toml sets no returns deadline ([returns] deadline or days_before_meeting): the "
                     "{period} workbooks, and any mail sending them, name no day to reply by.",
                     "To name one, set [returns] days_before_meeting in reportgen.toml (e.g. 12: returns due 12 days "
                     "before the meeting the paper goes to, {meeting}), or deadline = YYYY-MM-DD (one date, for this "
                     "round); then make the workbooks or send them again. If no deadline is meant, nothing to do."),
         "past-meeting": ("reportgen.toml sets no returns deadline ([returns] deadline or days_before_meeting): the "
                          "{period} workbooks, and any mail sending them, name no day to reply by.",
                          "To name one, first add the Panel's next meeting after {period} to [paper] meetings in "
                          "reportgen.toml (the one it gives, {meeting}, is before the period), then set [returns] "
                          "days_before_meeting (e.g. 12: returns due 12 days before that next meeting), or deadline "
                          "= YYYY-MM-DD (one date, for this round); then make the workbooks or send them again. If "
                          "no deadline is meant, nothing to do.")}),
    "mail-late": Code(
        N, "The return arrived after the deadline.",
        "{partner}'s return {file} reached our mail server on {arrived}, after the deadline ({deadline}).",
        "No action needed: it is used.",
        {"dated": ("{partner}'s return {file} is dated {arrived}, after the deadline ({deadline}); that is its "
                   "sender's clock, as the message does not say when our mail server received it.",
                   "No action needed: it is used. If the partner says it was sent in time, its computer's clock "
                   "may be wrong.")}),
    "mail-send-failed": Code(
        E, "The mail server refused a message; it was not sent.",
        "The {kind} to {partner} ({to}) was not sent: {detail}",
        "Check the address and run the command again: only unsent messages are sent."),
    "mail-uncertain": Code(
        W, "A message was being sent when an earlier run stopped; it may have gone.",
        "The {kind} to {partner} ({subject}) was being sent at {time} when a run stopped; it may have gone. It was "
        "not sent again.",
        "Check the sent mail. If it went, change its row's state in sent.csv from sending to sent: the next run "
        "keeps the workbook it attached with the period's other copies (outputs/<period>/returns). To send it "
        "again, delete its row from sent.csv."),
    "stylesheet-outdated": Code(
        W, "The workspace's paper.css has no rules for parts of the paper that reportgen's own stylesheet styles "
        "(a copy made by an older reportgen): the PDF shows them unstyled.",
        "{file} has no rules for {value}, which reportgen's own paper.css styles (a copy made by an older "
        "reportgen?): the PDF shows them unstyled.",
        "Copy the rules it lacks from reportgen's paper.css ({ours}), or move it out of the templates folder to "
        "use reportgen's own."),
    "web-template-outdated": Code(
        W, "The workspace's web edition template writes less on its rows than reportgen's own (a copy made by an "
        "older reportgen): the web edition lacks some of what it would offer.",
        "{file} writes less on its rows than reportgen's own paper.web.html.j2 (a copy made by an older "
        "reportgen?), so the web edition lacks {value}.",
        "Carry your changes into a fresh copy of reportgen's paper.web.html.j2 ({ours}), or move it out of the "
        "templates folder to use reportgen's own."),
    "template-copy-outdated": Code(
        W, "reportgen's own template has changed since the workspace's copy was taken from it: the paper is laid "
        "out from the copy, without the changes (fixes, new parts) made to reportgen's since.",
        "{file} is checked against reportgen's own {value} as it was on {copied} (reportgen {version}: {how}); "
        "reportgen's has changed since, and the paper is laid out from your copy, without those changes.",
        "Run reportgen template --workspace {workspace} --new: it writes reportgen's {value} as it is now beside "
        "yours as {new}, leaving yours as it is. Carry your changes into it (Word's Review > Compare shows them for "
        "a .docx, any text comparison for the others), put the result in place of {file} and delete {new}. Or "
        "move {file} out of the templates folder to use reportgen's own.",
        {"untouched": ("{file} is reportgen's own {value} as it was on {copied} (reportgen {version}), not changed "
                       "since; reportgen's has changed since, and the paper is laid out from the old copy.",
                       "Delete {file} to use reportgen's own as it is now (reportgen template --workspace "
                       "{workspace} --all writes a fresh copy to restyle).")}),
    "template-copy-unrecorded": Code(
        N, "A workspace template has no record of which version of reportgen's own it was copied from (copied by "
        "hand, or by an older reportgen), but is reportgen's own as it is now, byte for byte.",
        "{file} has no record of the version of reportgen's own {value} it was copied from (copied by hand, or by "
        "an older reportgen); it is reportgen's as it is now, byte for byte.",
        "Nothing to do: the next build records it as reportgen's {value} as it is now and says when reportgen's "
        "changes, so this note is given once."),
    "template-copy-unknown": Code(
        W, "A workspace template has no record of which version of reportgen's own it was copied from, and is "
        "neither reportgen's as it is now nor as an earlier release shipped it: whether it lacks changes made to "
        "reportgen's since cannot be told.",
        "{file} has no record of the version of reportgen's own {value} it was copied from (copied by hand, or by "
        "an older reportgen) and differs from reportgen's as it is now, so it may lack changes made to reportgen's "
        "since (fixes, new parts).",
        "Run reportgen template --workspace {workspace} --new: it writes reportgen's {value} as it is now beside "
        "yours as {new}, leaving yours as it is, and records it, so this warning stops. Carry your changes into it "
        "(Word's Review > Compare shows them for a .docx, any text comparison for the others), put the result in "
        "place of {file} and delete {new}. Or move {file} out of the templates folder to use reportgen's own."),
    "font-substituted": Code(
        N, "A font the Word template names is not installed here; the PDF uses an installed font drawn to the "
        "same widths, so lines and pages break as in Word.",
        "The font '{value}' of {file} is not installed here; the PDF uses '{family}', drawn to the same widths, "
        "so lines and pages break as in Word.",
        "Nothing to do."),
    "font-missing": Code(
        W, "A font the Word template names is not installed here; the PDF uses the closest installed one, whose "
        "widths differ.",
        "The font '{value}' of {file} is not installed here; the PDF uses '{family}' instead, the closest "
        "installed font.",
        "Install the font on the machine that builds the papers, or choose an installed one in the template."),
    "fonts-unchecked": Code(
        W, "The fonts the Word template names could not be checked (fontconfig is not installed).",
        "The fonts {file} names could not be checked (fontconfig's fc-match is not installed); the PDF may be "
        "set in another font.",
        "Install fontconfig (scripts/install-system-deps.sh does)."),
    "template-not-read": Code(
        W, "A Word file in the templates folder is not read: the Word template is read only as templates/paper.docx.",
        "{file} is not read: the Word template is read only as templates/paper.docx, so the paper is laid out "
        "from reportgen's own template.",
        "Save it as a Word Document (.docx) named paper.docx in the templates folder (the name in lower case), or "
        "move it out of the folder."),
    "template-no-cover": Code(
        W, "The Word template has no cover sheet rows: the Word paper has no cover sheet from reportgen.toml, "
        "though the PDF and the web edition have one.",
        "{file} has no cover sheet rows (the table row repeated 'for row in paper.cover', holding row.label and "
        "row.value): the Word paper has no cover sheet from reportgen.toml's [paper], though the PDF and the web "
        "edition have one.",
        "Copy the cover table from reportgen's default template into yours: move your templates/paper.docx "
        "aside, run reportgen template --workspace DIR to write the default there, copy its cover table into "
        "yours and put yours back. A cover typed into the template by hand does not follow reportgen.toml."),
    "template-tag-missing": Code(
        W, "A tag the paper needs was deleted from the Word template: the Word paper puts what it shows back in "
        "reportgen's own place and look, so that it says what the PDF and the web edition say.",
        "{file} has no {value} {where}, which shows {shows}: the Word paper puts it back {put_back}, as the PDF and "
        "the web edition show it.",
        "Type {value} back into the template where it should go (reportgen's own template has it {ours}), on a line "
        "of its own, and restyle that line as you like."),
    "template-own-text": Code(
        W, "The Word template has text or pictures of its own, which only the Word paper shows: the PDF and the "
        "web edition take the template's look, not its content.",
        "{file} has content of its own that only the Word paper shows: {value}. The PDF and the web edition are "
        "written from reportgen.toml and the narrative, so they do not show it.",
        "For text every edition should show, put a cover line in reportgen.toml as a [[paper.cover]] row "
        "(heading and value) and other text in the narrative, and a logo in the page header (Insert > Header), "
        "then take it out of the template's page; what is meant for the Word paper alone can stay."),
    "template-review-marks": Code(
        W, "The Word template holds comments or tracked changes, which name the people who edited it: the paper is "
        "laid out with every change accepted and without the comments, so none of them reaches a published paper.",
        "{file} holds {value}: the Word paper is laid out from it with every tracked change accepted, without its "
        "comments, with Track Changes off and without its custom properties, so no editor's name goes into it.",
        "Open the template in Word, Review > Accept All Changes and Delete All Comments, switch Track Changes off, "
        "check it reads as you want and save it; the paper then shows exactly what the template does."),
    "template-picture-in-tag-row": Code(
        W, "A picture in the Word template is in the table row (or cell) of a {%tr …%} or {%tc …%} tag, which the "
        "Word paper leaves out, picture and all.",
        "{file} has a picture {where}, in the row of its tag {value}: the Word paper leaves that row out when it "
        "fills the table in, so the picture is not in the Word paper.",
        "In Word, move the picture out of the tag's row (cut it, and paste it in a row or on a line of its own), "
        "or take it out of the template; a logo goes in the page header, on a line of its own."),
    "template-heading-ignored": Code(
        W, "A heading of the plan table was reworded in the Word template; the paper heads its columns from the "
        "register and reportgen.toml, so neither output shows it.",
        "{file} heads a column of the plan table {value!r}, but the paper heads it {printed!r}, from the register "
        "and reportgen.toml: neither the Word paper nor the PDF shows {value!r}.",
        "To print that heading, name it in reportgen.toml: [{section}.columns] {key} = {{ heading = {heading_toml}, "
        "aliases = [{printed_toml}] }} (the alias keeps {printed!r} read; the pre-filled workbooks carry the new "
        "heading); the template's header row gives the look only."),
    "template-column-deleted": Code(
        W, "A column of the plan table was deleted from the Word template: the paper still prints it, and the Word "
        "paper's plan table no longer fills the page.",
        "{file}'s plan table has no column for {printed!r}: the paper still prints that column (its columns are "
        "reportgen.toml's), and in the Word paper every column of the plan then takes the action column's look, "
        "and the table no longer fills the page's width.",
        "To leave the column out of the paper, take {key!r} out of [paper] table_columns in reportgen.toml; either "
        "way, keep the template's plan table whole (restyle its columns, or drag their widths) so both outputs fill "
        "the page.",
        {"untold": ("{file}'s plan table has {cells} columns where the paper prints {columns}: a column was deleted "
                    "from it, and which cannot be told (its headings are reworded too). The paper still prints every "
                    "column (its columns are reportgen.toml's), and the Word paper's table no longer fills the page's "
                    "width.",
                    "To leave a column out of the paper, take it out of [paper] table_columns in reportgen.toml; "
                    "either way, keep the template's plan table whole (restyle its columns, or drag their widths) so "
                    "both outputs fill the page.")}),
    "logo-no-alt": Code(
        W, "The logo in the Word template's header has no alt text.",
        "The logo in {file}'s header has no alt text; the PDF says 'Logo'.",
        "In Word, right-click the logo, choose Edit Alt Text and describe it (e.g. 'Wessex OPCC logo'), or tick "
        "Mark as decorative if it says nothing the paper does not: the PDF then leaves it to the page, unread."),
    "logo-not-every-page": Code(
        W, "The logo is in the header of some of the Word template's pages only; the PDF shows it on every page.",
        "The logo in {file} is in the header of some of its pages only (a template saved by LibreOffice gives the "
        "cover and the plan's pages a header each): the Word paper shows it there only, the PDF on every page.",
        "Put the logo in the header of the other pages too (in LibreOffice, click into the plan pages' header and "
        "insert it there as well), or in Word link the headers (Header > Link to Previous)."),
    "logo-unsupported": Code(
        W, "The logo in the Word template's header is in a format a PDF cannot show (e.g. EMF); it appears in the "
        "Word paper only.",
        "The logo in {file}'s header is a {value} picture, which the PDF cannot show; it appears in the Word paper "
        "only.",
        "Insert the logo as a PNG or JPEG picture instead."),
}
