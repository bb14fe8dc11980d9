"""Consolidating a folder of one-form workbooks: perfxl vs the openpyxl script a user would write.

Generates N workbooks in the template layout (``perfxl.io.formsheet``; 5–30 indicators,
Chinese text, single- and multi-year projects), cached in the temp folder, then in the
same run times, each in its own process:

  (a) ``perfxl consolidate FOLDER -o out.xlsx --jobs J`` (calamine, process pool, checks
      every form, writes the summary workbook: 汇总, 指标明细, 校验结果, chart);
  (b) the straightforward script: openpyxl ``load_workbook`` per file, read the template's
      cells, one DataFrame per file, ``pandas.concat``, ``to_excel`` (no checks).

Prints one JSON line:
  {"forms", "perfxl_s", "baseline_s", "ratio", "forms_per_s", "peak_rss_mb", …}
``peak_rss_mb`` is the peak memory of perfxl's whole process tree (sum of PSS of the
command and its workers, sampled every 50 ms); ``largest_process_mb`` is the largest
single process's peak RSS. ``perfxl_cpu_s`` is the CPU time (user + system) of the command
and its workers, ``cpu_ms_per_form`` the same per form: on J cores, ``forms_per_s`` can be at
most about J × 1000 / ``cpu_ms_per_form``. ``python_loop_s`` times a fixed pure-Python loop (5 million
additions): how fast the machine ran Python at the time, to compare runs across machines.
``python`` is the interpreter's version and build date: the same machine runs perfxl 15–20%
faster on a distribution's optimised build than on one compiled without optimisation
(see benchmarks/README.md, tenth round); the benchmark measures the interpreter it runs on.

With ``--repeat K`` perfxl is timed K times, each after a loop probe: ``perfxl_s`` and the
figures derived from it are the median run's, ``peak_rss_mb`` the highest of all, and the
line adds every run's seconds, peak and ``python_loop_s`` (on a shared machine a single run
says little).

Run: .venv/bin/python benchmarks/consolidate.py --forms 2000 [--jobs 2] [--no-baseline]
     [--repeat K]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 20240101
GENERATOR_VERSION = 1  # bump when random_form / random_indicators change (new cached files)

DISTRICTS = ("黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区",
             "宝山区", "嘉定区", "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区")
DEPARTMENTS = ("民政局", "教育局", "卫生健康委员会", "科学技术委员会", "生态环境局", "文化和旅游局",
               "城市管理行政执法局", "市场监督管理局", "人力资源和社会保障局", "水务局")
UNITS = ("事务管理中心", "服务中心", "指导中心", "监测站", "执法大队", "信息中心", "发展研究中心",
         "综合保障中心", "培训中心", "档案馆")
TOPICS = ("社区养老服务设施运营", "科技创新券发放", "河道保洁及养护", "智慧城市平台运维",
          "公共文化服务配送", "生活垃圾分类宣传", "职业技能提升培训", "食品安全监督抽检",
          "中小学课后服务", "基层医疗设备更新", "老旧小区加装电梯", "公共法律服务",
          "历史建筑保护修缮", "城市绿化养护", "防汛设施维护", "数据资源归集治理")
SUFFIXES = ("项目", "补贴", "工作经费", "专项经费", "运维经费")
CATEGORIES = ("特定目标类",) * 6 + ("其他运转类",) * 3 + ("其他人员类",) * 1
NATURES = ("其他经常性项目",) * 3 + ("其他一次性项目",) * 2 + ("阶段性项目",)
QUANTITY = (("完成{t}服务次数", "次"), ("覆盖服务对象人数", "人"), ("开展专题培训场次", "场"),
            ("设施维护数量", "个"), ("发放补贴户数", "户"), ("检查抽检批次", "批"))
QUALITY = (("验收合格率", "%"), ("服务规范达标率", "%"), ("数据准确率", "%"),
           ("问题整改完成率", "%"))
TIMELY = (("任务按期完成率", "%"), ("问题响应时间", "小时"), ("资金拨付及时率", "%"))
EFFECT = ("服务对象获得感明显提升", "有效改善区域环境质量", "形成长效管理机制",
          "提升公共服务均等化水平")
GOAL = ("围绕年度重点任务，完善{t}工作机制，提高资金使用效益，", "按计划完成各项目标任务，",
        "加强过程管理和绩效监控，确保项目规范实施，", "进一步提升服务质量和群众满意度。")


def random_form(rng: random.Random, index: int) -> dict:
    """One form in the shape of ``perfxl import --json`` (amounts in 元 as text)."""
    district, topic = rng.choice(DISTRICTS), rng.choice(TOPICS)
    department = f"上海市{district}{rng.choice(DEPARTMENTS)}"
    unit = f"{department[:-1] if department.endswith('局') else department}{rng.choice(UNITS)}"
    multi = rng.random() < 0.35
    end_year = 2024 + (rng.choice((1, 2)) if multi else 0)
    annual = rng.randrange(5_000, 3_000_000) * 10
    other = rng.choice((0, 0, 0, rng.randrange(1, 50) * 1000))
    funding = {"annual": annual, "appropriation": annual - other, "carryover": 0,
               "other_annual": other, "total": "", "fiscal": "", "other_total": ""}
    if multi:
        total = annual * (end_year - 2023) + rng.randrange(0, 100) * 1000
        funding.update(total=total, fiscal=total - other, other_total=other)
    goal = "".join(rng.sample(GOAL, 3)).format(t=topic)
    return {
        "year": 2024,
        "project": {"name": f"{district}{topic}{rng.choice(SUFFIXES)}（{index + 1:05d}）",
                    "nature": rng.choice(NATURES), "category": rng.choice(CATEGORIES),
                    "department": department, "unit": unit, "start": "2024-01-01",
                    "end": f"{end_year}-12-31"},
        "funding": {k: (f"{v:,.2f}" if isinstance(v, int) else v) for k, v in funding.items()},
        "goals": {"overall": goal if multi else "", "annual": goal},
        "overall_label": f"项目总目标 (2024年-{end_year}年)" if multi else "项目总目标",
        "indicators": random_indicators(rng, topic),
    }


def random_indicators(rng: random.Random, topic: str) -> list[dict]:
    rows = [{"level1": "成本指标", "level2": "经济成本指标", "name": "项目总成本",
             "raw": f"≤{rng.randrange(50, 3000)}(万元)"}]
    for level2, pool in (("数量指标", QUANTITY), ("质量指标", QUALITY), ("时效指标", TIMELY)):
        for name, unit in rng.sample(pool, rng.randint(1, len(pool))):
            bound = rng.randint(90, 100) if unit == "%" else rng.randrange(5, 5000)
            op = "≤" if unit == "小时" else rng.choice(("≥", "≥", "="))
            rows.append({"level1": "产出指标", "level2": level2,
                         "name": name.format(t=topic[:4]), "raw": f"{op}{bound}({unit})"})
    for text in rng.sample(EFFECT, rng.randint(1, 3)):
        rows.append({"level1": "效益指标", "level2": "社会效益指标", "name": text[:8] + "情况",
                     "raw": text})
    rows.append({"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "服务对象满意度",
                 "raw": f"≥{rng.randint(85, 95)}(%)"})
    target = rng.randint(5, 30)
    while len(rows) < target:  # more output indicators, numbered, up to the drawn count
        name, unit = rng.choice(QUANTITY)
        rows.append({"level1": "产出指标", "level2": "数量指标",
                     "name": f"{name.format(t=topic[:4])}（{len(rows)}）",
                     "raw": f"≥{rng.randrange(1, 900)}({unit})"})
    return rows[:target]


def _generate_one(task: tuple[int, str]) -> None:
    from perfxl.formdict import render_text
    from perfxl.io.formsheet import write_forms_workbook
    from perfxl.io.textfile import text_grid
    from perfxl.parse import parse_grid

    index, path = task
    rng = random.Random(SEED * 100_003 + index)
    (form,) = parse_grid(text_grid(render_text(random_form(rng, index)), f"{index}.txt"))
    write_forms_workbook([form], path, force=True)


def cache_root() -> Path:
    """Generated files are cached per version of the generator and the form-sheet writer."""
    digest = hashlib.sha256(f"{GENERATOR_VERSION}-{SEED}".encode())
    for source in (ROOT / "perfxl/io/formsheet.py",
                   ROOT / "perfxl/io/template_layout.py", ROOT / "perfxl/io/template_lists.py"):
        digest.update(source.read_bytes())
    return Path(tempfile.gettempdir()) / f"perfxl-bench-consolidate-{digest.hexdigest()[:12]}"


def generate(count: int, jobs: int) -> tuple[Path, float]:
    """A folder with exactly ``count`` workbooks (hard links into the cached pool)."""
    root = cache_root()
    pool, folder = root / "pool", root / f"n{count}"
    pool.mkdir(parents=True, exist_ok=True)
    missing = [(i, str(pool / f"{i:05d}.xlsx")) for i in range(count)
               if not (pool / f"{i:05d}.xlsx").exists()]
    start = time.perf_counter()
    if missing:
        with multiprocessing.Pool(jobs) as workers:
            for _ in workers.imap_unordered(_generate_one, missing, chunksize=16):
                pass
    if not folder.exists() or len(list(folder.iterdir())) != count:
        folder.mkdir(exist_ok=True)
        for i in range(count):
            link = folder / f"{i:05d}.xlsx"
            if not link.exists():
                os.link(pool / f"{i:05d}.xlsx", link)
    return folder, time.perf_counter() - start


# --- measuring a command: wall time and memory of its process tree --------------------------

def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, IndexError):
                continue
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(command: list[str]) -> dict:
    """Run a command; wall seconds, peak tree PSS (MB), largest process's peak RSS (MB), and
    the CPU seconds of the command and its workers."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               cwd=ROOT)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], sum(_pss_kb(p) for p in _tree(process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode("utf-8", "replace")
    if process.returncode not in (0, 1):
        raise SystemExit(f"{command[:4]} failed ({process.returncode}): {error[-2000:]}")
    return {"seconds": seconds, "peak_mb": peak[0] / 1024, "largest_mb": usage.ru_maxrss / 1024,
            "cpu_s": usage.ru_utime + usage.ru_stime}  # the command and the workers it reaped


# --- (b) the script a user would write ---------------------------------------------------

def baseline(folder: str, output: str, layout_json: str) -> None:
    """openpyxl per file, the template's cells read by address, pandas concat, to_excel."""
    import openpyxl
    import pandas as pd

    layout = json.loads(layout_json)
    cells, columns, first = layout["cells"], layout["columns"], layout["first_indicator_row"]
    projects, indicators = [], []
    for path in sorted(Path(folder).glob("*.xlsx")):
        book = openpyxl.load_workbook(path, data_only=True)
        sheet = book.worksheets[0]
        project = {field: sheet[address].value for field, address in cells.items()}
        project["file"] = path.name
        rows = []
        row = first
        while sheet[f"{columns['name']}{row}"].value:
            rows.append({part: sheet[f"{col}{row}"].value for part, col in columns.items()})
            rows[-1].update(file=path.name, project=project["project.name"])
            row += 1
        projects.append(pd.DataFrame([project]))
        indicators.append(pd.DataFrame(rows))
    projects_frame = pd.concat(projects, ignore_index=True)
    indicators_frame = pd.concat(indicators, ignore_index=True)
    money = [c for c in projects_frame.columns if c.startswith("funding.")]
    projects_frame[money] = projects_frame[money].apply(pd.to_numeric, errors="coerce")
    by_category = projects_frame.groupby("project.category")[money].sum()
    with pd.ExcelWriter(output, engine="openpyxl") as writer:
        projects_frame.to_excel(writer, sheet_name="汇总", index=False)
        by_category.to_excel(writer, sheet_name="小计")
        indicators_frame.to_excel(writer, sheet_name="指标明细", index=False)


def _layout_json() -> str:
    from perfxl.io.template_layout import FIELD_CELLS, FIRST_INDICATOR_ROW, INDICATOR_COLUMNS

    cells = {k: v for k, v in FIELD_CELLS.items() if k.startswith(("project.", "funding."))}
    return json.dumps({"cells": cells, "columns": INDICATOR_COLUMNS,
                       "first_indicator_row": FIRST_INDICATOR_ROW})


def median_run(runs: list[dict]) -> dict:
    """The run of median wall time (the slower middle one of an even number); its peak
    memory is the highest of all runs, so a repeated measurement never hides a peak."""
    ordered = sorted(runs, key=lambda run: run["seconds"])
    middle = dict(ordered[len(ordered) // 2])
    middle["peak_mb"] = max(run["peak_mb"] for run in runs)
    middle["largest_mb"] = max(run["largest_mb"] for run in runs)
    return middle


def python_loop_seconds() -> float:
    """A fixed pure-Python loop, the best of three: how fast this machine runs Python right
    now, so that results from different machines (or days) can be set side by side."""
    best = float("inf")
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for number in range(5_000_000):
            total += number
        best = min(best, time.perf_counter() - start)
    return best


def python_build() -> str:
    """The interpreter's version and build date (``3.11.2 Apr 28 2025``)."""
    built = platform.python_build()[1].rsplit(" ", 1)[0]  # the date, without the time
    return " ".join([platform.python_version(), *built.split()])


def _perfxl_command() -> list[str]:
    """The ``perfxl`` console script beside this Python, as a user runs it (else -m perfxl)."""
    script = Path(sys.executable).with_name("perfxl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "perfxl"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--forms", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--repeat", type=int, default=1,
                        help="time perfxl this many times; the median run is reported")
    parser.add_argument("--baseline", nargs=3, metavar=("FOLDER", "OUTPUT", "LAYOUT"),
                        help=argparse.SUPPRESS)  # internal: run the user's script
    args, _ = parser.parse_known_args()  # `./run bench` passes every benchmark the same args
    if args.baseline:
        baseline(*args.baseline)
        return
    folder, generate_s = generate(args.forms, args.jobs)
    out = folder.parent
    command = [*_perfxl_command(), "consolidate", str(folder), "-o",
               str(out / "perfxl-汇总.xlsx"), "--jobs", str(args.jobs), "--force"]
    runs, loops = [], []
    for _ in range(max(1, args.repeat)):  # on a shared machine: the machine's speed each time
        loops.append(python_loop_seconds())
        runs.append(measure(command))
    perfxl = median_run(runs)
    result = {"forms": args.forms, "perfxl_s": round(perfxl["seconds"], 2),
              "perfxl_cpu_s": round(perfxl["cpu_s"], 2),
              "cpu_ms_per_form": round(perfxl["cpu_s"] / args.forms * 1000, 2)}
    if len(runs) > 1:
        result.update(runs=len(runs), perfxl_s_runs=[round(r["seconds"], 2) for r in runs],
                      python_loop_s_runs=[round(s, 3) for s in loops],
                      peak_rss_mb_runs=[round(r["peak_mb"]) for r in runs])
    if args.no_baseline:
        result.update(baseline_s=None, ratio=None)
    else:
        base = measure([sys.executable, __file__, "--baseline", str(folder),
                        str(out / "baseline-汇总.xlsx"), _layout_json()])
        result.update(baseline_s=round(base["seconds"], 2),
                      ratio=round(base["seconds"] / perfxl["seconds"], 1),
                      baseline_peak_rss_mb=round(base["peak_mb"]))
    result.update(forms_per_s=round(args.forms / perfxl["seconds"]),
                  peak_rss_mb=round(perfxl["peak_mb"]), largest_process_mb=round(perfxl["largest_mb"]),
                  jobs=args.jobs, cpus=os.cpu_count(), generate_s=round(generate_s, 1),
                  python_loop_s=round(python_loop_seconds(), 3), python=python_build())
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
