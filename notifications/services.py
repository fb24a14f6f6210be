from django.db import transaction

from .tasks import send_email_message


def email_queue(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """Queue an email for the worker once the surrounding transaction has committed."""
    transaction.on_commit(
        lambda: send_email_message.delay(subject=subject, body=body, to=to, html_body=html_body)
    )
