#!/usr/bin/env bash
# Backups of the MariaDB cluster, taken from a replica (the primary's commits never wait for a backup).
#
#   scripts/db-backup.sh            a full backup, then the binary logs (what point-in-time recovery replays)
#   scripts/db-backup.sh binlogs    the binary logs only: run it often, it bounds what losing every node would lose
#   scripts/db-backup.sh list       the full backups, newest last
#   scripts/db-backup.sh schedule   forever: a full backup daily, the binary logs every 5 minutes (compose db-backup)
#
# A full backup is a logical dump (mariadb-dump --single-transaction: one consistent snapshot, no lock held
# while it runs, taken over TCP so the same script works from the compose backup container) of the platform's
# schemas (every schema but MariaDB's own, or $PLATFORM_BACKUP_SCHEMAS: a service added later is backed up
# without anyone remembering to list it), with the GTID position it is consistent with. Why not mariadb-backup (physical)? It needs the node's
# data directory on the same machine and restores only onto the same server version; the platform's data is
# small, and a dump is readable, portable (to another version, to MySQL) and diffable. A physical backup is the
# better choice for hundreds of gigabytes: the operator's Backup resource on Kubernetes (docs/decisions/0001).
#
# The binary logs come from the same replica (it writes every transaction it applies, with its original GTID,
# --log-slave-updates), read over the replication protocol (mariadb-binlog --read-from-remote-server), closed
# files only (FLUSH BINARY LOGS closes the current one first).
#
# Layout of $PLATFORM_BACKUP_DIR (default $PLATFORM_INFRA_DIR/backups):
#   full-<UTC time>/dump.sql.gz   the dump          full-<UTC time>/position   its GTID position
#   full-<UTC time>/source        the node it came from
#   full-<UTC time>/chain         the chain of that node's binary logs that continues it
#   binlogs/<node>/<chain>/mariadb-bin.NNNNNN     the binary logs of each node backups were taken from
#   binlogs/<node>/current        the chain being copied now
# A chain is one unbroken history of a node's binary logs. A node that is rebuilt or recreated (RESET MASTER,
# a new data directory) starts its files at mariadb-bin.000001 again, with other transactions under the same
# names: before copying, the newest copied file is checked against the node (still listed with the same size,
# or purged right after it); when it does not match, a new chain begins and a full backup is taken, because
# what the old chain misses cannot be replayed from the new one. A full backup is also taken whenever the
# source node changed (after a failover its binary logs are another chain).
# Retention: the newest $PLATFORM_BACKUP_KEEP (default 7) full backups; binary logs older than the oldest of them,
# and chains no kept backup continues in, are deleted.
#
# Source: $DB_BACKUP_SOURCE ("node=host:port"), otherwise the first replica that replicates, as
# scripts/infra.sh finds it (the primary when no replica does). Credentials: root with PLATFORM_DB_ROOT_PASSWORD.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${PLATFORM_INFRA_DIR:-$HOME/.local/state/sysdesign-platform/infra}
backups=${PLATFORM_BACKUP_DIR:-$state/backups}
keep=${PLATFORM_BACKUP_KEEP:-7}
schemas=${PLATFORM_BACKUP_SCHEMAS:-}
export MYSQL_PWD=${PLATFORM_DB_ROOT_PASSWORD:-}
export TZ=UTC

log() { printf '%s [backup] %s\n' "$(date -u +%FT%T.%3NZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

source_entry=${DB_BACKUP_SOURCE:-$(bash "$here/infra.sh" backup-source)}
node=${source_entry%%=*}
address=${source_entry#*=}
host=${address%:*}
port=${address##*:}
client=(mariadb --no-defaults --protocol=tcp -h "$host" -P "$port" -uroot --connect-timeout=5)

mkdir -p "$backups/binlogs/$node"

# "name size" of each binary log file on the node, oldest first
server_binlogs() { "${client[@]}" -N -B -e "SHOW BINARY LOGS" | cut -f1,2 | tr '\t' ' '; }

# The chain the node's binary logs are copied to: the current one when the node's files still continue it,
# otherwise a new one (printed on stdout).
chain() {
	local current newest listed size number first
	current=$(cat "$backups/binlogs/$node/current" 2>/dev/null || true)
	if [ -n "$current" ] && [ -d "$backups/binlogs/$node/$current" ]; then
		newest=$(find "$backups/binlogs/$node/$current" -type f -name 'mariadb-bin.*' | sort | tail -1)
		[ -n "$newest" ] || { echo "$current"; return 0; }
		listed=$(server_binlogs)
		size=$(awk -v f="${newest##*/}" '$1 == f { print $2 }' <<<"$listed")
		number=$((10#${newest##*.}))
		first=$(head -1 <<<"$listed" | cut -d' ' -f1)
		if [ "$size" = "$(stat -c %s "$newest")" ] || [ "$((10#${first##*.}))" -eq $((number + 1)) ]; then
			echo "$current"
			return 0
		fi
		log "the binary logs of $node do not continue chain $current (${newest##*/} is not on $node as copied):" \
			"the node was rebuilt or recreated; starting a new chain"
	fi
	current=$(date -u +%Y%m%dT%H%M%S.%NZ | cut -c1-19)Z
	mkdir -p "$backups/binlogs/$node/$current"
	echo "$current" >"$backups/binlogs/$node/current"
	echo "$current"
}

full_backup() {
	local name dir
	name=full-$(date -u +%Y%m%dT%H%M%SZ)
	dir="$backups/.$name.partial"
	rm -rf "$dir"
	mkdir -p "$dir"
	local schemas=$schemas
	[ -n "$schemas" ] || schemas=$("${client[@]}" -N -B -e "SELECT GROUP_CONCAT(schema_name ORDER BY schema_name SEPARATOR ' ')
		FROM information_schema.schemata WHERE schema_name NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')")
	[ -n "$schemas" ] && [ "$schemas" != NULL ] || die "$node holds no schema to back up"
	log "full backup of ${schemas} from $node ($host:$port)"
	chain >"$dir/chain"
	# shellcheck disable=SC2086
	mariadb-dump --no-defaults --protocol=tcp -h "$host" -P "$port" -uroot --single-transaction --gtid \
		--master-data=2 --routines --events --triggers --databases $schemas | gzip -c >"$dir/dump.sql.gz" ||
		die "mariadb-dump from $node failed"
	# the position the snapshot is consistent with (printed by --master-data=2 --gtid)
	gunzip -c "$dir/dump.sql.gz" | sed -n "s/^-- SET GLOBAL gtid_slave_pos='\(.*\)';$/\1/p" | head -1 >"$dir/position"
	[ -s "$dir/position" ] || die "the dump has no GTID position"
	echo "$node" >"$dir/source"
	mv "$dir" "$backups/$name"
	log "$name: $(du -h "$backups/$name/dump.sql.gz" | cut -f1), consistent at GTID $(cat "$backups/$name/position")"
}

copy_binlogs() { # chain
	local target="$backups/binlogs/$node/$1"
	"${client[@]}" -N -B -e "FLUSH BINARY LOGS" || die "FLUSH BINARY LOGS on $node failed"
	local files current file copied=0
	mapfile -t files < <(server_binlogs | cut -d' ' -f1)
	current=${files[${#files[@]} - 1]}
	for file in "${files[@]}"; do
		[ "$file" = "$current" ] && break
		[ -s "$target/$file" ] && continue
		mariadb-binlog --no-defaults --read-from-remote-server --protocol=tcp --host="$host" --port="$port" \
			--user=root --raw --result-file="$target/" "$file" ||
			die "copying $file from $node failed"
		copied=$((copied + 1))
	done
	log "binary logs of $node: $copied new file(s) copied to ${target#"$backups"/}"
}

retention() {
	local fulls oldest
	mapfile -t fulls < <(find "$backups" -maxdepth 1 -name 'full-*' -type d | sort)
	while [ "${#fulls[@]}" -gt "$keep" ]; do
		log "deleting ${fulls[0]##*/} (keeping the newest $keep)"
		rm -rf "${fulls[0]}"
		fulls=("${fulls[@]:1}")
	done
	[ "${#fulls[@]}" -gt 0 ] || return 0
	oldest=${fulls[0]}
	# binary logs copied before the oldest kept full backup was taken were closed before it began: no restore
	# replays them any more (the file written while it ran is copied, closed, after it)
	find "$backups/binlogs" -type f -name 'mariadb-bin.*' ! -newer "$oldest/position" -print0 |
		while IFS= read -r -d '' file; do
			log "deleting ${file#"$backups"/} (older than the oldest kept full backup)"
			rm -f "$file"
		done
	# chains that no kept full backup continues in, except the ones being copied now
	local chain_dir
	for chain_dir in "$backups"/binlogs/*/*/; do
		[ -d "$chain_dir" ] || continue
		chain_dir=${chain_dir%/}
		[ "$(cat "${chain_dir%/*}/current" 2>/dev/null)" = "${chain_dir##*/}" ] && continue
		grep -qxF "${chain_dir##*/}" "${fulls[@]/%//chain}" 2>/dev/null && continue
		log "deleting ${chain_dir#"$backups"/} (no kept full backup continues in it)"
		rm -rf "$chain_dir"
	done
}

newest_full() { find "$backups" -maxdepth 1 -name 'full-*' -type d | sort | tail -1; }

case "${1:-full}" in
full)
	full_backup
	copy_binlogs "$(cat "$(newest_full)/chain")"
	retention
	;;
binlogs)
	newest=$(newest_full)
	chain=$(chain)
	if [ -z "$newest" ] || [ "$(cat "$newest/source")" != "$node" ]; then
		log "no full backup from $node yet (a first run, or the source moved after a failover): taking one"
		full_backup
	elif [ "$(cat "$newest/chain" 2>/dev/null)" != "$chain" ]; then
		log "the newest full backup does not continue in chain $chain of $node: taking one"
		full_backup
	fi
	copy_binlogs "$chain"
	retention
	;;
schedule)
	# the backup loop of the compose db-backup container: a full backup every PLATFORM_BACKUP_FULL_EVERY seconds
	# (a day), the binary logs every PLATFORM_BACKUP_BINLOGS_EVERY seconds (5 minutes); a failed run is logged
	# and retried at the next tick
	full_every=${PLATFORM_BACKUP_FULL_EVERY:-86400}
	binlogs_every=${PLATFORM_BACKUP_BINLOGS_EVERY:-300}
	while true; do
		newest=$(find "$backups" -maxdepth 1 -name 'full-*' -type d | sort | tail -1)
		if [ -z "$newest" ] || [ $(($(date +%s) - $(stat -c %Y "$newest"))) -ge "$full_every" ]; then
			bash "$0" full || log "the full backup failed; retrying in $binlogs_every s"
		else
			bash "$0" binlogs || log "copying the binary logs failed; retrying in $binlogs_every s"
		fi
		sleep "$binlogs_every"
	done
	;;
list)
	find "$backups" -maxdepth 1 -name 'full-*' -type d | sort | while read -r dir; do
		printf '%s  source %s  GTID %s\n' "${dir##*/}" "$(cat "$dir/source")" "$(cat "$dir/position")"
	done
	;;
*)
	echo "usage: $0 [full|binlogs|list|schedule]" >&2
	exit 2
	;;
esac
