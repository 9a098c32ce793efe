#!/usr/bin/env bash
# How throughput grows with nodes: the phone-otp round at two load levels, against one Keycloak node and against a
# two-node cluster (both on PostgreSQL with the clustered cache stack, started by the test harness's ClusterLauncher,
# on loopback), then benchmark/RESULTS.md is rewritten with a "Scaling" table next to the pairs.
#
#   benchmark/scaling.sh                 # users 4 and 16, 60 s each
#   LOADS="8 32" SECONDS_EACH=90 benchmark/scaling.sh
#
# Needs nothing on 8080; uses random loopback ports. Takes about 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOADS=${LOADS:-4 16}
SECONDS_EACH=${SECONDS_EACH:-60}
SUMMARIES=$ROOT/benchmark/target/benchmark
# shellcheck source=benchmark/cluster.sh
source "$ROOT/benchmark/cluster.sh"

mkdir -p "$SUMMARIES"
rm -f "$SUMMARIES"/scaling-*.json

for nodes in 1 2; do
  start_cluster "$nodes"
  for users in $LOADS; do
    echo "== $nodes node(s), $users users: $NODE_URLS"
    mvn -B -q -f benchmark/pom.xml verify \
        -Dbenchmark.simulations=io.github.dropin.keycloak.benchmark.ScalingSimulation \
        -Dbenchmark.url="$NODE_URLS" -Dbenchmark.smsLog="$NODE_LOGS" -Dbenchmark.users="$users" \
        -Dbenchmark.duration="$SECONDS_EACH" -Dbenchmark.label="$nodes node(s), $users users"
  done
  stop_cluster
done
echo "== benchmark/RESULTS.md updated"
