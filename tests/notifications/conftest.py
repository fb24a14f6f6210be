import pytest

from notifications.channels import LocmemSMSProvider


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Text messages go to the recording provider; each test starts with an empty outbox."""
    settings.SMS_PROVIDER = "notifications.channels.LocmemSMSProvider"
    settings.SITE_URL = "https://homework.example.org"
    LocmemSMSProvider.outbox = []
    LocmemSMSProvider.failures = 0
    yield LocmemSMSProvider.outbox
    LocmemSMSProvider.outbox = []
    LocmemSMSProvider.failures = 0


@pytest.fixture
def retries_run_in_process():
    """Eager tasks retry at once, in the test's process, instead of raising Retry."""
    from homework_mgmt.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous
