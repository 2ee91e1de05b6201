"""Bar charts as SVG, drawn on the server: no JavaScript, crisp in print, and described for screen
readers (a <title> and <desc>; every page also shows the same numbers as a table).

Colours are presentation attributes, not CSS, so the page's Content-Security-Policy (no inline
styles) leaves them alone; dark bars on white stay readable when printed in black and white."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, LABEL_WIDTH, BAR_AREA = 640, 230, 330
ROW, BAR_HEIGHT, TOP = 30, 20, 6
LABEL_CHARACTERS = 34
BAR_FILL, TEXT_FILL, AXIS = "#1f4e79", "#1a1a1a", "#6b6b6b"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: the slice is hidden, no bar is drawn
    text: str  # the number written beside the bar


def bar_width(value: float, maximum: float) -> float:
    return round(BAR_AREA * value / maximum, 2) if maximum > 0 else 0.0


def short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[:LABEL_CHARACTERS - 1] + "…"


def bar_row(index: int, bar: Bar, maximum: float) -> str:
    y = TOP + index * ROW
    middle = y + BAR_HEIGHT / 2 + 5
    parts = [f'<g class="bar" data-label="{escape(bar.label)}">',
             f'<text class="label" x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" '
             f'fill="{TEXT_FILL}">{escape(short(bar.label))}</text>']
    width = 0.0
    if bar.value is not None:
        width = bar_width(bar.value, maximum)
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
                     f'fill="{BAR_FILL}"/>')
    parts.append(f'<text class="value" x="{LABEL_WIDTH + width + 6}" y="{middle}" '
                 f'fill="{TEXT_FILL}">{escape(bar.text)}</text></g>')
    return "".join(parts)


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar],
              maximum: float) -> Markup:
    """A horizontal bar chart; `maximum` is the value of a full-width bar (5 for means)."""
    height = TOP * 2 + ROW * max(len(bars), 1)
    rows = "".join(bar_row(index, bar, maximum) for index, bar in enumerate(bars))
    axis = (f'<line x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{height}" '
            f'stroke="{AXIS}" stroke-width="1"/>')
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="sans-serif" font-size="14" data-maximum="{maximum}">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        f'{axis}{rows}</svg>')
