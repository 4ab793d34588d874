#!/usr/bin/env bash
# Local infrastructure for the platform without Docker.
#
#   scripts/infra.sh up       start the MariaDB primary (3307) and replica (3308) with GTID replication,
#                             and make sure Redis (6379) and RabbitMQ (5672) answer (starting them if installed)
#   scripts/infra.sh down     stop the MariaDB pair (Redis and RabbitMQ are machine services and keep running)
#   scripts/infra.sh status   say what runs
#   scripts/infra.sh stop primary|replica     stop one MariaDB process (fault tests)
#   scripts/infra.sh start primary|replica    start it again
#   scripts/infra.sh reset    down, delete the MariaDB data directories, up (a clean database pair)
#
# Idempotent: `up` on a running setup changes nothing. Data lives in $PLATFORM_INFRA_DIR
# (default ~/.local/state/sysdesign-platform/infra) so every clone of the repository shares one pair.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
state=${PLATFORM_INFRA_DIR:-$HOME/.local/state/sysdesign-platform/infra}
primary_port=${PLATFORM_DB_PRIMARY_PORT:-3307}
replica_port=${PLATFORM_DB_REPLICA_PORT:-3308}
redis_port=${PLATFORM_REDIS_PORT:-6379}
rabbit_port=${PLATFORM_RABBIT_PORT:-5672}

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

need() {
	command -v "$1" >/dev/null 2>&1 || die "$1 is not installed ($2)"
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

sql() { # role statement...
	local role=$1
	shift
	mariadb --no-defaults --protocol=socket --socket="$state/$role/mysqld.sock" -uroot -N -B -e "$*"
}

role_port() { [ "$1" = primary ] && echo "$primary_port" || echo "$replica_port"; }
role_id() { [ "$1" = primary ] && echo 1 || echo 2; }

db_running() { # role
	local pidfile="$state/$1/mysqld.pid"
	[ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

db_init() { # role
	local dir="$state/$1"
	[ -d "$dir/data/mysql" ] && return 0
	need mariadb-install-db "apt-get install mariadb-server"
	log "initialising $1 data directory in $dir"
	rm -rf "$dir"
	mkdir -p "$dir/data"
	mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
		--auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 ||
		die "mariadb-install-db failed for $1, see $dir/install.log"
}

db_start() { # role
	local role=$1 dir="$state/$1" port
	port=$(role_port "$role")
	if db_running "$role"; then
		return 0
	fi
	need mariadbd "apt-get install mariadb-server"
	if port_open "$port"; then
		die "port $port is taken by a process that is not this project's $role (pid file $dir/mysqld.pid)"
	fi
	db_init "$role"
	local extra=()
	if [ "$role" = replica ]; then
		extra+=(--read-only=1)
	fi
	# --no-defaults must come first; as root mariadbd needs --user
	mariadbd --no-defaults --user="$(id -un)" --datadir="$dir/data" --port="$port" --bind-address=127.0.0.1 \
		--socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" --log-error="$dir/error.log" \
		--server-id="$(role_id "$role")" --log-bin=mariadb-bin --log-slave-updates --binlog-format=ROW \
		--gtid-strict-mode=1 --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
		--innodb-buffer-pool-size=256M --max-connections=400 --skip-log-warnings=0 "${extra[@]}" \
		>>"$dir/stdout.log" 2>&1 &
	disown || true
	local i
	for ((i = 0; i < 300; i++)); do
		if [ -S "$dir/mysqld.sock" ] && sql "$role" "SELECT 1" >/dev/null 2>&1; then
			log "$role MariaDB answers on 127.0.0.1:$port"
			return 0
		fi
		sleep 0.1
	done
	die "$role MariaDB did not start within 30 s, see $dir/error.log"
}

db_stop() { # role
	local role=$1 pidfile="$state/$1/mysqld.pid" pid i
	db_running "$role" || return 0
	pid=$(cat "$pidfile")
	kill "$pid"
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || { log "$role MariaDB stopped"; return 0; }
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
	log "$role MariaDB killed after 30 s"
}

db_provision() {
	# Accounts and schemas on the primary (binlogged, so the replica receives them), then replication.
	if [ "$(sql primary "SELECT COUNT(*) FROM mysql.user WHERE user = 'repl'")" = 0 ]; then
		log "creating schemas and accounts on the primary"
		sql primary "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
		sql primary "$(cat "$root/infra/mysql/init.sql")"
		sql primary "GRANT SLAVE MONITOR ON *.* TO 'orders'@'%';"
	fi
	if [ -z "$(sql replica "SHOW SLAVE STATUS")" ]; then
		log "starting GTID replication 3307 -> 3308"
		sql replica "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$primary_port, MASTER_USER='repl', MASTER_PASSWORD='repl', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE;"
	fi
	local i
	for ((i = 0; i < 100; i++)); do
		if [ "$(sql replica "SELECT COUNT(*) FROM mysql.user WHERE user = 'orders'")" = 1 ]; then
			return 0
		fi
		sleep 0.1
	done
	die "the replica did not receive the accounts within 10 s: $(sql replica 'SHOW SLAVE STATUS\G' | grep -E 'Running|Error' | tr -s ' ')"
}

redis_up() {
	if port_open "$redis_port"; then
		return 0
	fi
	need redis-server "apt-get install redis-server"
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
	need rabbitmq-server "apt-get install rabbitmq-server"
	log "starting RabbitMQ on $rabbit_port"
	rabbitmq-server -detached
	wait_port "$rabbit_port" 90 RabbitMQ
}

status_line() { # name port detail
	if port_open "$2"; then
		printf '%-16s up     127.0.0.1:%s %s\n' "$1" "$2" "$3"
	else
		printf '%-16s down   127.0.0.1:%s\n' "$1" "$2"
		return 1
	fi
}

status() {
	local rc=0 repl=""
	if db_running replica; then
		repl=$(mariadb --no-defaults --socket="$state/replica/mysqld.sock" -uroot -e "SHOW SLAVE STATUS\\G" 2>/dev/null | awk '
			$1 == "Slave_IO_Running:" { io = $2 } $1 == "Slave_SQL_Running:" { s = $2 }
			$1 == "Seconds_Behind_Master:" { lag = $2 } $1 == "Gtid_IO_Pos:" { pos = $2 }
			END { if (io != "") printf "replication io=%s sql=%s lag=%s gtid=%s", io, s, lag, pos }' || true)
	fi
	status_line mariadb-primary "$primary_port" "(pid $(cat "$state/primary/mysqld.pid" 2>/dev/null || echo '?'))" || rc=1
	status_line mariadb-replica "$replica_port" "(pid $(cat "$state/replica/mysqld.pid" 2>/dev/null || echo '?')) $repl" || rc=1
	status_line redis "$redis_port" "" || rc=1
	status_line rabbitmq "$rabbit_port" "" || rc=1
	echo "data: $state"
	return $rc
}

case "${1:-}" in
up)
	mkdir -p "$state"
	need mariadb "apt-get install mariadb-client"
	db_start primary
	db_start replica
	db_provision
	redis_up
	rabbit_up
	status
	;;
down)
	db_stop replica
	db_stop primary
	;;
status)
	status
	;;
stop)
	db_stop "${2:?stop primary|replica}"
	;;
start)
	db_start "${2:?start primary|replica}"
	;;
reset)
	db_stop replica
	db_stop primary
	rm -rf "$state/primary" "$state/replica"
	"$0" up
	;;
*)
	echo "usage: $0 up|down|status|reset|stop primary|replica|start primary|replica" >&2
	exit 2
	;;
esac
