#!/usr/bin/env bash
# The base of every local image, made without a registry: a minimal Debian bookworm
# (debootstrap --variant=minbase) from the Debian mirror apt is configured with on this machine,
# written as a tarball for `podman import`. The stack test keys its cache on this file.
#   docker/local/debian-base.sh OUT.tar MIRROR SECURITY_MIRROR
set -euo pipefail
out=$1 mirror=$2 security=$3
root=$(mktemp -d /var/tmp/parley-debootstrap.XXXXXX)
trap 'rm -rf "$root"' EXIT

debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 \
  || { tail -20 "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"

# The same suites as the host: the release, its updates and the security archive.
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES

# As Debian's own container images do: no services started by package scripts, no recommended
# packages, no translations, no documentation or manual pages.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
cat >"$root/etc/apt/apt.conf.d/90parley-local" <<'APT'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
APT
cat >"$root/etc/dpkg/dpkg.cfg.d/90parley-local" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
DPKG
# Nothing to recover after a crash in an image build: dpkg need not sync every file it writes.
echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/90parley-local-unsafe-io"
chroot "$root" sh -c "echo 'debconf debconf/frontend select Noninteractive' | debconf-set-selections"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/*/changelog* \
  "$root"/usr/share/man/* "$root"/var/log/*.log
# Packages' scripts (OpenJDK's update-alternatives) expect the manual page folders to exist.
mkdir -p "$root"/usr/share/man/man{1..8}

tar --numeric-owner -C "$root" -cf "$out.part" .
mv "$out.part" "$out"
