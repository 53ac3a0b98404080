"""Charts rendered on the server as SVG: no CDN, no script, no style attribute.

Colours and fonts are SVG presentation attributes (the CSP forbids inline styles). Every chart
carries a <title> and <desc> for screen readers, and the page shows the same numbers as a
table beside it.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The star colours of static/css/portal.css (.star-5 ... .star-0), darkest contrast on white.
STAR_COLOURS = {5: "#8a5a00", 4: "#0b5d2a", 3: "#0b3d91", 0: "#5c1010"}
TEXT = "#212529"
GRID = "#ced4da"
FONT = 'font-family="sans-serif"'


def _svg(width: int, height: int, title: str, desc: str, body: list[str], chart_id: str) -> str:
    return mark_safe(  # noqa: S308 - every label below is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _legend(series: list[tuple[int, str]], x: int, y: int) -> list[str]:
    parts, offset = [], x
    for key, label in series:
        parts.append(
            f'<rect x="{offset}" y="{y - 10}" width="12" height="12" fill="{STAR_COLOURS[key]}"/>'
            f'<text x="{offset + 16}" y="{y}" font-size="12" fill="{TEXT}" {FONT}>'
            f"{escape(label)}</text>"
        )
        offset += 16 + 13 * len(label) + 18
    return parts


def stacked_bars(
    rows: list[tuple[str, list[int]]],
    series: list[tuple[int, str]],
    *,
    title: str,
    chart_id: str,
    label_width: int = 110,
) -> SafeString:
    """Horizontal stacked bars: one row per label, one segment per series (counts)."""
    width, bar, gap, top = 640, 18, 8, 34
    plot = width - label_width - 60
    biggest = max((sum(values) for _label, values in rows), default=0) or 1
    height = top + len(rows) * (bar + gap) + 10
    body = _legend(series, label_width, 16)
    for index, (label, values) in enumerate(rows):
        y = top + index * (bar + gap)
        body.append(
            f'<text x="{label_width - 6}" y="{y + bar - 4}" font-size="12" text-anchor="end" '
            f'fill="{TEXT}" {FONT}>{escape(label)}</text>'
        )
        x = float(label_width)
        for (key, name), value in zip(series, values, strict=True):
            if not value:
                continue
            length = plot * value / biggest
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar}" '
                f'fill="{STAR_COLOURS[key]}"><title>{escape(label)} {escape(name)}：{value}</title></rect>'
            )
            x += length
        body.append(
            f'<text x="{x + 4:.1f}" y="{y + bar - 4}" font-size="12" fill="{TEXT}" {FONT}>'
            f"{sum(values)}</text>"
        )
    desc = "；".join(
        f"{label}："
        + "，".join(f"{name} {value}" for (_key, name), value in zip(series, values, strict=True))
        for label, values in rows
    )
    return _svg(width, height, title, desc, body, chart_id)


def line_chart(
    categories: list[str],
    lines: list[tuple[int, str, list[float]]],
    *,
    title: str,
    chart_id: str,
    unit: str = "%",
) -> SafeString:
    """Lines across categories (cycles), values 0–100 (percentages)."""
    width, height, left, right, top, bottom = 640, 260, 44, 20, 34, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(categories) - 1, 1)
    body = _legend([(key, name) for key, name, _values in lines], left, 16)
    for tick in range(0, 101, 25):
        y = top + plot_h - plot_h * tick / 100
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{TEXT}" {FONT}>{tick}{unit}</text>'
        )
    for index, category in enumerate(categories):
        x = left + index * step if len(categories) > 1 else left + plot_w / 2
        body.append(
            f'<text x="{x:.1f}" y="{height - 10}" font-size="12" text-anchor="middle" '
            f'fill="{TEXT}" {FONT}>{escape(category)}</text>'
        )
    for key, name, values in lines:
        points = []
        for index, value in enumerate(values):
            x = left + index * step if len(categories) > 1 else left + plot_w / 2
            y = top + plot_h - plot_h * value / 100
            points.append((x, y, value))
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _value in points)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{STAR_COLOURS[key]}" stroke-width="2.5"/>'
        )
        body.extend(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{STAR_COLOURS[key]}">'
            f"<title>{escape(name)} {escape(category)}：{value}{unit}</title></circle>"
            for (x, y, value), category in zip(points, categories, strict=True)
        )
    desc = "；".join(
        f"{name}：" + "，".join(f"{c} {v}{unit}" for c, v in zip(categories, values, strict=True))
        for _key, name, values in lines
    )
    return _svg(width, height, title, desc, body, chart_id)


def bars(
    rows: list[tuple[str, int]],
    *,
    title: str,
    chart_id: str,
    colour: str = STAR_COLOURS[3],
    label_width: int = 170,
) -> SafeString:
    """Horizontal bars of one series (counts)."""
    width, bar, gap, top = 640, 16, 6, 8
    plot = width - label_width - 60
    biggest = max((value for _label, value in rows), default=0) or 1
    height = top + len(rows) * (bar + gap) + 6
    body = []
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar + gap)
        length = plot * value / biggest
        body.append(
            f'<text x="{label_width - 6}" y="{y + bar - 3}" font-size="12" text-anchor="end" '
            f'fill="{TEXT}" {FONT}>{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar}" fill="{colour}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + bar - 3}" font-size="12" '
            f'fill="{TEXT}" {FONT}>{value}</text>'
        )
    desc = "；".join(f"{label}：{value}" for label, value in rows)
    return _svg(width, height, title, desc, body, chart_id)
