#!/usr/bin/env bash
# Starts MarketMakers at http://127.0.0.1:5000 (or $ASPNETCORE_URLS) on private PostgreSQL and Redis.
#   ./run.sh          the app, with the admin seeded from Admin__Email / Admin__Password
#   ./run.sh --demo   the same, plus demo data (two Market Makers, two funded buyers, resting orders and trades, a
#                     second admin admin2 who approved the funding, two requests pending); four-eyes on, 2FA off
set -euo pipefail
cd "$(dirname "$0")"
source scripts/services.sh

usage() { echo "usage: ./run.sh [--demo]" >&2; exit 2; }
for arg in "$@"; do
  case "$arg" in
    --demo) export Demo__Seed=true Security__RequireTwoFactor="${Security__RequireTwoFactor:-false}" ;; # friction-free tour: no 2FA enrollment; four-eyes stays on
    *) usage ;;
  esac
done

mm_start_services
if [ -z "${ConnectionStrings__Postgres:-}" ]; then
  mm_create_database marketmakers
  export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$MM_PG_PORT;Database=marketmakers;Username=postgres"
fi
export Redis__Configuration="${Redis__Configuration:-127.0.0.1:$MM_REDIS_PORT}"
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:5000}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
# The audit checkpoints' signing key lives outside the database: made once under .data/, its public half beside it.
export Audit__CheckpointKeyPath="${Audit__CheckpointKeyPath:-$MM_DATA/audit-checkpoint-key.pem}"
if [ ! -f "$Audit__CheckpointKeyPath" ]; then
  mm_log "generating the audit checkpoint key $Audit__CheckpointKeyPath"
  mkdir -p "$(dirname "$Audit__CheckpointKeyPath")"
  if command -v openssl >/dev/null; then
    (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$Audit__CheckpointKeyPath")
    openssl pkey -in "$Audit__CheckpointKeyPath" -pubout -out "${Audit__CheckpointKeyPath%.pem}.pub.pem"
  else
    dotnet run --project tools/MarketMakers.AuditVerify -c Release -v quiet -- --generate-key "$Audit__CheckpointKeyPath"
  fi
fi

mm_log "building"
dotnet build src/MarketMakers.Web -c Release -v quiet -nologo
mm_log "starting on $ASPNETCORE_URLS"
exec dotnet run --project src/MarketMakers.Web -c Release --no-build --no-launch-profile
