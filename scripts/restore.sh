#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database of DATABASE_URL (which must
# exist and be empty, e.g. freshly created) and into DJANGO_MEDIA_ROOT:
#   scripts/restore.sh BACKUP_DIR
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL}"
src="${1:?usage: scripts/restore.sh BACKUP_DIR}"
media_root="${DJANGO_MEDIA_ROOT:-$(pwd)/media}"
(cd "$src" && sha256sum --check --quiet SHA256SUMS)
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$src/database.dump"
mkdir -p "$media_root"
tar -C "$media_root" -xzf "$src/media.tar.gz"
echo "restored $src"
