"""The school's DfE number (LAESTAB), which every Common Transfer File names: a file for
another school is refused by the CTF kind."""

from django.db import transaction

from school.models import School, User


@transaction.atomic
def school_dfe_number_set(*, school: School, actor: User, dfe_number: str) -> bool:
    """Sets the number (7 digits, or blank); whether it changed."""
    changed = (
        School.objects.filter(pk=school.pk)
        .exclude(dfe_number=dfe_number)
        .update(dfe_number=dfe_number)
    )
    school.dfe_number = dfe_number
    return bool(changed)
