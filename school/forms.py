from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from notifications.services import email_queue


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email sent by the Celery worker instead of the
    web request, so a slow mail server never holds up the page."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html_body = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        email_queue(subject=subject, body=body, to=[to_email], html_body=html_body)
