"""Demo cadre accounts, one per level, plus a cadre of a sibling county who must see nothing of the first."""

from fulian.core.policy import Role
from fulian.orgs.models import Unit

from .models import User
from .services import account_create

DEMO_PASSWORD = "Fulian2026demo"  # noqa: S105  (demo data only; printed by make demo)

# username, full name, unit code, roles
DEMO_ACCOUNTS = [
    ("hb-admin", "王敏(系统管理员)", "130000000000", [Role.SYSADMIN, Role.STAFF]),
    ("hb-province", "李秀兰", "130000000000", [Role.CHAIR]),
    ("hb-province-vice", "孙雅琴", "130000000000", [Role.VICE_CHAIR]),
    ("hb-city", "张丽华", "130100000000", [Role.CHAIR]),
    ("hb-county", "刘桂英", "130123000000", [Role.CHAIR]),
    ("hb-township", "陈玉梅", "130123100000", [Role.VICE_CHAIR]),
    ("hb-village", "杨春燕", "130123100001", [Role.STAFF]),
    ("hb-village-2", "何晓丽", "130123100001", [Role.EXECUTIVE]),
    ("hb-village-chair", "赵淑珍", "130123100001", [Role.CHAIR]),
    ("hb-other-county", "赵红霞", "130125000000", [Role.CHAIR]),
    ("hlj-province", "孙艳", "230000000000", [Role.CHAIR]),
]


# the leaders who must enrol a second factor get a (made-up) phone, so `make demo` can use SMS codes: with OTP_ECHO
# (on under DEBUG) the code is printed to the server's console, and the log sender writes the SMS there too
DEMO_PHONES = {"hb-admin": "13900000001", "hb-province": "13900000002", "hb-province-vice": "13900000003",
               "hb-city": "13900000004", "hb-county": "13900000005", "hb-other-county": "13900000006",
               "hlj-province": "13900000007"}


def demo_accounts() -> list[tuple[User, str]]:
    made = []
    for username, full_name, code, roles in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = account_create(actor=None, username=username, unit=Unit.objects.get(code=code), roles=roles,
                                  password=DEMO_PASSWORD, full_name=full_name, phone=DEMO_PHONES.get(username, ""))
        made.append((user, DEMO_PASSWORD))
    return made
