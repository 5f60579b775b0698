"""Benchmark: evaluating 1,000 compiled rules against one project, versus the shipped defaults.

Run with ``.venv/bin/python bench/bench_rules.py``. No database: the rule sets are compiled from
the shipped rule file (and 1,000 variations of it) as plain dicts. Target: < 5 ms for 1,000.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planner.settings.test")

import django  # noqa: E402

django.setup()

from planner import rulefile, rules  # noqa: E402
from planner.markdown import render_markdown  # noqa: E402

RUNS = 300
TARGET_MS = 5.0
SYNTHETIC = 1000


def synthetic_rules(shipped: list[dict], count: int) -> list[dict]:
    """Return ``count`` rules: the shipped ones repeated with new keys, some conditions varied."""
    out = []
    for index in range(count):
        base = shipped[index % len(shipped)]
        condition = base["condition"]
        if index % 3 == 1:  # vary: the same test, negated, so a different set fires
            condition = f"not ({condition})"
        elif index % 3 == 2:
            condition = f"({condition}) and tenant_count >= {index % 4}"
        out.append(
            {
                **base,
                "key": f"{base['key']}-{index}",
                "condition": condition,
                "position": base["position"] + index,
            }
        )
    return out


def median_ms(fn, runs: int = RUNS, clock=time.perf_counter) -> float:
    fn()  # warm up
    samples = []
    for _ in range(runs):
        start = clock()
        fn()
        samples.append(clock() - start)
    return statistics.median(samples) * 1000


def cpu_ms(fn, runs: int = RUNS) -> float:
    """Median CPU time of this process: steadier than wall time on a busy machine."""
    return median_ms(fn, runs, clock=time.process_time)


def main() -> None:
    shipped = rulefile.read_rules_file()
    default_set = rules.CompiledRuleset.build(shipped)
    start = time.perf_counter()
    big_set = rules.CompiledRuleset.build(synthetic_rules(shipped, SYNTHETIC))
    compile_ms = (time.perf_counter() - start) * 1000
    from tests.helpers import load_examples

    examples = load_examples()

    print(f"Rule evaluation benchmark (median of {RUNS} runs per example, warm caches)")
    print(f"compiling {len(big_set.rules)} rules: {compile_ms:.1f} ms (once per rule set version)")
    print()
    header = (
        f"{'example':36} {f'{len(default_set.rules)} rules':>10} {'1,000 rules':>12} {'ratio':>7} "
        f"{'1,000 (cpu)':>12} {'fired':>11}"
    )
    print(header)
    print("-" * len(header))
    worst = 0.0
    for name, example in examples.items():
        values = rules.values_for(example["answers"])
        small = median_ms(lambda v=values: rules.evaluate(v, default_set))
        big = median_ms(lambda v=values: rules.evaluate(v, big_set))
        big_cpu = cpu_ms(lambda v=values: rules.evaluate(v, big_set))
        fired = len(rules.evaluate(values, big_set).fired)
        worst = max(worst, big)
        print(
            f"{name:36} {small:7.3f} ms {big:9.3f} ms {big / small:6.1f}x "
            f"{big_cpu:9.3f} ms {fired:5d}/{SYNTHETIC}"
        )

    values = rules.values_for(next(iter(examples.values()))["answers"])

    def cold():
        render_markdown.cache_clear()
        rules.evaluate(values, big_set)

    cold_ms = median_ms(cold, runs=20)
    conditions_only = median_ms(
        lambda: [r.condition.evaluate(values) for r in big_set.rules], runs=RUNS
    )
    print()
    print(f"1,000 conditions only (no rendering):         {conditions_only:.3f} ms")
    print(f"1,000 rules, Markdown cache cleared each run:  {cold_ms:.3f} ms")
    verdict = "OK" if worst < TARGET_MS else "OVER TARGET"
    print(f"worst 1,000-rule evaluation: {worst:.3f} ms (target < {TARGET_MS:.0f} ms): {verdict}")
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
