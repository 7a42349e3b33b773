"""The results as a table, with SPEC's targets next to the measured values."""
from __future__ import annotations

import math

GB_MB = 2048
SHAPES = ("chat", "chat_side_by_side", "capacity")


def _fmt(value, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}"


def targets(result: dict) -> list[dict]:
    """Each target: what it is, the measured value, the limit, and whether it is met."""
    chat, capacity, long = result["chat"], result["capacity"], result["long"]
    side_by_side = result["chat_side_by_side"]
    rows = [
        ("chat p95 through the gateway", chat["gateway"]["p95"], "≤ 200 ms", lambda v: v <= 200, 0, " ms"),
        ("chat p95 gateway / Rasa, at once", side_by_side["p95_ratio"], "≤ 1.10", lambda v: v <= 1.10, 2, ""),
        ("capacity through the gateway", capacity["gateway"]["rate"], "≥ 40 msg/s", lambda v: v >= 40, 1, " msg/s"),
        (f"turn {long['gateway']['late_turn']} / turn 10 (gateway)", long["gateway"]["ratio"], "≤ 2.0", lambda v: v <= 2.0, 2, ""),
        ("largest process RSS", max(result["memory_mb"].values(), default=None), "≤ 2048 MB", lambda v: v <= GB_MB, 0, " MB"),
        ("all processes RSS", result["memory_total_mb"], "≤ 2048 MB", lambda v: v <= GB_MB, 0, " MB"),
        ("errors (all shapes)", _errors(result), "0", lambda v: v == 0, 0, ""),
    ]
    out = []
    for name, value, limit, check, digits, unit in rows:
        missing = value is None or (isinstance(value, float) and math.isnan(value))
        out.append({"target": name, "value": None if missing else value, "limit": limit,
                    "met": (not missing) and bool(check(value)), "shown": _fmt(value, digits) + ("" if missing else unit)})
    return out


def _errors(result: dict) -> int:
    return sum(result[shape][name]["errors"] for shape in SHAPES for name in ("rasa", "gateway")) + sum(
        entry["errors"] for entry in result["long"].values()
    )


def render(profile: str, result: dict) -> str:
    plan = result["plan"]
    lines = [f"== profile: {profile}  (load average before {result['load_before'][0]:.1f}, after {result['load_after'][0]:.1f})"]
    header = f"  {'shape':<34} {'target':<8} {'msgs':>6} {'err':>4} {'msg/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    lines.append(header)
    shapes = (
        ("chat", f"chat: {plan['chat_conversations']} conv., one msg/~{plan['chat_interval']:.0f} s"),
        ("chat_side_by_side", f"chat, both at once: {plan['chat_conversations']} conv. each"),
        ("capacity", f"capacity: {plan['capacity_conversations']} conv., no pause"),
    )
    for shape, title in shapes:
        for name in ("rasa", "gateway"):
            s = result[shape][name]
            lines.append(
                f"  {title:<34} {name:<8} {s['messages']:>6} {s['errors']:>4} {_fmt(s['rate'], 1):>7} "
                f"{_fmt(s['p50']):>7} {_fmt(s['p95']):>7} {_fmt(s['p99']):>7}"
            )
            title = ""
        lines.append(f"  {'':<34} p95 gateway/Rasa = {_fmt(result[shape]['p95_ratio'], 2)}")
    for name, entry in result["long"].items():
        lines.append(
            f"  long conversation, {name:<8}: turn ≈10 {_fmt(entry['early_ms'])} ms, turn ≈{entry['late_turn']} "
            f"{_fmt(entry['late_ms'])} ms (× {_fmt(entry['ratio'], 2)}), errors {entry['errors']}"
        )
    memory = ", ".join(f"{name} {mb} MB" for name, mb in result["memory_mb"].items())
    lines.append(
        f"  peak RSS (with children): {memory}; all together {result['memory_total_mb']} MB "
        f"(PSS, shared pages counted once: {result.get('memory_total_pss_mb', '–')} MB)"
    )
    lines.append(f"  {'target':<34} {'measured':>12}  {'limit':<11} met")
    for row in result["targets"]:
        lines.append(f"  {row['target']:<34} {row['shown']:>12}  {row['limit']:<11} {'yes' if row['met'] else 'NO'}")
    return "\n".join(lines)
