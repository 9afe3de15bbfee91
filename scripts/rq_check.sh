#!/usr/bin/env bash
# The scale-out path, end to end: with TASKS_BACKEND=rq an uploaded roster is queued on Redis and the documented
# worker command imports it. Used by .ci/run (make rq-check); needs Redis on 127.0.0.1:6379.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export FULIAN_DATA_DIR="$tmp" TASKS_BACKEND=rq REDIS_URL="redis://127.0.0.1:6379/14"
unset DATABASE_URL
py=.venv/bin/python
redis-cli -n 14 flushdb >/dev/null
$py manage.py migrate -v0
$py - <<'PY' > "$tmp/divisions.tsv"
import sys
sys.path.insert(0, "src")
from fulian.core.pinyin import name_initials, name_pinyin
for code, level, name in [("130000000000", 1, "河北省"), ("130100000000", 2, "石家庄市"), ("130123000000", 3, "正定县"),
                          ("130123100000", 4, "正定镇"), ("130123100001", 5, "恒东社区")]:
    print(f"{code}\t{level}\t{name}\t{name_initials(name)}\t{name_pinyin(name)}")
PY
$py manage.py load_divisions 13 --file "$tmp/divisions.tsv" >/dev/null
FULIAN_NEW_PASSWORD='RqCheck2026spring' $py manage.py account_create chair --unit 130123000000 --role chair >/dev/null
job=$($py manage.py shell -c "
import io
from django.db import transaction
from fulian.accounts.models import User
from fulian.core.imports import import_job_create
from fulian.people.tests.helpers import female_id, roster_bytes, row
content = roster_bytes([row(id_number=female_id(n), name=name) for n, name in enumerate(['王秀兰', '李春梅', '赵丽'])])
upload = io.BytesIO(content); upload.name = 'roster.xlsx'; upload.size = len(content)
with transaction.atomic():
    job = import_job_create(actor=User.objects.get(username='chair'), kind='women', upload=upload)
print(job.pk)" | tail -1)
# the documented worker command (README, Background work), run until the queue is empty
$py manage.py rqworker default --burst --job-class django_tasks_rq.backend.Job >"$tmp/worker.log" 2>&1
result=$($py manage.py shell -c "
from fulian.core.models import ImportJob
from fulian.people.models import Woman
job = ImportJob.objects.get(pk=$job)
print(job.status, job.created_count, Woman.objects.count())" | tail -1)
echo "rq import: $result"
[ "$result" = "done 3 3" ] || { cat "$tmp/worker.log"; exit 1; }
