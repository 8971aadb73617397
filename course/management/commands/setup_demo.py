"""Create the demo accounts (learner, instructor, grader) and print their passwords.

Passwords are made once per installation and kept in ./var/demo-accounts.json (never in
the repository); running the command again prints the same ones.
"""

import json
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from course.models import Enrollment
from lessons.models import Course

DEMO_ROLES = {
    "learner": Enrollment.Role.LEARNER,
    "instructor": Enrollment.Role.INSTRUCTOR,
    "grader": Enrollment.Role.GRADER,
}


class Command(BaseCommand):
    help = "Create or refresh the demo accounts and enrol them in every course."

    def handle(self, *args, **options):
        path = settings.VAR_DIR / "demo-accounts.json"
        passwords = json.loads(path.read_text()) if path.exists() else {}
        User = get_user_model()
        for username, role in DEMO_ROLES.items():
            password = passwords.setdefault(username, secrets.token_urlsafe(9))
            user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@duet.invalid"})
            user.set_password(password)
            user.save(update_fields=["password"])
            for course in Course.objects.all():
                Enrollment.objects.update_or_create(user=user, course=course, defaults={"role": role})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(passwords, indent=2))
        path.chmod(0o600)
        self.stdout.write("Demo accounts (username / password):")
        for username in DEMO_ROLES:
            self.stdout.write(f"  {username:<11} {passwords[username]}")
