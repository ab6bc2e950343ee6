#!/usr/bin/env bash
# The cluster's certificates for mutual TLS between silos and gateways (docs/security.md, "Cluster transport"):
#
#   make-certificates.sh CA_DIR NODE_DIR NAME...
#
# CA_DIR holds the cluster's certificate authority (ca.pem, ca.key), made on first use and kept: the CA key never needs to
# be on a node. NODE_DIR gets ca.pem and, for each NAME, NAME.pem and NAME.key: a certificate issued by that CA for both
# TLS roles (every node serves some connections and opens others). Files that exist are kept, so running it again only
# adds what is missing. ECDSA P-256; valid for DAYS (default 825) days. Needs openssl (Debian: the openssl package).
set -euo pipefail

[[ $# -ge 3 ]] || { sed -n '2,9p' "$0" >&2; exit 2; }
ca_dir="$1" node_dir="$2"
shift 2
days="${DAYS:-825}"
umask 077
mkdir -p "$ca_dir" "$node_dir"

if [[ ! -f "$ca_dir/ca.key" ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$days" \
        -subj "/CN=personalization cluster CA $(openssl rand -hex 4)" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout "$ca_dir/ca.key" -out "$ca_dir/ca.pem" 2>/dev/null
fi
[[ "$ca_dir/ca.pem" -ef "$node_dir/ca.pem" ]] || cp "$ca_dir/ca.pem" "$node_dir/ca.pem"
chmod 644 "$node_dir/ca.pem"

for name in "$@"; do
    [[ -f "$node_dir/$name.pem" && -f "$node_dir/$name.key" ]] && continue
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name" \
        -keyout "$node_dir/$name.key" -out "$node_dir/$name.csr" 2>/dev/null
    openssl x509 -req -in "$node_dir/$name.csr" -CA "$ca_dir/ca.pem" -CAkey "$ca_dir/ca.key" \
        -set_serial "0x$(openssl rand -hex 16)" -days "$days" -out "$node_dir/$name.pem" \
        -extfile <(printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth,clientAuth") 2>/dev/null
    rm -f "$node_dir/$name.csr"
    chmod 644 "$node_dir/$name.pem"
done
