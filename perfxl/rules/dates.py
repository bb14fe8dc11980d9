"""D — dates and multi-year logic: 计划开始/完成日期, the form year, 项目总目标."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from ..parse.dates import SERIAL_RANGE, parse_date
from .base import ERROR, INFO, WARNING, Hit, rule
from .values import quantitative_rows

DATE_FIELDS = (("project.start", "计划开始日期", "planned start"),
               ("project.end", "计划完成日期", "planned end"))
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel serial 1 = 1900-01-01 (after the 1900 leap bug)
ONE_YEAR_NATURES = ("其他一次性项目", "一次性项目")
STAGED_NATURES = ("阶段性项目",)


def _period(form) -> dict[str, object]:
    start, end = form.project.start, form.project.end
    return {"start": start.isoformat(), "end": end.isoformat(),
            "start_year": start.year, "end_year": end.year}


def _both_dates(form) -> bool:
    return form.project.start is not None and form.project.end is not None


@rule(
    code="D01",
    name="dates.order",
    severity=ERROR,
    message_zh="计划开始日期 {start} 晚于计划完成日期 {end}",
    message_en="planned start {start} is after the planned end {end}",
    fix_zh="核对两个日期，计划开始日期不能晚于计划完成日期。",
    fix_en="Check both dates: the project cannot start after it ends.",
    summary_zh="计划开始日期不能晚于计划完成日期",
    summary_en="the planned start is not after the planned end",
    source="[I]",
    bad={"project": {"start": "2023-12-31", "end": "2023-01-01"}},
    good={"project": {"start": "2023-01-01", "end": "2023-12-31"}},
)
def order(form, config):
    if _both_dates(form) and form.project.start > form.project.end:
        yield Hit("project.end", _period(form))


@rule(
    code="D02",
    name="dates.valid",
    severity=ERROR,
    message_zh={"default": "{label_zh}“{text}”不是可识别的日期", "missing": "{label_zh}未填写"},
    message_en={"default": "{label_en} '{text}' is not a date", "missing": "{label_en} is blank"},
    fix_zh="按 YYYY-MM-DD 填写日期，例如 2023-01-01（也接受 2023/1/1、2023年1月1日、2023.07）。",
    fix_en="Write the date as YYYY-MM-DD, e.g. 2023-01-01 (2023/1/1, 2023年1月1日 and 2023.07 are accepted).",
    summary_zh="计划开始/完成日期必须填写且为有效日期",
    summary_en="the planned start and end dates are present and valid",
    source="[O] SAMPLE, other published forms",
    bad={"project": {"end": "2023-13-31"}},
    good={"project": {"end": "2023/12/31"}},
)
def valid(form, config):
    for path, label_zh, label_en in DATE_FIELDS:
        if getattr(form.project, path.split(".")[1]) is not None:
            continue
        text = form.raw.get(path, "")
        problem = parse_date(text).problem
        if problem == "serial" or _serial(text) is not None:  # D08's finding
            continue
        values = {"label_zh": label_zh, "label_en": label_en, "text": text}
        yield Hit(path, values, variant="missing" if problem == "missing" else "default")


@rule(
    code="D03",
    name="dates.year_in_period",
    severity=ERROR,
    message_zh="申报年度（{year}年）不在项目计划实施期（{start} 至 {end}）之内",
    message_en="the form year {year} lies outside the planned period {start} to {end}",
    fix_zh="核对表头的申报年度与计划开始、完成日期。",
    fix_en="Check the form year in the title against the planned start and end dates.",
    summary_zh="申报年度应在计划实施期之内",
    summary_en="the form year lies within the planned period",
    source="[I]; [O] all forms",
    bad={"year": 2024},
    good={"year": 2023},
)
def year_in_period(form, config):
    if form.year is None or not _both_dates(form):
        return
    values = {**_period(form), "year": form.year}
    if form.year < form.project.start.year:
        yield Hit("project.start", values)
    elif form.year > form.project.end.year:
        yield Hit("project.end", values)


@rule(
    code="D04",
    name="dates.overall_goal",
    severity=WARNING,
    message_zh="跨年度项目（{start} 至 {end}）未填写项目总目标",
    message_en="multi-year project ({start} to {end}) without an overall goal (项目总目标)",
    fix_zh="跨年度项目应在“项目总目标”中写明整个实施期的目标，同时在“年度总体目标”中写明本年度的阶段性目标。",
    fix_en="A multi-year project states the goal of the whole period under 项目总目标 and this year's stage under 年度总体目标.",
    summary_zh="跨年度项目应填写项目总目标",
    summary_en="a multi-year project states its overall goal (项目总目标)",
    source="[O] SAMPLE (filled on the multi-year forms); S-tbsm1 [V] 跨年度的项目有总目标的同时应该有阶段性(当年)目标; S88 [R]",
    bad={"project": {"end": "2024-12-31"}},
    good={"project": {"end": "2024-12-31"},
          "goals": {"overall": "两年内为全区社区养老服务设施提供运营补贴，保障设施持续正常运营。"}},
)
def overall_goal(form, config):
    if form.project.is_multi_year and not form.goals.overall.strip():
        yield Hit("goals.overall", _period(form))


@rule(
    code="D05",
    name="dates.goal_period",
    severity=WARNING,
    message_zh="项目总目标标注的期间（{label_start}年-{label_end}年）与计划日期的年份（{start_year}年-{end_year}年）不一致",
    message_en="the overall goal's label says {label_start}–{label_end}, the planned dates {start_year}–{end_year}",
    fix_zh="使“项目总目标（YYYY年-YYYY年）”中的年份与计划开始、完成日期一致。",
    fix_en="Make the years in the 项目总目标 (YYYY年-YYYY年) label match the planned dates.",
    summary_zh="项目总目标标注的年份应与计划日期一致",
    summary_en="the years in the 项目总目标 label match the planned dates",
    source="[O] SAMPLE, other published forms",
    bad={"project": {"end": "2024-12-31"}, "overall_label": "项目总目标 (2023年-2025年)",
         "goals": {"overall": "三年内为全区社区养老服务设施提供运营补贴。"}},
    good={"project": {"end": "2024-12-31"}, "overall_label": "项目总目标 (2023年-2024年)",
          "goals": {"overall": "两年内为全区社区养老服务设施提供运营补贴。"}},
)
def goal_period(form, config):
    period = form.goals.overall_period
    if period is None or not _both_dates(form):
        return
    if period != (form.project.start.year, form.project.end.year):
        yield Hit("goals.overall", {**_period(form), "label_start": period[0],
                                    "label_end": period[1]})


@rule(
    code="D06",
    name="dates.nature_period",
    severity=INFO,
    message_zh={
        "default": "项目性质为“{nature}”，但计划实施期跨越多个年度（{start} 至 {end}）",
        "staged_single": "项目性质为“{nature}”，但计划实施期只在一个年度内（{start} 至 {end}）",
    },
    message_en={
        "default": "project nature '{nature}' but the planned period spans several years ({start} to {end})",
        "staged_single": "project nature '{nature}' but the planned period lies within one year ({start} to {end})",
    },
    fix_zh="核对项目性质与计划实施期：阶段性项目通常跨年度，一次性项目通常在一个年度内完成。",
    fix_en="Check the project nature against the period: phased projects usually span years, one-off projects usually do not.",
    summary_zh="项目性质与实施期不相称（阶段性项目只有一年，或一次性项目跨年度）",
    summary_en="project nature and period disagree (phased within one year, or one-off over several years)",
    source="[I] (SAMPLE shows 其他经常性项目 can be multi-year)",
    bad={"project": {"nature": "其他一次性项目", "end": "2024-12-31"},
         "goals": {"overall": "两年内完成社区养老服务设施改造。"}},
    good={"project": {"nature": "其他一次性项目"}},
)
def nature_period(form, config):
    nature = form.project.nature
    if not _both_dates(form) or form.project.start > form.project.end:
        return
    multi = form.project.is_multi_year
    if nature in ONE_YEAR_NATURES and multi:
        yield Hit("project.nature", {**_period(form), "nature": nature})
    elif nature in STAGED_NATURES and not multi:
        yield Hit("project.nature", {**_period(form), "nature": nature}, variant="staged_single")


@rule(
    code="D07",
    name="dates.calendar_year",
    severity=INFO,
    message_zh="单年度项目的实施期通常为 {year}-01-01 至 {year}-12-31，本表为 {start} 至 {end}",
    message_en="a single-year project usually runs {year}-01-01 to {year}-12-31; this one {start} to {end}",
    fix_zh="如实施期确实不是整年，可以不改；否则把日期改为整个预算年度。",
    fix_en="If the project really runs part of the year, leave it; otherwise use the whole budget year.",
    summary_zh="单年度项目通常从 1 月 1 日实施到 12 月 31 日",
    summary_en="a single-year project usually runs 1 January to 31 December",
    source="[O]",
    bad={"project": {"start": "2023-03-01"}},
    good={"project": {"start": "2023-01-01"}},
)
def calendar_year(form, config):
    start, end = form.project.start, form.project.end
    if start is None or end is None or start.year != end.year or start > end:
        return
    if (start.month, start.day) != (1, 1) or (end.month, end.day) != (12, 31):
        field = "project.start" if (start.month, start.day) != (1, 1) else "project.end"
        yield Hit(field, {**_period(form), "year": start.year})


def _serial(text: str) -> Decimal | None:
    """The number, when a text is a bare number in the range of Excel date serials."""
    try:
        number = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return None
    low, high = SERIAL_RANGE
    return number if number.is_finite() and low <= number <= high else None


def _serial_date(number: Decimal) -> str:
    return (EXCEL_EPOCH + dt.timedelta(days=int(number))).isoformat()


_TIME_WORDS = ("日期", "时间", "时限", "截止")
_TIME_WORD = re.compile("|".join(_TIME_WORDS))  # one search instead of four (every form)


def _timing(indicator) -> bool:
    return "时效" in indicator.level2 or _TIME_WORD.search(indicator.name) is not None


@rule(
    code="D08",
    name="dates.excel_serial",
    severity=ERROR,
    message_zh="{label_zh}“{text}”是 Excel 日期序列号（对应 {date}），不是日期",
    message_en="{label_en} '{text}' is an Excel date serial number ({date}), not a date",
    fix_zh="把单元格格式设为日期或文本，重新填写信息中所示的日期（如 2023-01-01）。",
    fix_en="Format the cell as a date or as text and enter the date shown in the message (e.g. 2023-01-01).",
    summary_zh="日期或时效指标中出现 Excel 日期序列号（如 44,561）",
    summary_en="an Excel date serial (e.g. 44,561) in a date or a timing indicator",
    source="[O] other published forms",
    bad={"project": {"start": "44,927"}},
    good={"project": {"start": "2023-01-01"}},
)
def excel_serial(form, config):
    for path, label_zh, label_en in DATE_FIELDS:
        if getattr(form.project, path.split(".")[1]) is not None:
            continue
        text = form.raw.get(path, "")
        number = _serial(text)
        if number is not None:
            yield Hit(path, {"label_zh": label_zh, "label_en": label_en, "text": text,
                             "date": _serial_date(number)})
    for indicator, target, _, _ in quantitative_rows(form):  # shared with the V rules
        if target.unit is not None or not _timing(indicator):
            continue
        number = _serial(str(target.number))
        if number is not None:
            yield Hit("value", {"label_zh": f"指标“{indicator.name}”的指标值",
                                "label_en": f"the value of indicator '{indicator.name}'",
                                "text": target.raw, "date": _serial_date(number)},
                      indicator=indicator)
