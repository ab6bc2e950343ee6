#!/usr/bin/env bash
# A local cluster without Docker, everything on 127.0.0.1: a throwaway PostgreSQL, N nodes (each a gateway serving the
# HTTP API with a silo of the cluster in the same process) and the load balancer (LoadBalancer.dll) in front of them on
# the given port. State lives in /tmp/personalization-cluster-<port>, so clusters on different ports can coexist.
#
#   scripts/cluster.sh up --silos 3 --port 8080   start everything; returns once the load balancer answers as ready
#   scripts/cluster.sh kill-silo 2 --port 8080    SIGKILL node 2 (1-based)
#   scripts/cluster.sh start-silo 2 --port 8080   start node 2 again; returns once it is ready (/health/ready)
#   scripts/cluster.sh pg-stop | pg-start --port 8080
#   scripts/cluster.sh pg-dump --port 8080        plain-text pg_dump of the cluster's database
#   scripts/cluster.sh down --port 8080           stop everything and remove the state folder
#
# The port may also come from CLUSTER_PORT. Processes inherit this script's environment (Auth__ApiKeys__* etc.).
# Nodes talk mutual TLS with certificates of a CA made at `up` in the state folder (tls/); set
# Orleans__Tls__Enabled=false before `up` to run the cluster's ports without it (to measure what TLS costs, say).
# Each node's HTTP address is in node<I>.url, its process id in node<I>.pid; the load balancer's id in lb.pid.
# Binaries: BIN_DIR (a folder holding Gateway.dll and LoadBalancer.dll) or, by default, a Release build made here.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
command="${1:-}"
shift || true
silos=3
port="${CLUSTER_PORT:-}"
while (( $# > 0 )); do
    case "$1" in
        --silos) silos="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        [0-9]*) index="$1"; shift ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
[[ -n "$port" ]] || { echo "give the cluster's port with --port P (or CLUSTER_PORT)" >&2; exit 2; }
state="/tmp/personalization-cluster-$port"

fail() { echo "cluster.sh: $*" >&2; exit 1; }

# A port below the kernel's ephemeral range, where outgoing connections (to PostgreSQL, between silos) take their local
# ports: a port picked from that range can be taken by one of them before the process binds it. Not listening now either.
free_port() {
    local low candidate
    low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)
    while true; do
        candidate=$(( 10000 + RANDOM % (low - 10000) ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
}

as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_port() { cat "$state/pg.port"; }

connection_string() { echo "Host=127.0.0.1;Port=$(pg_port);Username=postgres;Database=personalization"; }

psql_cluster() { as_postgres "$pg_bin/psql" -h "$state/pg" -p "$(pg_port)" -U postgres -d personalization -v ON_ERROR_STOP=1 -qtA "$@"; }

binaries() {
    if [[ -n "${BIN_DIR:-}" ]]; then
        echo "$BIN_DIR" >"$state/lb.bin"
        echo "$BIN_DIR"
        return
    fi
    dotnet build "$repo/Orleans.sln" -c Release -v quiet -nologo >"$state/build.log" 2>&1 || fail "build failed, see $state/build.log"
    echo "$repo/LoadBalancer/bin/Release/net10.0" >"$state/lb.bin"
    echo "$repo/Gateway/bin/Release/net10.0"
}

pg_start() {
    as_postgres "$pg_bin/pg_ctl" -D "$state/pg/data" -l "$state/pg/server.log" -w -t 60 \
        -o "-p $(pg_port) -k $state/pg -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=300" start >/dev/null \
        || fail "PostgreSQL did not start, see $state/pg/server.log"
}

pg_stop() { as_postgres "$pg_bin/pg_ctl" -D "$state/pg/data" -m fast -w stop >/dev/null; }

cluster_env() {
    export Cluster__Mode=AdoNet
    export ConnectionStrings__Postgres="$(connection_string)"
    # Fixed at `up` for every process of this cluster, restarted silos included (items live in shard hash mod count).
    export Catalog__ShardCount="$(cat "$state/shards")"
    export Orleans__Tls__CertificateAuthority="$state/tls/ca.pem"
    # Made at `up` unless given: it wraps every person's data key (docs/security.md#erasure).
    export Privacy__MasterKey="${Privacy__MasterKey:-$(cat "$state/master.key")}"
}

# This process's certificate, issued by the cluster's CA on first use (deploy/tls/make-certificates.sh).
node_certificate() {
    "$repo/deploy/tls/make-certificates.sh" "$state/tls/ca" "$state/tls" "$1"
    export Orleans__Tls__Certificate="$state/tls/$1.pem" Orleans__Tls__CertificateKey="$state/tls/$1.key"
}

# Starts node I: Orleans ports picked afresh at every start, the HTTP port kept for the node's life (the load balancer
# knows it). Its log is node<I>.log; the offset where this start's lines begin is kept to tell why a start failed.
start_node() {
    local i="$1" bin silo_port gateway_port
    bin="$(cat "$state/bin")"
    [[ -f "$state/node$i.url" ]] || echo "http://127.0.0.1:$(free_port)" >"$state/node$i.url"
    silo_port=$(free_port)
    gateway_port=$(free_port)
    touch "$state/node$i.log"
    stat -c %s "$state/node$i.log" >"$state/node$i.offset"
    (
        cluster_env
        node_certificate "node$i"
        # A throwaway cluster on 127.0.0.1: open unless the caller set keys (Auth__ApiKeys__*).
        export Auth__AllowAnonymous="${Auth__AllowAnonymous:-true}"
        export Orleans__Endpoints__SiloPort="$silo_port" Orleans__Endpoints__GatewayPort="$gateway_port"
        export Orleans__Endpoints__AdvertisedIPAddress=127.0.0.1
        cd "$bin"
        exec dotnet Gateway.dll --urls "$(cat "$state/node$i.url")" >>"$state/node$i.log" 2>&1
    ) &
    echo $! >"$state/node$i.pid"
}

# Waits until node I is ready: active in the membership, its store answering. A start that lost a port to another
# process ("Address already in use") is started again on other ports, up to 5 times.
wait_ready() {
    local i="$1" url deadline attempts=1
    url="$(cat "$state/node$i.url")"
    # Generous: on a loaded 2-core machine a node has been seen to take more than 90 s to join.
    deadline=$(( SECONDS + 180 ))
    until curl -sf "$url/health/ready" >/dev/null 2>&1; do
        if ! kill -0 "$(cat "$state/node$i.pid")" 2>/dev/null; then
            tail -c +"$(( $(cat "$state/node$i.offset") + 1 ))" "$state/node$i.log" | grep -q "Address already in use" && (( attempts < 5 )) \
                || fail "node $i exited, see $state/node$i.log"
            echo "cluster.sh: node $i lost a port to another process at start; starting it again on other ports" >&2
            attempts=$(( attempts + 1 ))
            sleep 1
            start_node "$i"
            deadline=$(( SECONDS + 180 ))
        fi
        (( SECONDS < deadline )) || fail "node $i was not ready within 180 s, see $state/node$i.log"
        sleep 0.5
    done
}

start_load_balancer() {
    local nodes
    nodes=$(cat "$state"/node*.url | paste -sd, -)
    (
        cd "$(cat "$state/lb.bin")"
        export LoadBalancer__Nodes="$nodes"
        exec dotnet LoadBalancer.dll --urls "http://127.0.0.1:$port" >>"$state/lb.log" 2>&1
    ) &
    echo $! >"$state/lb.pid"
    local deadline=$(( SECONDS + 60 ))
    until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
        kill -0 "$(cat "$state/lb.pid")" 2>/dev/null || fail "the load balancer exited, see $state/lb.log"
        (( SECONDS < deadline )) || fail "the load balancer was not ready within 60 s, see $state/lb.log"
        sleep 0.5
    done
}

kill_pid_file() {
    local file="$1"
    if [[ -f "$file" ]]; then
        kill -KILL "$(cat "$file")" 2>/dev/null || true
        rm -f "$file"
    fi
}

case "$command" in
    up)
        [[ ! -e "$state" ]] || fail "$state exists: a cluster on port $port is up (run down first)"
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && fail "port $port is in use"
        mkdir -p "$state/pg"
        chmod 755 "$state"
        [[ $(id -u) == 0 ]] && chown postgres "$state/pg"
        binaries >"$state/bin"
        # Every process here shares this machine's cores: one catalog shard per core unless the caller sets the count
        # (measured against the default of 4: docs/performance.md, "Shard count").
        echo "${Catalog__ShardCount:-$(nproc)}" >"$state/shards"
        (umask 077 && head -c 32 /dev/urandom | base64 >"$state/master.key")
        free_port >"$state/pg.port"
        as_postgres "$pg_bin/initdb" -D "$state/pg/data" -U postgres -A trust --no-sync >"$state/pg/initdb.log" 2>&1 \
            || fail "initdb failed, see $state/pg/initdb.log"
        pg_start
        as_postgres "$pg_bin/createdb" -h "$state/pg" -p "$(pg_port)" -U postgres personalization
        psql_cluster -f "$repo/deploy/postgres/schema.sql" >/dev/null
        # Every certificate before any process starts: the nodes start at once and must not race to make the CA.
        "$repo/deploy/tls/make-certificates.sh" "$state/tls/ca" "$state/tls" $(seq -f 'node%g' 1 "$silos")
        for i in $(seq 1 "$silos"); do start_node "$i"; done
        for i in $(seq 1 "$silos"); do wait_ready "$i"; done
        start_load_balancer
        echo "cluster up: http://127.0.0.1:$port (load balancer) in front of $silos nodes ($(cat "$state"/node*.url | paste -sd' ' -)), PostgreSQL on port $(pg_port) (state in $state)"
        ;;
    kill-silo)
        [[ -n "${index:-}" ]] || fail "which node? kill-silo I"
        kill_pid_file "$state/node$index.pid"
        ;;
    start-silo)
        [[ -n "${index:-}" ]] || fail "which node? start-silo I"
        [[ -f "$state/node$index.url" ]] || fail "the cluster on port $port has no node $index"
        start_node "$index"
        wait_ready "$index"
        ;;
    pg-stop) pg_stop ;;
    pg-start) pg_start ;;
    pg-dump) as_postgres "$pg_bin/pg_dump" -h "$state/pg" -p "$(pg_port)" -U postgres personalization ;;
    down)
        [[ -d "$state" ]] || exit 0
        # A graceful stop first (up to 10 s: nodes hand off their grains), then SIGKILL for whatever is still running,
        # so that nothing of this cluster outlives `down`.
        pids=()
        for file in "$state/lb.pid" "$state"/node*.pid; do [[ -e "$file" ]] && pids+=("$(cat "$file")"); done
        (( ${#pids[@]} )) && kill -TERM "${pids[@]}" 2>/dev/null || true
        for _ in $(seq 1 20); do
            alive=0
            for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
            (( alive )) || break
            sleep 0.5
        done
        (( ${#pids[@]} )) && kill -KILL "${pids[@]}" 2>/dev/null || true
        [[ -f "$state/pg/data/postmaster.pid" ]] && pg_stop || true
        rm -rf "$state"
        ;;
    *)
        sed -n '2,18p' "$0" >&2
        exit 2
        ;;
esac
