#!/usr/bin/env bash
# The soak run: one Keycloak node on PostgreSQL (the test harness's ClusterLauncher, on loopback), its capacity for
# the mixed traffic of SoakSimulation measured first, then 75 minutes at about 70 % of it, sampling the node's heap
# and single-use entries and the answers' throughput and p99 every 10 s. benchmark/RESULTS.md gets the figures and
# benchmark/soak/ the plots (SVG). 75 minutes: the hourly limits keep an entry per counted event for an hour, so
# whether the store levels off shows only after the first hour (SoakSection judges it from 71 minutes on).
#
#   benchmark/soak.sh                      # 75 minutes at 70 % of the measured capacity
#   MINUTES=30 SHARE=0.5 benchmark/soak.sh  # p99 and errors only: too short to judge heap and entries
#
# Needs nothing on 8080; uses random loopback ports. Takes about 85 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MINUTES=${MINUTES:-75}
SHARE=${SHARE:-0.7}
CAPACITY_SECONDS=${CAPACITY_SECONDS:-90}
SUMMARIES=$ROOT/benchmark/target/benchmark
# shellcheck source=benchmark/cluster.sh
source "$ROOT/benchmark/cluster.sh"

mkdir -p "$SUMMARIES"
rm -f "$SUMMARIES"/soak-*.json "$SUMMARIES"/soak-capacity.txt
start_cluster 1

echo "== capacity of one node for the mix ($CAPACITY_SECONDS s)"
mvn -B -q -f benchmark/pom.xml verify \
    -Dbenchmark.simulations=io.github.dropin.keycloak.benchmark.SoakSimulation \
    -Dbenchmark.url="$NODE_URLS" -Dbenchmark.smsLog="$NODE_LOGS" -Dbenchmark.management="$MANAGEMENT_URLS" \
    -Dbenchmark.duration="$CAPACITY_SECONDS" -Dbenchmark.warmUp=60 -Dbenchmark.soak.rate=0 -Dbenchmark.label=capacity
capacity=$(cat "$SUMMARIES/soak-capacity.txt")
rate=$(awk -v c="$capacity" -v s="$SHARE" 'BEGIN { printf "%.1f", c * s }')

echo "== soak: $rate mixes/s ($SHARE of $capacity) for $MINUTES minutes"
mvn -B -q -f benchmark/pom.xml verify \
    -Dbenchmark.simulations=io.github.dropin.keycloak.benchmark.SoakSimulation \
    -Dbenchmark.url="$NODE_URLS" -Dbenchmark.smsLog="$NODE_LOGS" -Dbenchmark.management="$MANAGEMENT_URLS" \
    -Dbenchmark.warmUp=60 -Dbenchmark.soak.rate="$rate" -Dbenchmark.soak.capacity="$capacity" \
    -Dbenchmark.soak.minutes="$MINUTES" -Dbenchmark.label=soak
stop_cluster
echo "== benchmark/RESULTS.md and benchmark/soak/ updated"
