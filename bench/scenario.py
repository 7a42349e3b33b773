"""One profile's benchmark: the shapes run against Rasa directly and against the gateway
while the memory of every process is sampled. One target at a time, in alternating
slices (Rasa, gateway, gateway, Rasa, …): chat at SPEC's load (its p95 is the latency
target) and capacity. Chat side by side: both targets at once, each with its own 50
conversations, so that the machine's slow spells meet both alike (its p95 ratio is the
gateway's overhead target)."""
from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import Mapping, Sequence

from bench import load
from bench.memory import MemorySampler
from bench.statistics import median, ratio, summarise

MB = 1024 * 1024


@dataclass(frozen=True)
class Plan:
    chat_conversations: int = 50
    chat_interval: float = 5.0
    chat_seconds: float = 10.0  # measured per slice
    chat_rounds: int = 6  # chat slices per target, one target at a time
    # Both targets in every slice: the ratio compares their p95, and this VM has slow
    # spells of tens of seconds that alternating slices gave to one target.
    side_by_side_rounds: int = 6
    capacity_conversations: int = 20
    capacity_seconds: float = 15.0  # measured per slice
    capacity_warmup: float = 3.0
    rounds: int = 2  # capacity slices per target
    long_turns: int = 200
    # "Around turn 10" and "around turn N": medians over this many turns.
    long_window: int = 10
    # Turns sent to each target before measuring: the first ones are slower (lazy imports, caches).
    warmup_turns: int = 20


FULL = Plan()
QUICK = Plan(chat_seconds=6.0, capacity_seconds=4.0, capacity_warmup=1.0, chat_rounds=1, side_by_side_rounds=1, rounds=1, long_turns=30, long_window=5, warmup_turns=5)


def alternating(targets: Sequence[load.Target], rounds: int) -> list[load.Target]:
    """A B B A A B …: each target as often first as second."""
    order: list[load.Target] = []
    for index in range(rounds):
        order.extend(targets if index % 2 == 0 else list(reversed(targets)))
    return order


def long_summary(latencies: list[float | None], window: int) -> dict:
    """Median latency around turn 10 and over the last `window` turns, and their ratio."""
    ok = [(turn, value) for turn, value in enumerate(latencies, start=1) if value is not None]
    turns = len(latencies)
    # Around turn 10: turns 6–15 (for window 10); around the last turn: the last `window` turns.
    early = [v for t, v in ok if 10 - window // 2 < t <= 10 + (window + 1) // 2]
    late = [v for t, v in ok if t > turns - window]
    early_ms, late_ms = median(early) * 1000, median(late) * 1000
    return {
        "turns": turns,
        "errors": turns - len(ok),
        "early_turn": 10,
        "early_ms": early_ms,
        "late_turn": turns,
        "late_ms": late_ms,
        "ratio": ratio(late_ms, early_ms),
    }


async def chat_side_by_side(targets: Sequence[load.Target], into: Mapping[str, load.Measured], plan: Plan, seed: int) -> None:
    """One chat slice on every target at once, each with its own conversations and
    its own random timing (the same timing would send the two targets' messages at
    the same instants)."""
    await asyncio.gather(*(
        load.chat(target, into[target.name], plan.chat_conversations, plan.chat_interval, plan.chat_seconds, seed + number)
        for number, target in enumerate(targets)
    ))


async def run_plan(
    gateway_url: str, rasa_urls: Sequence[str], rasa_token: str, pids: Mapping[str, int], plan: Plan, seed: int = 2026,
    log=print,
) -> dict:
    targets = [load.RasaTarget(list(rasa_urls), rasa_token), load.GatewayTarget(gateway_url)]
    both = " and ".join(t.name for t in targets)
    result: dict = {"load_before": os.getloadavg()}
    async with MemorySampler(pids) as memory:
        log(f"  warming up {both}: {plan.warmup_turns} turns")
        await load.long_conversations_side_by_side(targets, plan.warmup_turns, seed - 1)
        chat = {t.name: load.Measured() for t in targets}
        for index, target in enumerate(alternating(targets, plan.chat_rounds)):
            log(f"  chat, {target.name}: {plan.chat_conversations} conversations for {plan.chat_seconds:.0f} s")
            await load.chat(target, chat[target.name], plan.chat_conversations, plan.chat_interval, plan.chat_seconds, seed + index)
        side_by_side = {t.name: load.Measured() for t in targets}
        for index in range(plan.side_by_side_rounds):
            log(f"  chat, {both} at once: {plan.chat_conversations} conversations each for {plan.chat_seconds:.0f} s")
            await chat_side_by_side(targets, side_by_side, plan, seed + 50 + 10 * index)
        capacity = {t.name: load.Measured() for t in targets}
        for index, target in enumerate(alternating(targets, plan.rounds)):
            log(f"  capacity, {target.name}: {plan.capacity_conversations} conversations for {plan.capacity_seconds:.0f} s")
            await load.capacity(
                target, capacity[target.name], plan.capacity_conversations, plan.capacity_seconds, plan.capacity_warmup, seed + 100 + index
            )
        log(f"  long conversation, {both} side by side: {plan.long_turns} turns")
        series = await load.long_conversations_side_by_side(targets, plan.long_turns, seed + 200)
        long = {name: long_summary(latencies, plan.long_window) for name, latencies in series.items()}
    for shape, measured in (("chat", chat), ("chat_side_by_side", side_by_side), ("capacity", capacity)):
        summaries = {name: summarise(m.latencies, m.errors, m.seconds) for name, m in measured.items()}
        result[shape] = {name: s.as_dict() for name, s in summaries.items()}
        result[shape]["p95_ratio"] = ratio(summaries["gateway"].p95, summaries["rasa"].p95)
    result["long"] = long
    result["memory_mb"] = {name: round(peak / MB) for name, peak in memory.peaks.items()}
    result["memory_total_mb"] = round(memory.total_peak / MB)
    result["memory_total_pss_mb"] = round(memory.total_pss_peak / MB)
    result["load_after"] = os.getloadavg()
    result["plan"] = plan.__dict__
    return result
