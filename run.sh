#!/usr/bin/env bash
# Starts Keycloak with the Drop-in Pack and the demo realm on http://localhost:8080 (admin / admin).
#
#   ./run.sh           build what changed, then start; a second run reuses the download, the build and the data
#   ./run.sh --clean   forget the demo data first (database, imported realm), e.g. after editing the realm file
#
# Needs a JDK 17+ and Maven. Everything it makes lives in .demo/ (git-ignored). Uses the same server options as
# docker/compose.yml: the production image's (docker/keycloak.conf) and what the demo adds (docker/demo.conf: plain
# HTTP, the log SMS sender), and the same realm file (docker/import/). Stop it with Ctrl-C.
set -euo pipefail

cd "$(dirname "$0")"
ROOT=$PWD
DEMO=$ROOT/.demo
# The one place the version is set is the root POM.
KC_VERSION=$(sed -n 's:.*<keycloak\.version>\(.*\)</keycloak\.version>.*:\1:p' pom.xml | head -n 1)
KC_HOME=$DEMO/keycloak-$KC_VERSION
JARS=(
  distribution/target/dropin-keycloak.jar
)
# What differs from the Docker demo; everything shared is in docker/keycloak.conf and docker/demo.conf. The database is a build-time
# option; the cache is a run-time one in 26.7 (one node, no JGroups ports or discovery for a local demo).
BUILD_OPTIONS=(--db=dev-file)
START_OPTIONS=(--cache=local --vault-dir="$DEMO/vault")
# DEMO_HTTP_PORT / DEMO_MANAGEMENT_PORT run a second demo beside one on 8080 (e.g. for the benchmark).
HTTP_PORT=${DEMO_HTTP_PORT:-8080}
MANAGEMENT_PORT=${DEMO_MANAGEMENT_PORT:-9000}
# Loopback only: the demo admin password is admin. DEMO_HTTP_HOST=0.0.0.0 ./run.sh to reach it from elsewhere.
HTTP_HOST=${DEMO_HTTP_HOST:-127.0.0.1}

clean=false
for arg in "$@"; do
  case $arg in
    --clean) clean=true ;;
    -h|--help) sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) echo "Unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

[[ -n $KC_VERSION ]] || { echo "No <keycloak.version> in pom.xml" >&2; exit 1; }
mkdir -p "$DEMO" "$DEMO/vault"

# 1. The pack: rebuilt when a jar is missing or a source file changed since the last build by this script.
pack_stamp=$DEMO/.pack-built
needs_package() {
  local jar
  for jar in "${JARS[@]}"; do [[ -f $jar ]] || return 0; done
  [[ -f $pack_stamp ]] || return 0
  [[ -n $(find pom.xml core authenticator-sms-otp rest-endpoints theme distribution \
            -name target -prune -o -type f -newer "$pack_stamp" -print -quit) ]]
}
if needs_package; then
  echo "Building the pack (mvn -B -q -DskipTests package)..."
  touch "$pack_stamp.new"   # sources edited during the build count as changed next time
  mvn -B -q -DskipTests package
  mv "$pack_stamp.new" "$pack_stamp"
fi

# 2. The Keycloak distribution, from Maven Central (or ~/.m2), unpacked once.
if [[ ! -x $KC_HOME/bin/kc.sh ]]; then
  echo "Fetching Keycloak $KC_VERSION..."
  mvn -B -q -N dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:tar.gz" \
      -DoutputDirectory="$DEMO"
  tar -xzf "$DEMO/keycloak-quarkus-dist-$KC_VERSION.tar.gz" -C "$DEMO"
  rm "$DEMO/keycloak-quarkus-dist-$KC_VERSION.tar.gz"
fi

if $clean; then
  echo "Removing the demo data in $KC_HOME/data"
  rm -rf "$KC_HOME/data"
fi

# 3. Install jars, configuration and realm. Unchanged files are not copied: Keycloak remembers the providers'
#    timestamps at build time and `start --optimized` refuses to run when one changed.
install_file() { cmp -s "$1" "$2" || cp "$1" "$2"; }
for jar in "$KC_HOME"/providers/dropin-*.jar; do
  [[ -e $jar ]] || continue
  keep=false
  for wanted in "${JARS[@]}"; do [[ $(basename "$wanted") == "$(basename "$jar")" ]] && keep=true; done
  $keep || rm "$jar"
done
for jar in "${JARS[@]}"; do install_file "$jar" "$KC_HOME/providers/$(basename "$jar")"; done
# The production options, then the demo's (later lines win).
cat docker/keycloak.conf docker/demo.conf > "$DEMO/keycloak.conf"
install_file "$DEMO/keycloak.conf" "$KC_HOME/conf/keycloak.conf"
mkdir -p "$KC_HOME/data/import"
for realm in docker/import/*.json; do install_file "$realm" "$KC_HOME/data/import/$(basename "$realm")"; done

# 4. kc.sh build, only when the jars, the configuration or the build options changed.
build_marker=$KC_HOME/.dropin-build
fingerprint=$( { cat "$KC_HOME"/providers/*.jar "$KC_HOME/conf/keycloak.conf"; echo "${BUILD_OPTIONS[*]}"; } | sha256sum | cut -d' ' -f1)
if [[ ! -f $build_marker || $(cat "$build_marker") != "$fingerprint" ]]; then
  echo "Running kc.sh build ${BUILD_OPTIONS[*]}..."
  rm -f "$build_marker"
  "$KC_HOME/bin/kc.sh" build "${BUILD_OPTIONS[@]}"
  echo "$fingerprint" > "$build_marker"
fi

# 5. Start. The URLs are printed once Keycloak reports ready, below its start-up log.
print_urls_when_ready() {
  local server=$$ url=http://localhost:$HTTP_PORT
  command -v curl >/dev/null || return 0
  while kill -0 "$server" 2>/dev/null; do
    if curl -fsS -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/health/ready" 2>/dev/null; then
      cat <<EOF

  Keycloak $KC_VERSION with the Drop-in Pack is ready.
    Admin console:               $url/admin/  (admin / admin)
    Demo realm:                  $url/realms/demo
    Demo realm account console:  $url/realms/demo/account
    Metrics (Prometheus format): http://localhost:$MANAGEMENT_PORT/metrics
  One-time codes are printed above as DROPIN-SMS lines. Stop with Ctrl-C; ./run.sh --clean resets the data.

EOF
      return 0
    fi
    sleep 1
  done
}
print_urls_when_ready &

export KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin
exec "$KC_HOME/bin/kc.sh" start --optimized --import-realm "${START_OPTIONS[@]}" \
  --http-host="$HTTP_HOST" --http-port="$HTTP_PORT" --http-management-port="$MANAGEMENT_PORT"
