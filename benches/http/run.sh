#!/usr/bin/env bash
# The HTTP benchmark: a release server over a fresh PostgreSQL database, seeded through the Magento
# CSV import over HTTP (100,000 customers, 150,000 addresses), then the four scenarios of the
# benchmarks guide under wrk at 32 connections, with `pgbench -S` at the same concurrency as the
# anchor. Prints one table; docs/benchmarks.md records its figures.
#
#   bash benches/http/run.sh
#
# Needs wrk, pgbench, psql, curl, jq and python3 (Debian: apt-get install wrk postgresql-client curl
# jq python3)
# and a PostgreSQL server it may create databases on. Settings (environment):
#   CLIENTELE_BENCH_SERVER       PostgreSQL server URL, without a database, with parameters if
#                                wanted (`?sslmode=disable` for a Citus cluster's self-signed
#                                certificates) (default postgres://postgres@127.0.0.1:5432)
#   CLIENTELE_BENCH_CUSTOMERS    customers to import (default 100000; addresses are 1.5 times as
#                                many)
#   CLIENTELE_BENCH_DURATION     each scenario's run in seconds, as `30s` (the default), after a
#                                5s warm-up
#   CLIENTELE_BENCH_CONNECTIONS  concurrent connections (default 32)
#   CLIENTELE_BENCH_SQLITE=1     also measure the imports on a fresh SQLite database
#   CLIENTELE_BENCH_KEEP=1       leave the databases and the working directory behind
#   CLIENTELE_BENCH_CITUS_WORKERS  Citus workers as host:port, space-separated: the server URL is
#                                then a Citus coordinator, and the benchmark database is made on
#                                every node with the extension, the workers added to it
#   CLIENTELE_BENCH_CITUS_ADD    one more Citus worker (host:port): after the scenarios, the
#                                storefront `customer` scenario runs again while this worker is
#                                added and the shards are rebalanced onto it
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$(pwd)
server_url=${CLIENTELE_BENCH_SERVER:-postgres://postgres@127.0.0.1:5432}
# The server's parameters go after the database name in the URLs the server is given.
server_parameters=
if [[ $server_url == *\?* ]]; then
  server_parameters="?${server_url#*\?}"
  server_url=${server_url%%\?*}
fi
customers=${CLIENTELE_BENCH_CUSTOMERS:-100000}
duration=${CLIENTELE_BENCH_DURATION:-30s}
connections=${CLIENTELE_BENCH_CONNECTIONS:-32}
database=clientele_http_bench
anchor_database=clientele_http_bench_pgbench
citus_workers=${CLIENTELE_BENCH_CITUS_WORKERS:-}
citus_add=${CLIENTELE_BENCH_CITUS_ADD:-}
engine=PostgreSQL
[ -z "$citus_workers" ] || engine="Citus ($(wc -w <<<"$citus_workers") workers)"
password='Bench-Pass-2026'
staff_password='Bench-Staff-2026'
# Sign-in draws from this many shoppers, each signed in once before measuring: their imported
# Magento hashes are upgraded to Argon2id on the first sign-in, which is not what is measured.
signin_pool=200

for tool in wrk pgbench psql curl jq python3; do
  command -v "$tool" >/dev/null || {
    echo "benches/http/run.sh needs $tool (Debian: apt-get install wrk postgresql-client curl jq python3)" >&2
    exit 1
  }
done

work=$(mktemp -d)
# As an operator sets it (a development server would otherwise write one to its directory).
CLIENTELE_KEY_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)
export CLIENTELE_KEY_ENCRYPTION_KEY
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  if [ "${CLIENTELE_BENCH_KEEP:-}" != 1 ]; then
    rm -rf "$work"
    psql -q "$server_url/postgres" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" \
      -c "DROP DATABASE IF EXISTS $anchor_database WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*" >&2; }

step "building the release server"
cargo build --release --locked --bin clientele
bin=$root/target/release/clientele

step "writing $customers customers and $((customers * 3 / 2)) addresses as Magento CSV files"
# The shoppers' passwords come as Magento SHA-256 hashes (`hash:salt:1`), as an export from
# Adobe Commerce carries them: hashing a password per row would measure Argon2, not the import.
salt=benchsalt0123456789abcdefghijkl
hash="$(printf '%s' "$salt$password" | sha256sum | cut -d' ' -f1):$salt:1"
awk -v n="$customers" -v hash="$hash" 'BEGIN {
  split("Ann Ben Cy Dan Eve Fay Gus Hal Ivy Jo", first, " ")
  split("Lee Ng Roe Kim Diaz Berg Cole Shaw Park Vogel", last, " ")
  print "email,_website,firstname,lastname,group_id,created_at,password_hash"
  for (i = 1; i <= n; i++) {
    minute = i % 60; hour = int(i / 60) % 24; day = int(i / 1440) % 28 + 1; month = int(i / 40320) % 12 + 1
    printf "shopper%d@bench.example.com,base,%s,%s,%d,2024-%02d-%02d %02d:%02d:00,%s\n",
      i, first[i % 10 + 1], last[int(i / 10) % 10 + 1], i % 3 + 1, month, day, hour, minute, hash
  }
}' >"$work/customers.csv"
awk -v n="$customers" 'BEGIN {
  split("Austin Dallas Houston El_Paso Plano", city, " ")
  print "_website,_email,_entity_id,firstname,lastname,street,city,region,country_id,postcode,telephone,_address_default_billing_,_address_default_shipping_"
  for (i = 1; i <= n; i++) {
    c = city[i % 5 + 1]; gsub("_", " ", c)
    printf "base,shopper%d@bench.example.com,,Ann,Lee,%d Main St,%s,Texas,US,787%02d,512-555-%04d,1,1\n", i, i % 900 + 1, c, i % 100, i % 10000
    if (i % 2 == 0)
      printf "base,shopper%d@bench.example.com,,Ann,Lee,%d Elm St,%s,Texas,US,787%02d,512-555-%04d,0,0\n", i, i % 700 + 1, c, i % 100, i % 10000
  }
}' >"$work/addresses.csv"

port_of() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Starts the server over $1 and waits until it answers.
start_server() {
  port=$(port_of)
  base=http://127.0.0.1:$port
  # Every request comes from one address here, so the per-client limit on failed sign-ins
  # (which counts attempts in flight) is off; real shoppers come from many.
  CLIENTELE_DATABASE_URL=$1 CLIENTELE_LISTEN=127.0.0.1:$port CLIENTELE_MAIL_TRANSPORT=none \
    CLIENTELE_LOG_LEVEL=warn CLIENTELE_SIGN_IN_FAILURES_PER_CLIENT=0 "$bin" serve >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -sf "$base/readyz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -sf "$base/readyz" >/dev/null || { cat "$work/server.log" >&2; exit 1; }
  printf '%s\n' "$staff_password" | CLIENTELE_DATABASE_URL=$1 "$bin" admin create \
    --email bench@example.com --name Bench --password-stdin >/dev/null
  staff_token=$(curl -sf "$base/admin/graphql" -H 'Content-Type: application/json' \
    -d "{\"query\": \"mutation { generateStaffToken(email: \\\"bench@example.com\\\", password: \\\"$staff_password\\\") { token } }\"}" |
    jq -er .data.generateStaffToken.token)
}

stop_server() {
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

# Uploads $2 to the import route of entity $1 as a job, follows it to its end and adds a row of
# the table labelled $3 with its time and rate. Runs in the script's own shell, so a failure
# stops the script.
import_file() {
  local entity=$1 file=$2 label=$3 started job state rows
  started=$(date +%s.%N)
  job=$(curl -sf -X POST "$base/admin/import/$entity?behavior=add_update" \
    -H "Authorization: Bearer $staff_token" -H 'Content-Type: text/csv' \
    --data-binary "@$file" | jq -er .data.id)
  while :; do
    state=$(curl -sf "$base/admin/import/jobs/$job" -H "Authorization: Bearer $staff_token")
    case $(jq -r .data.state <<<"$state") in
      succeeded) break ;;
      receiving | queued | running) ;;
      *) echo "the $entity import ended: $state" >&2; exit 1 ;;
    esac
    printf '\r  %s: %s of %s rows' "$entity" "$(jq -r .data.rows_done <<<"$state")" \
      "$(jq -r .data.rows_total <<<"$state")" >&2
    sleep 0.2
  done
  rows=$(jq -r '.data.report.rows' <<<"$state")
  [ "$(jq -r '.data.report.error_count' <<<"$state")" = 0 ] ||
    { echo "the $entity import refused rows: $state" >&2; exit 1; }
  printf '\r' >&2
  row "$label" "$(awk -v s="$started" -v e="$(date +%s.%N)" -v r="$rows" \
    'BEGIN { printf "%.1f s, %.0f rows/s", e - s, r / (e - s) }')"
}

peak_rss_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }

declare -a rows_out=()
row() { rows_out+=("$(printf '| %s | %s |' "$1" "$2")"); }

if [ "${CLIENTELE_BENCH_SQLITE:-}" = 1 ]; then
  step "imports on a fresh SQLite database"
  start_server "sqlite://$work/bench.db?mode=rwc"
  import_file customer "$work/customers.csv" "SQLite: first import, customers (empty database)"
  import_file customer_address "$work/addresses.csv" "SQLite: first import, addresses"
  import_file customer "$work/customers.csv" "SQLite: re-import, customers (all updates)"
  stop_server
fi

# Makes database $1 afresh: on the server, and on a Citus cluster on every node, with the
# extension in each and the workers added to it (the spare worker gets the database only).
fresh_database() {
  local node
  psql -q "$server_url/postgres" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" \
    -c "CREATE DATABASE $1" >/dev/null
  [ -n "$citus_workers" ] || return 0
  for node in $citus_workers $citus_add; do
    psql -q "${server_url%@*}@$node/postgres" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" \
      -c "CREATE DATABASE $1" >/dev/null
    psql -q "${server_url%@*}@$node/$1" -c "CREATE EXTENSION citus" >/dev/null
  done
  local coordinator=${server_url##*@}
  psql -q "$server_url/$1" -c "CREATE EXTENSION citus" \
    -c "SELECT citus_set_coordinator_host('${coordinator%:*}', ${coordinator##*:})" >/dev/null
  for node in $citus_workers; do
    psql -q "$server_url/$1" -c "SELECT citus_add_node('${node%:*}', ${node##*:})" >/dev/null
  done
}

step "a fresh $engine database, seeded through the import"
fresh_database "$database"
start_server "$server_url/$database$server_parameters"
import_file customer "$work/customers.csv" "$engine: first import, customers (empty database)"
import_file customer_address "$work/addresses.csv" "$engine: first import, addresses"
import_file customer "$work/customers.csv" "$engine: re-import, customers (all updates)"
row "server peak RSS after the imports" "$(peak_rss_mib) MiB"
# What autovacuum would do between a move-in and the first day of traffic.
psql -q "$server_url/$database" -c "VACUUM ANALYZE" >/dev/null

step "signing shoppers in"
sign_in() {
  curl -sf "$base/graphql" -H 'Content-Type: application/json' \
    -d "{\"query\": \"mutation { generateCustomerToken(email: \\\"shopper$1@bench.example.com\\\", password: \\\"$password\\\") { token } }\"}" |
    jq -er .data.generateCustomerToken.token
}
export -f sign_in
export base password
seq 1 "$signin_pool" | xargs -P 4 -I{} bash -c 'sign_in {}' >"$work/shopper-tokens"
printf '%s\n' "$staff_token" >"$work/staff-tokens"

# Runs one scenario: $1 label, $2 endpoint path, $3 query, $4 variables, $5 high bound of %d,
# $6 token file (or empty).
scenario() {
  local label=$1 path=$2 before after result failure
  local -a env=(BENCH_QUERY="$3" BENCH_VARS="$4" BENCH_MIN=1 BENCH_MAX="$5" BENCH_TOKENS="$6")
  step "$label"
  env "${env[@]}" wrk -t2 -c"$connections" -d5s -s benches/http/graphql.lua "$base$path" >/dev/null
  before=$(cpu_ticks)
  result=$(env "${env[@]}" wrk -t2 -c"$connections" -d"$duration" --latency \
    -s benches/http/graphql.lua "$base$path")
  after=$(cpu_ticks)
  failure=$(grep '^FIRST_FAILURE' <<<"$result" || true)
  [ -z "$failure" ] || echo "  $failure" >&2
  read -r _ requests rate p50 p99 failed < <(grep '^RESULT' <<<"$result")
  row "$label" "$(awk -v r="$rate" -v p50="$p50" -v p99="$p99" -v f="$failed" -v n="$requests" \
    -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" \
    'BEGIN {
      printf "%s req/s, p50 %s ms, p99 %s ms, %.2f ms CPU/req", r, p50, p99, t / hz * 1000 / n
      if (f > 0) printf ", %s FAILED", f
    }')"
}

scenario "admin customers: email filter, newest first, with total" /admin/graphql \
  'query($m: String!) { customers(filter: {email: {match: $m}}, sort: {field: CREATED_AT, direction: DESC}, pageSize: 20) { total_count items { id email firstname lastname group_id created_at } } }' \
  '{"m": "%d@bench"}' 9999 "$work/staff-tokens"
scenario "admin customer by id, with addresses and group" /admin/graphql \
  'query($id: Int!) { customer(id: $id) { id email firstname lastname created_at group { uid name code tax_class { name } } addresses { items { id street city region region_code country_code country_name postcode telephone default_billing default_shipping } } } }' \
  '{"id": %d}' "$customers" "$work/staff-tokens"
scenario "storefront generateCustomerToken" /graphql \
  'mutation($e: String!, $p: String!) { generateCustomerToken(email: $e, password: $p) { token } }' \
  "{\"e\": \"shopper%d@bench.example.com\", \"p\": \"$password\"}" "$signin_pool" ""
scenario "storefront customer" /graphql \
  '{ customer { firstname lastname email addresses { id street city region { region_code } country_code postcode default_billing } } }' \
  '{}' 1 "$work/shopper-tokens"
if [ -n "$citus_add" ]; then
  # Five seconds into the measured run, the spare worker joins and the shards are spread over it; writes
  # to a shard wait while it moves (this cluster has no logical replication), reads go on.
  rebalance() {
    sleep 10
    local started=$SECONDS
    psql -q "$server_url/$database" -c "SELECT citus_add_node('${citus_add%:*}', ${citus_add##*:})" \
      -c "SELECT citus_rebalance_start(shard_transfer_mode => 'block_writes')" \
      -c "SELECT citus_rebalance_wait()" >/dev/null
    echo "$((SECONDS - started))" >"$work/rebalance-seconds"
  }
  rebalance &
  rebalancer=$!
  scenario "storefront customer while a worker is added and the shards rebalanced" /graphql \
    '{ customer { firstname lastname email addresses { id street city region { region_code } country_code postcode default_billing } } }' \
    '{}' 1 "$work/shopper-tokens"
  wait "$rebalancer"
  row "rebalance onto the added worker" "$(cat "$work/rebalance-seconds") s, \
$(psql -qAt "$server_url/$database" -c "SELECT count(*) FROM citus_shards WHERE citus_table_type = 'distributed' AND nodeport = ${citus_add##*:}") shards moved"
fi
row "server peak RSS, whole run" "$(peak_rss_mib) MiB"
stop_server

step "pgbench -S, $connections clients"
fresh_database "$anchor_database"
pgbench -q -i -s 10 "$server_url/$anchor_database" >/dev/null 2>&1
anchor=$(pgbench -n -S -c "$connections" -j 2 -T "${duration%s}" "$server_url/$anchor_database" 2>/dev/null)
row "pgbench -S (select by primary key)" "$(awk '/^tps/ { tps = $3 } /^latency average/ { latency = $4 }
  END { printf "%.0f tps, latency average %s ms", tps, latency }' <<<"$anchor")"

printf '\n%s, %s cores, %s\n\n' "$(date -u +%F)" "$(nproc)" "$(uname -m)"
printf '| measure | result |\n|---|---|\n'
printf '%s\n' "${rows_out[@]}"
