#!/usr/bin/env bash
# Prepares this machine to run real guests for the vmm and tests modules' tests: installs QEMU and qemu-img,
# libvirt, the Debian cloud kernel and busybox when missing, makes the directories libvirt needs,
# starts virtlogd and libvirtd when not running, and waits until qemu:///system answers. No test
# makes any of this itself, so the tests pass in any order, on a machine this script prepared. Idempotent; takes well under a second when all is in place.
# There is no systemd here (containers, CI), so the daemons are started directly.
set -euo pipefail

# qemu-utils: qemu-img, which the libvirt driver runs to flatten a saved guest's disk and to check a restored one.
packages=(qemu-system-x86 qemu-utils libvirt-daemon-system libvirt-clients busybox-static linux-image-cloud-amd64)

missing=()
for p in "${packages[@]}"; do
  # "install ok installed" only: half-configured packages count as missing, so a rerun repairs them.
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup-libvirt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  # No recommends: they pull in desktop bits and other hypervisor drivers the tests do not use.
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# What libvirt needs on disk, made on every run, also when libvirtd already answers: the sockets
# live under /run/libvirt (a container may start with /run wiped); guests' files under images; and
# libvirt writes every network's MAC list under dnsmasq, even for a network without DNS or DHCP,
# but that directory comes with dnsmasq-base, which we do not install. Without it no guest with a
# NIC starts ("Failed to create file '/var/lib/libvirt/dnsmasq/<net>.macs.new'").
mkdir -p /run/libvirt /var/lib/libvirt/images /var/lib/libvirt/dnsmasq

if virsh -c qemu:///system list >/dev/null 2>&1; then
  exit 0
fi

# Reads /proc rather than using pgrep, which a minimal image may lack (procps). A killed daemon
# can linger a moment as a zombie (state Z or X): that one is not running.
running() {
  local stat rest state
  for stat in /proc/[0-9]*/stat; do
    read -r rest 2>/dev/null <"$stat" || continue
    [[ "$rest" == *"($1) "* ]] || continue
    state=${rest##*) }
    state=${state%% *}
    [[ "$state" != Z && "$state" != X ]] && return 0
  done
  return 1
}

# Starting a daemon that is in fact running only fails on its pid-file lock, so a failed start is
# not fatal: whether libvirtd answers below is what counts.
if ! running virtlogd; then
  echo "setup-libvirt: starting virtlogd"
  virtlogd -d || echo "setup-libvirt: virtlogd did not start (already running?)" >&2
fi
if ! running libvirtd; then
  echo "setup-libvirt: starting libvirtd"
  libvirtd -d || echo "setup-libvirt: libvirtd did not start (already running?)" >&2
fi

for _ in $(seq 1 60); do
  if virsh -c qemu:///system list >/dev/null 2>&1; then
    exit 0
  fi
  sleep 0.5
done
echo "setup-libvirt: libvirtd did not answer on qemu:///system within 30 s" >&2
virsh -c qemu:///system list >&2 || true
exit 1
