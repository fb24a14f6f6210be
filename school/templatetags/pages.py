"""`{% page_link "page" 3 %}`: the address of another page of a long list, keeping the
rest of the current query (its filters, the school a superuser chose)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_link(context, param: str, number: int) -> str:
    query = context["request"].GET.copy()
    query[param] = str(number)
    return f"?{query.urlencode()}"
