#!/usr/bin/env bash
# Fuzz the whole API from its OpenAPI schema against a running server with a small tree, a record of each kind and
# a county chair's token (scripts/schemathesis_hooks.py puts their ids into the requests); any 5xx fails, and it
# prints how many operations it got past their 404. Used by .ci/run (make schemathesis).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)  # in memory where there is some: the fuzz writes a lot
trap 'kill $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
export FULIAN_DATA_DIR="$tmp" TASKS_BACKEND=immediate API_RATE_CLIENT=100000/m API_RATE_ANONYMOUS=100000/m
unset DATABASE_URL
py=.venv/bin/python
$py manage.py migrate -v0
$py - <<'PY' > "$tmp/divisions.tsv"
import sys
sys.path.insert(0, "src")
from fulian.core.pinyin import name_initials, name_pinyin
TREE = [("130000000000", 1, "河北省"), ("130100000000", 2, "石家庄市"), ("130123000000", 3, "正定县"),
        ("130123100000", 4, "正定镇"), ("130123100001", 5, "恒东社区"), ("130125000000", 3, "行唐县"),
        ("130125100000", 4, "龙州镇"), ("130125100201", 5, "南关村")]
for code, level, name in TREE:
    print(f"{code}\t{level}\t{name}\t{name_initials(name)}\t{name_pinyin(name)}")
PY
$py manage.py load_divisions 13 --file "$tmp/divisions.tsv" >/dev/null
FULIAN_NEW_PASSWORD='Schemathesis2026' $py manage.py account_create chair --unit 130123000000 --role chair >/dev/null
FULIAN_NEW_PASSWORD='Schemathesis2026' $py manage.py account_create cadre --unit 130123100001 --role staff >/dev/null
# one record of each kind, whose ids the hooks (scripts/schemathesis_hooks.py) put into the generated requests
$py manage.py shell >/dev/null <<PY
import datetime as dt, io, json, time
from django.core import signing
from django.utils import timezone
from fulian.accounts.models import User
from fulian.accounts.services import token_create
from fulian.api.routers_portal import TOKEN_SALT
from fulian.cases import services as cases
from fulian.cases.models import Partner
from fulian.contacts import services as contacts
from fulian.core.certificates import certificate_code
from fulian.core.idnumber import parse_id_number
from fulian.core.imports import import_job_create
from fulian.evaluation.services import survey_create, survey_set_status
from fulian.orgs import building, homes
from fulian.orgs.models import Unit
from fulian.people.services import WomanData, woman_create
from fulian.people.tests.helpers import female_id, roster_bytes, row
from fulian.portal.models import WomanAccount
from fulian.portal.services import article_review, article_save, article_submit
from fulian.work.services import report_submit, report_template_create, task_issue

today = timezone.localdate()
chair, cadre = User.objects.get(username="chair"), User.objects.get(username="cadre")
county, village = Unit.objects.get(code="130123000000"), Unit.objects.get(code="130123100001")
women = [woman_create(actor=chair, data=WomanData(name=name, home_unit=village, id_number=parse_id_number(female_id(n))))
         for n, name in enumerate(["王秀兰", "李桂芝", "张凤英", "赵淑珍"], start=1)]
assignment, _ = contacts.assignment_create(actor=chair, woman=women[0], cadre=cadre, today=today)
log = contacts.contact_log_create(actor=chair, woman=women[0], contacted_on=today, channel="home_visit", today=today,
                                  needs=[("legal", "咨询")])
week = contacts.field_week_create(actor=chair, unit=county, title="双月下基层", starts_on=today, ends_on=today)
case = cases.case_intake(kind="dv", home_unit=village, description="x", source="portal", anonymous=True)
partner = Partner.objects.create(unit=county, unit_path=county.path, name="正定县法律援助中心", kind="legal_aid",
                                 phone="031188001148")
body = building.body_create(actor=chair, unit=county, kind="executive", term_start=dt.date(2024, 1, 1),
                            term_end=dt.date(2028, 12, 31))
volunteer = building.volunteer_add(actor=chair, unit=county, name="李梅")
surveys = [survey_create(actor=chair, unit=county, title=t, starts_on=today, ends_on=today + dt.timedelta(days=30),
                         standard=True) for t in ("四率", "四率(公开)")]
for survey in surveys:
    survey_set_status(actor=chair, survey=survey, status="open")
article = article_save(actor=chair, unit=county, title="草稿", body="x", category="notice")
upload = io.BytesIO(roster_bytes([row(id_number=female_id(9)), row(id_number="123")]))  # one bad row: an error report
upload.name, upload.size = "roster.xlsx", len(upload.getvalue())
def woman_token(phone):
    account = WomanAccount.objects.create(phone=phone)
    return "wm_" + signing.dumps({"a": account.pk, "t": time.time()}, salt=TOKEN_SALT)
template = report_template_create(actor=chair, unit=county, name="月报", fields=[
    {"key": "women", "label": "登记妇女", "kind": "computed", "figure": "women_registered"},
    {"key": "trainings", "label": "培训场次", "kind": "number"}])
def task(title):
    return task_issue(actor=chair, unit=county, title=title, body="x", period_start=202601, period_end=202612,
                      deadline=timezone.now() + dt.timedelta(days=30), template=template, level=5)
def copy(task):
    return task.dispatch.recipients.get(unit=village)
tasks = [task(t) for t in ("月度报表", "已报送的报表", "待关闭的报表")]  # open; with a report; for the close route
report_submit(actor=cadre, recipient=copy(tasks[1]), entered={"trainings": "2"})
ids = {"unit_id": county.pk, "woman_id": women[0].pk, "assignment_id": assignment.pk, "need_id": log.needs.get().pk,
       "cadre_id": cadre.pk, "account_id": cadre.pk, "week_id": week.pk, "survey_id": surveys[0].pk,
       "case_id": case.pk, "article_id": article.pk, "body_id": body.pk, "volunteer_id": volunteer.pk,
       "election_id": building.election_plan(actor=chair, unit=county, planned_on=today).pk,
       "job_id": import_job_create(actor=chair, kind="women", upload=upload).pk,
       "task_id": tasks[0].pk, "recipient_id": copy(tasks[0]).pk,
       "token": surveys[1].public_token, "code": case.tracking_code}
# the record factories of the newer apps' outsider tests (fulian.api.tests.test_outsiders.MORE_RECORDS)
from fulian.api.tests.test_outsiders import _more_records
ids.update(_more_records(county=county, village=village, chair=chair, cadre=cadre))
json.dump({
    "path": ids,
    "path_overrides": {
        "/api/v1/media/{account_id}/followers": {"account_id": building.media_account_add(
            actor=chair, unit=county, platform="wechat", name="正定女性").pk},
        "/api/v1/public/certificates/{code}": {"code": certificate_code(building.volunteer_certificate_issue(
            actor=chair, volunteer=volunteer))},
        "/api/v1/units/{unit_id}/conversion": {"unit_id": village.pk},
        "/api/v1/tasks/received/{recipient_id}/report": {"recipient_id": copy(tasks[1]).pk},
        "/api/v1/tasks/{task_id}/close": {"task_id": tasks[2].pk},
        "/api/v1/public/articles/{article_id}": {"article_id": article_review(actor=chair, approve=True, article=(
            article_submit(actor=cadre, article=article_save(actor=cadre, unit=village, title="通知", body="x",
                                                             category="notice")))).pk},
    },
    "query": {"unit_id": county.pk, "under": county.pk},
    "body": {"unit_code": village.code, "woman_id": women[0].pk, "cadre_id": cadre.pk, "cadre_ids": [cadre.pk],
             "participant_ids": [cadre.pk], "handler_id": cadre.pk, "partner_id": partner.pk,
             "field_week_id": week.pk, "survivor_id": women[1].pk, "duplicate_id": women[2].pk,
             "template_id": template.pk, "unit_ids": [village.pk]},
    "body_overrides": {},
    "woman_tokens": {"GET /api/v1/public/me/cases": woman_token("13800000001"),
                     "POST /api/v1/public/me/cases": woman_token("13800000003"),
                     "DELETE /api/v1/public/me/cases/{code}": woman_token("13800000004"),
                     "DELETE /api/v1/public/me": woman_token("13800000002")},
    "cadre_token": token_create(user=chair, name="schemathesis")[1],
}, open("$tmp/seed.json", "w"), ensure_ascii=False)
PY
port=$($py -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
$py manage.py runserver --noreload "127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/api/v1/openapi.json" >/dev/null && break; sleep 0.2; done
status=0
SCHEMATHESIS_HOOKS=scripts/schemathesis_hooks.py SCHEMATHESIS_SEED="$tmp/seed.json" SCHEMATHESIS_CALLS="$tmp/calls" \
.venv/bin/schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --checks not_a_server_error --max-examples "${SCHEMATHESIS_EXAMPLES:-5}" --seed 2026 --no-color \
  --exclude-path-regex '(/me/tokens/revoke-all|/accounts/\{account_id\}/password|/public/me/signout)$' || status=$?
# (those three end the fuzzer's own credentials; their own tests cover them)
# how deep it went: an operation is exercised when one answer came from past its lookups (2xx, or a refusal by a
# rule: 400/409), not only 404 or a schema refusal
$py - "$tmp/calls" <<'PY'
import collections, sys
answers, spent = collections.defaultdict(set), collections.Counter()
for line in open(sys.argv[1], encoding="utf-8"):
    method, path, status, seconds = line.split()
    answers[f"{method} {path}"].add(int(status))
    spent[f"{method} {path}"] += float(seconds)
deep = sorted(op for op, codes in answers.items() if any(200 <= c < 300 or c in (400, 409) for c in codes))
ok = sorted(op for op, codes in answers.items() if any(200 <= c < 300 for c in codes))
print(f"schemathesis: {len(deep)}/{len(answers)} operations exercised past their 404 (2xx/400/409), "
      f"{len(ok)}/{len(answers)} with a 2xx")
for op in sorted(set(answers) - set(deep)):
    print(f"  not past 404: {op} {sorted(answers[op])}")
print("slowest:", ", ".join(f"{op} {s:.0f}s" for op, s in spent.most_common(5)))
PY
exit $status
