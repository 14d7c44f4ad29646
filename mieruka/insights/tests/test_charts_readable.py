"""Every chart reads the same way: separators and no SI prefixes on the value axis, labels on bars."""

from mieruka.insights import charts


def chart(traces, **layout):
    return charts.Chart(name="c", title="t", columns=[], rows=[], figure={"data": traces, "layout": layout})


def test_the_value_axis_of_vertical_bars_has_thousands_separators_and_no_si_prefix():
    figure = chart([{"type": "bar", "x": ["厚生労働省"], "y": [600_000.0]}]).figure
    axis = figure["layout"]["yaxis"]
    assert (axis["tickformat"], axis["separatethousands"], axis["exponentformat"]) == (",~f", True, "none")
    assert figure["data"][0]["texttemplate"] == "%{y:,.1~f}"
    assert "tickformat" not in figure["layout"].get("xaxis", {})  # fiscal years stay 2025, not 2,025


def test_horizontal_bars_label_the_x_axis_and_wrap_long_names():
    name = "デジタル庁・府省共同プロジェクト運用基盤"
    figure = chart([{"type": "bar", "orientation": "h", "y": [name, "法務省"], "x": [1.5, 2.0]}]).figure
    assert figure["layout"]["xaxis"]["tickformat"] == ",~f"
    assert figure["data"][0]["texttemplate"] == "%{x:,.1~f}"
    assert figure["data"][0]["y"] == [name[:14] + "<br>" + name[14:], "法務省"]


def test_a_figure_keeps_what_it_set_itself():
    figure = chart([{"type": "bar", "x": [1], "y": [2], "texttemplate": "%{y}%"}],
                   yaxis={"tickformat": ".0%"}).figure
    assert figure["data"][0]["texttemplate"] == "%{y}%"
    assert figure["layout"]["yaxis"]["tickformat"] == ".0%"


def test_the_legend_sits_above_the_plot():
    legend = charts.layout()["legend"]
    assert (legend["y"], legend["yanchor"]) == (1.02, "bottom")
