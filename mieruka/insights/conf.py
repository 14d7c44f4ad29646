"""The insights app's tunable thresholds, each overridable by a Django setting of the same name.

Kept here rather than in mieruka/conf/settings.py so the app documents its own rules (docs/insights.md).
"""

from django.conf import settings

from . import similarity, staffing


def _get(name: str, default):
    return getattr(settings, name, default)


def similarity_threshold() -> float:
    """Pairs at or above this score are duplicate candidates (0..1)."""
    return float(_get("INSIGHTS_SIMILARITY_THRESHOLD", similarity.DEFAULT_THRESHOLD))


def staffing_rule() -> staffing.StaffingRule:
    """The reinforcement (重点配置) rule: see mieruka/insights/staffing.py."""
    default = staffing.StaffingRule()
    return staffing.StaffingRule(
        cost_quantile=float(_get("INSIGHTS_STAFFING_COST_QUANTILE", default.cost_quantile)),
        max_fte=float(_get("INSIGHTS_STAFFING_MAX_FTE", default.max_fte)),
        min_operating_cost=int(_get("INSIGHTS_STAFFING_MIN_OPERATING_COST", default.min_operating_cost)),
    )


def dashboard_cache_seconds() -> int:
    """How long dashboard figures are kept for one portfolio version; 0 turns the cache off."""
    return int(_get("INSIGHTS_DASHBOARD_CACHE_SECONDS", 600))


# How many fiscal years the trend charts show, ending at the selected year.
TREND_YEARS = 5
# Execution below this share of the available budget is a risk signal.
LOW_EXECUTION_RATE = 0.7
# A budget request this much above last year's initial operating budget is a risk signal.
OPERATING_GROWTH = 0.2
# Above this many systems the whole architecture graph is not drawn (a thousand dots read as nothing and
# took seconds): the page shows ministries × platforms and offers one system's neighbourhood instead.
GRAPH_MAX_SYSTEMS = 150
# A system's neighbourhood on the architecture page: interfaces this many hops out (default, most).
NEIGHBOURHOOD_HOPS = 2
NEIGHBOURHOOD_MAX_HOPS = 3
