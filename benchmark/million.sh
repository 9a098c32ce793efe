#!/usr/bin/env bash
# A million users: the figures that depend on how many users a realm holds, measured with 1 000 users and then with
# 1 000 000 in the same realm on the same server (one Keycloak node on PostgreSQL, started by the test harness's
# ClusterLauncher on loopback), each as a ratio to the first (MillionSimulation; users loaded with COPY by
# MillionUsers). benchmark/RESULTS.md gets the table and PostgreSQL's plans of the lookups.
#
#   benchmark/million.sh                          # 8 users, 20 s warm-up and 40 s measured per scenario
#   SECONDS_EACH=60 WARM_UP=30 benchmark/million.sh
#   ONLY="users/me,lookup" benchmark/million.sh   # measure some scenarios again (parts of their names)
#
# Needs nothing on 8080; uses random loopback ports and about 2 GB of disk. Takes about 30 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_EACH=${SECONDS_EACH:-40}
WARM_UP=${WARM_UP:-20}
USERS=${USERS:-8}
ONLY=${ONLY:-}
REALM=dropin-million
RUN_ID=$(date -u +%Y-%m-%dT%H:%MZ)
# shellcheck source=benchmark/cluster.sh
source "$ROOT/benchmark/cluster.sh"

mkdir -p "$ROOT/benchmark/target/benchmark"
start_cluster 1

run_phase() {
  local population=$1 create=$2
  echo "== $population users in realm $REALM on $NODE_URLS"
  mvn -B -q -f benchmark/pom.xml verify \
      -Dbenchmark.simulations=io.github.dropin.keycloak.benchmark.MillionSimulation \
      -Dbenchmark.url="$NODE_URLS" -Dbenchmark.smsLog="$NODE_LOGS" -Dbenchmark.users="$USERS" \
      -Dbenchmark.duration="$SECONDS_EACH" -Dbenchmark.warmUp="$WARM_UP" -Dbenchmark.realm="$REALM" \
      -Dbenchmark.jdbc="$JDBC_URL" -Dbenchmark.million.users="$population" -Dbenchmark.million.create="$create" \
      -Dbenchmark.only="$ONLY" -Dbenchmark.million.run="$RUN_ID" \
      -Dbenchmark.keepRealm=true -Dbenchmark.label="$population users"
}
run_phase 1000 true
run_phase 1000000 false
stop_cluster
echo "== benchmark/RESULTS.md updated"
