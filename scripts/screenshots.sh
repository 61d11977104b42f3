#!/bin/sh
# Remakes docs/screenshots/: the dashboard, the roster week and the exports page of the demo pilot
# at 1366 px and 390 px, taken by headless Chromium over a fresh test database (needs chromium,
# chromedriver and the PostgreSQL server programs, as `cargo test` does). With pngquant on PATH
# (`apt-get install pngquant`) the files are shrunk to a few hundred KB.
set -eu
cd "$(dirname "$0")/.."
out=docs/screenshots
mkdir -p "$out"
PATROLBOARD_SCREENSHOTS="$PWD/$out" PATROLBOARD_BROWSER_TESTS=required \
    cargo test --test it -- --ignored --exact \
    browser::screenshots::screenshots_of_the_dashboard_roster_and_exports_on_a_laptop_and_a_phone
if command -v pngquant >/dev/null 2>&1; then
    pngquant --force --skip-if-larger --strip --quality 60-85 --ext .png "$out"/*.png || true
fi
ls -l "$out"
