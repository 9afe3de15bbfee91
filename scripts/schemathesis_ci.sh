#!/usr/bin/env bash
# Fuzz the whole API from its OpenAPI schema against a running server with a small tree and a county
# chair's token; any 5xx fails. Used by .ci/run (make schemathesis).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
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
key=$($py manage.py shell -c "
from fulian.accounts.models import User
from fulian.accounts.services import token_create
print(token_create(user=User.objects.get(username='chair'), name='schemathesis')[1])" | tail -1 | tr -d '[:space:]')
port=$($py -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
$py manage.py runserver --noreload "127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/api/v1/openapi.json" >/dev/null && break; sleep 0.2; done
.venv/bin/schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" -H "Authorization: Bearer $key" \
  --checks not_a_server_error --max-examples "${SCHEMATHESIS_EXAMPLES:-10}" --seed 2026 --no-color \
  --exclude-path-regex '(/me/tokens/revoke-all|/accounts/\{account_id\}/password|/public/me/signout)$'
# (those three end the fuzzer's own credentials; their own tests cover them)
