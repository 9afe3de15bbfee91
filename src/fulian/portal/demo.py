"""Demo portal content: published pieces in each column, written and reviewed through the real workflow."""

from fulian.orgs.models import Unit

from . import services

PIECES = [
    (
        "notice",
        "130000000000",
        "关于开展“最美家庭”寻访活动的通知",
        "各市妇联：为弘扬家庭美德，省妇联决定在全省开展“最美家庭”寻访活动……",
        "",
    ),
    (
        "notice",
        "130123000000",
        "关于举办家庭教育公益讲座的通知",
        "各乡镇(街道)妇联：县妇联定于本月在县妇女之家举办家庭教育公益讲座……",
        "",
    ),
    (
        "bulletin",
        "130000000000",
        "全省乡镇(街道)妇联换届工作全面完成",
        "全省乡镇(街道)妇联全部完成换届并组建执委会，一批基层一线优秀妇女进入执委会……",
        "",
    ),
    (
        "practice",
        "130100000000",
        "石家庄：村(社区)妇代会改建妇联“三步走”",
        "石家庄市妇联以“摸底、指导、验收”三步推进改建工作……",
        "",
    ),
    (
        "policy",
        "130000000000",
        "河北省妇女权益保障条例",
        "第一条 为了保障妇女的合法权益……",
        "河北省人民代表大会常务委员会",
    ),
    (
        "policy",
        "130000000000",
        "中华人民共和国反家庭暴力法",
        "第一条 为了预防和制止家庭暴力……",
        "全国人民代表大会常务委员会",
    ),
]


def demo_articles(*, author, reviewer) -> int:
    for category, code, title, body, issuer in PIECES:
        article = services.article_save(
            actor=author,
            unit=Unit.objects.get(code=code),
            title=title,
            body=body,
            category=category,
            issuer=issuer,
            channels=["wechat"],
        )
        services.article_submit(actor=author, article=article)
        services.article_review(actor=reviewer, article=article, approve=True)
    return len(PIECES)


# 典型做法 passed upward: one from 恒东社区 passed to the province and published with its photos, one waiting at 正定县

PRACTICES = [
    ("恒东社区“妇女议事会”每月一议",
     "恒东社区妇联每月第一个周六召开妇女议事会，由执委轮流主持，居民妇女围绕家门口的小事议事：加装楼道扶手、"
     "开办“四点半课堂”、调解邻里纠纷。议定的事项由社区两委和妇联执委分头落实，下次会议通报进展。\n"
     "一年来共召开议事会12次，参与妇女300余人次，办成实事17件。"),
    ("巾帼志愿服务队“敲门行动”",
     "恒东社区妇联组织18名巾帼志愿者，每周两次走访留守老人和困境儿童家庭，登记需求、代办事项，"
     "发现家庭矛盾苗头及时报告村妇联主席。"),
]


def _png(width: int, height: int, rgb: tuple[int, int, int], stripe: tuple[int, int, int]) -> bytes:
    """A plain striped picture (no imaging library needed): enough for the demo's photos."""
    import struct
    import zlib

    rows = b"".join(b"\x00" + bytes(stripe if (y // 40) % 2 else rgb) * width for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def demo_practices(*, users: dict) -> dict:
    """Deterministic and safe to run twice; expects the demo accounts hb-village, hb-township, hb-county, hb-city,
    hb-province (a second province leader, hb-province-vice, is made here to review what hb-province sends)."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from fulian.accounts.demo import DEMO_PASSWORD
    from fulian.accounts.models import User
    from fulian.accounts.services import account_create
    from fulian.core.policy import Role

    from . import practices
    from .models import Practice

    village, township, county = users["hb-village"], users["hb-township"], users["hb-county"]
    province = users["hb-province"]
    reviewer = User.objects.filter(username="hb-province-vice").first() or account_create(
        actor=None, username="hb-province-vice", unit=province.unit, roles=[Role.VICE_CHAIR],
        password=DEMO_PASSWORD, full_name="孙雅琴")
    now = timezone.now()

    def write(index, author, unit, days_ago):
        title, body = PRACTICES[index]
        found = Practice.objects.filter(unit=unit, title=title).first()
        if found is not None:
            return found, False
        photos = [SimpleUploadedFile(f"photo-{index}-{n}.png", _png(480, 320, colour, (250, 250, 250)),
                                     content_type="image/png")
                  for n, colour in enumerate([(180, 35, 42), (26, 127, 55)][: 2 - index])]
        at = now - dt.timedelta(days=days_ago)
        practice = practices.practice_save(actor=author, unit=unit, title=title, body=body, photos=photos, now=at)
        return practices.practice_submit(actor=author, practice=practice, now=at), True

    published, made = write(0, village, village.unit, 9)
    if made:
        step = now - dt.timedelta(days=8)
        for actor, comment in ((township, "议事会办实事效果好，建议推广。"), (county, "全县已有6个社区借鉴。"),
                               (users["hb-city"], "")):
            published = practices.practice_pass_up(actor=actor, practice=published, comment=comment, now=step)
            step += dt.timedelta(days=1)
        published = practices.practice_publish(actor=province, practice=published, category="practice", now=step)
        services.article_review(actor=reviewer, article=published.article, approve=True, now=step)
    waiting, made = write(1, village, village.unit, 2)
    if made:
        waiting = practices.practice_pass_up(actor=township, practice=waiting, comment="请县妇联审定。",
                                             now=now - dt.timedelta(days=1))
    return {"published": published.pk, "article": published.article_id, "waiting": waiting.pk,
            "waiting_at": waiting.holder.name if waiting.holder_id else None}
