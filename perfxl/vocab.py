"""The vocabularies of the form: 项目性质, 项目类别, 一级/二级 indicators (rules E01–E05).

Written once here; the template's dropdown lists, the parser and the rules all read it.
"""

from __future__ import annotations

NATURES = ("其他经常性项目", "其他一次性项目", "阶段性项目")
NATURE_ALIASES = ("经常性项目", "一次性项目")

CATEGORIES = ("人员类", "其他人员类", "运转类", "公用经费", "其他运转类", "特定目标类")
CATEGORY_ALIASES = ("其他特定目标类", "专项资金项目")

# 一级 → its 二级 (财预〔2021〕101号 and 财预〔2015〕88号).
LEVELS: dict[str, tuple[str, ...]] = {
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
    "产出指标": ("数量指标", "质量指标", "时效指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
LEVEL1 = tuple(LEVELS)

# Legacy (pre-2021) 二级 spellings and where they belong: accepted, with an info finding.
LEGACY_LEVEL2: dict[str, tuple[str, str]] = {
    # legacy name: (the 一级 it may stand under, the current name)
    "成本指标": ("产出指标", "经济成本指标"),
    "环境效益指标": ("效益指标", "生态效益指标"),
    "社会公众或服务对象满意度指标": ("满意度指标", "服务对象满意度指标"),
    "服务对象满意度": ("满意度指标", "服务对象满意度指标"),
}
# Legacy satisfaction rows may also stand inside the 效益 block.
LEGACY_SATISFACTION_PARENTS = ("效益指标", "满意度指标")

LEVEL2 = tuple(l2 for l2s in LEVELS.values() for l2 in l2s)
LEVEL2_PARENT = {l2: l1 for l1, l2s in LEVELS.items() for l2 in l2s}

# Units the Shanghai system offers, and synonyms mapped to them (rule V03).
UNITS = (
    "%", "次", "人", "人次", "个", "项", "条", "件", "场", "户", "家", "台", "套", "辆",
    "册", "篇", "份", "期", "批", "小时", "天", "日", "周", "月", "年", "元", "万元", "亿元",
    "元/人", "元/次", "万元/人", "元/平方米", "米", "公里", "千米", "平方米", "万平方米",
    "立方米", "亩", "公顷", "吨", "千克", "分", "标箱", "所", "座", "处", "张", "本", "部",
    "课时", "学时", "工作日", "秒", "分钟", "GB", "TB", "兆", "次/年", "个/年", "人/年",
    "床", "棵", "株", "只", "头", "盏", "块", "间", "公斤", "平方公里", "km", "m", "万人",
    "万人次", "万次", "万件", "个百分点", "‰", "分值",
    "名", "位", "门", "节", "栋", "幢", "起", "例", "宗", "点", "种", "类", "组", "轮", "届",
    "季度", "车次", "班次", "架次", "千瓦", "千瓦时", "kg", "t", "分贝", "℃",
)
UNIT_SYNONYMS = {
    "百分比": "%", "百分之": "%", "％": "%", "万": "万元", "M": "米", "人/次": "人次",
    "KM": "公里", "平米": "平方米", "㎡": "平方米", "小時": "小时",
}


def is_level1(word: str) -> bool:
    return word in LEVELS


def is_level2(word: str) -> bool:
    return word in LEVEL2_PARENT or word in LEGACY_LEVEL2


def is_level_word(word: str) -> bool:
    return is_level1(word) or is_level2(word)
