#!/usr/bin/env bash
# Brings up what the test suite needs: PostgreSQL, Redis, Mosquitto, NATS (JetStream) and Chromium.
# Installs missing ones from Debian's packages (when root), starts stopped ones, and fails loudly
# naming any that still cannot be reached. Safe to run again: it only acts on what is missing.
set -u
PG_HOST=127.0.0.1 PG_PORT=5432

log() { printf 'services: %s\n' "$*"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done; return 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || { log "cannot install $*: no apt-get on this machine"; return 1; }
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq >/dev/null && APT_UPDATED=1; fi
  log "installing $* from Debian's packages"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

failed=()

# PostgreSQL: 127.0.0.1:5432, trust auth, databases test, root and postgres.
if ! command -v pg_ctlcluster >/dev/null; then apt_install postgresql postgresql-client; fi
if ! port_open $PG_PORT; then
  ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  if [ -n "$ver" ]; then log "starting PostgreSQL $ver"; as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start; fi
  wait_port $PG_PORT
fi
if port_open $PG_PORT && ! psql -h $PG_HOST -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
  # A fresh Debian cluster asks for passwords on TCP; the test setup uses trust on loopback.
  ver=$(ls /etc/postgresql | sort -V | tail -1)
  hba=/etc/postgresql/$ver/main/pg_hba.conf
  log "allowing trust authentication on loopback in $hba"
  as_root sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main reload
  sleep 1
fi
if psql -h $PG_HOST -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
  for db in test root; do
    psql -h $PG_HOST -U postgres -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1 ||
      psql -h $PG_HOST -U postgres -d postgres -qc "create database $db" >/dev/null
  done
else
  failed+=("PostgreSQL on $PG_HOST:$PG_PORT (user postgres, trust auth)")
fi

# Redis on 6379.
if ! port_open 6379; then
  command -v redis-server >/dev/null || apt_install redis-server
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null
  wait_port 6379 || failed+=("Redis on 127.0.0.1:6379")
fi

# Mosquitto on 1883.
if ! port_open 1883; then
  command -v mosquitto >/dev/null || apt_install mosquitto
  log "starting Mosquitto"
  if [ -f /etc/mosquitto/mosquitto.conf ]; then mosquitto -d -c /etc/mosquitto/mosquitto.conf; else mosquitto -d -p 1883; fi
  wait_port 1883 || failed+=("Mosquitto on 127.0.0.1:1883")
fi

# NATS with JetStream on 4222.
if ! port_open 4222; then
  command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] || apt_install nats-server
  log "starting NATS with JetStream"
  mkdir -p /var/lib/nats-server 2>/dev/null
  start-stop-daemon --start --oknodo --background --exec "$(command -v nats-server || echo /usr/sbin/nats-server)" -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_port 4222 || failed+=("NATS on 127.0.0.1:4222")
fi

# Chromium for the browser tests.
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium || failed+=("Chromium at /usr/bin/chromium (Debian package chromium)")
fi

if [ ${#failed[@]} -gt 0 ]; then
  log "NOT AVAILABLE — the tests that need these will fail:"
  for f in "${failed[@]}"; do log "  - $f"; done
  exit 1
fi
log "PostgreSQL, Redis, Mosquitto, NATS and Chromium are up"
