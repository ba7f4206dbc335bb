import secrets
from contextlib import contextmanager

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from accounts import mail
from accounts import seed as accounts_seed
from accounts.discovery import app_modules
from convention_portal.celery import app


@contextmanager
def tasks_here():
    """The jobs the seed's workflows trigger run in this process, inside the seed's
    email hold, whether or not a worker is listening: the demo never depends on one and
    never mails anybody."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


class Command(BaseCommand):
    help = (
        "Creates the demo data (idempotent). New demo users get one generated password, "
        "printed once; --reset-passwords gives every demo user a new one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset-passwords", action="store_true")

    def handle(self, *args, reset_passwords=False, **options):
        password = secrets.token_urlsafe(12)
        reason = gettext("Données de démonstration : courriel jamais envoyé.")
        with mail.held(reason), tasks_here():
            demo = accounts_seed.seed(password=password, reset_passwords=reset_passwords)
            # Every other app with a `seed.py` adds its demo data, in INSTALLED_APPS
            # order (the order the apps depend on each other).
            for module in app_modules("seed"):
                if module is accounts_seed:
                    continue
                summary = module.seed(demo)
                if summary:
                    self.stdout.write(f"{module.__name__.removesuffix('.seed')}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demo data ready (no email was sent)."))
        if demo.created_users:
            self.stdout.write("Demo sign-ins (the password is shown only now):")
            for user in demo.created_users:
                self.stdout.write(f"  {user.email}")
            self.stdout.write(f"  password: {password}")
        else:
            self.stdout.write(
                "Demo users already existed: passwords unchanged "
                "(run `manage.py seed_demo --reset-passwords` for a new one)."
            )
