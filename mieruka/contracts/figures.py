"""The procurement insight charts as Plotly figures (JSON data). No ORM here.

Drawn in the page by the insights script from the installed `plotly` package, like every chart of Mieruka.
Each bar, bin and cell carries in `customdata` the URL of the contracts list that reproduces it (the
script opens it on a click); `meta` holds the figures behind the points (contract count, amount) so a
test can follow every link and compare. The table beside each chart holds the same figures and links.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from mieruka.core.formatting import fiscal_year_label, yen_compact

# The insights palette (3:1 contrast against white, distinguishable in grey).
BLUE, ORANGE, GREY = "#00417a", "#b04a00", "#5c5c5c"
FONT = {"family": "Noto Sans CJK JP, Noto Sans JP, sans-serif", "size": 13, "color": "#1a1a1a"}


def _layout(*, height: int, left: int = 70, bottom: int = 60, **axes) -> dict:
    return {"height": height, "margin": {"l": left, "r": 30, "t": 20, "b": bottom}, "font": FONT,
            "showlegend": False, "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", **axes}


def _year(year: int, lang: str) -> str:
    return fiscal_year_label(year, lang=lang).split("（")[0]  # the table beside it gives the era name


def single_bid_by_ministry_figure(points: list[dict]) -> dict:
    """Horizontal bars: each ministry's 一者応札 share, labelled `share% (single / competitive)`."""
    points = list(reversed(points))  # Plotly draws the first category at the bottom
    return {
        "data": [{
            "type": "bar", "orientation": "h", "y": [p["label"] for p in points], "x": [float(p["share"]) for p in points],
            "text": [f"{p['share']}% ({p['single']:,}/{p['competitive']:,})" for p in points],
            "textposition": "outside", "cliponaxis": False, "marker": {"color": BLUE},
            "customdata": [p["url"] for p in points], "meta": {"count": [p["single"] for p in points]},
            "hovertemplate": "%{y}<br>%{text}<extra></extra>",
        }],
        "layout": _layout(height=max(220, 34 * len(points) + 80), left=150,
                          xaxis={"title": {"text": _("Single-bidder share (%)")}, "rangemode": "tozero",
                                 "range": [0, max([float(p["share"]) for p in points] + [10]) * 1.35]},
                          yaxis={"type": "category", "automargin": True}),
    }


def single_bid_by_year_figure(points: list[dict], *, lang: str) -> dict:
    """Bars per fiscal year of the share over all ministries."""
    return {
        "data": [{
            "type": "bar", "x": [_year(p["year"], lang) for p in points], "y": [float(p["share"]) for p in points],
            "text": [f"{p['share']}% ({p['single']:,}/{p['competitive']:,})" for p in points],
            "textposition": "outside", "cliponaxis": False, "marker": {"color": ORANGE},
            "customdata": [p["url"] for p in points], "meta": {"count": [p["single"] for p in points]},
            "hovertemplate": "%{x}<br>%{text}<extra></extra>",
        }],
        "layout": _layout(height=320, xaxis={"type": "category", "automargin": True},
                          yaxis={"title": {"text": _("Single-bidder share (%)")}, "rangemode": "tozero",
                                 "range": [0, max([float(p["share"]) for p in points] + [10]) * 1.25]}),
    }


def top_vendors_figure(vendors: list[dict], *, lang: str) -> dict:
    """Horizontal bars of the top vendors' total amount in 億円, labelled in 億円/百万円."""
    vendors = list(reversed(vendors))
    # The axis in the unit of the labels: 億円 in Japanese, billions in English.
    english = lang.startswith("en")
    divisor, unit = (1_000_000_000, _("billion yen")) if english else (100_000_000, _("100 million yen"))
    return {
        "data": [{
            "type": "bar", "orientation": "h", "y": [v["name"] for v in vendors],
            "x": [round(v["amount"] / divisor, 3) for v in vendors],
            "text": [yen_compact(v["amount"], lang=lang) for v in vendors], "textposition": "outside",
            "cliponaxis": False, "marker": {"color": BLUE}, "customdata": [v["url"] for v in vendors],
            "meta": {"count": [v["count"] for v in vendors], "amount": [v["amount"] for v in vendors]},
            "hovertemplate": "%{y}<br>%{text}<extra></extra>",
        }],
        "layout": _layout(height=max(240, 34 * len(vendors) + 80), left=260,
                          xaxis={"title": {"text": unit}, "rangemode": "tozero", "separatethousands": True,
                                 "range": [0, max([v["amount"] / divisor for v in vendors] + [0.01]) * 1.3]},
                          yaxis={"type": "category", "automargin": True}),
    }


def vendor_share_figure(vendors: list[dict], ministries: list[tuple[str, str]], totals: list[int], *,
                        limit: int = 15) -> dict:
    """A heat map: each top vendor's share (%) of each ministry's contract amount; blank where it has none.

    Only the `limit` ministries with the largest contract amount get a column, in their usual order, so every
    column keeps a readable label; the table under the chart has them all."""
    largest = sorted(range(len(ministries)), key=lambda i: -totals[i])[:limit]
    columns = sorted(largest)
    z, text, urls, counts, amounts = [], [], [], [], []
    for v in reversed(vendors):
        shares = [v["shares"][i] for i in columns]
        z.append([float(s["share"]) if s else None for s in shares])
        text.append([f"{s['share']}%" if s else "" for s in shares])
        urls.append([s["url"] if s else "" for s in shares])
        counts.append([s["count"] if s else 0 for s in shares])
        amounts.append([s["amount"] if s else 0 for s in shares])
    return {
        "data": [{
            "type": "heatmap", "x": [ministries[i][1] for i in columns], "y": [v["name"] for v in reversed(vendors)],
            "z": z, "text": text, "texttemplate": "%{text}", "customdata": urls, "hoverongaps": False,
            "colorscale": [[0, "#e8f0f8"], [1, BLUE]], "zmin": 0, "xgap": 2, "ygap": 2,
            "colorbar": {"title": {"text": "%"}}, "meta": {"count": counts, "amount": amounts},
            "hovertemplate": "%{y}<br>%{x}: %{text}<extra></extra>",
        }],
        "layout": _layout(height=max(260, 34 * len(vendors) + 120), left=260, bottom=110,
                          xaxis={"type": "category", "automargin": True, "tickangle": -40, "dtick": 1},
                          yaxis={"type": "category", "automargin": True}),
    }


def lock_in_figure(locks: list[dict], *, lang: str, limit: int = 20) -> dict:
    """Horizontal bars: the systems one vendor has held longest (fiscal years), labelled with the vendor."""
    shown = list(reversed(locks[:limit]))
    return {
        "data": [{
            "type": "bar", "orientation": "h", "y": [f"{p['system_id']} · {p['name']}" for p in shown],
            "x": [len(p["years"]) for p in shown],
            "text": [_("%(n)s fiscal years (%(amount)s)") % {"n": len(p["years"]), "amount": yen_compact(p["amount"], lang=lang)}
                     for p in shown],
            "textposition": "outside", "cliponaxis": False, "marker": {"color": ORANGE},
            "customdata": [p["url"] for p in shown], "meta": {"count": [p["count"] for p in shown]},
            "hovertemplate": "%{y}<br>%{text}<extra></extra>",
        }],
        "layout": _layout(height=max(240, 30 * len(shown) + 80), left=300,
                          xaxis={"title": {"text": _("Fiscal years with the same vendor")}, "rangemode": "tozero",
                                 "dtick": 1, "range": [0, max([len(p["years"]) for p in shown] + [1]) * 1.4]},
                          yaxis={"type": "category", "automargin": True}),
    }


def award_rate_figure(bands: list[dict]) -> dict:
    """A histogram in the page's bands: contracts per award-rate band, labelled with count and share."""
    return {
        "data": [{
            "type": "bar", "x": [b["label"] for b in bands], "y": [b["count"] for b in bands],
            "text": [f"{b['count']:,}" + (f" ({b['share']}%)" if b["share"] is not None else "") for b in bands],
            "textposition": "outside", "cliponaxis": False, "marker": {"color": BLUE},
            "customdata": [b["url"] for b in bands], "meta": {"count": [b["count"] for b in bands]},
            "hovertemplate": "%{x}<br>%{text}<extra></extra>",
        }],
        "layout": _layout(height=340, bottom=80, xaxis={"type": "category", "automargin": True,
                                                        "title": {"text": _("Award rate")}},
                          yaxis={"title": {"text": _("Contracts")}, "rangemode": "tozero", "separatethousands": True,
                                 "range": [0, max([b["count"] for b in bands] + [1]) * 1.25]}),
    }
