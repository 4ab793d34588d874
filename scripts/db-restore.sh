#!/usr/bin/env bash
# Restores a backup of scripts/db-backup.sh into a scratch MariaDB instance, up to a point in time.
#
#   scripts/db-restore.sh [--until 'YYYY-MM-DD HH:MM:SS'] [--port N] [--keep] [--checksum]
#
#   --until     a UTC time: the newest full backup taken before it is loaded, then the binary logs of its source
#               node are replayed from the backup's GTID position up to (not including) the first transaction
#               committed at or after that second. Without it: everything the backups hold.
#   --port      the scratch instance's port (default 3310), on 127.0.0.1
#   --keep      leave the scratch instance running (stop it with: kill $(cat <dir>/mysqld.pid)); by default it
#               is stopped and deleted at the end
#   --checksum  print "schema.table checksum" for every restored table (the restore test compares them with the
#               primary's at the same point)
#
# The cluster is not touched: what to do with the restored data (copy a table back, make it a new cluster's
# first node) is an operator's decision. Backups are read from $PLATFORM_BACKUP_DIR (default
# $PLATFORM_INFRA_DIR/backups). Needs mariadbd, mariadb-install-db, mariadb, mariadb-binlog.
set -euo pipefail

state=${PLATFORM_INFRA_DIR:-$HOME/.local/state/sysdesign-platform/infra}
backups=${PLATFORM_BACKUP_DIR:-$state/backups}
export TZ=UTC
until_time="" port=3310 keep=0 checksum=0
while [ $# -gt 0 ]; do
	case "$1" in
	--until) until_time=${2:?--until needs a time}; shift 2 ;;
	--port) port=${2:?--port needs a number}; shift 2 ;;
	--keep) keep=1; shift ;;
	--checksum) checksum=1; shift ;;
	*) echo "usage: $0 [--until 'YYYY-MM-DD HH:MM:SS'] [--port N] [--keep] [--checksum]" >&2; exit 2 ;;
	esac
done

log() { printf '%s [restore] %s\n' "$(date -u +%FT%T.%3NZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# the newest full backup taken before --until (its directory name is its UTC start time)
backup=""
for dir in $(find "$backups" -maxdepth 1 -name 'full-*' -type d | sort); do
	if [ -n "$until_time" ]; then
		taken=$(echo "${dir##*/full-}" | sed -E 's/^(....)(..)(..)T(..)(..)(..)Z$/\1-\2-\3 \4:\5:\6/')
		[[ "$taken" < "$until_time" ]] || continue
	fi
	backup=$dir
done
[ -n "$backup" ] || die "no full backup in $backups${until_time:+ taken before $until_time}"
source_node=$(cat "$backup/source")
position=$(cat "$backup/position")
log "restoring ${backup##*/} (from $source_node, GTID $position)${until_time:+ up to $until_time UTC}"

scratch=$(mktemp -d "${state}/restore-XXXXXX")
mkdir -p "$scratch/data"
mariadb-install-db --no-defaults --datadir="$scratch/data" --user="$(id -un)" --auth-root-authentication-method=normal \
	--skip-test-db >"$scratch/install.log" 2>&1 || die "mariadb-install-db failed, see $scratch/install.log"
mariadbd --no-defaults --user="$(id -un)" --datadir="$scratch/data" --port="$port" --bind-address=127.0.0.1 \
	--socket="$scratch/mysqld.sock" --pid-file="$scratch/mysqld.pid" --log-error="$scratch/error.log" \
	--skip-log-bin --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci >/dev/null 2>&1 &
disown || true
scratch_client=(mariadb --no-defaults --protocol=socket --socket="$scratch/mysqld.sock" -uroot)
for _ in $(seq 1 300); do
	"${scratch_client[@]}" -e "SELECT 1" >/dev/null 2>&1 && break
	sleep 0.1
done
"${scratch_client[@]}" -e "SELECT 1" >/dev/null 2>&1 || die "the scratch instance did not start, see $scratch/error.log"

stop_scratch() {
	if [ "$keep" = 0 ]; then
		kill "$(cat "$scratch/mysqld.pid" 2>/dev/null)" 2>/dev/null || true
		for _ in $(seq 1 100); do [ -f "$scratch/mysqld.pid" ] || break; sleep 0.1; done
		rm -rf "$scratch"
	fi
}
trap stop_scratch EXIT

gunzip -c "$backup/dump.sql.gz" | "${scratch_client[@]}" || die "loading the dump failed"
log "dump loaded"

[ -s "$backup/chain" ] || die "${backup##*/} names no chain of binary logs (taken by an older db-backup.sh)"
chain_dir="$backups/binlogs/$source_node/$(cat "$backup/chain")"
mapfile -t binlogs < <(find "$chain_dir" -type f -name 'mariadb-bin.*' 2>/dev/null | sort)
last=""
if [ "${#binlogs[@]}" -gt 0 ]; then
	last=$(mariadb-binlog --no-defaults "${binlogs[@]}" | sed -n 's/^#.*\tGTID \([0-9]*-[0-9]*-[0-9]*\).*/\1/p' | tail -1)
fi
# (one replication domain, 0: the platform's; mariadb-binlog refuses a start position that is the logs' last)
if [ -n "$last" ] && [ "${last##*-}" -gt "${position##*-}" ]; then
	stop=()
	[ -n "$until_time" ] && stop=(--stop-datetime="$until_time")
	# the transactions after the dump's position, in their original GTIDs
	mariadb-binlog --no-defaults --start-position="$position" "${stop[@]}" "${binlogs[@]}" |
		"${scratch_client[@]}" || die "replaying the binary logs failed"
	log "replayed ${#binlogs[@]} binary log file(s) from $source_node"
else
	log "no transaction after the backup in the binary logs of $source_node: the restore is the full backup"
fi

if [ "$checksum" = 1 ]; then
	tables=$("${scratch_client[@]}" -N -B -e "SELECT CONCAT(table_schema, '.', table_name) FROM
		information_schema.tables WHERE table_schema NOT IN ('mysql', 'information_schema', 'performance_schema',
		'sys') AND table_type = 'BASE TABLE' ORDER BY 1")
	for table in $tables; do
		"${scratch_client[@]}" -N -B -e "CHECKSUM TABLE $table"
	done
fi
if [ "$keep" = 1 ]; then
	log "the restored data is on 127.0.0.1:$port (root, no password); data directory $scratch"
fi
