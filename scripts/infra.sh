#!/usr/bin/env bash
# The platform's data services without Docker, and the operations of its MariaDB cluster.
#
#   scripts/infra.sh up        start three MariaDB nodes (3307, 3308, 3309) — one primary, two replicas with GTID,
#                              semi-synchronous replication — and their failover monitor; make sure Redis (6379) and
#                              RabbitMQ (5672) answer (starting them if installed). After a failover, a node that was
#                              down rejoins as a replica of the current primary (rebuilt from it when it cannot).
#   scripts/infra.sh down      stop the monitor and the MariaDB nodes (Redis and RabbitMQ are machine services)
#   scripts/infra.sh status    one line per node (role, port, pid, replication), the monitor, Redis, RabbitMQ
#   scripts/infra.sh stop NODE|primary|replica     stop one MariaDB process (fault tests; replica: the first replica)
#   scripts/infra.sh kill NODE|primary              kill -9 one MariaDB process (failover tests)
#   scripts/infra.sh start NODE|replica            start it again (it rejoins as a replica)
#   scripts/infra.sh switchover NODE   make NODE the primary, gracefully (no write lost, writes pause ~1 s)
#   scripts/infra.sh freeze NODE|primary / thaw NODE|primary   SIGSTOP / SIGCONT one node (a hung database);
#                              the monitor is paused while a node is frozen
#   scripts/infra.sh monitor start|stop   the failover monitor alone
#   scripts/infra.sh primary     print the current primary's port
#   scripts/infra.sh events      the failover log: every failover, refused failover, semi-sync change, switchover
#   scripts/infra.sh backup [full|binlogs|list] / restore [...]   scripts/db-backup.sh, scripts/db-restore.sh
#   scripts/infra.sh reset     down, delete the MariaDB data directories, up (a clean cluster)
#
# Nodes are db1, db2, db3 on PLATFORM_DB_PORTS (default "3307 3308 3309"); db1 is the first primary. Which node is
# the primary is recorded in $state/primary-node, by the failover monitor (scripts/db-failover-monitor.sh) once the
# cluster runs. Idempotent: `up` on a running setup changes nothing. Data lives in $PLATFORM_INFRA_DIR (default
# ~/.local/state/sysdesign-platform/infra), so every clone of the repository shares one cluster.
#
# Other settings (environment):
#   PLATFORM_DB_REMOTE="db1=host:port db2=host:port db3=host:port"  nodes that run elsewhere (docker compose): only
#       provision (`up`), `status`, `switchover`, `primary` and `events` apply, over TCP as root with
#       PLATFORM_DB_ROOT_PASSWORD
#   PLATFORM_INFRA_SERVICES=db     the database cluster only (inside a container: the tests' Testcontainers mode)
#   PLATFORM_DB_BIND=0.0.0.0       the address the nodes listen on (default 127.0.0.1)
#   PLATFORM_DB_ROOT_PASSWORD      also create root@'%' with this password (reached from outside a container)
#   PLATFORM_DB_SEMISYNC_TIMEOUT_MS  how long commits wait for an acknowledgement before falling back (10000)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
state=${PLATFORM_INFRA_DIR:-$HOME/.local/state/sysdesign-platform/infra}
remote=${PLATFORM_DB_REMOTE:-}
root_password=${PLATFORM_DB_ROOT_PASSWORD:-}
bind_address=${PLATFORM_DB_BIND:-127.0.0.1}
services=${PLATFORM_INFRA_SERVICES:-all}
nodes=() hosts=() ports=()
if [ -n "$remote" ]; then
	for entry in $remote; do
		nodes+=("${entry%%=*}")
		address=${entry#*=}
		hosts+=("${address%:*}")
		ports+=("${address##*:}")
	done
else
	read -r -a ports <<<"${PLATFORM_DB_PORTS:-3307 3308 3309}"
	nodes=(db1 db2 db3)
	hosts=(127.0.0.1 127.0.0.1 127.0.0.1)
fi
redis_port=${PLATFORM_REDIS_PORT:-6379}
rabbit_port=${PLATFORM_RABBIT_PORT:-5672}
# a lost quorum of acknowledgements stalls commits this long before the primary falls back to asynchronous
# replication (reported by `status` and the services' health); both replicas must be gone for that
semisync_timeout_ms=${PLATFORM_DB_SEMISYNC_TIMEOUT_MS:-10000}

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

need() {
	command -v "$1" >/dev/null 2>&1 || die "$1 is not installed (apt-get install $2)"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # port seconds what
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		port_open "$1" && return 0
		sleep 0.1
	done
	die "$3 did not open port $1 within $2 s"
}

node_index() { # node -> 0..2
	local i
	for i in "${!nodes[@]}"; do
		[ "${nodes[$i]}" = "$1" ] && { echo "$i"; return 0; }
	done
	die "unknown node '$1' (one of: ${nodes[*]})"
}
node_port() { echo "${ports[$(node_index "$1")]}"; }
node_host() { echo "${hosts[$(node_index "$1")]}"; }
node_id() { echo $(($(node_index "$1") + 1)); }
node_of_port() { # port -> node
	local i
	for i in "${!ports[@]}"; do
		[ "${ports[$i]}" = "$1" ] && { echo "${nodes[$i]}"; return 0; }
	done
	die "no node on port $1"
}

client() { # node [mariadb options...]: the node's root client, over its socket (local) or TCP (remote)
	local node=$1
	shift
	if [ -n "$remote" ]; then
		MYSQL_PWD=$root_password mariadb --no-defaults --protocol=tcp -h "$(node_host "$node")" \
			-P "$(node_port "$node")" -uroot --connect-timeout=2 "$@"
	else
		mariadb --no-defaults --protocol=socket --socket="$state/$node/mysqld.sock" -uroot --connect-timeout=2 "$@"
	fi
}

sql() { # node statement...
	local node=$1
	shift
	client "$node" -N -B -e "$*"
}

slave_status() { # node -> SHOW SLAVE STATUS as "Field: value" lines (nothing when it is no replica)
	client "$1" -e 'SHOW SLAVE STATUS\G' 2>/dev/null
}

db_running() { # node
	if [ -n "$remote" ]; then
		sql "$1" "SELECT 1" >/dev/null 2>&1
		return
	fi
	local pidfile="$state/$1/mysqld.pid"
	[ -f "$pidfile" ] && alive "$(cat "$pidfile")"
}

alive() { # pid: running, and not a zombie nobody reaped yet
	kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}


answers() { db_running "$1" && sql "$1" "SELECT 1" >/dev/null 2>&1; }

recorded_primary() { cat "$state/primary-node" 2>/dev/null || echo db1; }

db_init() { # node
	local dir="$state/$1"
	[ -d "$dir/data/mysql" ] && return 0
	need mariadb-install-db mariadb-server
	log "initialising $1 data directory in $dir"
	rm -rf "$dir"
	mkdir -p "$dir/data"
	mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
		--auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 ||
		die "mariadb-install-db failed for $1, see $dir/install.log"
}

db_start() { # node
	local node=$1 dir="$state/$1" port
	port=$(node_port "$node")
	db_running "$node" && return 0
	need mariadbd mariadb-server
	if port_open "$port"; then
		die "port $port is taken by a process that is not this project's $node (pid file $dir/mysqld.pid)"
	fi
	db_init "$node"
	local role=()
	if [ "$node" != "$(recorded_primary)" ]; then
		# a replica, or a former primary coming back: read-only, and on crash recovery its binary log loses
		# the transactions no replica acknowledged (MariaDB's semi-sync slave recovery), so that it can
		# follow the primary that took over
		role=(--read-only=1 --init-rpl-role=SLAVE)
	fi
	# --defaults-file must come first (the cluster's server options, infra/mariadb/node.cnf); as root mariadbd
	# needs --user
	mariadbd --defaults-file="$root/infra/mariadb/node.cnf" --user="$(id -un)" --datadir="$dir/data" \
		--port="$port" --bind-address="$bind_address" --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" \
		--log-error="$dir/error.log" --server-id="$(node_id "$node")" \
		--rpl-semi-sync-master-timeout="$semisync_timeout_ms" --innodb-buffer-pool-size=192M \
		"${role[@]}" >>"$dir/stdout.log" 2>&1 &
	disown || true
	local i
	for ((i = 0; i < 300; i++)); do
		if [ -S "$dir/mysqld.sock" ] && sql "$node" "SELECT 1" >/dev/null 2>&1; then
			log "$node answers on 127.0.0.1:$port"
			return 0
		fi
		if ! db_running "$node" && [ "$i" -gt 20 ]; then
			die "$node exited during start-up, see $dir/error.log"
		fi
		sleep 0.1
	done
	die "$node did not start within 30 s, see $dir/error.log"
}

db_stop() { # node [signal]
	local node=$1 signal=${2:-TERM} pidfile="$state/$1/mysqld.pid" pid i
	db_running "$node" || return 0
	pid=$(cat "$pidfile")
	kill -"$signal" "$pid"
	for ((i = 0; i < 300; i++)); do
		alive "$pid" || { log "$node stopped ($signal)"; return 0; }
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
	log "$node killed after 30 s"
}

# Replication settings every replica gets: GTID auto-positioning, a quick reconnect.
replicate_from() { # node primary-node
	local node=$1 primary=$2
	sql "$node" "STOP SLAVE; SET GLOBAL read_only = 1; SET GLOBAL rpl_semi_sync_master_enabled = 0;
		SET GLOBAL rpl_semi_sync_slave_enabled = 1;
		CHANGE MASTER TO MASTER_HOST='$(node_host "$primary")', MASTER_PORT=$(node_port "$primary"), MASTER_USER='repl',
		MASTER_PASSWORD='repl', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE;"
}

make_primary() { # node
	sql "$1" "STOP SLAVE; RESET SLAVE ALL; SET GLOBAL rpl_semi_sync_slave_enabled = 0;
		SET GLOBAL rpl_semi_sync_master_enabled = 1; SET GLOBAL read_only = 0;"
	echo "$1" >"$state/primary-node"
}

# A replica that cannot follow the primary (its binary log holds transactions the primary lacks, and no crash
# recovery removed them, or the primary no longer has the binary logs it needs): its databases are replaced by a
# consistent dump of the primary's, and it replicates from the dump's GTID position.
rebuild() { # node primary-node
	local node=$1 primary=$2 databases
	log "$node cannot follow $primary: rebuilding it from a dump of $primary"
	databases=$(sql "$primary" "SELECT GROUP_CONCAT(schema_name SEPARATOR ' ') FROM information_schema.schemata
		WHERE schema_name NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')")
	sql "$node" "STOP SLAVE; RESET SLAVE ALL; RESET MASTER;"
	# loaded outside the node's own binary log: its GTID position becomes the dump's (--gtid --master-data)
	# shellcheck disable=SC2086
	{
		echo "SET SESSION sql_log_bin = 0;"
		if [ -n "$remote" ]; then
			MYSQL_PWD=$root_password mariadb-dump --no-defaults --protocol=tcp -h "$(node_host "$primary")" \
				-P "$(node_port "$primary")" -uroot --databases $databases --add-drop-database --single-transaction \
				--gtid --master-data=1 --routines --events --triggers
		else
			mariadb-dump --no-defaults --protocol=socket --socket="$state/$primary/mysqld.sock" -uroot \
				--databases $databases --add-drop-database --single-transaction --gtid --master-data=1 --routines \
				--events --triggers
		fi
	} | client "$node" || die "rebuilding $node from $primary failed"
	replicate_from "$node" "$primary"
}

# The replication state of a replica: "io=Yes sql=Yes lag=0 gtid=0-1-42" or "not replicating".
replication_of() { # node
	slave_status "$1" | awk '
		$1 == "Slave_IO_Running:" { io = $2 } $1 == "Slave_SQL_Running:" { s = $2 }
		$1 == "Seconds_Behind_Master:" { lag = $2 } $1 == "Gtid_IO_Pos:" { pos = $2 }
		$1 == "Master_Host:" { host = $2 } $1 == "Master_Port:" { port = $2 }
		$1 == "Last_IO_Errno:" { ioe = $2 } $1 == "Last_SQL_Errno:" { se = $2 }
		END { if (io != "") printf "from=%s:%s io=%s sql=%s lag=%s gtid=%s errors=%s/%s", host, port, io, s, lag, pos, ioe, se;
		      else printf "not replicating" }'
}

db_provision() {
	local primary
	primary=$(recorded_primary)
	if [ "$(sql "$primary" "SELECT COUNT(*) FROM mysql.user WHERE user = 'repl'")" = 0 ]; then
		log "creating schemas and accounts on $primary"
		if [ -z "$remote" ]; then
			sql "$primary" "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
			if [ -n "$root_password" ]; then
				# reached from outside the container the nodes run in (and over TCP inside it, with the
				# same password)
				sql "$primary" "CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '$root_password';
					GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
					ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '$root_password';"
			fi
		fi
		sql "$primary" "$(cat "$root/infra/mysql/init.sql")"
		sql "$primary" "GRANT SLAVE MONITOR ON *.* TO 'orders'@'%';"
	fi
	if [ "$(sql "$primary" "SELECT @@read_only")" != 0 ]; then
		make_primary "$primary"
	fi
	local node followers=()
	for node in "${nodes[@]}"; do
		[ "$node" = "$primary" ] && continue
		if ! answers "$node"; then
			log "$node does not answer: it rejoins when it is back and this runs again"
			continue
		fi
		followers+=("$node")
		local status
		status=$(replication_of "$node")
		if [ "$status" = "not replicating" ] || [[ "$status" != *"from=$(node_host "$primary"):$(node_port "$primary") "* ]]; then
			log "starting GTID replication of $node from $primary"
			if [ "$status" = "not replicating" ] && [ "$(sql "$node" "SELECT @@gtid_binlog_pos")" != "" ]; then
				# a former primary: it follows from its own last (acknowledged) transaction
				sql "$node" "SET GLOBAL gtid_slave_pos = @@gtid_binlog_pos;"
			fi
			replicate_from "$node" "$primary"
		fi
	done
	# every replica receives and applies the accounts (or is rebuilt when it cannot follow)
	for node in "${followers[@]}"; do
		local i ok=0 status
		for ((i = 0; i < 300; i++)); do
			status=$(replication_of "$node")
			if [[ "$status" == *"io=Yes sql=Yes"* ]] &&
				[ "$(sql "$node" "SELECT COUNT(*) FROM mysql.user WHERE user = 'orders'")" = 1 ]; then
				ok=1
				break
			fi
			# an applier error, or a primary that refuses the node's position (1236: the node has
			# transactions the primary lacks) cannot heal; connection errors while it connects do
			[[ "$status" == *"errors=1236/"* || ! "$status" =~ errors=[0-9]+/0$ ]] && break
			sleep 0.1
		done
		if [ "$ok" = 0 ]; then
			rebuild "$node" "$primary"
		fi
	done
	# commits wait for a replica's acknowledgement from now on (enabled last: before the replicas
	# connect, the first commits would wait the whole timeout)
	sql "$primary" "SET GLOBAL rpl_semi_sync_master_enabled = 1;"
}

monitor_pidfile() { echo "$state/monitor.pid"; }
monitor_running() { [ -f "$(monitor_pidfile)" ] && kill -0 "$(cat "$(monitor_pidfile)")" 2>/dev/null; }

monitor_start() {
	# with remote nodes the monitor runs on its own (docker compose: the db-monitor container)
	[ -z "$remote" ] || return 0
	monitor_running && return 0
	local list=() i
	for i in "${!nodes[@]}"; do list+=("${nodes[$i]}=127.0.0.1:${ports[$i]}"); done
	DB_NODES="${list[*]}" DB_STATE_DIR="$state" DB_SOCKET_DIR="$state" \
		nohup bash "$here/db-failover-monitor.sh" >>"$state/monitor.log" 2>&1 &
	echo $! >"$(monitor_pidfile)"
	disown || true
	log "failover monitor started (pid $!, log $state/monitor.log)"
}

monitor_stop() {
	[ -z "$remote" ] || return 0
	if monitor_running; then
		kill "$(cat "$(monitor_pidfile)")" 2>/dev/null || true
		log "failover monitor stopped"
	fi
	rm -f "$(monitor_pidfile)"
}

switchover() { # node
	local target=$1 primary
	primary=$(recorded_primary)
	[ "$target" = "$primary" ] && { log "$target is the primary already"; return 0; }
	answers "$target" || die "$target does not answer"
	# the monitor must not take the pause of writes for a failure (a read-only primary that answers is none,
	# but a slow one might be)
	monitor_stop
	log "switchover $primary -> $target"
	local position=""
	if answers "$primary"; then
		sql "$primary" "SET GLOBAL read_only = 1; FLUSH TABLES;"
		position=$(sql "$primary" "SELECT @@gtid_binlog_pos")
		[ "$(sql "$target" "SELECT MASTER_GTID_WAIT('$position', 30)")" = 0 ] ||
			die "$target did not apply $position within 30 s; $primary stays read-only, run: scripts/infra.sh switchover $primary"
	fi
	make_primary "$target"
	local node
	for node in "${nodes[@]}"; do
		[ "$node" = "$target" ] && continue
		answers "$node" && replicate_from "$node" "$target"
	done
	echo "$(date -u +%FT%T.%3NZ) switchover $primary -> $target${position:+ at $position}" >>"$state/failover.log"
	monitor_start
}

redis_up() {
	if port_open "$redis_port"; then
		return 0
	fi
	need redis-server redis-server
	log "starting Redis on $redis_port"
	mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
	redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$redis_port" --save "" --appendonly no \
		--dir /var/lib/redis --logfile /var/log/redis/ci.log
	wait_port "$redis_port" 20 Redis
}

rabbit_up() {
	if port_open "$rabbit_port"; then
		return 0
	fi
	need rabbitmq-server rabbitmq-server
	log "starting RabbitMQ on $rabbit_port"
	rabbitmq-server -detached
	wait_port "$rabbit_port" 90 RabbitMQ
}

# The two-node layout of earlier versions (primary/, replica/) becomes db1 and db2.
migrate_layout() {
	[ -d "$state/primary/data" ] && [ ! -d "$state/db1" ] || return 0
	log "moving the two-node cluster to the three-node layout (primary -> db1, replica -> db2)"
	local old
	for old in primary replica; do
		if [ -f "$state/$old/mysqld.pid" ] && kill -0 "$(cat "$state/$old/mysqld.pid")" 2>/dev/null; then
			kill "$(cat "$state/$old/mysqld.pid")"
			while kill -0 "$(cat "$state/$old/mysqld.pid")" 2>/dev/null; do sleep 0.1; done
		fi
	done
	mv "$state/primary" "$state/db1"
	[ -d "$state/replica" ] && mv "$state/replica" "$state/db2"
	rm -f "$state/db1/mysqld.sock" "$state/db2/mysqld.sock"
	echo db1 >"$state/primary-node"
}

status() {
	local rc=0 primary node port pid role detail
	primary=$(recorded_primary)
	for node in "${nodes[@]}"; do
		port=$(node_port "$node")
		if [ -n "$remote" ]; then
			pid=remote
		else
			pid=$(cat "$state/$node/mysqld.pid" 2>/dev/null || echo '?')
		fi
		if answers "$node"; then
			if [ "$(sql "$node" "SELECT @@read_only")" = 0 ]; then
				role=primary
				detail="semi-sync $(sql "$node" "SHOW STATUS LIKE 'Rpl_semi_sync_master_status'" | awk '{print $2}'), replicas $(sql "$node" "SHOW STATUS LIKE 'Rpl_semi_sync_master_clients'" | awk '{print $2}') acknowledging, gtid $(sql "$node" "SELECT @@gtid_binlog_pos")"
			else
				role=replica
				detail=$(replication_of "$node")
			fi
			printf '%-8s %-8s up     %s:%s (pid %s) %s\n' "$node" "$role" "$(node_host "$node")" "$port" "$pid" "$detail"
		else
			[ "$node" = "$primary" ] && role=primary || role=replica
			printf '%-8s %-8s down   %s:%s\n' "$node" "$role" "$(node_host "$node")" "$port"
			rc=1
		fi
	done
	local last
	last=$(tail -1 "$state/failover.log" 2>/dev/null || true)
	if [ -n "$remote" ]; then
		printf '%-17s %s\n' monitor "runs on its own (docker compose ps db-monitor); last event: ${last:-none}"
	elif monitor_running; then
		printf '%-17s up     (pid %s) last event: %s\n' monitor "$(cat "$(monitor_pidfile)")" "${last:-none}"
	else
		printf '%-17s down\n' monitor
		rc=1
	fi
	if [ "$services" = all ] && [ -z "$remote" ]; then
		message_brokers_status || rc=1
	fi
	echo "data: $state"
	return $rc
}

message_brokers_status() { # Redis and RabbitMQ
	local rc=0
	if port_open "$redis_port"; then printf '%-17s up     127.0.0.1:%s\n' redis "$redis_port"; else printf '%-17s down   127.0.0.1:%s\n' redis "$redis_port"; rc=1; fi
	if port_open "$rabbit_port"; then printf '%-17s up     127.0.0.1:%s\n' rabbitmq "$rabbit_port"; else printf '%-17s down   127.0.0.1:%s\n' rabbitmq "$rabbit_port"; rc=1; fi
	return $rc
}

resolve() { # NODE|primary|replica -> node
	case "$1" in
	primary) recorded_primary ;;
	replica)
		local node
		for node in "${nodes[@]}"; do
			[ "$node" != "$(recorded_primary)" ] && { echo "$node"; return 0; }
		done
		;;
	*) node_index "$1" >/dev/null && echo "$1" ;;
	esac
}

local_only() {
	[ -z "$remote" ] || die "'$1' runs processes on this machine; with PLATFORM_DB_REMOTE use docker compose (kill, stop, start)"
}

case "${1:-}" in
up)
	mkdir -p "$state"
	need mariadb mariadb-client
	if [ -z "$remote" ]; then
		migrate_layout
		# the recorded primary first (the monitor records the node it promotes); the others start read-only
		db_start "$(recorded_primary)"
		for node in "${nodes[@]}"; do db_start "$node"; done
	fi
	db_provision
	monitor_start
	if [ "$services" = all ] && [ -z "$remote" ]; then
		redis_up
		rabbit_up
	fi
	status
	;;
down)
	local_only down
	monitor_stop
	for node in "${nodes[@]}"; do
		[ "$node" != "$(recorded_primary)" ] && db_stop "$node"
	done
	db_stop "$(recorded_primary)"
	;;
status)
	status
	;;
primary)
	if [ -n "$remote" ]; then
		echo "$(node_host "$(recorded_primary)"):$(node_port "$(recorded_primary)")"
	else
		node_port "$(recorded_primary)"
	fi
	;;
backup-source)
	# where backups are taken: the first replica that replicates, the primary when none does
	for node in "${nodes[@]}"; do
		[ "$node" = "$(recorded_primary)" ] && continue
		if answers "$node" && [[ "$(replication_of "$node")" == *"io=Yes sql=Yes"* ]]; then
			echo "$node=$(node_host "$node"):$(node_port "$node")"
			exit 0
		fi
	done
	echo "$(recorded_primary)=$(node_host "$(recorded_primary)"):$(node_port "$(recorded_primary)")"
	;;
backup)
	shift
	bash "$here/db-backup.sh" "$@"
	;;
restore)
	shift
	bash "$here/db-restore.sh" "$@"
	;;
events)
	# every failover, refused failover, semi-sync change and switchover, oldest first
	cat "$state/failover.log" 2>/dev/null || true
	;;
stop)
	local_only stop
	db_stop "$(resolve "${2:?stop NODE|primary|replica}")"
	;;
kill)
	local_only kill
	db_stop "$(resolve "${2:?kill NODE|primary}")" KILL
	;;
start)
	local_only start
	node=$(resolve "${2:?start NODE|replica}")
	db_start "$node"
	# provisioned when there is a primary to follow; otherwise it keeps its replication settings and
	# reconnects by itself once there is
	if answers "$(recorded_primary)"; then db_provision; fi
	;;
switchover)
	switchover "$(resolve "${2:?switchover NODE}")"
	;;
freeze)
	# a hung node (SIGSTOP): its connections stay open and answer nothing; the monitor is paused, as a
	# frozen primary is what this fault is about, not a failover (thaw restarts the monitor)
	local_only freeze
	node=$(resolve "${2:?freeze NODE|primary}")
	monitor_stop
	db_running "$node" || die "$node is not running"
	kill -STOP "$(cat "$state/$node/mysqld.pid")"
	log "$node frozen"
	;;
thaw)
	local_only thaw
	node=$(resolve "${2:?thaw NODE|primary}")
	db_running "$node" && kill -CONT "$(cat "$state/$node/mysqld.pid")"
	log "$node thawed"
	monitor_start
	;;
monitor)
	local_only monitor
	case "${2:-}" in
	start) monitor_start ;;
	stop) monitor_stop ;;
	*) die "monitor start|stop" ;;
	esac
	;;
reset)
	local_only reset
	bash "$0" down
	rm -rf "$state"/db1 "$state"/db2 "$state"/db3 "$state"/primary "$state"/replica "$state/primary-node" \
		"$state/failover.log"
	bash "$0" up
	;;
*)
	echo "usage: $0 up|down|status|primary|events|backup|restore|reset|stop NODE|kill NODE|start NODE|switchover NODE|freeze NODE|thaw NODE|monitor start|stop" >&2
	exit 2
	;;
esac
