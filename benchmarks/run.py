"""Benchmarks: papers of 150, 1,500 and 15,000 actions and the 147-action sample, against LibreOffice.

    .venv/bin/python benchmarks/run.py [--sizes 150,1500,15000] [--quick] [--no-libreoffice]
    make bench [BENCH_ARGS="--quick"]

For each size it writes a workspace (benchmarks/workspace.py: 50 partner returns, ~80-word
explanations with paragraphs and a link), then, each in a fresh process:

- *stages*: times read (find the inputs, read the register and returns), check (validate each
  return), merge, paper (the paper model), DOCX, PDF, tables and draft (draft.json, manifest), one
  after the other, in one Python process (where the time goes, not what a user waits for);
- *build*: the command a user runs, `reportgen build --workspace W --out D`, timed from outside
  (wall clock from start to exit, CPU of it and its PDF workers from `os.wait4`).

Start-up is measured on its own, each in a fresh process: `reportgen --version`, the imports of a
build and of its PDF workers, a first render's set-up; and `reportgen validate` on the sample.

Peak memory is the largest total proportional set size (PSS, so pages shared by forked PDF workers
count once) of the build process and its children, sampled every 0.2 s. The reference is
LibreOffice converting the build's DOCX to PDF (`soffice --headless --convert-to pdf`), in the same
run on the same machine; at 15,000 actions it is skipped when it would take over 10 minutes.

Prints a table with the issue's ratios, writes benchmarks/results/<time>.json (and latest.json),
and puts the figures, with the machine they were taken on, into docs/benchmarks.md (between the
`bench:` markers; the notes around them are kept).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import os
import platform
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "sample-2023"
RESULTS = ROOT / "benchmarks" / "results"
DOC = ROOT / "docs" / "benchmarks.md"
SIZES = (150, 1500, 15000)
LO_LIMIT_S = 600  # skip the LibreOffice reference when it would take longer
REPEAT_UNDER_S = 90  # a PDF, build or conversion quicker than this is timed twice, the faster kept
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
STAGES = ("read", "check", "merge", "paper", "docx", "pdf", "tables", "draft")

sys.path.insert(0, str(ROOT / "benchmarks"))


# ---------------------------------------------------------------- children (one per measurement)


def child_stages(workspace: Path, skip_pdf: bool) -> dict[str, Any]:
    """Each stage of a build, one after the other, as the library functions a build calls.

    Each stage runs until it has taken a second in all (at most 20 times), the PDF at least twice
    when it takes under 90 s, and the fastest run is kept: the machine may be shared, and the growth
    ratios of quick stages should not be ratios of noise.
    """
    from reportgen.check import checked as pipeline
    from reportgen.check.merge import merge_returns
    from reportgen.drafts import folders as drafts
    from reportgen.read.returns import partner_for, read_return, validate_return
    from reportgen.render.docx.writer import write_docx
    from reportgen.render.pdf.writer import write_pdf
    from reportgen.run import build

    times: dict[str, float] = {}

    def timed(name: str, call: Callable[[int], Any]) -> Any:
        runs: list[float] = []
        while not runs or (len(runs) < 20 and sum(runs) < 1.0) or (name == "pdf" and len(runs) < 2
                                                                     and runs[0] < REPEAT_UNDER_S):
            gc.collect()  # each run starts from the same heap, not with the last run's garbage
            start = time.perf_counter()
            result = call(len(runs))
            runs.append(time.perf_counter() - start)
        times[name] = min(runs)
        return result

    plan = build.prepare_build(workspace)
    inputs = plan.inputs

    def read(_: int) -> tuple[Any, list[Any]]:
        register, _issues = pipeline.load_register(inputs)
        returns = [read_return(path, inputs.settings, inputs.display(path), partner_for(path, register) or path.stem)[0]
                   for path in inputs.returns]
        return register, [r for r in returns if r is not None]

    register, returns = timed("read", read)
    checked_returns = timed("check", lambda _: [validate_return(r, register, inputs.settings)[0] for r in returns])
    timed("merge", lambda _: merge_returns(register, [r for r in checked_returns if r is not None], inputs.period))
    checked = build.check_plan(plan)  # the same, with every issue, for the paper
    paper = timed("paper", lambda _: build.make_paper(plan, checked))
    folder = Path(tempfile.mkdtemp(prefix="stages-", dir=workspace))
    timed("docx", lambda _: write_docx(paper, inputs.templates / "paper.docx", folder / "paper.docx"))
    if not skip_pdf:
        timed("pdf", lambda _: write_pdf(paper, inputs.templates, folder / "paper.pdf"))
    issues = build.collect_issues(plan, checked)
    def tables(_: int) -> Any:  # register.xlsx and draft.json (written beside the renderers), then the CSVs
        build.write_records(paper, folder)
        return build.write_tables(plan, issues, checked, folder)

    chase = timed("tables", tables)

    def draft(run: int) -> Any:
        out = workspace / f"stages-draft-{run}"
        started = drafts.start_draft(inputs.outputs, inputs.period, beside=out)
        shutil.copyfile(folder / "draft.json", started / "draft.json")  # written by the tables stage
        return build.finish_draft(plan, checked, paper, issues, chase, started, out, {})

    timed("draft", draft)
    return {"times": times, "rows": len(paper.rows), **_pages(folder / "paper.pdf"), **_rusage()}


def child_startup(templates: Path) -> dict[str, Any]:
    """What a fresh process pays before its first page: imports, and the first render's set-up.

    - *imports, build process*: what `reportgen build` imports before it reads anything;
    - *imports, PDF worker*: WeasyPrint and the PDF parts (a build's workers import them beside it);
    - *first-render set-up*: a small page laid out and written the first time, less the second time
      (fonts, Pango and fontconfig maps, the user-agent stylesheet).
    """
    times: dict[str, float] = {}
    start = time.perf_counter()
    import reportgen.run.build
    import reportgen.shells.cli  # noqa: F401

    times["imports, build process"] = time.perf_counter() - start
    start = time.perf_counter()
    from reportgen.render.pdf import parts as pdf_parts

    times["imports, PDF worker (WeasyPrint)"] = time.perf_counter() - start
    renders = []
    for _ in range(3):
        start = time.perf_counter()
        pdf_parts.warm_up(templates)
        renders.append(time.perf_counter() - start)
    times["first-render set-up"] = max(0.0, renders[0] - min(renders[1:]))
    return {"times": times}


def _pages(pdf: Path) -> dict[str, Any]:
    if not pdf.exists():
        return {}
    import pypdf

    return {"pdf_pages": len(pypdf.PdfReader(pdf).pages), "pdf_kib": round(pdf.stat().st_size / 1024)}


def _rusage() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"maxrss_mib": round(own, 1), "children_maxrss_mib": round(children, 1)}


# ---------------------------------------------------------------- memory of a process tree


class TreeMemory:
    """The peak total PSS of a process and its descendants, sampled on a thread."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every, self.peak_mib = pid, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return round(self.peak_mib, 1)

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = sum(_pss_kib(pid) for pid in _tree(self.pid))
            self.peak_mib = max(self.peak_mib, total / 1024)
            self._stop.wait(self.every)


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        with contextlib.suppress(OSError):  # a process may end while it is looked at
            for task in Path(f"/proc/{current}/task").iterdir():
                with contextlib.suppress(OSError):
                    todo.extend(int(child) for child in (task / "children").read_text().split())
    return pids


def _pss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
    return int(match[1]) if match else 0


def run_child(mode: str, *args: str) -> dict[str, Any]:
    """Run this script as a child doing `mode`; its JSON result, with its wall time and peak memory."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        result_file = Path(handle.name)
    command = [sys.executable, __file__, "--child", mode, "--result", str(result_file), *args]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env)
    memory = TreeMemory(process.pid)
    code = process.wait()
    peak = memory.stop()
    wall = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"benchmark child {mode} {args} failed with exit code {code}")
    result: dict[str, Any] = json.loads(result_file.read_text())
    result_file.unlink()
    return {**result, "process_wall": round(wall, 3), "peak_pss_mib": peak}


# ---------------------------------------------------------------- the command a user runs


def reportgen_command() -> list[str]:
    """`reportgen` as installed beside this Python (the console script), else `python -m reportgen.shells.cli`."""
    script = Path(sys.executable).parent / "reportgen"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reportgen.shells.cli"]


def run_command(args: Sequence[str], expect: Sequence[int] = (0,)) -> dict[str, Any]:
    """One fresh `reportgen …` process: wall seconds, CPU seconds (it and the workers it waited for),
    the peak PSS of its process tree and the largest resident size of one of its processes."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    start = time.perf_counter()
    process = subprocess.Popen([*reportgen_command(), *args], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    memory = TreeMemory(process.pid)
    assert process.stderr is not None
    errors = process.stderr.read()  # read as it comes: a full pipe would stall the command
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    peak = memory.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in expect:
        said = errors.decode(errors="replace")[-800:]
        raise SystemExit(f"reportgen {' '.join(args)} failed with exit code {process.returncode}: {said}")
    return {"wall": round(wall, 3), "cpu": round(usage.ru_utime + usage.ru_stime, 3),
            "maxrss_mib": round(usage.ru_maxrss / 1024, 1), "peak_pss_mib": peak, "exit": process.returncode}


def run_build(workspace: Path, out: Path) -> dict[str, Any]:
    """`reportgen build` in a fresh process, twice (the faster kept) when it takes under REPEAT_UNDER_S.

    Exit code 1 (done, with blocking issues: the sample has two) is a finished build.
    """
    runs: list[dict[str, Any]] = []
    while not runs or (len(runs) < 2 and runs[0]["wall"] < REPEAT_UNDER_S):
        target = out if not runs else out.with_name(out.name + "-again")
        result = run_command(["build", "--workspace", str(workspace), "--out", str(target)], expect=(0, 1))
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["manifest"]
        runs.append({**result, "timings": dict(manifest["timings"]), **_pages(target / "paper.pdf")})
    best = min(runs, key=lambda run: run["wall"])
    return {**best, "runs": [run["wall"] for run in runs]}


def compile_sources() -> None:
    """Byte-compile reportgen's own modules, as `pip install` does: an editable install run with
    PYTHONDONTWRITEBYTECODE set would otherwise compile them again in every fresh process."""
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "reportgen"), quiet=1)


# ---------------------------------------------------------------- LibreOffice


class LibreOffice:
    """`soffice --convert-to pdf` with its own profile, started once before timing (first start is slow)."""

    def __init__(self, folder: Path) -> None:
        self.binary = shutil.which("soffice") or shutil.which("libreoffice")
        self.profile = folder / "lo-profile"
        self.version = ""
        if self.binary:
            done = subprocess.run([self.binary, "--version"], capture_output=True, text=True, check=False)
            self.version = done.stdout.strip()

    def warm_up(self, docx: Path) -> None:
        if self.binary:
            self.convert(docx, docx.parent / "lo-warm-up", timeout=LO_LIMIT_S)

    def convert(self, docx: Path, out: Path, timeout: float) -> dict[str, Any]:
        if not self.binary:
            return {"skipped": "LibreOffice is not installed (bash scripts/install-system-deps.sh --bench)"}
        out.mkdir(parents=True, exist_ok=True)
        command = [self.binary, "--headless", "--norestore", f"-env:UserInstallation={self.profile.as_uri()}",
                   "--convert-to", "pdf", "--outdir", str(out), str(docx)]
        runs: list[float] = []
        while not runs or (len(runs) < 2 and runs[0] < REPEAT_UNDER_S):  # twice when quick: the faster
            start = time.perf_counter()
            # its own process group: `soffice` hands the work to soffice.bin, which a timeout must stop too
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                       start_new_session=True)
            try:
                _, errors = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return {"skipped": f"timed out after {timeout:.0f} s", "timed_out": timeout}
            if process.returncode:
                said = errors.decode(errors="replace")[-500:]
                raise RuntimeError(f"LibreOffice failed (exit code {process.returncode}): {said}")
            runs.append(time.perf_counter() - start)
        return {"seconds": round(min(runs), 3), "runs": runs, **_pages(out / (docx.stem + ".pdf"))}


# ---------------------------------------------------------------- the run


def machine() -> dict[str, Any]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = int(line.split()[1]) // 1024
    from importlib.metadata import version

    return {
        "nproc": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "ram_mib": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "weasyprint": version("weasyprint"),
        "pydyf": version("pydyf"),
        "pikepdf": version("pikepdf"),
        "python-docx": version("python-docx"),
        "docxtpl": version("docxtpl"),
        "load_average_at_start": os.getloadavg(),
    }


def bench_size(size: int, folder: Path, office: LibreOffice, lo_estimate: float | None,
               use_lo: bool) -> dict[str, Any]:
    from workspace import write_workspace

    workspace = folder / f"ws-{size}"
    start = time.perf_counter()
    write_workspace(workspace, size)
    generated = time.perf_counter() - start
    print(f"  {size} actions: workspace written in {generated:.1f} s; stages…", flush=True)
    skip_pdf = size >= 15000  # the build below lays the PDF out once more: once is enough at this size
    stages = run_child("stages", "--workspace", str(workspace), *(["--skip-pdf"] if skip_pdf else []))
    print(f"  {size} actions: build…", flush=True)
    build = run_build(workspace, folder / f"draft-{size}")
    result: dict[str, Any] = {"size": size, "generate_s": round(generated, 3), "stages": stages, "build": build}
    if use_lo:
        if lo_estimate is not None and lo_estimate > LO_LIMIT_S:
            result["libreoffice"] = {"skipped": f"would take ~{lo_estimate / 60:.0f} min (over {LO_LIMIT_S // 60})"}
        else:
            print(f"  {size} actions: LibreOffice…", flush=True)
            result["libreoffice"] = office.convert(folder / f"draft-{size}" / "paper.docx", folder / f"lo-{size}",
                                                   timeout=LO_LIMIT_S)
    return result


def lo_estimate(measured: dict[int, float], size: int) -> float | None:
    """LibreOffice's time for `size` actions, extrapolated from the sizes measured so far (its growth
    is worse than linear: the exponent of the last two is used)."""
    known = sorted((s, t) for s, t in measured.items() if s < size)
    if not known:
        return None
    (s1, t1), (s2, t2) = known[-2] if len(known) > 1 else known[-1], known[-1]
    exponent = math.log(t2 / t1) / math.log(s2 / s1) if s2 != s1 and t1 > 0 else 1.0
    return t2 * (size / s2) ** max(exponent, 1.0)


def bench_sample(folder: Path, office: LibreOffice, use_lo: bool) -> dict[str, Any] | None:
    if not SAMPLE.is_dir():
        return None
    workspace = folder / "sample"
    shutil.copytree(SAMPLE, workspace)
    print("  sample (147 actions): build…", flush=True)
    build = run_build(workspace, folder / "draft-sample")
    validate = run_command(["validate", "--workspace", str(workspace)], expect=(0, 1))
    result: dict[str, Any] = {"build": build, "validate": validate}
    if use_lo:
        result["libreoffice"] = office.convert(folder / "draft-sample" / "paper.docx", folder / "lo-sample",
                                               timeout=LO_LIMIT_S)
    return result


def bench_startup() -> dict[str, Any]:
    """Start-up costs, each in a fresh process (the fastest of three): see `child_startup`; and
    `reportgen --version` (the interpreter and the command line alone)."""
    from reportgen.template_files import DEFAULT_TEMPLATES

    runs = [run_child("startup", "--workspace", str(DEFAULT_TEMPLATES))["times"] for _ in range(3)]
    times = {name: round(min(run[name] for run in runs), 3) for name in runs[0]}
    version = min(run_command(["--version"])["wall"] for _ in range(3))
    return {"times": {"`reportgen --version` (interpreter, command line)": version, **times}}


def stage_times(result: dict[str, Any]) -> dict[str, float]:
    times: dict[str, float] = dict(result["stages"]["times"])
    if "pdf" not in times:
        times["pdf (render)"] = result["build"]["timings"].get("render", 0.0)
    times["build"] = result["build"]["wall"]
    return times


def targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each with its ratio and whether it is met."""
    by_size = {result["size"]: result for result in report["sizes"]}
    found: list[dict[str, Any]] = []
    sample = report.get("sample")
    if sample and "seconds" in sample.get("libreoffice", {}):
        ratio = sample["build"]["wall"] / sample["libreoffice"]["seconds"]
        found.append({"target": "sample paper: `reportgen build` <= LibreOffice converting its DOCX", "ratio": ratio,
                      "limit": 1.0, "met": ratio <= 1.0})
    big = by_size.get(1500)
    if big and "seconds" in big.get("libreoffice", {}):
        # the fresh build's render stage: DOCX and PDF side by side, which ends when the PDF is written
        ratio = big["build"]["timings"]["render"] / big["libreoffice"]["seconds"]
        found.append({"target": "PDF of 1,500 actions (render stage of `reportgen build`) <= 0.5 x LibreOffice "
                      "on the same DOCX", "ratio": ratio, "limit": 0.5, "met": ratio <= 0.5})
    if 150 in by_size and 1500 in by_size:
        small, large = stage_times(by_size[150]), stage_times(by_size[1500])
        for stage in (*STAGES, "build"):
            if stage in small and stage in large and small[stage] > 0:
                ratio = large[stage] / small[stage]
                found.append({"target": f"growth of {stage}: time(1,500) <= 11 x time(150)", "ratio": ratio,
                              "limit": 11.0, "met": ratio <= 11.0})
    if sample and "validate" in sample:
        wall = sample["validate"]["wall"]
        found.append({"target": "sample: `reportgen validate` under a second", "ratio": wall, "limit": 1.0,
                      "met": wall < 1.0})
    huge = by_size.get(15000)
    if huge:
        peak = huge["build"]["peak_pss_mib"]
        found.append({"target": "15,000 actions: build completes, peak memory < 1 GiB", "ratio": peak / 1024,
                      "limit": 1.0, "met": peak < 1024, "peak_mib": peak})
        times = stage_times(huge)
        front = times["read"] + times["check"] + times["merge"]
        render = huge["build"]["timings"].get("render", 0.0)
        found.append({"target": "15,000 actions: read+check+merge well under rendering (<= 0.1 x)",
                      "ratio": front / render if render else 0.0, "limit": 0.1,
                      "met": bool(render) and front <= 0.1 * render})
    return found


def table(report: dict[str, Any]) -> str:
    columns = ("actions", *STAGES, "`reportgen build`", "its CPU", "LibreOffice", "PDF pages", "LO pages",
               "PDF KiB", "LO KiB", "peak MiB")
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for result in report["sizes"]:
        times = stage_times(result)
        lo = result.get("libreoffice", {})
        cells = [f"{result['size']:,}"]
        for stage in STAGES:
            value = times.get(stage, times.get(f"{stage} (render)"))
            cells.append("—" if value is None else f"{value:.2f}" + ("*" if f"{stage} (render)" in times else ""))
        cells += [f"{times['build']:.2f}", f"{result['build']['cpu']:.2f}", _lo_cell(lo),
                  str(result["build"].get("pdf_pages", "")), str(lo.get("pdf_pages", "")),
                  _kib(result["build"]), _kib(lo),
                  f"{result['build']['peak_pss_mib']:.0f}"]
        lines.append("| " + " | ".join(cells) + " |")
    sample = report.get("sample")
    if sample:
        lo = sample.get("libreoffice", {})
        cells = ["sample (147)", *(["—"] * len(STAGES)), f"{sample['build']['wall']:.2f}",
                 f"{sample['build']['cpu']:.2f}", _lo_cell(lo), str(sample["build"].get("pdf_pages", "")),
                 str(lo.get("pdf_pages", "")), _kib(sample["build"]), _kib(lo),
                 f"{sample['build']['peak_pss_mib']:.0f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _kib(result: dict[str, Any]) -> str:
    """A PDF's size in KiB, or nothing (LibreOffice stopped, or a report from before sizes were kept)."""
    return f"{result['pdf_kib']:,}" if "pdf_kib" in result else ""


def startup_table(report: dict[str, Any]) -> str:
    lines = ["| start-up (fresh processes) | seconds |", "|---|---|"]
    lines += [f"| {name} | {seconds:.2f} |" for name, seconds in report.get("startup", {}).get("times", {}).items()]
    sample = report.get("sample") or {}
    if "validate" in sample:
        lines.append(f"| `reportgen validate` on the sample (whole command) | {sample['validate']['wall']:.2f} |")
    return "\n".join(lines)


def _lo_cell(lo: dict[str, Any]) -> str:
    if "seconds" in lo:
        return f"{lo['seconds']:.2f}"
    return f"> {lo['timed_out']:.0f}" if "timed_out" in lo else "skipped"


def targets_table(found: Sequence[dict[str, Any]]) -> str:
    lines = ["| target | measured | limit | met |", "|---|---|---|---|"]
    for item in found:
        lines.append(f"| {item['target']} | {item['ratio']:.2f} | {item['limit']:.2f} | "
                     f"{'yes' if item['met'] else '**no**'} |")
    return "\n".join(lines)


def markdown(report: dict[str, Any]) -> str:
    info = report["machine"]
    return "\n".join([
        BEGIN,
        f"Measured {report['started'][:16].replace('T', ' ')} UTC with `{report['command']}` on: "
        f"{info['cpu']}, {info['nproc']} cores ({info['usable_cores']} usable), {info['ram_mib']:,} MiB RAM, "
        f"{info['os']}; Python {info['python']}, WeasyPrint {info['weasyprint']}, pydyf {info['pydyf']}, "
        f"pikepdf {info['pikepdf']}, python-docx {info['python-docx']}, docxtpl {info['docxtpl']}; "
        f"{report.get('libreoffice_version') or 'LibreOffice not installed'}. Load average at start "
        f"{', '.join(f'{x:.2f}' for x in info['load_average_at_start'])}, at end "
        f"{', '.join(f'{x:.2f}' for x in report['load_average_at_end'])} (other work on the machine "
        "slows both engines).",
        "",
        "Seconds per stage (each stage alone, one after the other, fastest of its runs, in a Python process "
        "that has imported reportgen); *`reportgen build`* is the command an officer runs, timed from outside "
        "as a fresh process (start-up, imports, DOCX and PDF side by side, the draft published; the faster of "
        "two runs), and *its CPU* the CPU seconds of it and its PDF workers; *LibreOffice* converts that "
        "build's DOCX to PDF (`soffice` start included; `> 600`: stopped after 10 minutes); peak MiB is the "
        "build's process tree (PSS). `*`: the PDF was not timed alone at this size, the figure is the build's "
        "render stage (DOCX and PDF together). reportgen's modules are byte-compiled first, as an install is.",
        "",
        table(report),
        "",
        startup_table(report),
        "",
        targets_table(report["targets"]),
        END,
    ])


def write_doc(report: dict[str, Any]) -> None:
    block = markdown(report)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default=",".join(str(size) for size in SIZES),
                        help="actions per workspace, comma-separated (default: 150,1500,15000)")
    parser.add_argument("--quick", action="store_true", help="150 and 1,500 actions only")
    parser.add_argument("--no-libreoffice", action="store_true", help="skip the LibreOffice reference")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the JSON goes (default: %(default)s)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workspace", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--skip-pdf", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        data = child_stages(args.workspace, args.skip_pdf) if args.child == "stages" else \
            child_startup(args.workspace)
        args.result.write_text(json.dumps(data))
        return 0

    sizes = [150, 1500] if args.quick else [int(size) for size in args.sizes.split(",") if size.strip()]
    given = list(sys.argv[1:] if argv is None else argv)
    report: dict[str, Any] = {"started": datetime.now(UTC).isoformat(), "machine": machine(), "sizes": [],
                              "command": " ".join(["benchmarks/run.py", *given])}
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as temporary:
        folder = Path(temporary)
        office = LibreOffice(folder)
        report["libreoffice_version"] = office.version
        use_lo = not args.no_libreoffice and office.binary is not None
        if not args.no_libreoffice and office.binary is None:
            print("LibreOffice not found: the reference is skipped (bash scripts/install-system-deps.sh --bench)")
        compile_sources()
        print("  start-up…", flush=True)
        report["startup"] = bench_startup()
        sample = bench_sample(folder, office, use_lo=False)
        if use_lo and sample:
            office.warm_up(folder / "draft-sample" / "paper.docx")  # the profile's first start, not timed
            sample["libreoffice"] = office.convert(folder / "draft-sample" / "paper.docx", folder / "lo-sample",
                                                   timeout=LO_LIMIT_S)
        report["sample"] = sample
        lo_by_size: dict[int, float] = {}
        for size in sorted(sizes):
            result = bench_size(size, folder, office, lo_estimate(lo_by_size, size), use_lo)
            if "seconds" in result.get("libreoffice", {}):
                lo_by_size[size] = result["libreoffice"]["seconds"]
            if "skipped" in result.get("libreoffice", {}):
                print(f"  {size} actions: LibreOffice reference skipped: {result['libreoffice']['skipped']}")
            report["sizes"].append(result)
    report["targets"] = targets(report)
    report["load_average_at_end"] = os.getloadavg()
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = report["started"][:19].replace(":", "").replace("-", "")
    for name in (f"{stamp}.json", "latest.json"):
        (args.results / name).write_text(json.dumps(report, indent=2), encoding="utf-8")
    print()
    print(table(report))
    print()
    print(startup_table(report))
    print()
    print(targets_table(report["targets"]))
    print(f"\nJSON: {args.results / (stamp + '.json')}")
    if not args.no_doc:
        write_doc(report)
        print(f"Markdown: {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
