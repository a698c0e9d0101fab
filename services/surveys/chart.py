"""The survey report's PNG chart (sent in chat): service-area average scores and the satisfaction
and loyalty rates by owner stage, labelled in the reader's locale.

matplotlib draws with the Agg backend (no display) and a CJK font shipped by a pip package
(mplfonts' Noto Sans CJK), registered once at start (``register_font``): nothing is downloaded at
run time, and a label in Chinese never falls back to boxes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path

from dialogs.text import N_, Msg, Plural, Text
from services.surveys.metrics import CampaignMetrics
from services.surveys.vocabulary import AREA_LABELS, STAGE_LABELS

FONT_FILE = "NotoSansCJKsc-Regular.otf"
AVERAGE, SATISFACTION, LOYALTY = N_("Average score"), N_("Satisfaction rate"), N_("Loyalty rate")
AREAS, STAGES = N_("Service areas (average score, 1–5)"), N_("Rates by owner stage")


@cache
def register_font() -> str:
    """Register mplfonts' Noto Sans CJK with matplotlib (once per process) and select the Agg
    backend; the font's family name."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    path = Path(str(resources.files("mplfonts") / "fonts" / FONT_FILE))  # the package's own font file
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def chart_png(metrics: CampaignMetrics, label: Callable[[Text], str]) -> bytes:
    """Two horizontal bar charts, one above the other (a phone shows a tall picture best, and long
    category names read on the left instead of colliding under the bars), as PNG bytes. A stage
    without respondents shows "—" instead of a bar of zero."""
    family = register_font()
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.2, 8.4), dpi=110, layout="constrained")
    figure.suptitle(metrics.name, fontfamily=family, fontsize=14)
    areas, stages = figure.subplots(2, 1, height_ratios=(5, 4))

    area_names = [label(Msg(AREA_LABELS[area])) for area in metrics.by_area]
    area_scores = [score.average for score in metrics.by_area.values()]
    rows = list(range(len(area_names)))[::-1]  # the first area on top
    bars = areas.barh(rows, [v or 0.0 for v in area_scores], color="#4472c4", height=0.6)
    areas.bar_label(bars, labels=[f"{v:.2f}" if v is not None else "—" for v in area_scores], padding=3,
                    fontfamily=family)
    areas.set_yticks(rows, area_names)
    areas.set_xlim(0, 5.4)
    areas.set_xticks(range(6))
    areas.set_title(label(Msg(AREAS)), fontfamily=family)

    stage_names = [label(Msg(STAGE_LABELS[stage])) + "\n" + label(Plural("{n} respondent", "{n} respondents",
                                                                         rates.respondents))
                   for stage, rates in metrics.by_stage.items()]
    rows = list(range(len(stage_names)))[::-1]
    height = 0.38
    for offset, (name, values, color) in enumerate((
        (SATISFACTION, [r.satisfaction for r in metrics.by_stage.values()], "#70ad47"),
        (LOYALTY, [r.loyalty for r in metrics.by_stage.values()], "#ed7d31"),
    )):
        drawn = stages.barh([r + (0.5 - offset) * height for r in rows], [(v or 0.0) * 100 for v in values], height,
                            label=label(Msg(name)), color=color)
        stages.bar_label(drawn, labels=[f"{v:.0%}" if v is not None else "—" for v in values], padding=3,
                         fontfamily=family, fontsize=9)
    stages.set_yticks(rows, stage_names)
    stages.set_xlim(0, 115)
    stages.xaxis.set_major_formatter("{x:.0f}%")
    stages.set_title(label(Msg(STAGES)), fontfamily=family)
    stages.legend(prop={"family": family}, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=2, frameon=False)
    for axes in (areas, stages):
        for tick in (*axes.get_yticklabels(), *axes.get_xticklabels()):
            tick.set_fontfamily(family)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
