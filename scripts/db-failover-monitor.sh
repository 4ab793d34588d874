#!/usr/bin/env bash
# The failover monitor of the MariaDB cluster: the demo and test rig of what production gets from an operator
# (mariadb-operator, docs/decisions/0001-database-operator.md) or a managed database. It is deliberately small:
# read it top to bottom.
#
# Every $DB_PROBE_INTERVAL it asks the primary whether it answers, whether it is still writable, and whether
# semi-synchronous replication is on (commits then wait until a replica has the transaction in its relay log).
# After $DB_FAILURES_BEFORE_FAILOVER failed probes in a row it fails over:
#   1. it checks again that the primary does not answer, and that no replica is still connected to it: a primary
#      that answers anyone is never replaced (no split brain; a primary cut off from the monitor alone stays);
#   2. it refuses when semi-sync was off at the last good probe: acknowledged transactions may then exist only on
#      the dead primary, and promoting a replica would lose them (a person decides: scripts/infra.sh switchover);
#   3. each reachable replica stops receiving and applies everything it received;
#   4. the most advanced replica (highest GTID received) is promoted: it holds every acknowledged transaction,
#      because a replica acknowledges in order and at least one acknowledged each commit;
#   5. the other replicas follow it; the event is logged, appended to $DB_STATE_DIR/failover.log and the new
#      primary recorded in $DB_STATE_DIR/primary-node (scripts/infra.sh reads both).
# The old primary, when it comes back (scripts/infra.sh up), starts read-only as a replica of the new primary and
# drops the transactions no replica acknowledged (--init-rpl-role=SLAVE); one that cannot follow is rebuilt.
#
# Settings (environment): DB_NODES "name=host:port ..." (required), DB_STATE_DIR (required), DB_SOCKET_DIR (local
# nodes: connect over their sockets as root; otherwise TCP with DB_ADMIN_USER/DB_ADMIN_PASSWORD),
# DB_PROBE_INTERVAL (0.5 s), DB_FAILURES_BEFORE_FAILOVER (3: detection within about 2 s).
set -uo pipefail

interval=${DB_PROBE_INTERVAL:-0.5}
threshold=${DB_FAILURES_BEFORE_FAILOVER:-3}
state=${DB_STATE_DIR:?DB_STATE_DIR is required}
read -r -a entries <<<"${DB_NODES:?DB_NODES is required}"

log() { printf '%s [monitor] %s\n' "$(date -u +%FT%T.%3NZ)" "$*"; }

address() { # node -> host:port
	local entry
	for entry in "${entries[@]}"; do
		[ "${entry%%=*}" = "$1" ] && { echo "${entry#*=}"; return 0; }
	done
	return 1
}

sql() { # node statement... ; fails fast (1 s to connect, 2 s to answer)
	local node=$1 target
	shift
	if [ -n "${DB_SOCKET_DIR:-}" ]; then
		target=(--protocol=socket --socket="$DB_SOCKET_DIR/$node/mysqld.sock" -uroot)
	else
		target=(--protocol=tcp -h "$(address "$node" | cut -d: -f1)" -P "$(address "$node" | cut -d: -f2)"
			-u"${DB_ADMIN_USER:-root}" -p"${DB_ADMIN_PASSWORD:-}")
	fi
	timeout 3 mariadb --no-defaults "${target[@]}" -N -B --connect-timeout=1 -e "$*" 2>/dev/null
}

slave_status() { # node -> SHOW SLAVE STATUS as "Field: value" lines
	local node=$1 target
	if [ -n "${DB_SOCKET_DIR:-}" ]; then
		target=(--protocol=socket --socket="$DB_SOCKET_DIR/$node/mysqld.sock" -uroot)
	else
		target=(--protocol=tcp -h "$(address "$node" | cut -d: -f1)" -P "$(address "$node" | cut -d: -f2)"
			-u"${DB_ADMIN_USER:-root}" -p"${DB_ADMIN_PASSWORD:-}")
	fi
	timeout 3 mariadb --no-defaults "${target[@]}" --connect-timeout=1 -e 'SHOW SLAVE STATUS\G' 2>/dev/null
}

names() { local entry; for entry in "${entries[@]}"; do echo "${entry%%=*}"; done; }

# The node that is writable now; empty when none is.
find_primary() {
	local node
	for node in $(names); do
		[ "$(sql "$node" "SELECT @@read_only")" = 0 ] && { echo "$node"; return 0; }
	done
	return 0
}

# "<io running> <seq>" of a replica: whether its receiver is connected, and the sequence number (domain 0) of the
# last transaction it received.
received() { # node
	slave_status "$1" | awk '
		$1 == "Slave_IO_Running:" { io = $2 }
		$1 == "Gtid_IO_Pos:" { n = split($2, gtids, ","); for (i = 1; i <= n; i++) { split(gtids[i], p, "-"); if (p[1] == "0") seq = p[3] } }
		END { printf "%s %s", (io == "" ? "none" : io), (seq == "" ? 0 : seq) }'
}

failover() { # old-primary
	local old=$1 node
	if sql "$old" "SELECT 1" >/dev/null; then
		log "$old answers again: no failover"
		return 1
	fi
	local alive=()
	for node in $(names); do
		[ "$node" = "$old" ] && continue
		sql "$node" "SELECT 1" >/dev/null || { log "$node does not answer either"; continue; }
		local state_of
		state_of=$(received "$node")
		if [ "${state_of%% *}" = Yes ]; then
			log "$node is still connected to $old: it is alive for the replicas, no failover"
			return 1
		fi
		alive+=("$node")
	done
	if [ ${#alive[@]} -eq 0 ]; then
		log "no replica answers: nothing to promote"
		return 1
	fi
	if [ "$semisync" != ON ]; then
		log "semi-sync was ${semisync:-unknown} on $old at its last probe: acknowledged transactions may exist only there;" \
			"not promoting (scripts/infra.sh switchover NODE decides, knowing what may be lost)"
		if [ "$refused" != "$old" ]; then
			echo "$(date -u +%FT%T.%3NZ) failover refused: $old down, semi-sync was ${semisync:-unknown}" >>"$state/failover.log"
			refused=$old
		fi
		return 1
	fi
	# stop receiving (nothing more can come) and apply everything received
	local best="" best_seq=-1
	# (in parallel: a receiver that is reconnecting takes up to a second to stop)
	for node in "${alive[@]}"; do sql "$node" "STOP SLAVE IO_THREAD" >/dev/null & done
	wait
	for node in "${alive[@]}"; do
		local io_pos
		io_pos=$(slave_status "$node" | awk '$1 == "Gtid_IO_Pos:" { print $2 }')
		if [ -n "$io_pos" ] && [ "$(sql "$node" "SELECT MASTER_GTID_WAIT('$io_pos', 30)")" != 0 ]; then
			log "$node did not apply what it received ($io_pos) within 30 s: not a candidate"
			continue
		fi
		local seq
		seq=$(received "$node" | cut -d' ' -f2)
		log "$node received and applied up to sequence $seq"
		if [ "$seq" -gt "$best_seq" ]; then
			best=$node
			best_seq=$seq
		fi
	done
	[ -n "$best" ] || { log "no replica could be promoted"; return 1; }
	log "promoting $best (sequence $best_seq)"
	sql "$best" "STOP SLAVE; RESET SLAVE ALL; SET GLOBAL rpl_semi_sync_slave_enabled = 0;
		SET GLOBAL rpl_semi_sync_master_enabled = 1; SET GLOBAL read_only = 0;" || { log "promoting $best failed"; return 1; }
	echo "$best" >"$state/primary-node"
	local host port
	host=$(address "$best" | cut -d: -f1)
	port=$(address "$best" | cut -d: -f2)
	for node in "${alive[@]}"; do
		[ "$node" = "$best" ] && continue
		sql "$node" "STOP SLAVE; CHANGE MASTER TO MASTER_HOST='$host', MASTER_PORT=$port, MASTER_USE_GTID=slave_pos;
			START SLAVE;" && log "$node follows $best"
	done
	echo "$(date -u +%FT%T.%3NZ) failover $old -> $best at 0-*-$best_seq (detected after $threshold failed probes)" \
		>>"$state/failover.log"
	log "failover done: $best is the primary"
	primary=$best
	return 0
}

primary=$(cat "$state/primary-node" 2>/dev/null)
[ -n "$primary" ] || primary=$(find_primary)
semisync=""
refused=""
failures=0
log "watching ${entries[*]}; primary ${primary:-unknown}"
while true; do
	if [ -z "$primary" ]; then
		primary=$(find_primary)
		[ -n "$primary" ] && log "primary is $primary"
	elif answer=$(sql "$primary" "SELECT @@read_only, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'RPL_SEMI_SYNC_MASTER_STATUS'") && [ -n "$answer" ]; then
		failures=0
		refused=""
		if [ "${answer%%$'\t'*}" != 0 ]; then
			log "$primary is read-only now (a switchover?): looking for the primary"
			primary=$(find_primary)
			continue
		fi
		current=${answer##*$'\t'}
		if [ "$current" != "$semisync" ]; then
			if [ -n "$semisync" ]; then
				log "semi-sync on $primary is $current (was $semisync)"
				echo "$(date -u +%FT%T.%3NZ) semi-sync on $primary is $current (was $semisync)" >>"$state/failover.log"
			fi
			semisync=$current
		fi
	else
		failures=$((failures + 1))
		log "$primary did not answer ($failures/$threshold)"
		if [ "$failures" -ge "$threshold" ]; then
			failover "$primary" || true
			failures=0
		fi
	fi
	# the heartbeat of a container's health check
	touch "$state/monitor-heartbeat"
	sleep "$interval"
done
