#!/usr/bin/env bash
# LocalHost start-up: wall time from launching the built LocalHost (which starts Azurite itself when nothing
# listens on 10000-10002) to the first 200 from /api/health, and to the first 200 of a sample profile
# (with --samples). Runs N times (default 5) and prints each run. Needs `npm ci` done and ports 7071,
# 10000-10002 free. Usage: bench/startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
dotnet build -c Release functions/ScholarFx.LocalHost -v quiet -nologo >/dev/null
dll=functions/ScholarFx.LocalHost/bin/Release/net10.0/ScholarFx.LocalHost.dll
now_ms() { date +%s%3N; }
for i in $(seq 1 "$runs"); do
  rm -rf .azurite
  start=$(now_ms)
  dotnet "$dll" --samples >/tmp/scholarfx-startup.log 2>&1 &
  pid=$!
  until curl -sf -o /dev/null http://127.0.0.1:7071/api/health; do sleep 0.02; done
  health=$(( $(now_ms) - start ))
  until curl -sf -o /dev/null http://127.0.0.1:7071/api/profiles/boyu-shi; do sleep 0.02; done
  profile=$(( $(now_ms) - start ))
  echo "run $i: first 200 /api/health ${health} ms; first 200 /api/profiles/boyu-shi ${profile} ms"
  kill -TERM "$pid"; wait "$pid" || true
done
