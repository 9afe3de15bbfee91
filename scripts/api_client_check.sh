#!/usr/bin/env bash
# Generate a Python client from the API's OpenAPI schema with openapi-python-client, as a program's author would;
# any warning or error it prints (an untyped body, a clashing name, an unsupported construct) fails.
# Used by .ci/run (make api-client).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export FULIAN_DATA_DIR="$tmp"
unset DATABASE_URL
.venv/bin/python manage.py export_openapi_schema --api fulian.api.api.api --output "$tmp/openapi.json"
# a binary download is bytes to the client, whatever kind of file it is
cat >"$tmp/config.yaml" <<'YAML'
content_type_overrides:
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
  image/*: application/octet-stream
YAML
PATH="$PWD/.venv/bin:$PATH" openapi-python-client generate --path "$tmp/openapi.json" --output-path "$tmp/client" \
  --config "$tmp/config.yaml" --meta none >"$tmp/generate.log" 2>&1 || { cat "$tmp/generate.log"; echo "openapi-python-client failed"; exit 1; }
if grep -Eiq "warning|error" "$tmp/generate.log"; then
  cat "$tmp/generate.log"
  echo "openapi-python-client warned: fix the schema (see above)"
  exit 1
fi
.venv/bin/python - "$tmp/client" <<'PY'
import pathlib, sys
root = pathlib.Path(sys.argv[1])
print(f"api client: {sum(p.name != '__init__.py' for p in root.glob('api/*/*.py'))} operations, {sum(p.name != '__init__.py' for p in root.glob('models/*.py'))} models")
PY
