"""The product's template of a privacy notice, shown until the school has written its
own: it says plainly that it is a template for the school to adapt. English only: a
school writes its own words in Polish and Urdu."""

DEFAULT_NOTICE = """\
**This is the product's template notice. {school} has not yet written its own: the school
adapts it to say who its data protection officer is and how to reach them.**

### Who we are

{school} is the data controller for the information this homework service holds about
pupils and their parents and carers. The service is run for the school; the school
decides what is held and why.

### What we hold and why

- Pupils' names, year and tutor groups, and the support the school gives them, so that
  teachers can set homework and follow up missed work.
- Homework set, handed in, marked and its feedback; missed deadlines, detentions,
  rewards and clubs attended.
- Parents' and carers' names and contact details, so that the school can tell them about
  their child's homework, and messages between families and staff.

The school does this as part of its public task of educating pupils (UK GDPR article
6(1)(e)). Information about special educational needs is used only to support the pupil
(article 9(2)(g)).

### Your rights

You may ask for a copy of the information held about you or your child, ask for it to be
put right, and in some cases ask for it to be erased or for its use to be restricted. Ask
the school office. You may also complain to the Information Commissioner's Office
(ico.org.uk).
"""


def default_notice(school_name: str) -> str:
    return DEFAULT_NOTICE.format(school=school_name)
