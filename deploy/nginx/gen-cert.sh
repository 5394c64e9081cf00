#!/bin/sh
# Writes a throwaway self-signed cert for localhost into DIR (tls.crt,
# tls.key) unless one is already there. Used by the compose `certs` service
# and by tests; never for production.
set -eu
dir="${1:?usage: gen-cert.sh DIR}"
mkdir -p "$dir"
if [ -s "$dir/tls.crt" ] && [ -s "$dir/tls.key" ]; then
  echo "gen-cert: keeping existing cert in $dir"
  exit 0
fi
command -v openssl >/dev/null || { echo "gen-cert: openssl not found" >&2; exit 1; }
openssl req -x509 -newkey rsa:2048 -nodes -days 365 \
  -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
# Throwaway key: 0644 lets a test's non-root nginx read it too.
chmod 0644 "$dir/tls.key" "$dir/tls.crt"
echo "gen-cert: wrote self-signed cert to $dir"
