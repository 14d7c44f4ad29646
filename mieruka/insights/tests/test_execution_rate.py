from mieruka.insights import figures


def test_a_year_without_reported_execution_has_no_rate_rather_than_zero():
    totals = {
        (2024, "operation", "initial"): 1_000, (2024, "operation", "executed"): 900,
        (2025, "operation", "initial"): 1_000,
    }
    chart = figures.execution_rate(totals=totals, years=[2024, 2025], lang="ja")
    assert chart.figure["data"][0]["y"] == [90.0, None]
    assert [r["rate"] for r in chart.rows] == [90.0, None]
