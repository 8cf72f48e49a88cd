"""``{% route 'cables:list' %}``: ``{% url 'cables:list' %}`` of a route without arguments,
worked out once per process (``cables.paths.route_path``): the url tag resolves its route at
each use (~50 us), and every page's navigation has a dozen."""

from django import template

from cables.paths import route_path

register = template.Library()


@register.simple_tag
def route(name: str) -> str:
    return route_path(name)
