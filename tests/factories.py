import datetime

import factory
from factory.django import DjangoModelFactory

from school.models import (
    AcademicYear,
    Guardian,
    GuardianLink,
    HalfTerm,
    House,
    Pupil,
    RoleAssignment,
    School,
    Subject,
    TeachingGroup,
    TutorGroup,
    User,
    YearGroup,
)

PASSWORD = "correct-horse-battery"


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")


class AcademicYearFactory(DjangoModelFactory):
    class Meta:
        model = AcademicYear

    school = factory.SubFactory(SchoolFactory)
    name = "2026/27"
    start_date = datetime.date(2026, 9, 1)
    end_date = datetime.date(2027, 8, 31)


class HalfTermFactory(DjangoModelFactory):
    class Meta:
        model = HalfTerm

    academic_year = factory.SubFactory(AcademicYearFactory)
    school = factory.SelfAttribute("academic_year.school")
    name = HalfTerm.Name.AUTUMN_1
    start_date = datetime.date(2026, 9, 2)
    end_date = datetime.date(2026, 10, 23)


class YearGroupFactory(DjangoModelFactory):
    class Meta:
        model = YearGroup
        django_get_or_create = ("school", "number")

    school = factory.SubFactory(SchoolFactory)
    number = 7


class HouseFactory(DjangoModelFactory):
    class Meta:
        model = House

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"House {n}")


class TutorGroupFactory(DjangoModelFactory):
    class Meta:
        model = TutorGroup

    year_group = factory.SubFactory(YearGroupFactory)
    school = factory.SelfAttribute("year_group.school")
    name = factory.Sequence(lambda n: f"T{n}")


class SubjectFactory(DjangoModelFactory):
    class Meta:
        model = Subject

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Subject {n}")
    code = factory.Sequence(lambda n: f"S{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password(PASSWORD)
    school = None


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    school = factory.SelfAttribute("user.school")
    role = RoleAssignment.Role.TEACHER


class TeachingGroupFactory(DjangoModelFactory):
    class Meta:
        model = TeachingGroup
        skip_postgeneration_save = True

    year_group = factory.SubFactory(YearGroupFactory)
    school = factory.SelfAttribute("year_group.school")
    academic_year = factory.SubFactory(
        AcademicYearFactory, school=factory.SelfAttribute("..school")
    )
    subject = factory.SubFactory(SubjectFactory, school=factory.SelfAttribute("..school"))
    name = factory.Sequence(lambda n: f"Class {n}")

    @factory.post_generation
    def teachers(self, create, extracted, **kwargs):
        if create and extracted:
            self.teachers.set(extracted)

    @factory.post_generation
    def pupils(self, create, extracted, **kwargs):
        if create and extracted:
            self.pupils.set(extracted)


class PupilFactory(DjangoModelFactory):
    class Meta:
        model = Pupil

    tutor_group = factory.SubFactory(TutorGroupFactory)
    year_group = factory.SelfAttribute("tutor_group.year_group")
    school = factory.SelfAttribute("tutor_group.school")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    upn = factory.Sequence(lambda n: f"A{n:012d}")
    admission_number = factory.Sequence(lambda n: f"{n:06d}")
    date_of_birth = datetime.date(2015, 1, 15)


class GuardianFactory(DjangoModelFactory):
    class Meta:
        model = Guardian

    school = factory.SubFactory(SchoolFactory)
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.Sequence(lambda n: f"guardian{n}@example.org")
    mobile = "07700 900123"


class GuardianLinkFactory(DjangoModelFactory):
    class Meta:
        model = GuardianLink

    guardian = factory.SubFactory(GuardianFactory)
    pupil = factory.SubFactory(PupilFactory)
    relationship = GuardianLink.Relationship.MOTHER
