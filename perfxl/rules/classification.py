"""E — enumerations and classification (项目性质, 项目类别, 一级/二级 indicators, units)."""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from .. import vocab
from ..model import Form, Indicator
from ..text import squash
from .base import ERROR, INFO, WARNING, Hit, rule

COST = "成本指标"
SATISFACTION_LEVEL2 = ("服务对象满意度指标", "社会公众或服务对象满意度指标", "服务对象满意度")


def effective_level1(indicator: Indicator) -> str | None:
    """The 一级 an indicator stands under, reading a 二级 word in the 一级 cell as its parent."""
    level1, level2 = indicator.level1, indicator.level2
    if level1 in vocab.LEVELS:
        if level1 == "效益指标" and level2 in SATISFACTION_LEVEL2:
            return "满意度指标"  # legacy: satisfaction rows inside the 效益 block
        return level1
    if level1 in vocab.LEVEL2_PARENT:
        return vocab.LEVEL2_PARENT[level1]
    if level1 in vocab.LEGACY_LEVEL2:
        return vocab.LEGACY_LEVEL2[level1][0]
    if not level1:
        if level2 in vocab.LEVEL2_PARENT:
            return vocab.LEVEL2_PARENT[level2]
        if level2 in vocab.LEGACY_LEVEL2:
            return vocab.LEGACY_LEVEL2[level2][0]
    return None


def is_cost_row(indicator: Indicator) -> bool:
    """A 成本 indicator: under 成本指标, or the legacy 二级 成本指标 under 产出指标."""
    return effective_level1(indicator) == COST or indicator.level2 == COST


def row(level1: str, level2: str, name: str, raw: str) -> dict[str, str]:
    """An indicator row of an example fragment (the shape of ``perfxl import --json``)."""
    return {"level1": level1, "level2": level2, "name": name, "raw": raw}


def once_per_cell(indicators: Iterable[Indicator], part: str) -> Iterator[Indicator]:
    """The first indicator of each distinct ``part`` cell (merged cells are shared by rows)."""
    seen: set = set()
    for index, indicator in enumerate(indicators):
        ref = indicator.refs.get(part)  # Indicator.ref, inline: this runs for every row
        # The cell's fields as the key: equal exactly when the Refs are, and hashed without
        # calling the dataclass's __hash__.
        key = ("row", index) if ref is None else (ref.file, ref.sheet, ref.cell)
        if key not in seen:
            seen.add(key)
            yield indicator


def table_hit(form: Form, variant: str = "default", severity: str | None = None, **values) -> Hit:
    """A finding about the indicator table as a whole: at its first 一级 cell."""
    if form.indicators:
        return Hit("level1", values, indicator=form.indicators[0], variant=variant,
                   severity=severity)
    return Hit("project.name", values, variant=variant, severity=severity)


def _enum_hits(value: str, allowed: tuple[str, ...], path: str) -> Iterator[Hit]:
    word = squash(value)
    if not word:
        yield Hit(path, {"allowed": "、".join(allowed)}, variant="blank")
    elif word not in allowed:
        yield Hit(path, {"value": value, "allowed": "、".join(allowed)})


@rule(
    code="E01",
    name="classification.nature",
    severity=WARNING,
    message_zh={"default": "项目性质「{value}」不是可选值（{allowed}）",
                "blank": "项目性质为空（可选值：{allowed}）"},
    message_en={"default": "project nature '{value}' is not one of the known values ({allowed})",
                "blank": "project nature is blank (known values: {allowed})"},
    fix_zh="按系统下拉列表填写项目性质；本地另有取值时，在配置文件 lists.extra_natures 中加入。",
    fix_en="Use a value of the system's list; add local values to lists.extra_natures in the settings.",
    source="[O] SAMPLE (其他经常性项目, 其他一次性项目), other published forms (阶段性项目); "
           "S-GBC [V] (一次性项目); no official Shanghai list found",
    bad={"project": {"nature": "常规项目"}},
    good={"project": {"nature": "一次性项目"}},
)
def nature(form, config):
    allowed = vocab.NATURES + vocab.NATURE_ALIASES + tuple(config.extra_natures)
    yield from _enum_hits(form.project.nature, allowed, "project.nature")


@rule(
    code="E02",
    name="classification.category",
    severity=WARNING,
    message_zh={"default": "项目类别「{value}」不是可选值（{allowed}）",
                "blank": "项目类别为空（可选值：{allowed}）"},
    message_en={"default": "project category '{value}' is not one of the known values ({allowed})",
                "blank": "project category is blank (known values: {allowed})"},
    fix_zh="按预算管理一体化的项目分类填写（人员类、运转类、特定目标类及其细类）；"
           "本地另有取值时，在配置文件 lists.extra_categories 中加入。",
    fix_en="Use the integrated budget system's classes (人员类, 运转类, 特定目标类 and their "
           "sub-classes); add local values to lists.extra_categories in the settings.",
    source="S-YTH [R]; S-SX [V]; [O] SAMPLE (特定目标类, 其他运转类, 其他人员类)",
    bad={"project": {"category": "专项类"}},
    good={"project": {"category": "其他运转类"}},
)
def category(form, config):
    allowed = vocab.CATEGORIES + vocab.CATEGORY_ALIASES + tuple(config.extra_categories)
    yield from _enum_hits(form.project.category, allowed, "project.category")


@rule(
    code="E03",
    name="classification.level1",
    severity=ERROR,
    message_zh={"default": "一级指标「{level1}」不是规定的一级指标（{allowed}）",
                "blank": "三级指标「{name}」没有一级指标，也无法由二级指标「{level2}」推断"},
    message_en={"default": "first-level indicator '{level1}' is not one of {allowed}",
                "blank": "indicator '{name}' has no first-level indicator and none can be "
                         "inferred from its second level '{level2}'"},
    fix_zh="一级指标只能是成本指标、产出指标、效益指标、满意度指标之一。",
    fix_en="A first-level indicator is one of 成本指标, 产出指标, 效益指标, 满意度指标.",
    source="S101 [R] (成本指标 added as a 一级 in 2021); S88 [R]; [O] other published forms",
    needs_indicators=True,
    bad={"add_indicators": [row("投入指标", "资金投入", "资金到位率", "=100(%)")]},
    good={},
)
def level1(form, config):
    if _all_level1_known(form.indicators):
        return  # the common case: every row's 一级 is its own, nothing to find
    allowed = "、".join(vocab.LEVEL1)
    for indicator in once_per_cell(form.indicators, "level1"):
        word = indicator.level1
        if effective_level1(indicator) is not None:
            continue  # a 一级, a 二级 word (E04's finding) or inferable from the 二级 (E05's)
        values = {"level1": word, "allowed": allowed, "name": indicator.name,
                  "level2": indicator.level2}
        yield Hit("level1", values, indicator=indicator, variant="default" if word else "blank")


def _all_level1_known(indicators: tuple[Indicator, ...]) -> bool:
    """Whether every 一级 cell holds one of the 一级 (then ``effective_level1`` is never None)."""
    levels = vocab.LEVELS
    for indicator in indicators:
        if indicator.level1 not in levels:
            return False
    return True


def _pairing_hit(indicator: Indicator) -> Hit | None:
    level1, level2 = indicator.level1, indicator.level2
    allowed = vocab.LEVELS[level1]
    if level2 in allowed:
        return None
    values = {"level1": level1, "level2": level2, "allowed": "、".join(allowed)}
    if not level2:
        return Hit("level2", values, indicator=indicator, variant="blank")
    legacy = vocab.LEGACY_LEVEL2.get(level2)
    legacy_home = legacy[0] if legacy else None
    if level2 in SATISFACTION_LEVEL2 and level1 in vocab.LEGACY_SATISFACTION_PARENTS:
        legacy_home = level1
    if legacy_home == level1:
        current = legacy[1] if legacy else level2
        values.update(current=current, parent=vocab.LEVEL2_PARENT[current])
        return Hit("level2", values, indicator=indicator, variant="legacy", severity=INFO)
    parent = vocab.LEVEL2_PARENT.get(level2) or legacy_home
    if parent and level2 not in vocab.LEVELS:
        values["parent"] = parent
        return Hit("level2", values, indicator=indicator, variant="wrong_parent")
    return Hit("level2", values, indicator=indicator, variant="unknown")


@rule(
    code="E04",
    name="classification.level_pairing",
    severity=ERROR,
    message_zh={
        "default": "一级指标栏填写了二级指标「{level1}」，应为「{parent}」",
        "wrong_parent": "二级指标「{level2}」不属于一级指标「{level1}」，应在「{parent}」下",
        "unknown": "二级指标「{level2}」不是「{level1}」的二级指标（可选：{allowed}）",
        "blank": "一级指标「{level1}」下缺少二级指标",
        "legacy": "旧版二级指标「{level2}」（在{level1}下），现行为{parent}下的「{current}」",
    },
    message_en={
        "default": "the first-level cell holds the second-level indicator '{level1}'; "
                   "it should be '{parent}'",
        "wrong_parent": "second-level indicator '{level2}' does not belong to '{level1}' "
                        "but to '{parent}'",
        "unknown": "'{level2}' is not a second-level indicator of '{level1}' ({allowed})",
        "blank": "no second-level indicator under '{level1}'",
        "legacy": "legacy second-level indicator '{level2}' (under {level1}); now "
                  "'{current}' under {parent}",
    },
    fix_zh="按“一级→二级”对应关系填写：成本→经济/社会/生态环境成本指标；产出→数量/质量/时效指标；"
           "效益→经济/社会/生态效益指标、可持续影响指标；满意度→服务对象满意度指标。",
    fix_en="Pair the levels as the framework does: 成本→经济/社会/生态环境成本指标; "
           "产出→数量/质量/时效指标; 效益→经济/社会/生态效益指标, 可持续影响指标; "
           "满意度→服务对象满意度指标.",
    source="S101c [V] (成本 二级); S88 [R], S-old [V] (产出/效益/满意度 二级, legacy names); "
           "[O] SAMPLE 未来公园展厅运营项目 (一级 社会效益指标)",
    needs_indicators=True,
    bad={"add_indicators": [row("社会效益指标", "社会效益指标", "参观人数", "≥3000(人)")]},
    good={"add_indicators": [row("效益指标", "社会效益指标", "参观人数", "≥3000(人)")]},
)
def level_pairing(form, config):
    levels = vocab.LEVELS
    paired = [i for i in form.indicators if i.level1 in levels]
    if len(paired) < len(form.indicators):  # else no 一级 cell holds a 二级 word
        for indicator in once_per_cell(form.indicators, "level1"):
            word = indicator.level1
            if word in levels:
                continue
            parent = vocab.LEVEL2_PARENT.get(word) or vocab.LEGACY_LEVEL2.get(word, ("",))[0]
            if parent:
                yield Hit("level1", {"level1": word, "parent": parent}, indicator=indicator)
    if all(i.level2 in levels[i.level1] for i in paired):
        return  # _pairing_hit finds nothing in a 二级 of its 一级
    for indicator in once_per_cell(paired, "level2"):
        hit = _pairing_hit(indicator)
        if hit is not None:
            yield hit


@rule(
    code="E05",
    name="classification.level1_inferred",
    severity=WARNING,
    message_zh="一级指标单元格为空，已按二级指标「{level2}」推断为「{level1}」",
    message_en="the first-level cell is blank; inferred '{level1}' from the second level '{level2}'",
    fix_zh="在一级指标栏填写「{level1}」（合并单元格时填在首行）。",
    fix_en="Write '{level1}' in the first-level column (in the first row of a merged cell).",
    source="[O] other published forms (生态环境成本指标 row with no 一级)",
    needs_indicators=True,
    bad={"indicators": [
        row("", "经济成本指标", "床位运营补贴标准", "≤500(元/人)"),
        row("产出指标", "数量指标", "补贴养老服务设施数", "≥20(家)"),
        row("效益指标", "社会效益指标", "服务老年人数", "≥5000(人)"),
    ]},
    good={},
)
def level1_inferred(form, config):
    previous = None
    for indicator in form.indicators:
        legacy_blank = not indicator.level1 and indicator.level2 in vocab.LEGACY_LEVEL2
        if not (indicator.level1_inferred or legacy_blank):
            previous = None
            continue
        level1 = effective_level1(indicator) or indicator.level1
        if previous != level1:  # one finding per run of rows under the missing 一级 cell
            yield Hit("level2", {"level1": level1, "level2": indicator.level2},
                      indicator=indicator)
        previous = level1


CONSTRUCTION = re.compile(r"工程|改造|购置|采购|修缮|装修|新建|扩建|改建|建设(?!工作|办公室)")


def is_construction(form: Form) -> bool:
    """Rule I11's project kind: construction, renovation or procurement by its name."""
    return bool(CONSTRUCTION.search(squash(form.project.name)))


@rule(
    code="E06",
    name="classification.coverage",
    severity=WARNING,
    message_zh={"default": "指标表中没有{level1}",
                "cost": "{year}年度申报表没有成本指标",
                "satisfaction": "指标表中没有满意度指标"},
    message_en={"default": "the indicator table has no {level1}",
                "cost": "the {year} form has no cost indicator (成本指标)",
                "satisfaction": "the indicator table has no satisfaction indicator (满意度指标)"},
    fix_zh="绩效指标应至少包含产出指标和效益指标；2022年起宜设成本指标；"
           "项目有明确服务对象时设满意度指标。",
    fix_en="Include at least output (产出) and effect (效益) indicators; from 2022 add cost "
           "(成本) indicators; add satisfaction (满意度) where the project serves known users.",
    source="S88 [R] (产出/效益/满意度); S101 [R] (成本指标 from 2021); [I]",
    needs_indicators=True,
    bad={"indicators": [
        row("成本指标", "经济成本指标", "床位运营补贴标准", "≤500(元/人)"),
        row("产出指标", "数量指标", "补贴养老服务设施数", "≥20(家)"),
        row("满意度指标", "服务对象满意度指标", "老年人满意度", "≥90(%)"),
    ]},
    good={},
)
def coverage(form, config):
    if not form.indicators:
        return  # an empty table is I01's finding
    present = {effective_level1(i) for i in form.indicators}
    if COST not in present and any(i.level2 == COST for i in form.indicators):
        present.add(COST)  # is_cost_row: the legacy 二级 成本指标
    for level1 in ("产出指标", "效益指标"):
        if level1 not in present:
            yield table_hit(form, level1=level1)
    from_year = config.cost_indicator_from_year
    cost_expected = from_year is not None and form.year is not None and form.year >= from_year
    if COST not in present and cost_expected:
        if not (is_construction(form) and config.enabled("I11")):  # I11 says it sharper
            yield table_hit(form, "cost", INFO, year=form.year)
    if "满意度指标" not in present:
        yield table_hit(form, "satisfaction", INFO)


SUB_UNIT_SUFFIXES = ("大队", "中队", "支队", "中心", "所", "站", "队", "科", "股", "馆", "院", "校")


@rule(
    code="E07",
    name="classification.department_level",
    severity=WARNING,
    message_zh="主管部门「{department}」与实施单位相同且以「{suffix}」结尾，像是下属单位而非一级预算单位",
    message_en="主管部门 '{department}' equals the implementing unit and ends in '{suffix}': "
               "it looks like a sub-unit, not the first-level budget department",
    fix_zh="主管部门填写一级预算单位（主管部门）全称，实施单位填写具体执行的单位。",
    fix_en="Put the full name of the first-level budget department in 主管部门 and the unit "
           "that carries out the project in 实施单位.",
    source="S-tbsm2 [V] (主管部门：填写项目主管部门(一级单位)全称); [O] other published forms",
    bad={"project": {"department": "上海市养老服务发展中心"}},
    good={},
)
def department_level(form, config):
    department, unit = squash(form.project.department), squash(form.project.unit)
    if not department or not unit:
        return
    if not (department == unit or unit.endswith(department)):
        return
    suffix = next((s for s in SUB_UNIT_SUFFIXES if department.endswith(s)), None)
    if suffix:
        yield Hit("project.department", {"department": form.project.department, "suffix": suffix})


SHANGHAI = "上海市"
SHANGHAI_DISTRICTS = (
    "黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区", "宝山区",
    "嘉定区", "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区",
)


def canonical_unit_name(name: str) -> str:
    """The name departments and units are grouped by (E08): no spaces, full region prefix."""
    key = squash(name)
    if key.startswith(SHANGHAI_DISTRICTS):
        key = SHANGHAI + key
    return key


@rule(
    code="E08",
    name="classification.unit_name",
    severity=INFO,
    message_zh="{label}「{name}」汇总时按全称「{canonical}」归并",
    message_en="{label_en} '{name}' is grouped under its full name '{canonical}'",
    fix_zh="单位名称填写带地区前缀的全称（如“上海市普陀区…”）。",
    fix_en="Write unit names in full with their region prefix (e.g. 上海市普陀区…).",
    source="[O] other published forms (普陀区… / 上海市普陀区…)",
    bad={"project": {"unit": "普陀区养老服务发展中心"}},
    good={"project": {"unit": "上海市普陀区养老服务发展中心"}},
)
def unit_name(form, config):
    labels = (("department", "主管部门", "department"), ("unit", "实施单位", "implementing unit"))
    for part, label, label_en in labels:
        name = getattr(form.project, part)
        canonical = canonical_unit_name(name)
        if name and canonical != squash(name):
            values = {"label": label, "label_en": label_en, "name": name, "canonical": canonical}
            yield Hit(f"project.{part}", values)
