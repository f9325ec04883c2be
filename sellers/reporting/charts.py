"""Bar charts drawn on the server as SVG: no script, no library, prints."""

from decimal import Decimal

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 8, 12, 36


def _nice_step(top: Decimal) -> Decimal:
    """A round grid step (1, 2 or 5 × 10ⁿ) giving about four lines up to top."""
    raw = top / 4
    magnitude = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal(1)
    for factor in (1, 2, 5, 10):
        if magnitude * factor >= raw:
            return magnitude * factor
    return magnitude * 10


def bars(buckets: list[dict]) -> dict:
    """Geometry of a bar per bucket ({"label", "income"}): bars, grid lines
    with their yuan, and the zero line; negative weeks (refunds) go below it."""
    values = [b["income"] for b in buckets] or [Decimal(0)]
    high, low = max(max(values), Decimal(0)), min(min(values), Decimal(0))
    step = _nice_step(max(high - low, Decimal(1)))
    top = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    bottom = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    span = (top - bottom) or step
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT

    def y(value) -> float:
        return round(TOP + float((top - value) / span) * plot_h, 1)

    slot = plot_w / max(len(buckets), 1)
    # Labels every nth bar so that they do not overlap (about 45 px each).
    every = max(1, round(45 / slot + 0.49))
    drawn = []
    for i, bucket in enumerate(buckets):
        value = bucket["income"]
        y_value, y_zero = y(value), y(Decimal(0))
        drawn.append(
            {
                "x": round(LEFT + i * slot + slot * 0.15, 1),
                "y": min(y_value, y_zero),
                "width": round(slot * 0.7, 1),
                "height": round(abs(y_zero - y_value), 1),
                "label": bucket["label"] if i % every == 0 else "",
                "label_x": round(LEFT + i * slot + slot / 2, 1),
                "title": f"{bucket['label']}: ¥{value:,.2f}",
                "negative": value < 0,
            }
        )
    grid = []
    value = bottom
    while value <= top:
        grid.append({"y": y(value), "label": f"{value:,.0f}"})
        value += step
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "label_y": HEIGHT - BOTTOM + 16,
        "zero": y(Decimal(0)),
        "bars": drawn,
        "grid": grid,
    }
