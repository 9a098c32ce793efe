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
RUN_DIR=$ROOT/integration-tests/target/cluster-up
SUMMARIES=$ROOT/benchmark/target/benchmark

mkdir -p "$SUMMARIES"
rm -f "$SUMMARIES"/scaling-*.json

launcher=""
stop_cluster() {
  if [[ -n $launcher ]] && kill -0 "$launcher" 2>/dev/null; then
    echo "== stopping the cluster"
    kill "$launcher"            # the launcher's shutdown hook stops the nodes, then PostgreSQL
    wait "$launcher" || true
  fi
  launcher=""
}
trap stop_cluster EXIT

for nodes in 1 2; do
  echo "== starting $nodes node(s)"
  rm -f "$RUN_DIR/cluster.properties"
  mvn -B -q -Pcluster-up -DskipTests verify -Ddropin.cluster.nodes="$nodes" > "$ROOT/benchmark/target/cluster-up-$nodes.log" 2>&1 &
  launcher=$!
  for _ in $(seq 1 600); do
    [[ -f $RUN_DIR/cluster.properties ]] && break
    kill -0 "$launcher" 2>/dev/null || { echo "the cluster did not start, see benchmark/target/cluster-up-$nodes.log" >&2; exit 1; }
    sleep 1
  done
  urls=$(sed -n 's/^nodes=//p' "$RUN_DIR/cluster.properties")
  logs=$(ls "$RUN_DIR"/node-*.log | paste -sd, -)
  for users in $LOADS; do
    echo "== $nodes node(s), $users users: $urls"
    mvn -B -q -f benchmark/pom.xml verify \
        -Dbenchmark.simulations=io.github.dropin.keycloak.benchmark.ScalingSimulation \
        -Dbenchmark.url="$urls" -Dbenchmark.smsLog="$logs" -Dbenchmark.users="$users" \
        -Dbenchmark.duration="$SECONDS_EACH" -Dbenchmark.label="$nodes node(s), $users users"
  done
  stop_cluster
done
echo "== benchmark/RESULTS.md updated"
