#!/usr/bin/env bash
# Order creation with semi-synchronous replication (the cluster's setting: a commit returns once a replica holds
# it) vs asynchronous replication, side by side in one run, on the three-node cluster of scripts/infra.sh.
#
#   bench/replication.sh            (THREADS=16 DURATION=20 WARMUP=60 ROUNDS=2 by default)
#
# Each round measures, with semi-sync on and then off (SET GLOBAL rpl_semi_sync_master_enabled on the primary):
# 1. POST /api/orders with wrk straight to one order-service instance (the service's whole write path: stock,
#    order, outbox rows, commit, the GTID read for read-your-writes);
# 2. the plain JDBC loop of the same statements (bench/src/main/java/dev/sysdesign/bench/OrderInsertBaseline.java):
#    the database's own cost, without the service.
# Rounds alternate the modes so that a drift of the machine (page cache, JIT, table growth) falls on both. Before
# each phase this benchmark's orders (user ids 1..100000) are deleted and every replica is waited for.
# Core sharing on the 2-core machine: wrk and the JDBC loop on core 0, order-service on core 1, MariaDB unpinned.
# Results: bench/results/replication-<timestamp>.txt; docs/benchmarks.md quotes them.
source "$(dirname "$0")/lib.sh"
threads=${THREADS:-16}
duration=${DURATION:-20}
warmup=${WARMUP:-60}
rounds=${ROUNDS:-2}
report="$out/replication-$(date -u +%Y%m%dT%H%M%SZ).txt"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

scripts/infra.sh up >/dev/null
primary_port=$(scripts/infra.sh primary)
primary_url="jdbc:mariadb://127.0.0.1:$primary_port/orders?useServerPrepStmts=true"
./mvnw -q -B -DskipTests -Pbench package -pl order-service,bench -am

sql() { mariadb --no-defaults -h127.0.0.1 -P"$primary_port" -uroot -N -B orders -e "$1"; }
clean() { # this benchmark's orders gone, every replica caught up
	sql "DELETE oi FROM order_item oi JOIN purchase_order po ON po.id = oi.order_id WHERE po.user_id <= 100000;
	     DELETE FROM purchase_order WHERE user_id <= 100000;
	     DELETE FROM outbox WHERE routing_key = 'bench.baseline';"
	local position port
	position=$(sql 'SELECT @@gtid_binlog_pos')
	for port in ${PLATFORM_DB_PORTS:-3307 3308 3309}; do
		[ "$port" = "$primary_port" ] && continue
		mariadb --no-defaults -h127.0.0.1 -P"$port" -uroot -N -e "SELECT MASTER_GTID_WAIT('$position', 600)" >/dev/null
	done
}
semisync() { # on|off
	sql "SET GLOBAL rpl_semi_sync_master_enabled = $([ "$1" = on ] && echo 1 || echo 0)"
	[ "$(sql "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_status'" | cut -f2)" = "$( [ "$1" = on ] && echo ON || echo OFF)" ] ||
		{ echo "semi-sync did not turn $1" >&2; exit 1; }
}

pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true
	rabbitmqctl -q purge_queue worker.order-placed >/dev/null 2>&1 || true
	sql "SET GLOBAL rpl_semi_sync_master_enabled = 1" || true
}
trap cleanup EXIT

{
	trap cleanup EXIT
	echo "# bench/replication.sh $(date -u +%FT%TZ) threads=$threads duration=${duration}s warmup=${warmup}s rounds=$rounds"
	echo "# $(nproc) cores; primary on $primary_port; $(scripts/infra.sh status | grep -c ' replica  up') replicas up"
	start_order_service 18081 --spring.datasource.url="$primary_url" --orders.cache.enabled=false
	clean
	taskset -c 0 wrk -t1 -c"$threads" -d"${warmup}s" -s bench/wrk/create-order.lua http://127.0.0.1:18081 >/dev/null
	for round in $(seq 1 "$rounds"); do
		for mode in on off; do
			semisync "$mode"
			clean
			echo "## round $round, semi-sync $mode: POST /api/orders (wrk, $threads connections)"
			taskset -c 0 wrk -t1 -c"$threads" -d"${duration}s" --latency -s bench/wrk/create-order.lua http://127.0.0.1:18081
			clean
			echo "## round $round, semi-sync $mode: plain JDBC loop, same statements, $threads connections"
			taskset -c 0 "$java" -cp bench/target/benchmarks.jar dev.sysdesign.bench.OrderInsertBaseline \
				--url "$primary_url" --threads "$threads" --seconds "$duration" --warmup 5
			echo
		done
	done
	semisync on
	clean
} | tee "$report"
echo "report: $report"
