"""A KPI in words, for the map's KPI row in every export format."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from journeydata import tables
from journeydata.models import MetricKind
from journeydata.selectors import KpiSummaryData

# Words, not arrows: the PDF and PNG typeface has no arrow glyphs.
TRENDS = {
    "up": gettext_lazy("rising"),
    "down": gettext_lazy("falling"),
    "flat": gettext_lazy("steady"),
}


def kpi_label(kpi: KpiSummaryData) -> str:
    return kpi["name"] or tables.choice_label("kind", kpi["kind"])


def kpi_value(kpi: KpiSummaryData) -> str:
    value = f"{kpi['value']:g}"
    if kpi["kind"] == MetricKind.NPS:
        return _(
            "%(value)s (%(promoters)s promoters, %(passives)s passives, %(detractors)s detractors)"
        ) % {
            "value": value,
            "promoters": kpi["promoters"],
            "passives": kpi["passives"],
            "detractors": kpi["detractors"],
        }
    if kpi["kind"] == MetricKind.CSAT:
        return _("%(value)s/%(scale)s, %(satisfied)s %% satisfied") % {
            "value": value,
            "scale": kpi["scale"],
            "satisfied": f"{kpi['satisfied_pct']:g}",
        }
    unit = "%" if kpi["kind"] in tables.PERCENT_UNITS else kpi["unit"]
    return f"{value} {unit}".strip()


def kpi_line(kpi: KpiSummaryData) -> str:
    line = _("%(kpi)s: %(value)s") % {"kpi": kpi_label(kpi), "value": kpi_value(kpi)}
    trend = TRENDS.get(kpi["trend"])
    return f"{line}, {trend}" if trend else line
