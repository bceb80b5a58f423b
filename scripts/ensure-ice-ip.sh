#!/usr/bin/env bash
# WebRTC (Janus and Chromium) never uses loopback for ICE. On a machine whose only IPv4 address is
# 127.0.0.1 (some containers), add a dummy interface with a private address so calls on this
# machine can connect. Does nothing when a non-loopback IPv4 address exists.
set -euo pipefail
if ip -4 -o addr show scope global 2>/dev/null | grep -q inet; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "no non-loopback IPv4 address: run as root, or: ip link add trtc0 type dummy && ip addr add 10.99.0.1/24 dev trtc0 && ip link set trtc0 up" >&2
  exit 1
fi
ip link add trtc0 type dummy 2>/dev/null || true
ip addr add 10.99.0.1/24 dev trtc0 2>/dev/null || true
ip link set trtc0 up
echo "added dummy interface trtc0 (10.99.0.1) for WebRTC on this machine"
