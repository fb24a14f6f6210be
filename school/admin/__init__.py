"""The Django admin for school setup.

A superuser sees every school. Anyone else who reaches the admin (is_staff) must hold the
school admin role at their own school, and then manages that school's rows only: every
queryset, choice list and autocomplete is scoped to it, new rows get the school without
being asked, and another school's object answers like a missing one. Permissions come
from the role, not from Django's per-model permission rows, so granting the role is the
only setup a school admin needs.

By area: `scoping` (who may manage what, and the forms and base admins that keep every
row, choice and autocomplete inside the school; other apps' admins build on it), `users`
(logins and their roles, and the rule for a login shared by schools of a trust),
`pupils` (pupils and their guardians), `calendar` (the school, its years, half-terms and
days off) and `groups` (year groups, houses, tutor groups, subjects and classes)."""

# Importing each area registers its model admins (Django's autodiscover imports this).
from . import calendar, groups, pupils, users  # noqa: F401
