#!/usr/bin/env bash
# Back up the database and the uploaded files into one folder:
#   scripts/backup.sh [DEST_DIR]          (default: backups/<UTC timestamp>)
# Reads DATABASE_URL and DJANGO_MEDIA_ROOT (default: ./media) from the environment.
# The database dump is pg_dump's custom format (consistent snapshot, compressed);
# the files are a tar of MEDIA_ROOT. A SHA256SUMS file lets restore check both.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL}"
media_root="${DJANGO_MEDIA_ROOT:-$(pwd)/media}"
dest="${1:-backups/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$dest"
pg_dump --format=custom --no-owner --no-privileges --file="$dest/database.dump" "$DATABASE_URL"
if [ -d "$media_root" ]; then
  tar -C "$media_root" -czf "$dest/media.tar.gz" .
else
  tar -czf "$dest/media.tar.gz" --files-from /dev/null
fi
(cd "$dest" && sha256sum database.dump media.tar.gz > SHA256SUMS)
echo "backup written to $dest"
