#!/usr/bin/env bash
# NATS with JetStream at 127.0.0.1:4222 for the market's usage stream tests (UsageStreamTest):
# installs Debian's nats-server when missing and starts it when nothing answers on the port.
set -euo pipefail

if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
  echo "== ci: installing nats-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends nats-server >/dev/null
fi
server="$(command -v nats-server || echo /usr/sbin/nats-server)"

answers() { (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; }
if ! answers; then
  echo "== ci: starting nats-server with JetStream"
  mkdir -p /var/lib/nats-server
  # -js: JetStream on, its streams stored under -sd; detached so the CI script goes on.
  nohup "$server" -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log >/dev/null 2>&1 &
  for _ in $(seq 1 30); do answers && break; sleep 1; done
fi
answers && echo "== ci: NATS answers at 127.0.0.1:4222"
