"""Settings an office may change without touching a rule: thresholds, lists, severities.

Read from a TOML file::

    [thresholds]
    satisfaction_floor = 80        # V08: warning below this (%)
    satisfaction_info_floor = 85   # V08: info below this (%)
    negative_rate_ceiling = 20     # V06: a lower-is-better rate looser than this (%)
    min_indicators = 3             # I01
    qualitative_share_max = 0.5    # I04
    name_max_length = 100          # I09
    cost_indicator_from_year = 2022  # E06: report a missing 成本指标 from this year (default: never)

    [lists]
    generic_indicators = ["项目完成率", "预算执行率"]   # I05 (replaces the default list)
    extra_natures = ["阶段性项目"]                      # E01: also allowed
    extra_categories = []                               # E02: also allowed

    [severity]
    V08 = "info"                   # an office's policy; "off" disables a rule
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError

GENERIC_INDICATORS = (
    "项目完成率", "项目目标实现率", "项目完成及时性", "项目完成及时率", "工作任务完成率",
    "预算执行率", "资金到位率", "资金使用率", "财政资金到位及时支付率", "计划完成率",
    "年度计划完成率", "资金拨付及时率", "项目按时完成率",
)


@dataclass(frozen=True)
class Config:
    satisfaction_floor: Decimal = Decimal(80)
    satisfaction_info_floor: Decimal = Decimal(85)
    negative_rate_ceiling: Decimal = Decimal(20)
    min_indicators: int = 3
    qualitative_share_max: Decimal = Decimal("0.5")
    name_max_length: int = 100
    # E06: from which form year a missing 成本指标 is reported (None: never). 财预〔2021〕101号
    # added 成本 for central departments; the 2023 Shanghai forms have none, so it is opt-in.
    cost_indicator_from_year: int | None = None
    generic_indicators: tuple[str, ...] = GENERIC_INDICATORS
    extra_natures: tuple[str, ...] = ()
    extra_categories: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)

    def severity_of(self, code: str, default: str) -> str:
        """The severity in force for a rule: the office's override or the rule's own."""
        return self.severity.get(code, default)

    def enabled(self, code: str) -> bool:
        return self.severity.get(code) != "off"


_DECIMALS = ("satisfaction_floor", "satisfaction_info_floor", "negative_rate_ceiling",
             "qualitative_share_max")
_INTS = ("min_indicators", "name_max_length", "cost_indicator_from_year")
_LISTS = ("generic_indicators", "extra_natures", "extra_categories")


def load_config(path: str | Path | None) -> Config:
    """The default Config, or the one a TOML file describes."""
    if path is None:
        return Config()
    path = Path(path)
    try:
        import tomllib  # only when there is a file to read

        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("配置文件不存在", "settings file not found", file=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"配置文件格式错误：{exc}", f"malformed settings file: {exc}",
                          file=str(path)) from None
    return config_from_dict(data, str(path))


def config_from_dict(data: Mapping[str, Any], file: str = "") -> Config:
    changes: dict[str, Any] = {}
    thresholds = data.get("thresholds", {})
    for key, value in thresholds.items():
        if key in _DECIMALS:
            changes[key] = Decimal(str(value))
        elif key in _INTS:
            changes[key] = int(value)
        else:
            raise ConfigError(f"未知的阈值“{key}”", f"unknown threshold '{key}'", file=file)
    for key, value in data.get("lists", {}).items():
        if key not in _LISTS:
            raise ConfigError(f"未知的列表“{key}”", f"unknown list '{key}'", file=file)
        changes[key] = tuple(str(v) for v in value)
    severity = {str(k).upper(): str(v).lower() for k, v in data.get("severity", {}).items()}
    bad = [v for v in severity.values() if v not in ("error", "warning", "info", "off")]
    if bad:
        raise ConfigError(f"未知的严重程度“{bad[0]}”", f"unknown severity '{bad[0]}'", file=file)
    changes["severity"] = severity
    return replace(Config(), **changes)
