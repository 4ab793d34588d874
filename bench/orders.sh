#!/usr/bin/env bash
# Order creation and order reads, straight to one order-service instance, with baselines in the same run.
#
#   bench/orders.sh            (THREADS=16 DURATION=30 WARMUP=90 by default: on one core the JIT needs a minute or more)
#
# 1. POST /api/orders with wrk vs a plain JDBC loop doing the same statements and commit on the same primary
#    (bench/src/main/java/dev/sysdesign/bench/OrderInsertBaseline.java) with the same number of connections and
#    the same JDBC URL; the baseline runs before and after the service, and the report uses their mean.
# 2. GET /api/orders/{id} served by the replica vs by the primary (a second instance whose replica URL points at
#    the primary, so every read goes there). Both with the caches off (orders.cache.enabled=false): this measures
#    the database path; bench/cache.sh measures the caches.
# Before each phase the orders this benchmark created (user ids 1..100000) are deleted and the replica is waited
# for, so that every phase starts from the same table size with an idle replica.
# Since the outbox exists, each order also writes its order.placed row (the baseline too) and the instance's relay
# publishes it; the worker's queue is purged at the end (stop any running platform first).
# Core sharing on the 2-core machine: wrk and the JDBC baseline on core 0, the order-service JVM on core 1,
# MariaDB (primary and replica, which applies every write) unpinned.
# Results: bench/results/orders-<timestamp>.txt; docs/benchmarks.md quotes them.
source "$(dirname "$0")/lib.sh"
threads=${THREADS:-16}
duration=${DURATION:-30}
warmup=${WARMUP:-90}
primary_url="jdbc:mariadb://127.0.0.1:3307/orders?useServerPrepStmts=true"
replica_url="jdbc:mariadb://127.0.0.1:3308/orders?useServerPrepStmts=true"
report="$out/orders-$(date -u +%Y%m%dT%H%M%SZ).txt"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

scripts/infra.sh up >/dev/null
./mvnw -q -B -DskipTests -Pbench package -pl order-service,bench -am

sql() { mariadb --no-defaults -h127.0.0.1 -P3307 -uroot -N -B orders -e "$1"; }
clean() { # delete this benchmark's orders, then wait until the replica has applied everything
	sql "DELETE oi FROM order_item oi JOIN purchase_order po ON po.id = oi.order_id WHERE po.user_id <= 100000;
	     DELETE FROM purchase_order WHERE user_id <= 100000;
	     DELETE FROM outbox WHERE routing_key = 'bench.baseline';"
	mariadb --no-defaults -h127.0.0.1 -P3308 -uroot -N -e "SELECT MASTER_GTID_WAIT('$(sql 'SELECT @@gtid_binlog_pos')', 600)" >/dev/null
}

pids=()
cleanup() { # the instances, and the order.placed messages their outbox sent (no worker runs during this benchmark)
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true
	rabbitmqctl -q purge_queue worker.order-placed >/dev/null 2>&1 || true
}
trap cleanup EXIT

start_instance() { # port replica-url
	start_order_service "$1" --spring.datasource.url="$primary_url" --platform.datasource.replica.url="$2" \
		--orders.cache.enabled=false
}

baseline() {
	clean
	taskset -c 0 "$java" -cp bench/target/benchmarks.jar dev.sysdesign.bench.OrderInsertBaseline \
		--url "$primary_url" --threads "$threads" --seconds "$duration" --warmup 30
}

{
	trap cleanup EXIT # the block runs in a subshell (| tee): its processes are cleaned up there
	echo "# bench/orders.sh $(date -u +%FT%TZ) threads=$threads duration=${duration}s warmup=${warmup}s"
	echo "# $(nproc) cores: wrk and the baseline on core 0, order-service on core 1, MariaDB unpinned"
	echo
	echo "## baseline (before): plain JDBC loop, same statements, $threads connections"
	baseline
	echo
	clean
	start_instance 18081 "$replica_url"
	echo "## order creation: POST /api/orders (wrk, $threads connections)"
	taskset -c 0 wrk -t1 -c"$threads" -d"${warmup}s" -s bench/wrk/create-order.lua http://127.0.0.1:18081 >/dev/null
	taskset -c 0 wrk -t1 -c"$threads" -d"${duration}s" --latency -s bench/wrk/create-order.lua http://127.0.0.1:18081
	echo
	sql "SELECT CONCAT(id, ',', user_id) FROM purchase_order WHERE user_id <= 100000 ORDER BY created_at DESC LIMIT 2000" >"$out/orders.csv"
	echo "## baseline (after): plain JDBC loop, same statements, $threads connections"
	baseline
	echo
	# the reads start once the creation phase's outbox backlog is published (the relay would share the core)
	until [ "$(sql 'SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL')" = 0 ]; do sleep 1; done
	mariadb --no-defaults -h127.0.0.1 -P3308 -uroot -N -e "SELECT MASTER_GTID_WAIT('$(sql 'SELECT @@gtid_binlog_pos')', 600)" >/dev/null
	start_instance 18082 "$primary_url"
	echo "## reads served by the replica: GET /api/orders/{id} (wrk, $threads connections)"
	ORDERS="$out/orders.csv" taskset -c 0 wrk -t1 -c"$threads" -d"${warmup}s" -s bench/wrk/read-order.lua http://127.0.0.1:18081 >/dev/null
	ORDERS="$out/orders.csv" taskset -c 0 wrk -t1 -c"$threads" -d"${duration}s" --latency -s bench/wrk/read-order.lua http://127.0.0.1:18081
	curl -s http://127.0.0.1:19081/actuator/prometheus | grep '^orders_db_reads_total'
	echo
	echo "## reads served by the primary (second instance, replica URL = primary)"
	ORDERS="$out/orders.csv" taskset -c 0 wrk -t1 -c"$threads" -d"${warmup}s" -s bench/wrk/read-order.lua http://127.0.0.1:18082 >/dev/null
	ORDERS="$out/orders.csv" taskset -c 0 wrk -t1 -c"$threads" -d"${duration}s" --latency -s bench/wrk/read-order.lua http://127.0.0.1:18082
	curl -s http://127.0.0.1:19082/actuator/prometheus | grep '^orders_db_reads_total'
	clean
} | tee "$report"
echo "report: $report"
