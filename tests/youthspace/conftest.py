import pytest


@pytest.fixture
def send_now(tasks_in_process, django_capture_on_commit_callbacks):
    """Run the on-commit sends of the block in this process (mail.outbox)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
