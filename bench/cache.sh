#!/usr/bin/env bash
# The two-level cache: order reads from the cache vs from the database vs a constant answer, in one run, and the
# local-level hit rate with consistent hashing vs round-robin.
#
#   bench/cache.sh            (THREADS=16 DURATION=30 WARMUP=60 ORDERS=2000 by default)
#
# Two order-service instances from the same jar, each alone on core 1 while it is measured (wrk on core 0):
#   18081 caches (the defaults: L1 Caffeine 10,000 entries / 30 s, L2 Redis 5 min) and has the bench-only
#         constant endpoint GET /bench/order (same filters, identity and JSON as an order read, no lookup);
#   18082 has orders.cache.enabled=false: every read is a read-only transaction on the replica.
# Phases, each with a warm-up first: constant endpoint on 18081, GET /api/orders/{id} on 18081 (cached: the
# ORDERS orders fit in L1; the warm-up fills it), the constant endpoint again (before and after, as a baseline
# should be), the same reads on 18082 (uncached).
# Target (issue 7): cached >= 0.8 x constant.
# Then the L1 hit-rate simulation (bench/src/.../cache/L1HitRateReport.java): the gateway's rendezvous hashing vs
# round-robin over 1-3 instances, production L1 settings, a Zipf mix of users reading their own orders.
# Results: bench/results/cache-<timestamp>.txt; docs/benchmarks.md quotes them.
source "$(dirname "$0")/lib.sh"
threads=${THREADS:-16}
duration=${DURATION:-30}
warmup=${WARMUP:-60}
orders=${ORDERS:-2000}
report="$out/cache-$(date -u +%Y%m%dT%H%M%SZ).txt"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
for port in 18081 18082; do
	if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "port $port is in use" >&2; exit 1; fi
done

scripts/infra.sh up >/dev/null
./mvnw -q -B -DskipTests -Pbench package -pl order-service,bench -am

sql() { mariadb --no-defaults -h127.0.0.1 -P3307 -uroot -N -B orders -e "$1"; }
clean() { # this benchmark's orders (user ids 1..100000), their outbox rows, and what the relay sent
	sql "DELETE oi FROM order_item oi JOIN purchase_order po ON po.id = oi.order_id WHERE po.user_id <= 100000;
	     DELETE FROM purchase_order WHERE user_id <= 100000;"
	rabbitmqctl -q purge_queue worker.order-placed >/dev/null 2>&1 || true
}

pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true
	clean
}

phase() { # title port script
	echo "## $1"
	ORDERS="$out/cache-orders.csv" taskset -c 0 wrk -t1 -c"$threads" -d"${warmup}s" -s "bench/wrk/$3" "http://127.0.0.1:$2" >/dev/null
	ORDERS="$out/cache-orders.csv" taskset -c 0 wrk -t1 -c"$threads" -d"${duration}s" --latency -s "bench/wrk/$3" "http://127.0.0.1:$2"
	echo
}

{
	trap cleanup EXIT # the block runs in a subshell (| tee): its processes are cleaned up there
	echo "# bench/cache.sh $(date -u +%FT%TZ) threads=$threads duration=${duration}s warmup=${warmup}s orders=$orders"
	echo "# $(nproc) cores: wrk on core 0, the order-service instances on core 1, MariaDB and Redis unpinned"
	echo
	clean
	start_order_service 18081 --orders.bench.constant-endpoint=true
	start_order_service 18082 --orders.cache.enabled=false
	for i in $(seq 1 "$orders"); do
		printf '{"items":[{"sku":"KB-001","quantity":1}]}' | curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
			-H "X-User-Id: $(( (i % 1000) + 1 ))" --data-binary @- http://127.0.0.1:18082/api/orders
	done
	sql "SELECT CONCAT(id, ',', user_id) FROM purchase_order WHERE user_id <= 100000" >"$out/cache-orders.csv"
	mariadb --no-defaults -h127.0.0.1 -P3308 -uroot -N -e "SELECT MASTER_GTID_WAIT('$(sql 'SELECT @@gtid_binlog_pos')', 600)" >/dev/null
	echo "$(wc -l <"$out/cache-orders.csv") orders of 1000 users"
	echo
	phase "constant: GET /bench/order on 18081" 18081 constant-order.lua
	phase "cached: GET /api/orders/{id} on 18081" 18081 read-order.lua
	curl -s http://127.0.0.1:19081/actuator/prometheus | grep -E '^cache_(gets|loads)_total\{.*cache="orders"'
	echo
	phase "constant again (the report uses the mean of both constant runs)" 18081 constant-order.lua
	phase "uncached: GET /api/orders/{id} on 18082 (orders.cache.enabled=false)" 18082 read-order.lua
	curl -s http://127.0.0.1:19082/actuator/prometheus | grep '^orders_db_reads_total'
	echo
	echo "## L1 hit rate: consistent hashing vs round-robin (simulation with the production balancer and L1)"
	"$java" -cp bench/target/benchmarks.jar dev.sysdesign.bench.cache.L1HitRateReport
} | tee "$report"
echo "report: $report"
