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

from dialogs.text import N_, Msg, Text
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
    """Two bar charts side by side, as PNG bytes."""
    family = register_font()
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11, 4.8), dpi=110, layout="constrained")
    figure.suptitle(metrics.name, fontfamily=family, fontsize=14)
    areas, stages = figure.subplots(1, 2)
    area_names = [label(Msg(AREA_LABELS[area])) for area in metrics.by_area]
    area_scores = [score.average or 0.0 for score in metrics.by_area.values()]
    bars = areas.bar(area_names, area_scores, color="#4472c4")
    areas.bar_label(bars, labels=[f"{v:.2f}" if v else "" for v in area_scores], fontfamily=family)
    areas.set_ylim(0, 5)
    areas.set_title(label(Msg(AREAS)), fontfamily=family)
    stage_names = [label(Msg(STAGE_LABELS[stage])) for stage in metrics.by_stage]
    positions = list(range(len(stage_names)))
    width = 0.38
    for offset, (name, values, color) in enumerate((
        (SATISFACTION, [r.satisfaction or 0.0 for r in metrics.by_stage.values()], "#70ad47"),
        (LOYALTY, [r.loyalty or 0.0 for r in metrics.by_stage.values()], "#ed7d31"),
    )):
        drawn = stages.bar([p + (offset - 0.5) * width for p in positions], [v * 100 for v in values], width,
                           label=label(Msg(name)), color=color)
        stages.bar_label(drawn, labels=[f"{v:.0%}" for v in values], fontfamily=family, fontsize=8)
    stages.set_xticks(positions, stage_names)
    stages.set_ylim(0, 110)
    stages.set_ylabel("%")
    stages.set_title(label(Msg(STAGES)), fontfamily=family)
    stages.legend(prop={"family": family})
    for axes in (areas, stages):
        for tick in axes.get_xticklabels():
            tick.set_fontfamily(family)
            tick.set_wrap(True)
        axes.tick_params(axis="x", labelsize=8)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
