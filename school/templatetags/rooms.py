"""How a room reads in a sentence for families: the school's own name for it when that
already says "room" ("Room 14", "Music room"), else the word in the reader's language
before it ("Sala 14" for a room the school calls "14")."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def room_name(room: str) -> str:
    room = (room or "").strip()
    if not room or "room" in room.lower():
        return room
    return gettext("Room %(room)s") % {"room": room}
