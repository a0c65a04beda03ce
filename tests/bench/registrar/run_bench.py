#!/usr/bin/env python3
"""Registrar load benchmark: Kamailio 5.6 (the anchor) and vigild, driven by sipp on this machine.

For each server and run it measures, with sipp on the same box (everything on 127.0.0.1):
  1. registers --devices devices (default 200,000) on a fresh server and measures memory per
     device (PSS after minus PSS before, divided by the devices);
  2. keepalive MESSAGEs/s from those devices: a ladder of rates, each held for --step-sec;
     the best step with no failed call and at least 95 % of the asked rate is the
     sustained rate;
  3. holds them: every device sends a keepalive each --interval-sec for --hold-sec, with
     the server's CPU and memory at the end;
  4. (vigild, and Kamailio too with --flood-all) a stranger flood: REGISTERs with random IDs
     and forged credentials from a new source port each, at --flood-rate, while the real
     devices keep sending keepalives: their failed calls and the server's memory;
  5. authenticated registrations/s (REGISTER -> 401 -> REGISTER -> 200, each call a device
     registering with a new Call-ID, as after a reboot): the same kind of ladder.
Then it prints the medians of --runs runs side by side. CPU is the server's user+system time
(all its processes) over the step's wall time, 100 % = one core; memory is PSS (proportional
set size, summed over the server's processes, so Kamailio's shared memory is counted once).

It installs Kamailio from Debian when missing (apt-get, needs root) and, if allowed, raises
net.core.rmem_max/wmem_max for the run (restored afterwards). Not a CTest test: it takes
several minutes per run and wants the machine to itself.

    tests/bench/registrar/run_bench.py --vigild build/bin/vigild [--runs 3] [--vigil-threads 1,2] [--quick]
"""

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "sipp")
KAMAILIO_CFG = os.path.join(HERE, "kamailio.cfg")
SERVER_ID = "34020000002000000001"
DOMAIN = "3402000000"
PASSWORD = "12345678"
BUFFER_BYTES = 32 * 1024 * 1024


def log(*args):
    print(*args, flush=True)


def free_port(kinds=(socket.SOCK_DGRAM, socket.SOCK_STREAM)):
    while True:
        sockets = []
        try:
            for kind in kinds:
                s = socket.socket(socket.AF_INET, kind)
                sockets.append(s)
                s.bind(("127.0.0.1", sockets[0].getsockname()[1] if len(sockets) > 1 else 0))
            port = sockets[0].getsockname()[1]
            if port != 5060:
                return port
        except OSError:
            pass
        finally:
            for s in sockets:
                s.close()


def device_id(n):
    return "3402000000132%07d" % n


def write_devices(path, count, first=0):
    with open(path, "w", encoding="ascii") as f:
        f.write("SEQUENTIAL\n")
        for n in range(first, first + count):
            i = device_id(n)
            f.write("%s;[authentication username=%s password=%s]\n" % (i, i, PASSWORD))


def write_strangers(path, count):
    with open(path, "w", encoding="ascii") as f:
        f.write("RANDOM\n")
        for n in range(count):
            f.write("3402000000131%07d;\n" % (5000000 + n))


# ---------------------------------------------------------------------------------------------
# Process accounting


def children_of(pid):
    found = [pid]
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(entry))
        except (OSError, IndexError):
            continue
    return found


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def pss_kib(pids):
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/smaps_rollup" % pid) as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


# ---------------------------------------------------------------------------------------------
# Servers


class Server:
    name = "?"

    def __init__(self, workdir):
        self.workdir = workdir
        self.port = free_port()
        self.process = None

    def pids(self):
        return children_of(self.process.pid)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def registered(self):
        return None


class Kamailio(Server):
    name = "Kamailio 5.6"

    def __init__(self, workdir, children):
        super().__init__(workdir)
        self.children = children

    def start(self):
        self.log = open(os.path.join(self.workdir, "kamailio.log"), "w")
        self.process = subprocess.Popen(
            ["kamailio", "-f", KAMAILIO_CFG, "-l", "udp:127.0.0.1:%d" % self.port, "-n", str(self.children),
             "-DD", "-E", "-m", "3072", "-M", "32", "-P", os.path.join(self.workdir, "kamailio.pid"),
             "-Y", self.workdir],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        time.sleep(2)
        if self.process.poll() is not None:
            raise RuntimeError("kamailio exited at start; see %s" % self.log.name)


class Vigild(Server):
    def __init__(self, workdir, binary, extra, threads):
        super().__init__(workdir)
        self.binary = binary
        self.api_port = free_port((socket.SOCK_STREAM,))
        self.extra = ["--sip-threads", str(threads)] + extra
        self.name = "Vigil %d thread%s" % (threads, "s" if threads > 1 else "")

    def start(self):
        data = os.path.join(self.workdir, "vigil-data")
        shutil.rmtree(data, ignore_errors=True)
        os.makedirs(data)
        self.log = open(os.path.join(self.workdir, "vigild.log"), "w")
        self.process = subprocess.Popen(
            [self.binary, "--sip-bind", "127.0.0.1", "--sip-port", str(self.port), "--api-bind", "127.0.0.1",
             "--api-port", str(self.api_port), "--data-dir", data, "--server-id", SERVER_ID, "--domain", DOMAIN,
             "--password", PASSWORD, "--no-queries-on-register"] + self.extra,
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.health()["status"] == "ok":
                    return
            except (OSError, ValueError, KeyError):
                time.sleep(0.1)
        raise RuntimeError("vigild did not start; see %s" % self.log.name)

    def health(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/api/health" % self.api_port, timeout=30) as reply:
            return json.loads(reply.read())

    def registered(self):
        return self.health()["online"]


# ---------------------------------------------------------------------------------------------
# sipp


class Sipp:
    def __init__(self, workdir, server, scenario, injection, calls, rate, transport="u1", limit=None, tag="run",
                 port=None):
        self.stats = os.path.join(workdir, "%s.stat.csv" % tag)
        if os.path.exists(self.stats):
            os.remove(self.stats)
        self.args = ["sipp", "127.0.0.1:%d" % server.port, "-sf", os.path.join(SCENARIOS, scenario),
                     "-inf", injection, "-key", "server", SERVER_ID, "-key", "domain", DOMAIN,
                     "-i", "127.0.0.1", "-p", str(port or free_port((socket.SOCK_DGRAM,))), "-t", transport,
                     "-m", str(calls), "-r", str(rate), "-l", str(limit or max(1000, rate * 2)),
                     "-nostdin", "-timeout", str(max(60, calls // max(rate, 1) * 3 + 30)), "-timeout_error",
                     "-trace_stat", "-stf", self.stats, "-fd", "1", "-buff_size", str(BUFFER_BYTES),
                     "-max_socket", str(max(1000, resource.getrlimit(resource.RLIMIT_NOFILE)[0] - 1000)), "-max_recv_loops", "100000", "-max_sched_loops", "100000"]
        self.workdir = workdir
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.args, cwd=self.workdir, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    def wait(self):
        try:
            self.process.wait(timeout=3600)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.result()

    def result(self):
        rows = []
        with open(self.stats, encoding="utf-8") as f:
            rows = [line.rstrip("\n").split(";") for line in f if line.strip()]
        d = dict(zip(rows[0], rows[-1]))
        start = float(d["StartTime"].split("\t")[-1])
        end = float(d["CurrentTime"].split("\t")[-1])
        ok, failed = int(d["SuccessfulCall(C)"]), int(d["FailedCall(C)"])
        return {"ok": ok, "failed": failed, "retransmissions": int(d["Retransmissions(C)"]),
                "seconds": end - start, "rate": ok / max(end - start, 1e-3), "status": self.process.returncode}


def measure(server, workdir, scenario, files, calls, rate, tag, ports):
    """Runs len(ports) sipp instances at once, each with its own source port and its own slice
    of the devices, sharing `calls` and `rate`; returns their sum."""
    pids = server.pids()
    cpu0, t0 = cpu_seconds(pids), time.monotonic()
    n = len(ports)
    runs = [Sipp(workdir, server, scenario, files[i], max(1, calls // n), max(1, rate // n), tag="%s-%d" % (tag, i),
                 port=ports[i]).start() for i in range(n)]
    parts = [run.wait() for run in runs]
    wall = time.monotonic() - t0
    cpu = cpu_seconds(pids) - cpu0
    result = {key: sum(p[key] for p in parts) for key in ("ok", "failed", "retransmissions")}
    result["seconds"] = max(p["seconds"] for p in parts)
    result["rate"] = result["ok"] / max(result["seconds"], 1e-3)
    result["cpu"] = cpu / wall * 100
    result["cpuPerCallUs"] = cpu / max(result["ok"], 1) * 1e6
    result["asked"] = rate
    result["load"] = load_average()
    return result


def describe(r):
    return ("asked %6d/s got %8.0f/s  ok %7d failed %5d retrans %6d  server CPU %5.1f%% (%5.1f us/call)  load %.1f"
            % (r["asked"], r["rate"], r["ok"], r["failed"], r["retransmissions"], r["cpu"], r["cpuPerCallUs"],
               r["load"]))


def ladder(server, workdir, scenario, files, rates, step_sec, tag, ports):
    best = None
    for rate in rates:
        r = measure(server, workdir, scenario, files, rate * step_sec, rate, "%s-%d" % (tag, rate), ports)
        clean = r["failed"] == 0 and r["rate"] >= 0.95 * rate
        log("    %s %s" % (describe(r), "" if clean else "<- not sustained"))
        if not clean:
            break
        best = r
    return best


def run_once(server, args, workdir, files, flood):
    out = {}
    ports = [free_port((socket.SOCK_DGRAM,)) for _ in range(args.sipp)]
    devices = files["devices"]
    server.start()
    try:
        time.sleep(1)
        base_pss = pss_kib(server.pids())
        log("  %s on 127.0.0.1:%d, PSS at start %.1f MiB" % (server.name, server.port, base_pss / 1024))

        log("  registering %d devices at %d/s:" % (args.devices, args.fill_rate))
        fill = measure(server, workdir, "register.xml", devices, args.devices, args.fill_rate, "fill", ports)
        log("    %s" % describe(fill))
        # Memory per device is taken once the registrations' transactions have ended (Vigil keeps
        # each completed one 32 s, Timer J, to answer retransmissions; Kamailio's sl keeps none)
        # and the batched writes (Vigil: SQLite every 0.5 s) are done.
        time.sleep(args.settle_sec)
        online = server.registered()
        pss = pss_kib(server.pids())
        out["fill"] = fill
        out["online"] = online
        out["pssMiB"] = pss / 1024
        out["bytesPerDevice"] = (pss - base_pss) * 1024 / args.devices
        log("    PSS %.1f MiB: %.0f bytes per device%s" % (pss / 1024, out["bytesPerDevice"],
                                                          "" if online is None else "; online: %d" % online))

        log("  keepalive MESSAGEs/s:")
        out["keepalive"] = ladder(server, workdir, "keepalive.xml", devices, args.keepalive_rates,
                                  args.step_sec, "ka", ports)

        hold_rate = max(1, args.devices // args.interval_sec)
        log("  holding %d devices: a keepalive each %d s (%d/s) for %d s:"
            % (args.devices, args.interval_sec, hold_rate, args.hold_sec))
        hold = measure(server, workdir, "keepalive.xml", devices, hold_rate * args.hold_sec, hold_rate, "hold", ports)
        hold["pssMiB"] = pss_kib(server.pids()) / 1024
        log("    %s; PSS %.1f MiB" % (describe(hold), hold["pssMiB"]))
        out["hold"] = hold

        if flood:
            log("  stranger flood at %d/s (a new source port each) beside %d keepalives/s, %d s:"
                % (args.flood_rate, hold_rate, args.flood_sec))
            pss0 = pss_kib(server.pids())
            pids = server.pids()
            cpu0, t0 = cpu_seconds(pids), time.monotonic()
            strangers = Sipp(workdir, server, "stranger.xml", files["strangers"], args.flood_rate * args.flood_sec,
                             args.flood_rate, transport="un", limit=args.flood_rate * 2, tag="flood").start()
            real_devices = Sipp(workdir, server, "keepalive.xml", devices[0], hold_rate * args.flood_sec // args.sipp,
                                hold_rate // args.sipp, tag="flood-ka", port=ports[0]).start()
            real = real_devices.wait()
            fake = strangers.wait()
            wall = time.monotonic() - t0
            pss1 = pss_kib(server.pids())
            out["flood"] = {"strangers": fake["ok"], "strangerRate": fake["rate"], "keepalives": real["ok"],
                            "keepaliveFailed": real["failed"], "keepaliveRetrans": real["retransmissions"],
                            "pssGrowthMiB": (pss1 - pss0) / 1024, "cpu": (cpu_seconds(pids) - cpu0) / wall * 100,
                            "online": server.registered()}
            log("    strangers sent %d (%.0f/s); real keepalives ok %d failed %d retrans %d; PSS %+.1f MiB; "
                "server CPU %.1f%%%s" % (fake["ok"], fake["rate"], real["ok"], real["failed"],
                                          real["retransmissions"], out["flood"]["pssGrowthMiB"], out["flood"]["cpu"],
                                          "" if out["flood"]["online"] is None
                                          else "; online after: %d" % out["flood"]["online"]))
        log("  authenticated registrations/s (2 REGISTERs each; the same devices again, new Call-IDs):")
        out["register"] = ladder(server, workdir, "register.xml", devices, args.register_rates,
                                 args.step_sec, "reg", ports)

    finally:
        server.stop()
    return out


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, pattern):
    return "-" if value is None else pattern % value


def summarize(name, runs):
    def pick(path):
        values = []
        for r in runs:
            v = r
            for key in path:
                v = v.get(key) if isinstance(v, dict) else None
            values.append(v)
        return median(values)
    return {
        "name": name,
        "regRate": pick(["register", "rate"]), "regCpu": pick(["register", "cpu"]),
        "regUs": pick(["register", "cpuPerCallUs"]), "regFailed": pick(["register", "failed"]),
        "kaRate": pick(["keepalive", "rate"]), "kaCpu": pick(["keepalive", "cpu"]),
        "kaUs": pick(["keepalive", "cpuPerCallUs"]), "kaFailed": pick(["keepalive", "failed"]),
        "perDevice": pick(["bytesPerDevice"]), "pss": pick(["pssMiB"]),
        "holdCpu": pick(["hold", "cpu"]), "holdFailed": pick(["hold", "failed"]), "holdRate": pick(["hold", "rate"]),
        "floodFailed": pick(["flood", "keepaliveFailed"]), "floodPss": pick(["flood", "pssGrowthMiB"]),
        "floodRate": pick(["flood", "strangerRate"]),
    }


def print_table(rows, args):
    log("\n== Registrar benchmark: medians of %d run(s), %d devices, %d sipp instance(s) on the same machine =="
        % (args.runs, args.devices, args.sipp))
    lines = [
        ("auth registrations/s (zero failed)", "regRate", "%.0f"),
        ("  server CPU at that rate (%, 100 = 1 core)", "regCpu", "%.0f"),
        ("  server CPU per registration (us)", "regUs", "%.1f"),
        ("keepalive MESSAGEs/s (zero failed)", "kaRate", "%.0f"),
        ("  server CPU at that rate (%)", "kaCpu", "%.0f"),
        ("  server CPU per keepalive (us)", "kaUs", "%.1f"),
        ("memory per registered device (bytes, PSS)", "perDevice", "%.0f"),
        ("PSS with all devices (MiB)", "pss", "%.1f"),
        ("hold: keepalives/s from all devices", "holdRate", "%.0f"),
        ("  failed keepalives", "holdFailed", "%d"),
        ("  server CPU (%)", "holdCpu", "%.1f"),
        ("flood: strangers/s", "floodRate", "%.0f"),
        ("  failed keepalives of real devices", "floodFailed", "%d"),
        ("  PSS growth during the flood (MiB)", "floodPss", "%+.1f"),
    ]
    width = max(len(label) for label, _, _ in lines) + 2
    log("%-*s" % (width, "") + "".join(" %18s" % row["name"] for row in rows))
    for label, key, pattern in lines:
        log("%-*s" % (width, label) + "".join(" %18s" % fmt(row.get(key), pattern) for row in rows))


def raise_buffers():
    changed = {}
    for key in ("net.core.rmem_max", "net.core.wmem_max"):
        path = "/proc/sys/" + key.replace(".", "/")
        try:
            with open(path) as f:
                old = int(f.read())
            if old < BUFFER_BYTES:
                with open(path, "w") as f:
                    f.write(str(BUFFER_BYTES))
                changed[path] = old
                log("raised %s from %d to %d for the run" % (key, old, BUFFER_BYTES))
        except OSError as error:
            log("could not raise %s (%s): sockets get the system's cap" % (key, error.strerror))
    return changed


def restore_buffers(changed):
    for path, old in changed.items():
        try:
            with open(path, "w") as f:
                f.write(str(old))
        except OSError:
            pass


def ensure_kamailio():
    if shutil.which("kamailio"):
        return True
    log("installing Kamailio from Debian (apt-get install kamailio)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(prefix + ["apt-get", "update", "-q"], env=env, check=False)
    subprocess.run(prefix + ["apt-get", "install", "-y", "-q", "--no-install-recommends", "kamailio"], env=env,
                   check=False)
    # The package may start its own service on the default port: this benchmark uses its own.
    return shutil.which("kamailio") is not None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vigild", help="vigild binary (default: build/bin/vigild beside this checkout)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--devices", type=int, default=200000)
    parser.add_argument("--step-sec", type=int, default=8, help="how long each ladder step lasts")
    parser.add_argument("--register-rates", type=lambda s: [int(x) for x in s.split(",")],
                        default=[2500, 5000, 7500, 10000, 12500, 15000, 17500, 20000, 25000])
    parser.add_argument("--keepalive-rates", type=lambda s: [int(x) for x in s.split(",")],
                        default=[5000, 10000, 15000, 20000, 25000, 30000, 35000, 40000])
    parser.add_argument("--fill-rate", type=int, default=2500, help="registrations/s while registering all devices")
    parser.add_argument("--interval-sec", type=int, default=60, help="keepalive interval while holding")
    parser.add_argument("--settle-sec", type=int, default=35, help="wait after registering before measuring memory")
    parser.add_argument("--hold-sec", type=int, default=60)
    parser.add_argument("--flood-rate", type=int, default=5000)
    parser.add_argument("--flood-sec", type=int, default=20)
    parser.add_argument("--flood-all", action="store_true", help="flood Kamailio too")
    parser.add_argument("--kamailio-children", type=int, default=4, help="Kamailio UDP worker processes")
    parser.add_argument("--sipp", type=int, default=2,
                        help="sipp instances at once, each a source port with its own share of the devices")
    parser.add_argument("--vigild-arg", action="append", default=[], help="extra vigild argument (repeatable)")
    parser.add_argument("--only", choices=["kamailio", "vigil"], help="measure one server only")
    parser.add_argument("--vigil-threads", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2],
                        help="vigild --sip-threads values to measure, e.g. 1,2")
    parser.add_argument("--quick", action="store_true", help="1 run, 20,000 devices, short steps (a smoke test)")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.devices, args.step_sec, args.hold_sec, args.flood_sec, args.settle_sec = 1, 20000, 3, 10, 5, 3
    if not shutil.which("sipp"):
        sys.exit("sipp is missing: apt-get install sip-tester")
    vigild = args.vigild or os.path.join(HERE, "..", "..", "..", "build", "bin", "vigild")
    servers = []
    if args.only != "vigil":
        if not ensure_kamailio():
            sys.exit("kamailio is missing and could not be installed")
        servers.append(("kamailio", 0))
    if args.only != "kamailio":
        if not os.access(vigild, os.X_OK):
            sys.exit("no vigild at %s: build it or pass --vigild" % vigild)
        servers += [("vigil", threads) for threads in args.vigil_threads]

    log("machine: %d cores, load average %.1f at start; %s" % (os.cpu_count(), load_average(),
                                                               subprocess.run(["sipp", "-v"], capture_output=True,
                                                                              text=True).stdout.strip().split("\n")[0]))
    changed = raise_buffers()
    # sipp -t un opens a socket per call: let it (and Kamailio) have all the descriptors allowed.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    results = {server: [] for server in servers}
    names = {}
    try:
        with tempfile.TemporaryDirectory(prefix="vigil-bench-") as workdir:
            files = {"devices": [os.path.join(workdir, "devices-%d.csv" % i) for i in range(args.sipp)],
                     "strangers": os.path.join(workdir, "strangers.csv")}
            per = args.devices // args.sipp
            for i, path in enumerate(files["devices"]):
                write_devices(path, per, first=i * per)
            write_strangers(files["strangers"], 100000)
            for run in range(args.runs):
                for key in servers:  # interleaved, so all see the same background load
                    kind, threads = key
                    server = (Kamailio(workdir, args.kamailio_children) if kind == "kamailio"
                              else Vigild(workdir, vigild, args.vigild_arg, threads))
                    names[key] = server.name
                    log("\n== run %d/%d: %s (load average %.1f)" % (run + 1, args.runs, server.name, load_average()))
                    results[key].append(run_once(server, args, workdir, files,
                                                 flood=kind == "vigil" or args.flood_all))
    finally:
        restore_buffers(changed)
    rows = [summarize(names[key], results[key]) for key in servers]
    print_table(rows, args)
    log("load average at the end: %.1f" % load_average())
    log("\nraw results (JSON):\n" + json.dumps({names[k]: v for k, v in results.items()}, indent=1))


if __name__ == "__main__":
    main()
