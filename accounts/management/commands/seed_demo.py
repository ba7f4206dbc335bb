import secrets

from django.core.management.base import BaseCommand

from accounts import seed as accounts_seed
from accounts.discovery import app_modules


class Command(BaseCommand):
    help = (
        "Creates the demo data (idempotent). New demo users get one generated password, "
        "printed once; --reset-passwords gives every demo user a new one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset-passwords", action="store_true")

    def handle(self, *args, reset_passwords=False, **options):
        password = secrets.token_urlsafe(12)
        demo = accounts_seed.seed(password=password, reset_passwords=reset_passwords)
        # Every other app with a `seed.py` adds its demo data, in INSTALLED_APPS order
        # (the order the apps depend on each other).
        for module in app_modules("seed"):
            if module is accounts_seed:
                continue
            summary = module.seed(demo)
            if summary:
                self.stdout.write(f"{module.__name__.removesuffix('.seed')}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
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
