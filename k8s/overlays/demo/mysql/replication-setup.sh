#!/usr/bin/env bash
# docker compose's mysql-init container: provisions the MySQL 8.4 pair once both servers answer.
# 1. schemas and accounts on the primary, with binary logging on, so the replica receives them
# 2. GTID auto-positioned replication primary -> replica
# Idempotent: compose runs it at every `up`.
set -euo pipefail
primary=(mysql -h "${PRIMARY_HOST:-mysql-primary}" -uroot -p"$MYSQL_ROOT_PASSWORD" --connect-timeout=5)
replica=(mysql -h "${REPLICA_HOST:-mysql-replica}" -uroot -p"$MYSQL_ROOT_PASSWORD" --connect-timeout=5)

"${primary[@]}" </init/init.sql
"${primary[@]}" -e "GRANT REPLICATION CLIENT ON *.* TO 'orders'@'%';"

if [ -z "$("${replica[@]}" -N -e 'SHOW REPLICA STATUS')" ]; then
	"${replica[@]}" -e "CHANGE REPLICATION SOURCE TO SOURCE_HOST='${PRIMARY_HOST:-mysql-primary}', SOURCE_PORT=3306,
		SOURCE_USER='repl', SOURCE_PASSWORD='repl', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1,
		SOURCE_CONNECT_RETRY=2; START REPLICA;"
fi

for _ in $(seq 1 60); do
	if [ "$("${replica[@]}" -N -e "SELECT COUNT(*) FROM mysql.user WHERE user = 'orders'")" = 1 ]; then
		echo "replication ready"
		exit 0
	fi
	sleep 1
done
"${replica[@]}" -e 'SHOW REPLICA STATUS\G' >&2
echo "the replica did not receive the schemas within 60 s" >&2
exit 1
