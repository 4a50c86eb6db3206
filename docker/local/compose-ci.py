#!/usr/bin/env python3
"""Writes the CI copy of docker-compose.yml for docker/stack-test.sh.

Reads the resolved file (`docker-compose config`), and writes a copy that differs only where this
machine needs it to: the services with no Debian, npm or Maven source here are left out (the real
file keeps them), every image is the local one built from Debian packages (docker/local), and the
ports are published on 127.0.0.1 on free ports (so that nothing else on the machine is in the way).

    compose-ci.py RESOLVED.yml IMAGES.env OUT.yml OUT-PORTS.env

IMAGES.env holds `name=image` lines (parley, postgres, redis, ...); OUT-PORTS.env gets
`PORT_<SERVICE>_<TARGET>=<host port>` lines for the published ports.
"""
import socket
import sys

import yaml

LEFT_OUT = {
    "grafana": "Grafana (no Debian, npm or Maven package here)",
    "jaeger": "Jaeger (no Debian, npm or Maven package here); so PARLEY_TELEMETRY_OTLP_ENDPOINT too",
}
# The repository of each public image, and the local image that stands in for it.
LOCAL = {
    "parley": "parley",
    "parley-apertium": "apertium",
    "parley-janus": "janus",
    "postgres": "postgres",
    "redis": "redis",
    "mcr.microsoft.com/azure-storage/azurite": "azurite",
    "prom/prometheus": "prometheus",
    "coturn/coturn": "coturn",
}
# coturn's relay range (49160-49200/udp) is not published here, only its listening port: 41 more
# port forwards for nothing the test checks.
RELAY_PORTS = ("coturn", range(49152, 65536))
# Held open until the file is written, so that no two ports picked are the same.
held = []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    held.append(s)
    return s.getsockname()[1]


def main(resolved, images_env, out, ports_env):
    with open(resolved) as f:
        config = yaml.safe_load(f)
    images = dict(line.strip().split("=", 1) for line in open(images_env) if "=" in line)
    services = config["services"]
    for name in LEFT_OUT:
        services.pop(name, None)
        config.get("volumes", {}).pop(name + "-data", None)
    ports = {}
    for name, service in services.items():
        repository = service["image"].rsplit(":", 1)[0]
        if repository not in LOCAL or LOCAL[repository] not in images:
            sys.exit(f"compose-ci: no local image stands in for {service['image']} (service {name}); "
                     "add one to docker/local and to LOCAL in this script")
        service["image"] = images[LOCAL[repository]]
        service.pop("build", None)
        depends = service.get("depends_on")
        if isinstance(depends, dict):
            for gone in LEFT_OUT:
                depends.pop(gone, None)
        env = service.get("environment") or {}
        if "PARLEY_TELEMETRY_OTLP_ENDPOINT" in env and "jaeger" in LEFT_OUT:
            del env["PARLEY_TELEMETRY_OTLP_ENDPOINT"]
        published = []
        for port in service.get("ports", []):
            target = str(port["target"])
            if name == RELAY_PORTS[0] and int(target) in RELAY_PORTS[1]:
                continue
            key = f"PORT_{name.upper().replace('-', '_')}_{target}"
            ports.setdefault(key, free_port())
            published.append(f"127.0.0.1:{ports[key]}:{target}/{port.get('protocol', 'tcp')}")
        if "ports" in service:
            service["ports"] = published
    header = ["# The CI copy of docker-compose.yml, written by docker/local/compose-ci.py for",
              "# docker/stack-test.sh. It differs from the real file only in this:"]
    header += [f"#   left out: {what}" for what in LEFT_OUT.values()]
    header += ["#   left out: the TURN relay port range (only 3478 is published)",
               "#   images: the local ones, built from Debian and npm packages (docker/local)",
               "#   ports: published on 127.0.0.1, on free ports"]
    with open(out, "w") as f:
        f.write("\n".join(header) + "\n")
        yaml.safe_dump(config, f, default_flow_style=False, sort_keys=False)
    with open(ports_env, "w") as f:
        f.writelines(f"{k}={v}\n" for k, v in sorted(ports.items()))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
