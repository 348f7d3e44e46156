#!/bin/sh
# A node agent for docker-compose.yml, on the simulated driver. On its first start it lists a server
# for itself on the market, as its provider would (POST /api/v1/servers with the provider token in
# XENOMARKET_PROVIDER_TOKEN), and writes the agent's settings file into its state directory (a
# volume), so a later start runs the same node again. Then it runs the agent on that file; every
# other setting comes from the environment (XENOMARKET_AGENT_*, XENOMARKET_VMM_*).
#
# Arguments: the server's name and the code of the site it stands at (GET /api/v1/sites).
set -eu
name=$1
site=$2
market=${XENOMARKET_AGENT_MARKET_URL:?the market URL}
state=${XENOMARKET_AGENT_STATE_DIR:?the agent state directory}
settings="$state/compose-agent.properties"

if [ ! -f "$settings" ]; then
  mkdir -p "$state"
  echo "waiting for the market at $market"
  until curl -fsS "$market/q/health/ready" >/dev/null 2>&1; do sleep 2; done
  answer=$(curl -fsS -X POST "$market/api/v1/servers" \
    -H "Authorization: Bearer ${XENOMARKET_PROVIDER_TOKEN:?the provider token}" \
    -H 'Content-Type: application/json' \
    -d "{\"name\": \"$name\", \"site\": \"$site\", \"hypervisor\": \"SIMULATED\",
         \"capacity\": {\"vcpus\": ${XENOMARKET_VMM_CAPACITY_VCPUS}, \"memoryMib\": ${XENOMARKET_VMM_CAPACITY_MEMORY_MIB},
                        \"diskGib\": ${XENOMARKET_VMM_CAPACITY_DISK_GIB}, \"egressMbps\": 1000},
         \"floorPrices\": {\"currency\": \"EUR\", \"vcpuHour\": \"0.010\"}}")
  server_id=$(printf '%s' "$answer" | jq -r .id)
  # The simulated driver boots nothing, but every lease needs an image whose checksums verify.
  printf 'simulated kernel\n' > "$state/vmlinuz"
  printf 'simulated initrd\n' > "$state/initrd.img"
  cat > "$settings.tmp" <<SETTINGS
xenomarket.agent.server-id=$server_id
xenomarket.agent.image.kernel=$state/vmlinuz
xenomarket.agent.image.kernel-sha256=$(sha256sum "$state/vmlinuz" | cut -d' ' -f1)
xenomarket.agent.image.initrd=$state/initrd.img
xenomarket.agent.image.initrd-sha256=$(sha256sum "$state/initrd.img" | cut -d' ' -f1)
SETTINGS
  mv "$settings.tmp" "$settings"
  echo "listed server $name ($server_id) at $site"
fi
exec java -jar /app/agent.jar "$settings"
