"""The server benchmark pools a page's turns into one distribution
(`bench.server_bench.pooled`): a turn of wrk by its 400 quantiles weighing its
requests, a turn measured apart by its timings. A page's p95 and its ratio to the
floor's then come from every turn alike."""

from __future__ import annotations

from bench.server_bench import pooled


def _wrk_turn(values_ms: list[float], requests: int) -> dict:
    """What bench/wrk_report.lua prints of a turn whose latencies are `values_ms`
    (sorted), each quantile q/4 % the nearest-rank value, in microseconds."""
    ordered = sorted(values_ms)

    def rank(share: float) -> float:
        return ordered[max(0, round(share * len(ordered) + 0.5) - 1)]

    return {
        "p50": rank(0.5),
        "p95": rank(0.95),
        "p99": rank(0.99),
        "requests": requests,
        "quantiles_us": [int(rank(q / 400) * 1000) for q in range(1, 401)],
    }


def test_one_turn_keeps_its_percentiles():
    values = [1 + n / 100 for n in range(1000)]  # 1.00 to 10.99 ms
    turn = _wrk_turn(values, 1000)
    merged = pooled([turn])
    assert abs(merged["p50"] - turn["p50"]) <= 0.011
    assert abs(merged["p95"] - turn["p95"]) <= 0.011
    assert merged["requests"] == 1000 and merged["turn_p95"] == [turn["p95"]]


def test_turns_weigh_by_their_requests():
    fast = _wrk_turn([2.0] * 900, 900)
    slow = _wrk_turn([10.0] * 100, 100)
    merged = pooled([fast, slow])
    # 90 % of the requests at 2 ms: the median is 2, the 95th percentile 10.
    assert merged["p50"] == 2.0 and merged["p95"] == 10.0
    assert merged["requests"] == 1000
    # The same two turns, the slow one ten times as long: the median moves to 10.
    assert pooled([fast, _wrk_turn([10.0] * 1000, 1000)])["p50"] == 10.0


def test_a_turn_measured_apart_counts_each_timing_once():
    apart = {
        "p50": 50.0,
        "p95": 90.0,
        "p99": 90.0,
        "requests": 10,
        "timings": [10.0 * n for n in range(1, 11)],
        "slow": True,
        "rounds": 5,
    }
    merged = pooled([apart, {**apart, "timings": [5.0] * 10}])
    # 20 timings: ten of 5 ms, then 10 to 100 ms: the 10th is 5, the 19th 90.
    assert merged["p50"] == 5.0 and merged["p95"] == 90.0
    assert merged["slow"] and merged["rounds"] == 5 and merged["requests"] == 20
