"""The cadre's top menu: every page she may use, the few her role uses first in front (core.policy.menu_first),
the rest behind one 更多 button (a <details>, so it opens without JavaScript)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .policy import Action, actions_of, has_leader_role, menu_first, sees_api_docs
from .selectors_audit import sees_audit

# key, URL name, label, what she needs to see it: an action, a rule of core.policy, or None (every cadre)
ENTRIES = [
    ("home", "home", _("工作台"), None),
    ("today", "today", _("今日工作"), None),
    ("tasks", "task_list", _("工作任务"), None),
    ("priorities", "priorities_home", _("工作重点"), None),
    ("supervision", "supervision_home", _("督导"), None),
    ("meetings", "meeting_list", _("会议"), None),
    ("women", "women_list", _("妇女名册"), None),
    ("cases", "case_queue", _("维权服务"), None),
    ("incidents", "incident_list", _("维权事件"), None),
    ("units", "unit_root", _("组织树"), None),
    ("field_weeks", "field_weeks", _("下基层"), None),
    ("homes", "home_list", _("妇女之家"), None),
    ("activities", "activity_list", _("活动"), None),
    ("families", "families_list", _("家庭"), None),
    ("awards", "award_campaign_list", _("家庭评选"), None),
    ("award_checks", "award_checks", _("评选资格核查"), has_leader_role),
    ("care", "care_registry", _("关爱帮扶"), None),
    ("care_plans", "care_plans", _("帮扶台账"), None),
    ("funding", "funding_home", _("经费"), None),
    ("consultations", "consultation_list", _("议事协商"), None),
    ("proposals", "proposal_list", _("提案建议"), None),
    ("publish", "publish_list", _("信息发布"), None),
    ("practices", "practice_list", _("典型做法"), None),
    ("dashboard", "dashboard_home", _("工作评价"), None),
    ("ranking", "ranking", _("四率排名"), None),
    ("surveys", "survey_list", _("问卷"), None),
    ("notices", "notices", _("通知"), None),
    ("burden", "burden", _("减负统计"), None),
    ("accounts", "account_list", _("干部账号"), Action.MANAGE_ACCOUNTS),
    ("audit", "audit_search", _("操作审计"), sees_audit),
    ("api", "api:openapi-view", _("API 文档"), sees_api_docs),
    ("admin", "admin:index", _("数据维护"), Action.ADMIN_SITE),
    ("me", "account_me", _("我的账号"), None),
]


def menu_for(user) -> dict[str, list[dict]]:
    """{"first": [...], "more": [...]}: entries {key, url, label} she may use, her role's first ones in front."""
    actions = actions_of(user)
    if not actions and not getattr(user, "is_authenticated", False):
        return {"first": [], "more": []}
    usable = {key: {"key": key, "url": reverse(name), "label": label}
              for key, name, label, needs in ENTRIES
              if needs is None or (needs(user) if callable(needs) else needs in actions)}
    first_keys = [key for key in menu_first(user) if key in usable]
    return {"first": [usable[key] for key in first_keys],
            "more": [entry for key, entry in usable.items() if key not in first_keys]}
