"""Charts rendered on the server as SVG: no CDN, no script, no style attribute.

Colours and fonts are SVG presentation attributes (the CSP forbids inline styles). Every chart
carries a <title> and <desc> for screen readers, and the page shows the same numbers as a
table beside it. Markup is built with format_html, so every label is escaped.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from portal.punctuation import joined, punct

# The star colours of static/css/portal.css (.star-5 ... .star-0), dark enough on white.
STAR_COLOURS = {5: "#8a5a00", 4: "#0b5d2a", 3: "#0b3d91", 0: "#5c1010"}
TEXT = "#212529"
GRID = "#ced4da"


def _join(parts: list[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _text(x: float, y: float, content, size: int = 12, anchor: str = "start") -> SafeString:
    return format_html(
        '<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="{}" font-family="sans-serif">'
        "{}</text>",
        f"{x:.1f}",
        f"{y:.1f}",
        size,
        anchor,
        TEXT,
        content,
    )


def _svg(width: int, height: int, title: str, desc: str, body: list, chart_id: str) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-t {}-d" class="chart"><title id="{}-t">{}</title>'
        '<desc id="{}-d">{}</desc>{}</svg>',
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
        _join(body),
    )


def _legend(series: list[tuple[int, str]], x: int, y: int) -> list[SafeString]:
    parts, offset = [], x
    for key, label in series:
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>',
                offset,
                y - 10,
                STAR_COLOURS[key],
            )
        )
        parts.append(_text(offset + 16, y, label))
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
        body.append(_text(label_width - 6, y + bar - 4, label, anchor="end"))
        x = float(label_width)
        for (key, name), value in zip(series, values, strict=True):
            if not value:
                continue
            length = plot * value / biggest
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} {}{}{}</title>'
                    "</rect>",
                    f"{x:.1f}",
                    y,
                    f"{length:.1f}",
                    bar,
                    STAR_COLOURS[key],
                    label,
                    name,
                    punct("："),
                    value,
                )
            )
            x += length
        body.append(_text(x + 4, y + bar - 4, sum(values)))
    desc = joined(
        "；",
        (
            f"{label}{punct('：')}"
            + joined(
                "，",
                (f"{name} {value}" for (_key, name), value in zip(series, values, strict=True)),
            )
            for label, values in rows
        ),
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

    def x_of(index: int) -> float:
        return left + index * step if len(categories) > 1 else left + plot_w / 2

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * value / 100

    body = _legend([(key, name) for key, name, _values in lines], left, 16)
    for tick in range(0, 101, 25):
        y = y_of(tick)
        body.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
                left,
                f"{y:.1f}",
                width - right,
                f"{y:.1f}",
                GRID,
            )
        )
        body.append(_text(left - 6, y + 4, f"{tick}{unit}", size=11, anchor="end"))
    for index, category in enumerate(categories):
        body.append(_text(x_of(index), height - 10, category, anchor="middle"))
    for key, name, values in lines:
        points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(values))
        body.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>',
                points,
                STAR_COLOURS[key],
            )
        )
        for index, (value, category) in enumerate(zip(values, categories, strict=True)):
            body.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="4" fill="{}"><title>{} {}{}{}{}</title></circle>',
                    f"{x_of(index):.1f}",
                    f"{y_of(value):.1f}",
                    STAR_COLOURS[key],
                    name,
                    category,
                    punct("："),
                    value,
                    unit,
                )
            )
    desc = joined(
        "；",
        (
            f"{name}{punct('：')}"
            + joined("，", (f"{c} {v}{unit}" for c, v in zip(categories, values, strict=True)))
            for _key, name, values in lines
        ),
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
        body.append(_text(label_width - 6, y + bar - 3, label, anchor="end"))
        body.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                label_width,
                y,
                f"{length:.1f}",
                bar,
                colour,
            )
        )
        body.append(_text(label_width + length + 4, y + bar - 3, value))
    desc = joined("；", (f"{label}{punct('：')}{value}" for label, value in rows))
    return _svg(width, height, title, desc, body, chart_id)
