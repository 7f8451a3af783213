#!/usr/bin/env bash
# Runs every test: unit, integration (real PostgreSQL and Redis), API, bUnit and Playwright (Debian chromium).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/services.sh

mm_ensure_packages postgresql redis-server chromium
mm_start_services
export MM_TEST_POSTGRES="${ConnectionStrings__Postgres:-Host=127.0.0.1;Port=$MM_PG_PORT;Username=postgres;Database=postgres}"
export MM_TEST_REDIS="${Redis__Configuration:-127.0.0.1:$MM_REDIS_PORT}"
export MM_TEST_CHROMIUM="${MM_TEST_CHROMIUM:-/usr/bin/chromium}"

dotnet tool restore >/dev/null
# The OpenAPI lint test runs @redocly/cli from tools/openapi (npm ci, pinned by its lock file).
scripts/openapi-tools.sh
dotnet build MarketMakers.sln -c Release -nologo -v quiet
# The container image publishes exactly this way (see Dockerfile); a broken publish fails the suite.
dotnet publish src/MarketMakers.Web -c Release -o artifacts/publish --no-build -nologo -v quiet >/dev/null

set +e
dotnet test MarketMakers.sln -c Release --no-build --logger "console;verbosity=normal" \
  --results-directory TestResults "$@" 2>&1 | tee TestResults.log
status=${PIPESTATUS[0]}
set -e
# Every test project (MarketMakers.UnitTests, MarketMakers.Tests) prints its own "Passed:"/"Failed:" summary: add them up.
sum_of() { awk -v k="$1" '$1 == k":" && $2 ~ /^[0-9]+$/ { n += $2 } END { print n + 0 }' TestResults.log; }
passed=$(sum_of Passed)
failed=$(sum_of Failed)
# CI shows only the tail of the output: repeat each failed test's name and first lines there.
if [ "${failed:-0}" != 0 ]; then
  echo "== failed tests =="
  grep -E -A12 '^\s+Failed MarketMakers\.' TestResults.log | grep -vE '^\s+at ' | head -120 || true
fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
