#!/usr/bin/env bash
# Container health check without curl: healthcheck.sh [PATH] [PORT] exits 0 when GET http://127.0.0.1:PORT/PATH
# answers 200. Defaults: /health/ready on $HTTP_PORT (8080) — the services' readiness endpoint.
set -u
path=${1:-/health/ready}
port=${2:-${HTTP_PORT:-8080}}
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 || exit 1
[[ $status == HTTP/1.?\ 200* ]]
