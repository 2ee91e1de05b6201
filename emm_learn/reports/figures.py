"""Charts drawn from exactly the numbers the report's tables show."""
from __future__ import annotations

from flask_babel import gettext as _, ngettext

from ..feedback.services import criterion_labels
from .charts import Bar, bar_chart
from .services import ChapterSummary, SessionComparison
from .stats import SCALE, Breakdown, Summary


def distribution_chart(chart_id: str, title: str, summary: Summary):
    bars = [Bar(str(point), count, str(count)) for point, count in zip(SCALE, summary.distribution)]
    description = ngettext("%(num)d rating, mean %(mean)s. ", "%(num)d ratings, mean %(mean)s. ",
                           summary.count, mean=summary.mean_text) + \
        "; ".join(_("%(point)d: %(count)d", point=p, count=c)
                  for p, c in zip(SCALE, summary.distribution))
    return bar_chart(chart_id, title, description, bars, max(summary.distribution) or 1)


def means_chart(chart_id: str, title: str, slices: Breakdown):
    bars, parts = [], []
    for each in slices.slices:
        if each.is_hidden:
            bars.append(Bar(each.label, None, _("not shown")))
            parts.append(_("%(label)s: not shown", label=each.label))
        else:
            text = _("%(mean)s (%(n)d)", mean=each.summary.mean_text, n=each.summary.count)
            bars.append(Bar(each.label, each.summary.mean, text))
            parts.append(ngettext("%(label)s: mean %(mean)s from %(num)d rating",
                                  "%(label)s: mean %(mean)s from %(num)d ratings",
                                  each.summary.count, label=each.label,
                                  mean=each.summary.mean_text))
    return bar_chart(chart_id, f"{title} ({slices.dimension})", "; ".join(parts), bars, 5)


def choice_chart(chart_id: str, title: str, choices: list[tuple[str, int]]):
    bars = [Bar(choice, count, str(count)) for choice, count in choices]
    description = "; ".join(f"{choice}: {count}" for choice, count in choices)
    return bar_chart(chart_id, title, description, bars, max((c for _x, c in choices), default=0) or 1)


def criterion_means_chart(chart_id: str, title: str, summary: ChapterSummary):
    labels = criterion_labels()
    bars = [Bar(str(labels[c]), s.mean if s else None,
                _("%(mean)s (%(n)d)", mean=s.mean_text, n=s.count) if s else _("not shown"))
            for c, s in summary.criteria.items()]
    description = "; ".join(f"{bar.label}: {bar.text}" for bar in bars)
    return bar_chart(chart_id, title, description, bars, 5)


def comparison(chart_id: str, item: SessionComparison):
    return means_chart(chart_id, item.text, item.breakdown)
