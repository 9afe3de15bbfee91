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
