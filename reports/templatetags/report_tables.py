from django import template

from reports import rendering

register = template.Library()


@register.simple_tag(takes_context=True)
def compare_table(context, caption, rows):
    """`{% compare_table caption rows %}`: the measures `rows` across the page's `spans` (their
    headings written once for the page's tables)."""
    heads = context.render_context.get("report_span_heads")
    if heads is None:
        heads = rendering.span_heads_html(context["spans"])
        context.render_context["report_span_heads"] = heads
    return rendering.compare_table_html(caption, heads, rows)


@register.simple_tag(takes_context=True)
def report_charts(context):
    """The page's breakdowns (`charts`) and its `heatmap`."""
    return rendering.charts_html(context["charts"], context["heatmap"], context["weekdays"])
