#!/usr/bin/env bash
# The cluster against one process on this machine, in one run (docs/scaling.md): `bench load` drives a standalone gateway
# (SQLite) and then a cluster of N nodes on PostgreSQL made by scripts/cluster.sh, through its load balancer, and the
# ratios of the two are printed: CPU per durable event of our processes (nodes and load balancer; PostgreSQL is not
# counted) and batched ingest, each beside its target; and per side where the machine's CPU per batched event went (our
# processes, the load client, the rest: PostgreSQL and anything else running), with the ingest ratio that the cluster's
# machine CPU per event allows (all cores busy at that CPU per event, over the standalone rate: the cluster's rate
# cannot exceed it).
#
#   scripts/cluster-bench.sh [--nodes 3] [--port 8490] [--seconds 10] [--warmup 5] [--users 2000] [--direct] [--json FILE]
#
# --port is the cluster's (its load balancer's); the standalone gateway takes a port the OS gives it. --direct loads the
# nodes round robin, without the load balancer, as well: the difference is the load balancer's hop.
# Both sides run as shipped: API keys generated for the run (the load with an ingest key, as an app's backend sends, so
# its default rate limit applies; /metrics with an admin key), telemetry and rate limits at their defaults, and the
# cluster's silos on mutual TLS (cluster.sh's default).
# Binaries: a Release build made here, or BIN_DIR (a folder holding Gateway.dll and LoadBalancer.dll). State under /tmp.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
nodes=3 cluster_port=8490 seconds=10 warmup=5 users=2000 direct=0 json=""
while (( $# > 0 )); do
    case "$1" in
        --nodes) nodes="$2"; shift 2 ;;
        --port) cluster_port="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --users) users="$2"; shift 2 ;;
        --direct) direct=1; shift ;;
        --json) json="$2"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) sed -n '2,17p' "$0" >&2; exit 2 ;;
    esac
done

work="$(mktemp -d /tmp/personalization-cluster-bench-XXXXXX)"
port=""
cleanup() {
    [[ -n "$port" ]] && "$repo/scripts/cluster.sh" down --port "$port" >/dev/null 2>&1 || true
    [[ -f "$work/standalone.pid" ]] && kill -KILL "$(cat "$work/standalone.pid")" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "building (Release)..." >&2
dotnet build "$repo/Orleans.sln" -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
# One folder holding the gateway and the load balancer (the tests' output), for both sides and for cluster.sh, which
# then builds nothing more.
export BIN_DIR="${BIN_DIR:-$repo/tests/Personalization.Tests/bin/Release/net10.0}"
bin="$BIN_DIR"
# Inherited by the standalone gateway and by every process cluster.sh starts.
ingest_key=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
admin_key=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
export Auth__ApiKeys__ingest="$ingest_key" Auth__ApiKeys__admin="$admin_key"
bench() { dotnet "$repo/bench/bin/Release/net10.0/Bench.dll" load --api-key "$ingest_key" --seconds "$seconds" --warmup "$warmup" --users "$users" "$@"; }
# One short unmeasured pass over every path first: a process's first minute is mostly JIT compilation, which would
# otherwise be charged to whichever column is measured first (three nodes on two cores compile three times).
warm() { dotnet "$repo/bench/bin/Release/net10.0/Bench.dll" load --api-key "$ingest_key" --seconds 5 --warmup 5 --users 200 --url "$1" >/dev/null; }
shards=$(nproc)

# The same shard count as the cluster (cluster.sh: one per core), SQLite beside the process, the same keys.
(
    cd "$bin"
    export Catalog__ShardCount="$shards" Standalone__DataPath="$work/standalone-data"
    exec dotnet Gateway.dll --urls "http://127.0.0.1:0" >"$work/standalone.log" 2>&1
) &
echo $! >"$work/standalone.pid"
standalone=""
until [[ -n "$standalone" ]] && curl -sf "$standalone/health/ready" >/dev/null 2>&1; do
    kill -0 "$(cat "$work/standalone.pid")" 2>/dev/null || { cat "$work/standalone.log" >&2; exit 1; }
    standalone=$(grep -o 'Now listening on: http://[0-9.:]*' "$work/standalone.log" | head -1 | sed 's/Now listening on: //' || true)
    sleep 0.5
done
warm "$standalone"
echo "== standalone (one process, SQLite)" >&2
bench --url "$standalone" --pids "$(cat "$work/standalone.pid")" --json "$work/standalone.json"
kill -TERM "$(cat "$work/standalone.pid")"
wait "$(cat "$work/standalone.pid")" 2>/dev/null || true
rm -f "$work/standalone.pid"

port="$cluster_port"
Catalog__ShardCount="$shards" "$repo/scripts/cluster.sh" up --silos "$nodes" --port "$port"
state="/tmp/personalization-cluster-$port"
node_pids=$(cat "$state"/node*.pid | paste -sd, -)
warm "$(cat "$state"/node*.url | paste -sd, -)"
warm "http://127.0.0.1:$port"
if (( direct )); then
    echo "== cluster of $nodes nodes, round robin without the load balancer" >&2
    bench --url "$(cat "$state"/node*.url | paste -sd, -)" --pids "$node_pids" --json "$work/direct.json"
fi
echo "== cluster of $nodes nodes through the load balancer" >&2
bench --url "http://127.0.0.1:$port" --pids "$node_pids,$(cat "$state/lb.pid")" --json "$work/cluster.json"

# The database's share: the nodes' journal group commits over the whole cluster run (their /metrics, an admin's).
journal=$(for url in $(cat "$state"/node*.url); do curl -sf -H "X-Api-Key: $admin_key" "$url/metrics"; done | awk '
    /^personalization_journal_commit_size_count/ { commits += $NF }
    /^personalization_journal_commit_size_sum/ { rows += $NF }
    END { printf "%d group commits of %d journal rows (appends and truncations) in all, %.1f rows per commit", commits, rows, commits ? rows / commits : 0 }')

# Per event of the batches of 100, from one side's `bench load` JSON: the rest of the machine's busy CPU beside our
# processes (--pids) and the load client (PostgreSQL, the kernel's own work, other jobs), and the share of all cores busy.
jq_side='def rest: (.ingest.batch100MachineCpuMsPerEvent - .ingest.batch100ServerCpuMsPerEvent - .ingest.batch100ClientCpuMsPerEvent) * 10000 | round / 10000;
    def busy($cores): .ingest.batch100MachineCpuMsPerEvent * .ingest.batch100.eventsPerSec / 1000 / $cores * 1000 | round / 1000;'
ratios() {
    jq -n --slurpfile s "$work/standalone.json" --slurpfile c "$1" --argjson cores "$(nproc)" "$jq_side"'{
        standaloneEventsPerSec: $s[0].ingest.batch100.eventsPerSec, clusterEventsPerSec: $c[0].ingest.batch100.eventsPerSec,
        ingestRatio: (($c[0].ingest.batch100.eventsPerSec / $s[0].ingest.batch100.eventsPerSec) * 1000 | round / 1000),
        standaloneCpuMsPerEvent: $s[0].ingest.batch100ServerCpuMsPerEvent, clusterCpuMsPerEvent: $c[0].ingest.batch100ServerCpuMsPerEvent,
        cpuPerEventRatio: (($c[0].ingest.batch100ServerCpuMsPerEvent / $s[0].ingest.batch100ServerCpuMsPerEvent) * 1000 | round / 1000),
        standaloneClientCpuMsPerEvent: $s[0].ingest.batch100ClientCpuMsPerEvent, clusterClientCpuMsPerEvent: $c[0].ingest.batch100ClientCpuMsPerEvent,
        standaloneRestCpuMsPerEvent: ($s[0] | rest), clusterRestCpuMsPerEvent: ($c[0] | rest),
        standaloneMachineCpuMsPerEvent: $s[0].ingest.batch100MachineCpuMsPerEvent, clusterMachineCpuMsPerEvent: $c[0].ingest.batch100MachineCpuMsPerEvent,
        standaloneMachineBusyShare: ($s[0] | busy($cores)), clusterMachineBusyShare: ($c[0] | busy($cores)),
        ingestRatioBoundFromMachineCpu: (($cores * 1000 / $c[0].ingest.batch100MachineCpuMsPerEvent / $s[0].ingest.batch100.eventsPerSec) * 1000 | round / 1000),
        standaloneRecommendRps: $s[0].recommend.saturationRps, clusterRecommendRps: $c[0].recommend.saturationRps,
        standaloneCpuMsPerRecommendation: $s[0].recommend.gatewayCpuMsPerRequest, clusterCpuMsPerRecommendation: $c[0].recommend.gatewayCpuMsPerRequest
    }'
}
report() {
    local name="$1" file="$2"
    ratios "$file" | jq -r --arg name "$name" '"\($name): batched ingest \(.clusterEventsPerSec) events/s against \(.standaloneEventsPerSec) standalone = \(.ingestRatio)x (target >= 0.8; with all cores busy at its CPU per event the cluster would reach \(.ingestRatioBoundFromMachineCpu)x); CPU per durable event \(.clusterCpuMsPerEvent) ms against \(.standaloneCpuMsPerEvent) ms = \(.cpuPerEventRatio)x (target <= 1.5); recommendations \(.clusterRecommendRps) req/s at \(.clusterCpuMsPerRecommendation) ms CPU against \(.standaloneRecommendRps) req/s at \(.standaloneCpuMsPerRecommendation) ms"'
}
# Where one side's CPU per batched event went: our processes, the load client, the rest of the machine.
cpu_split() {
    local name="$1" file="$2"
    jq -r --arg name "$name" --argjson cores "$(nproc)" "$jq_side"'.ingest as $i | "  \($name): CPU per batched event \($i.batch100MachineCpuMsPerEvent) ms on the whole machine = our processes \($i.batch100ServerCpuMsPerEvent) + the load client \($i.batch100ClientCpuMsPerEvent) + the rest (PostgreSQL, other jobs) \(rest) ms; cores \(busy($cores) * 100 | round)% busy"' "$file"
}
echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F)"
report "cluster of $nodes nodes via the load balancer" "$work/cluster.json"
cpu_split "standalone" "$work/standalone.json"
cpu_split "cluster via the load balancer" "$work/cluster.json"
if (( direct )); then
    report "cluster of $nodes nodes round robin, no load balancer" "$work/direct.json"
    cpu_split "cluster round robin" "$work/direct.json"
fi
echo "journal over the cluster's runs: $journal"
if [[ -n "$json" ]]; then
    jq -n --slurpfile s "$work/standalone.json" --slurpfile c "$work/cluster.json" --argjson r "$(ratios "$work/cluster.json")" \
        '{standalone: $s[0], cluster: $c[0], ratios: $r}' >"$json"
fi
