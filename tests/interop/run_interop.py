#!/usr/bin/env python3
"""Interop tests: sipp (Debian sip-tester) acts as GB/T 28181 devices against a real vigild.

Each case starts its own vigild on 127.0.0.1 with free ports and a temporary data folder,
runs one or more sipp scenarios from tests/interop/sipp with bounded call counts and
timeouts, checks sipp's exit status and then what vigild's HTTP API shows (/api/devices,
/api/health), and stops everything it started on every path.

    run_interop.py --vigild PATH CASE       (CASE: one of CASES below, or "list")

Exit status: 0 passed, 1 failed, 77 skipped (sipp not installed).
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "sipp")
SERVER_ID = "34020000002000000001"
DOMAIN = "3402000000"
PASSWORD = "12345678"
SKIP = 77


class Failure(Exception):
    pass


def free_port(kinds=(socket.SOCK_DGRAM, socket.SOCK_STREAM)):
    """A port on 127.0.0.1 that is free for every socket kind in `kinds` right now."""
    for _ in range(50):
        sockets = []
        try:
            first = socket.socket(socket.AF_INET, kinds[0])
            sockets.append(first)
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
            if port == 5060:
                continue
            for kind in kinds[1:]:
                other = socket.socket(socket.AF_INET, kind)
                sockets.append(other)
                other.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise Failure("no free port found on 127.0.0.1")


def device_id(n):
    return "3402000000132%07d" % n


def write_injection(path, ids, password=PASSWORD):
    with open(path, "w", encoding="ascii") as f:
        f.write("SEQUENTIAL\n")
        for i in ids:
            f.write("%s;[authentication username=%s password=%s]\n" % (i, i, password))


class Vigild:
    """vigild on loopback with its own ports and data folder."""

    def __init__(self, binary, workdir, extra_args=()):
        self.binary = binary
        self.workdir = workdir
        self.extra_args = list(extra_args)
        self.sip_port = free_port()
        self.api_port = free_port((socket.SOCK_STREAM,))
        self.log_path = os.path.join(workdir, "vigild.log")
        self.process = None

    def start(self):
        data = os.path.join(self.workdir, "data")
        os.makedirs(data, exist_ok=True)
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [self.binary, "--sip-bind", "127.0.0.1", "--sip-port", str(self.sip_port),
             "--api-bind", "127.0.0.1", "--api-port", str(self.api_port), "--data-dir", data,
             "--server-id", SERVER_ID, "--domain", DOMAIN, "--password", PASSWORD,
             "--no-queries-on-register"] + self.extra_args,
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failure("vigild exited with status %d at start" % self.process.returncode)
            try:
                if self.get("/api/health").get("status") == "ok":
                    return
            except (OSError, ValueError):
                pass
            time.sleep(0.05)
        raise Failure("vigild did not answer /api/health within 30 s")

    def get(self, path):
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (self.api_port, path), timeout=10) as reply:
            return json.loads(reply.read().decode("utf-8"))

    def devices(self):
        return {d["id"]: d for d in self.get("/api/devices")}

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and self.process.returncode not in (0, None, -signal.SIGKILL):
            print("vigild exited with status %d" % self.process.returncode)
        if getattr(self, "log", None):
            self.log.close()

    def log_tail(self, lines=60):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""


class Case:
    def __init__(self, vigild_binary, sipp_binary, workdir, extra_args=()):
        self.sipp = sipp_binary
        self.workdir = workdir
        self.server = Vigild(vigild_binary, workdir, extra_args)
        self.sipp_port = free_port()
        self.runs = 0

    def run_sipp(self, scenario, injection, calls, transport="u1", rate=None, expect_status=0):
        """Runs one sipp scenario to its end (at most 60 s) and checks its exit status."""
        self.runs += 1
        args = [self.sipp, "127.0.0.1:%d" % self.server.sip_port,
                "-sf", os.path.join(SCENARIOS, scenario), "-inf", injection,
                "-key", "server", SERVER_ID, "-key", "domain", DOMAIN,
                "-i", "127.0.0.1", "-p", str(self.sipp_port), "-t", transport,
                "-m", str(calls), "-l", str(min(calls, 100)), "-r", str(rate or calls),
                "-timeout", "60s", "-timeout_error", "-recv_timeout", "10s", "-max_recv_loops", "10000",
                "-max_socket", "200", "-nostdin", "-trace_err", "-trace_stat", "-stf", "stats_%d.csv" % self.runs]
        print("$ " + " ".join(args), flush=True)
        try:
            result = subprocess.run(args, cwd=self.workdir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, timeout=90)
        except subprocess.TimeoutExpired:
            raise Failure("sipp %s did not finish within 90 s" % scenario)
        if result.returncode != expect_status:
            detail = result.stderr.decode("utf-8", "replace")[-2000:]
            for name in os.listdir(self.workdir):
                if name.endswith("_errors.log"):
                    with open(os.path.join(self.workdir, name), encoding="utf-8", errors="replace") as f:
                        detail += "\n--- %s\n%s" % (name, f.read()[-4000:])
            raise Failure("sipp %s exited with status %d (expected %d): %s"
                          % (scenario, result.returncode, expect_status, detail))
        self.check_stats(scenario, calls)

    def check_stats(self, scenario, calls):
        path = os.path.join(self.workdir, "stats_%d.csv" % self.runs)
        with open(path, encoding="utf-8") as f:
            rows = [line.rstrip("\n").split(";") for line in f if line.strip()]
        header, last = rows[0], rows[-1]
        stats = dict(zip(header, last))
        ok, failed = int(stats["SuccessfulCall(C)"]), int(stats["FailedCall(C)"])
        print("  %s: %d calls succeeded, %d failed" % (scenario, ok, failed), flush=True)
        if ok != calls or failed != 0:
            raise Failure("sipp %s: %d of %d calls succeeded, %d failed" % (scenario, ok, calls, failed))

    def wait_for(self, what, predicate, timeout=15):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = self.server.devices()
            if predicate(last):
                return last
            time.sleep(0.05)
        raise Failure("%s did not happen within %d s; /api/devices: %s"
                      % (what, timeout, json.dumps(list(last.values()) if last else [], indent=1)[:3000]))

    def injection(self, name, ids, password=PASSWORD):
        path = os.path.join(self.workdir, name)
        write_injection(path, ids, password)
        return path


def expect(condition, message):
    if not condition:
        raise Failure(message)


def case_register_udp(c):
    """A device registers with digest auth, refreshes and sends a keepalive over UDP."""
    dev = device_id(1)
    c.run_sipp("register.xml", c.injection("one.csv", [dev]), calls=1)
    d = c.server.devices().get(dev)
    expect(d is not None, "%s is not in /api/devices after registering" % dev)
    expect(d["online"], "%s is not online: %s" % (dev, d))
    expect(d["transport"] == "udp", "%s has transport %s, expected udp" % (dev, d["transport"]))
    expect(d["remote"] == "127.0.0.1:%d" % c.sipp_port,
           "%s is reached at %s, expected the source 127.0.0.1:%d" % (dev, d["remote"], c.sipp_port))
    expect(d["userAgent"] == "sipp-gb-device", "%s has User-Agent %r" % (dev, d["userAgent"]))
    expect(d["expiresAt"], "%s has no registration expiry" % dev)
    health = c.server.get("/api/health")
    expect(health["devices"] == 1 and health["online"] == 1, "/api/health says %s" % health)


def case_register_tcp(c):
    """The same over one TCP connection; when the device closes it, the device goes offline."""
    dev = device_id(2)
    c.run_sipp("register.xml", c.injection("one.csv", [dev]), calls=1, transport="t1")
    devices = c.wait_for("%s going offline after its TCP connection closed" % dev,
                         lambda ds: dev in ds and not ds[dev]["online"])
    d = devices[dev]
    expect(d["transport"] == "tcp", "%s has transport %s, expected tcp" % (dev, d["transport"]))
    expect(d["offlineReasonCode"] == "tcp-connection-closed",
           "%s is offline for %r, expected tcp-connection-closed" % (dev, d["offlineReasonCode"]))


def case_unregister_udp(c):
    """Register, then unregister with Expires: 0: offline, and keepalives get 404."""
    dev = device_id(3)
    injection = c.injection("one.csv", [dev])
    c.run_sipp("register.xml", injection, calls=1)
    c.wait_for("%s online" % dev, lambda ds: dev in ds and ds[dev]["online"])
    c.run_sipp("unregister.xml", injection, calls=1)
    d = c.server.devices()[dev]
    expect(not d["online"], "%s is still online after unregistering" % dev)
    expect(d["offlineReasonCode"] == "unregistered",
           "%s is offline for %r, expected unregistered" % (dev, d["offlineReasonCode"]))


def case_wrong_password_udp(c):
    """A wrong password gets 403 (no second challenge) and the device is not registered."""
    dev = device_id(4)
    c.run_sipp("wrong_password.xml", c.injection("wrong.csv", [dev], password="87654321"), calls=1)
    devices = c.server.devices()
    expect(dev not in devices or not devices[dev]["online"], "%s registered with a wrong password" % dev)


def case_keepalive_unregistered_udp(c):
    """A keepalive from a device that never registered gets 404 and creates nothing."""
    dev = device_id(5)
    c.run_sipp("keepalive_unregistered.xml", c.injection("one.csv", [dev]), calls=1)
    expect(dev not in c.server.devices(), "%s appeared in /api/devices from a keepalive alone" % dev)


def case_many_devices_udp(c):
    """100 devices register and keep alive at 50 registrations/s, then a wrong password next to them."""
    ids = [device_id(100 + n) for n in range(100)]
    c.run_sipp("register.xml", c.injection("many.csv", ids), calls=len(ids), rate=50)
    c.wait_for("100 devices online", lambda ds: sum(1 for i in ids if i in ds and ds[i]["online"]) == 100)
    health = c.server.get("/api/health")
    expect(health["devices"] == 100 and health["online"] == 100, "/api/health says %s" % health)
    c.run_sipp("wrong_password.xml", c.injection("wrong.csv", [device_id(999)], password="bad"), calls=1)
    health = c.server.get("/api/health")
    expect(health["online"] == 100, "after a wrong password elsewhere /api/health says %s" % health)


def case_many_devices_tcp(c):
    """20 devices, each on its own TCP connection (-t tn), register and keep alive."""
    ids = [device_id(300 + n) for n in range(20)]
    c.run_sipp("register.xml", c.injection("many.csv", ids), calls=len(ids), transport="tn", rate=20)
    c.wait_for("20 TCP devices offline after their connections closed",
               lambda ds: all(i in ds and not ds[i]["online"]
                              and ds[i]["offlineReasonCode"] == "tcp-connection-closed" for i in ids))


def case_sip_threads_udp(c):
    """vigild with --sip-threads 3: devices from 6 source ports (spread over the threads by the
    kernel) register, keep alive, unregister; a wrong password and an unknown keepalive too."""
    groups = [[device_id(500 + 10 * g + n) for n in range(10)] for g in range(6)]
    for g, ids in enumerate(groups):
        c.sipp_port = free_port()
        c.run_sipp("register.xml", c.injection("group%d.csv" % g, ids), calls=len(ids), rate=50)
    every = [i for ids in groups for i in ids]
    c.wait_for("60 devices online", lambda ds: sum(1 for i in every if i in ds and ds[i]["online"]) == 60)
    for g in range(3):
        c.sipp_port = free_port()
        c.run_sipp("unregister.xml", c.injection("bye%d.csv" % g, groups[g][:2]), calls=2, rate=10)
    c.sipp_port = free_port()
    c.run_sipp("wrong_password.xml", c.injection("wrong.csv", [device_id(998)], password="bad"), calls=1)
    c.run_sipp("keepalive_unregistered.xml", c.injection("ka.csv", [device_id(997)]), calls=1)
    c.wait_for("6 devices unregistered", lambda ds: sum(
        1 for g in range(3) for i in groups[g][:2] if not ds[i]["online"] and ds[i]["offlineReasonCode"] == "unregistered") == 6)
    health = c.server.get("/api/health")
    expect(health["online"] == 54 and health["devices"] == 60, "/api/health says %s" % health)


EXTRA_ARGS = {"sip_threads_udp": ["--sip-threads", "3"]}
CASES = {name[len("case_"):]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vigild", help="path of the vigild binary")
    parser.add_argument("--sipp", default=shutil.which("sipp"), help="path of sipp (default: from PATH)")
    parser.add_argument("case", help="which case to run: %s, or list" % ", ".join(sorted(CASES)))
    args = parser.parse_args()
    if args.case == "list":
        print("\n".join(sorted(CASES)))
        return 0
    if args.case not in CASES:
        parser.error("unknown case %r" % args.case)
    if not args.sipp or not os.access(args.sipp, os.X_OK):
        print("SKIP: sipp is not installed (Debian package sip-tester)")
        return SKIP
    if not args.vigild or not os.access(args.vigild, os.X_OK):
        parser.error("--vigild must name the vigild binary")

    with tempfile.TemporaryDirectory(prefix="vigil-interop-") as workdir:
        case = Case(args.vigild, args.sipp, workdir, EXTRA_ARGS.get(args.case, ()))
        try:
            case.server.start()
            print("vigild: SIP 127.0.0.1:%d, API 127.0.0.1:%d" % (case.server.sip_port, case.server.api_port),
                  flush=True)
            CASES[args.case](case)
        except Failure as failure:
            print("FAIL %s: %s" % (args.case, failure))
            print("--- vigild log (last lines)\n" + case.server.log_tail())
            return 1
        finally:
            case.server.stop()
    print("PASS %s: %s" % (args.case, CASES[args.case].__doc__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
