# Sourced by benchmark/scaling.sh, million.sh and soak.sh: starts and stops the test harness's cluster (PostgreSQL
# and N Keycloak nodes with the pack, on loopback; integration-tests' ClusterLauncher) and reads what it wrote.
#   start_cluster N    sets NODE_URLS, NODE_LOGS, MANAGEMENT_URLS, JDBC_URL
#   stop_cluster
RUN_DIR=$ROOT/integration-tests/target/cluster-up
launcher=""

start_cluster() {
  local nodes=$1
  echo "== starting $nodes node(s)"
  mkdir -p "$ROOT/benchmark/target"
  rm -f "$RUN_DIR/cluster.properties"
  mvn -B -q -Pcluster-up -DskipTests verify -Ddropin.cluster.nodes="$nodes" > "$ROOT/benchmark/target/cluster-up-$nodes.log" 2>&1 &
  launcher=$!
  for _ in $(seq 1 900); do
    [[ -f $RUN_DIR/cluster.properties ]] && break
    kill -0 "$launcher" 2>/dev/null || { echo "the cluster did not start, see benchmark/target/cluster-up-$nodes.log" >&2; exit 1; }
    sleep 1
  done
  [[ -f $RUN_DIR/cluster.properties ]] || { echo "the cluster did not start in 15 minutes" >&2; exit 1; }
  NODE_URLS=$(sed -n 's/^nodes=//p' "$RUN_DIR/cluster.properties")
  MANAGEMENT_URLS=$(sed -n 's/^management=//p' "$RUN_DIR/cluster.properties")
  JDBC_URL=$(sed -n 's/^jdbc=//p' "$RUN_DIR/cluster.properties")
  NODE_LOGS=$(ls "$RUN_DIR"/node-*.log | paste -sd, -)
}

stop_cluster() {
  if [[ -n $launcher ]] && kill -0 "$launcher" 2>/dev/null; then
    echo "== stopping the cluster"
    kill "$launcher"            # the launcher's shutdown hook stops the nodes, then PostgreSQL
    wait "$launcher" || true
  fi
  launcher=""
}
trap stop_cluster EXIT
