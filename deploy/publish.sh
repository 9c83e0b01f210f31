#!/usr/bin/env bash
# Publishes the `akkastream` command as one self-contained executable per platform: no .NET
# installation needed where it runs. The reference configuration (hocon/reference.conf) and the
# single-node defaults are embedded in it; SQLite's native library is bundled and extracted on
# first start (to $DOTNET_BUNDLE_EXTRACT_BASE_DIR, by default ~/.net/).
#
#   deploy/publish.sh                      # linux-x64
#   deploy/publish.sh linux-x64 linux-arm64 osx-arm64 win-x64
#
# Writes dist/<rid>/akkastream (akkastream.exe on Windows); AKKASTREAM_DIST changes dist/.
# Intermediate files go to artifacts/publish/, apart from the regular build's bin/ and obj/.
set -euo pipefail
cd "$(dirname "$0")/.."

dist=${AKKASTREAM_DIST:-dist}
rids=("$@")
[ ${#rids[@]} -eq 0 ] && rids=(linux-x64)

for rid in "${rids[@]}"; do
  case "$rid" in
    linux-x64 | linux-arm64 | linux-musl-x64 | osx-arm64 | osx-x64 | win-x64) ;;
    *) echo "unknown runtime identifier '$rid' (linux-x64, linux-arm64, linux-musl-x64, osx-arm64, osx-x64, win-x64)" >&2; exit 2 ;;
  esac
  echo "== $rid"
  # Single file: every assembly in the executable. Native libraries (SQLite's e_sqlite3) go in
  # too, extracted at first start, so that the executable is the only file to copy. No symbols
  # beside it: stack traces still name methods.
  dotnet publish src/AkkaStream.Cli/AkkaStream.Cli.csproj -c Release -r "$rid" --self-contained true \
    --artifacts-path artifacts/publish \
    -p:PublishSingleFile=true \
    -p:IncludeNativeLibrariesForSelfExtract=true \
    -p:DebugType=none \
    -o "$dist/$rid"
  ls -l "$dist/$rid"
done
