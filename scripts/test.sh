#!/usr/bin/env bash
# Runs every test: type-check, unit and integration tests (vitest, against the real
# Redis and Kafka this script starts or reuses), and the Playwright tests in Debian's
# Chromium against the production build. Ends with "N passed, M failed". Safe to run again.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh || exit 1

tsx=node_modules/.bin/tsx
env_lines="$($tsx packages/testkit/src/cli.ts env)" || { echo "ipscope: could not start Redis/Kafka" >&2; exit 1; }
eval "$env_lines"
export REDIS_URL KAFKA_BROKERS
mkdir -p .ipscope/reports
rm -f .ipscope/reports/*.json

status=0
extra_failed=0
echo "== type-check" >&2
if ! pnpm typecheck; then status=1; extra_failed=$((extra_failed + 1)); fi

echo "== unit and integration tests (vitest)" >&2
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json=.ipscope/reports/vitest.json || status=1

echo "== web build" >&2
if ! pnpm --filter @ipscope/web run build >/dev/null; then status=1; extra_failed=$((extra_failed + 1)); fi

echo "== browser tests (Playwright, Debian Chromium)" >&2
PLAYWRIGHT_JSON_OUTPUT_FILE=.ipscope/reports/playwright.json node_modules/.bin/playwright test --reporter=list,json || status=1

node -e '
const fs = require("fs");
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch { return undefined; } };
const v = read(".ipscope/reports/vitest.json");
const p = read(".ipscope/reports/playwright.json");
let passed = 0, failed = Number(process.argv[1]);
if (v) { passed += v.numPassedTests; failed += v.numFailedTests + (v.numRuntimeErrors ?? 0); } else failed += 1;
if (p) { passed += p.stats.expected + p.stats.flaky; failed += p.stats.unexpected; } else failed += 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
' "$extra_failed" || status=1
exit $status
