import re

from fulian.core.models import Outbox
from fulian.core.otp import otp_render


def last_code_sent(phone: str) -> str:
    """The code as the SMS sender would send it (the outbox row itself holds no code)."""
    message = Outbox.objects.filter(address=phone).latest("id")
    return re.search(r"(\d{6})", otp_render(message.subject, message.link)).group(1)
