"""Test hosts on one machine: network namespaces joined by a bridge this module creates.

Each host is a namespace with one veth interface on a private /24 and no route beyond it, so
nothing a test starts can reach (or be reached from) anything but the other test hosts and the
test itself, which sits on the bridge at ``.1``. Everything is torn down by ``destroy()``.
Needs root and iproute2 (``ip netns``).
"""

import contextlib
import ipaddress
import os
import secrets
import shutil
import signal
import subprocess
from pathlib import Path


def available() -> bool:
    return os.geteuid() == 0 and shutil.which("ip") is not None


def _ip(*args: str) -> str:
    done = subprocess.run(["ip", *args], check=True, capture_output=True, text=True)
    return done.stdout


def _free_subnet() -> ipaddress.IPv4Network:
    taken = [
        ipaddress.ip_interface(word).network
        for line in _ip("-o", "-4", "addr").splitlines()
        for word in line.split()
        if "/" in word and word[0].isdigit()
    ]
    for _attempt in range(50):
        candidate = ipaddress.ip_network(
            f"10.{secrets.choice(range(200, 250))}.{secrets.randbelow(250)}.0/24"
        )
        if not any(candidate.overlaps(net) for net in taken):
            return candidate
    raise RuntimeError("no free private /24 for the test network")


class Lab:
    """``Lab({"db": 2, "web1": 11})`` makes hosts named after the keys, at those host numbers."""

    def __init__(self, hosts: dict[str, int]):
        self.tag = secrets.token_hex(3)
        self.subnet = _free_subnet()
        self.bridge = f"itbr{self.tag}"
        self.gateway = str(self.subnet[1])
        self.hosts = {name: str(self.subnet[number]) for name, number in hosts.items()}
        self.processes: list[subprocess.Popen] = []
        _ip("link", "add", self.bridge, "type", "bridge")
        _ip("addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        _ip("link", "set", self.bridge, "up")
        for index, (name, address) in enumerate(self.hosts.items()):
            namespace, outside = self.namespace(name), f"it{self.tag}h{index}"
            _ip("netns", "add", namespace)
            _ip("link", "add", outside, "type", "veth", "peer", "name", "eth0", "netns", namespace)
            _ip("link", "set", outside, "master", self.bridge)
            _ip("link", "set", outside, "up")
            inside = ["netns", "exec", namespace, "ip"]
            _ip(*inside, "addr", "add", f"{address}/24", "dev", "eth0")
            _ip(*inside, "link", "set", "eth0", "up")
            _ip(*inside, "link", "set", "lo", "up")

    def namespace(self, host: str) -> str:
        return f"it{self.tag}-{host}"

    def command(self, host: str, args: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.namespace(host), *args]

    def run(self, host: str, args: list[str], **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(host, args), check=True, **kwargs)

    def start(self, host: str, args: list[str], log: Path, env: dict | None = None):
        process = subprocess.Popen(
            self.command(host, args),
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def pids(self, host: str) -> list[int]:
        output = subprocess.run(
            ["ip", "netns", "pids", self.namespace(host)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in output.split()]

    def kill_host(self, host: str) -> None:
        """Pull the plug: SIGKILL every process on the host, no shutdown of any kind."""
        for pid in self.pids(host):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def destroy(self) -> None:
        for host in self.hosts:
            self.kill_host(host)
        for process in self.processes:
            with contextlib.suppress(Exception):
                process.wait(timeout=10)
        for host in self.hosts:
            subprocess.run(["ip", "netns", "del", self.namespace(host)], check=False)
        subprocess.run(["ip", "link", "del", self.bridge], check=False, capture_output=True)
