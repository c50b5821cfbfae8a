"""Layout tags any template can use so that a page fits a phone."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.html import format_html

register = template.Library()


class TableWrapNode(template.Node):
    def __init__(self, nodelist: NodeList, label: FilterExpression) -> None:
        self.nodelist = nodelist
        self.label = label

    def render(self, context: template.Context) -> str:
        # A region the keyboard can reach and scroll, named for screen readers (WCAG 2.1.1 and
        # axe's scrollable-region-focusable): the table scrolls inside it, never the page.
        return format_html(
            '<div class="table-wrap" role="region" aria-label="{}" tabindex="0">{}</div>',
            self.label.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def table_wrap(parser: Parser, token: Token) -> TableWrapNode:
    """`{% table_wrap _("Projects I can edit") %}<table>…</table>{% endtable_wrap %}`: a table
    wider than the screen scrolls sideways inside its own box, named by the label."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the table's name")
    nodelist = parser.parse(("endtable_wrap",))
    parser.delete_first_token()
    return TableWrapNode(nodelist, parser.compile_filter(bits[1]))
