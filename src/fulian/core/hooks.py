"""Effects that cross from one app to a sibling or to a lower layer, without an import between them.

An app that does something others must follow announces it with `hook_call(name, **facts)` inside its own
transaction; the apps that care registered a function with `hook_register(name, fn)` in their AppConfig.ready.
Calls are synchronous and in registration order, so a failing listener rolls the whole change back. The names in
use are listed here, so a reader finds every listener with one search:

- "woman.moved" (woman, old_path): contacts re-homes her history and ends links of cadres whose area she left.
- "woman.merged" (source, target) → dict of moved counts: contacts moves her contacts, needs and links; activities
  her sign-ups, check-ins and completions; people her places in families.
- "woman_account.forgotten" (account, now): a dormant 我的 account starts empty — activities unlinks her sign-ups.
- "training.outcome_choices" (actor, woman) → {"completions": [(id, label)], "kinds": [...]}: what a contact log may
  record as a training's outcome (activities).
- "training.outcome" (actor, woman, completion_id, kind, amount, note, recorded_on, contact_log_id): a contact log
  records a training's outcome (activities).
- "account.moved" (actor, account, now) → dict: contacts hands her women on, cases releases her case roles.
- "need.became_case" (need_id): contacts seals the need (its text now lives in the case).
- "family.open_cases" (woman_ids) → [(case id, unit path)]: cases names the open domestic-violence and family-dispute
  cases of these women, for family awards' eligibility check (nothing of their content).
- "case.may_know" (user, case_id) → bool: cases says whether she has need-to-know of that case (awards).
- "activity.for_relay" (user, q) → [(id, title, unit_path, starts_on)]: activities of her subtree (not cancelled,
  title containing q) that family awards' story relay may link to (activities).
- "activity.get_for_relay" (user, activity_id) → (id, title, unit_path, starts_on) or None: one of them (activities).
- "need.for_care" (user, need_id) → dict or None: contacts gives a need she may edit (woman, unit, category, text,
  status), for care to open or join a help plan with it.
- "need.met" (actor, need_id, today, resolution): a care goal that came from the need was met — contacts closes it.
- "family.carers" (woman_ids) → set of cadre ids: contacts names the cadres linked now to these women (care's
  need-to-know for a family's children).
- "care.visits" (user, woman_ids, since) → [dict]: contacts gives her contact logs since a date (a plan's visits).
- "course.seats" (activity_ids) → {id: dict}: activities gives courses' places (capacity, confirmed, open).
- "course.for_resource" (user, activity_id) → dict or None: a training of her subtree whose seats care may offer.
- "course.choices" (user, q) → [(id, label)]: the trainings she may offer seats of (care's resource form).
- "course.seat_take" (actor, woman, activity_id) → {"signup_id", "capacity", "confirmed"}: activities signs her up
  by her cadre; a full course raises Conflict (care's acceptance of a seat rolls back).
- "care.women_by_unit" (path, on) → {unit path: n}: care counts the women in a care group on a day, per unit under a
  path (funding's care-weighted allocations).
- "visit.help_request" (actor, woman, kind, urgency, made_at, client_token) → {"id", "tracking"}: a help request
  a cadre registered on a visit offline becomes a case (cases); kind and urgency only, the story is added online.
- "visit.help_choices" () → {"kinds": [(value, label)], "urgencies": [...]}: what the offline help request offers.
- "funding.link" (user, kind, link_id) → title or None: the activity or project (activities) or help plan (care)
  she may see that an expense is linked to.
"""

from collections import defaultdict
from collections.abc import Callable

_hooks: dict[str, list[Callable]] = defaultdict(list)


def hook_register(name: str, fn: Callable) -> None:
    if fn not in _hooks[name]:
        _hooks[name].append(fn)


def hook_call(name: str, **facts) -> list:
    """Call every listener of `name`; returns their results in order."""
    return [fn(**facts) for fn in _hooks[name]]
