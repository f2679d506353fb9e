#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sprite Gallery benchmark: the app against curl --parallel and xargs -P.

Starts the mock PokeAPI (tests/mock/sg-mock-pokeapi) with 0, 100 and 300 ms
of latency per request, serving the real PokeAPI data of
../shared/pokeapi-mirror when it is beside the checkout, and times in the
same run, several times each:

  * sprite-gallery-dl with its default settings and a cold cache;
  * curl --parallel in two phases: every detail document (--parallel-max
    100), one jq that pulls out every sprite URL, then every sprite;
  * xargs -P 8 running curl | jq, then curl, per Pokemon;
  * the GUI, sprite-gallery --quit-when-done --report, cold and warm.

Then, at 0 ms, 1 helper process against 2; 1000 sprites against 100
(generated data: the mirror has only 151); the GUI's memory growth over a
1000-sprite run; how smoothly its grid scrolls while the 1000 sprites
arrive and after (sg-bench-scroll); the peak resident memory of the GUI and
its helpers. It
prints a table of medians and ratios, checks the targets of issue 6, and
writes results.json, results.md and a gnuplot PNG into --out.

Python standard library only (plus curl, jq, gnuplot, xvfb-run).

  tests/bench/sg-bench.py --build-dir build-bench           # 5 repetitions
  tests/bench/sg-bench.py --build-dir build-bench --reps 1  # quick look
"""

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_MIRROR = os.path.join(SOURCE_ROOT, "..", "shared", "pokeapi-mirror")

RUN_TIMEOUT_S = 300        # any one run; a hung run is killed, not waited for
SAMPLE_INTERVAL_S = 0.05   # /proc sampling for resident memory

TARGETS = {
    "dl_vs_curl_100": 0.75,
    "gui_vs_curl_100": 1.0,
    "speedup_2_vs_1": 1.7,
    "stall_ms": 16.0,
    "warm_map_to_all_ms": 150.0,
    "scale_1000_vs_100": 10.5,
    "gui_growth_1000_mib": 40.0,
}


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


# --------------------------------------------------------------------------
# /proc: memory of a process tree, listen-queue overflows

def read_status_kib(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def process_tree(root):
    """The pids of @root and all its descendants (one scan of /proc)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces or parentheses.
        fields = stat[stat.rfind(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


class MemorySampler(threading.Thread):
    """Every 50 ms: the resident memory of @root and of its whole tree.

    "baseline_kib" is the root's resident memory when its first child (a
    helper) appears, i.e. when the run starts fetching; growth is measured
    from there."""

    def __init__(self, root):
        super().__init__(daemon=True)
        self.root = root
        self.stop_event = threading.Event()
        self.peak_tree_kib = 0
        self.peak_root_kib = 0
        self.baseline_kib = None
        self.first_kib = None
        self.hwm_kib = None
        self.max_children = 0
        self.cpu_ms = None

    def run(self):
        while not self.stop_event.is_set():
            tree = process_tree(self.root)
            total = 0
            root_kib = read_status_kib(self.root, "VmRSS")
            if root_kib is None:
                break
            hwm = read_status_kib(self.root, "VmHWM")
            if hwm is not None:
                self.hwm_kib = hwm
            if self.first_kib is None:
                self.first_kib = root_kib
            for pid in tree:
                kib = read_status_kib(pid, "VmRSS")
                total += kib or 0
            n_children = len(tree) - 1
            if n_children > 0 and self.baseline_kib is None:
                self.baseline_kib = root_kib
            self.max_children = max(self.max_children, n_children)
            self.peak_tree_kib = max(self.peak_tree_kib, total)
            self.peak_root_kib = max(self.peak_root_kib, root_kib)
            self.stop_event.wait(SAMPLE_INTERVAL_S)

    def finish(self):
        self.stop_event.set()
        self.join()


def listen_overflows():
    """TcpExt ListenOverflows: SYNs dropped because an accept queue was full."""
    try:
        with open("/proc/net/netstat") as f:
            lines = f.read().splitlines()
    except OSError:
        return 0
    for names, values in zip(lines[::2], lines[1::2]):
        if names.startswith("TcpExt:"):
            table = dict(zip(names.split()[1:], values.split()[1:]))
            return int(table.get("ListenOverflows", 0))
    return 0


# --------------------------------------------------------------------------
# Running things

def settle():
    """Writes out what earlier runs left in the page cache. The kernel
    writes dirty pages back some 30 s after they were made (a 1000-sprite
    run leaves ~14 MB in 2000 files), on the same two cores: without this,
    that work lands inside whichever run is being timed then."""
    os.sync()


def run_timed(argv, env=None, sample=False, shell=False, cwd=None):
    """Runs @argv to completion; returns (wall_ms, returncode, sampler, stderr)."""
    settle()
    overflows_before = listen_overflows()
    # CPU time of the whole tree: a program's rusage includes the helpers
    # it reaped, and ours includes the program once we reap it.
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.Popen(argv, env=env, shell=shell, cwd=cwd,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    sampler = None
    if sample:
        sampler = MemorySampler(proc.pid)
        sampler.start()
    try:
        _, err = proc.communicate(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        log(f"  TIMEOUT after {RUN_TIMEOUT_S} s: {argv if not shell else argv[:80]}")
    wall_ms = (time.monotonic() - start) * 1000.0
    if sampler is not None:
        sampler.finish()
    try:
        # Whatever the run left behind (it should be nothing) goes too.
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    overflows = listen_overflows() - overflows_before
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_ms = ((usage.ru_utime - usage_before.ru_utime) +
              (usage.ru_stime - usage_before.ru_stime)) * 1000.0
    if sampler is not None:
        sampler.cpu_ms = cpu_ms
    return wall_ms, proc.returncode, sampler, err.decode(errors="replace"), overflows


class MockServer:
    def __init__(self, exe, latency_ms, mirror, shim, max_id=None, keep_documents=None):
        # niced: it stands for a server on another machine, so it should not
        # take the clients' cores from them (building 1000 documents costs
        # it ~13 CPU-seconds, done in the warm-up).
        argv = ["nice", "-n", "19", exe, "--latency-ms", str(latency_ms), "--exit-with-stdin"]
        if mirror:
            argv += ["--mirror", mirror]
        if max_id:
            argv += ["--max-id", str(max_id)]
        if keep_documents:
            argv += ["--keep-documents", str(keep_documents)]
        env = dict(os.environ)
        if shim:
            env["LD_PRELOAD"] = shim
        self.proc = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        line = self.proc.stdout.readline().decode().strip()
        if not line.startswith("http://127.0.0.1:"):
            self.stop()
            raise RuntimeError(f"the mock server did not start (said {line!r})")
        self.base_url = line
        self.origin = line[:line.index("/api/v2/")]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def warm_up(self, first, count, scratch):
        """Fetches every document and sprite once, a few at a time, so that
        every contender meets a server that has its data ready."""
        config = os.path.join(scratch, "warm-up.curl")
        with open(config, "w") as f:
            for i in range(first, first + count):
                f.write(f'url = "{self.base_url}pokemon/{i}/"\noutput = "/dev/null"\n')
                f.write(f'url = "{self.origin}/sprites/pokemon/{i}.png"\noutput = "/dev/null"\n')
        subprocess.run(["curl", "-s", "--no-progress-meter", "--compressed", "--parallel",
                        "--parallel-max", "8", "-K", config], check=False, timeout=RUN_TIMEOUT_S,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)


def count_files(directory, suffix):
    try:
        return sum(1 for name in os.listdir(directory) if name.endswith(suffix))
    except OSError:
        return 0


def read_report(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


# --------------------------------------------------------------------------
# The contenders

class Bench:
    def __init__(self, args):
        self.args = args
        build = os.path.abspath(args.build_dir)
        self.mock_exe = os.path.join(build, "tests", "mock", "sg-mock-pokeapi")
        self.dl_exe = os.path.join(build, "src", "dl", "sprite-gallery-dl")
        self.gui_exe = os.path.join(build, "src", "gui", "sprite-gallery")
        self.fetcher = os.path.join(build, "src", "fetcher", "sprite-gallery-fetcher")
        self.schema_dir = os.path.join(build, "data")
        self.scroll_exe = os.path.join(build, "tests", "bench", "sg-bench-scroll")
        for exe in (self.mock_exe, self.dl_exe, self.gui_exe, self.fetcher):
            if not os.access(exe, os.X_OK):
                sys.exit(f"sg-bench: {exe} is missing: build first (ninja -C {args.build_dir})")
        self.scratch = tempfile.mkdtemp(prefix="sg-bench-", dir=args.tmp)
        self.n_dirs = 0
        self.shim = None if args.no_backlog_shim else self.build_shim()
        self.env = dict(os.environ)
        self.env["SPRITE_GALLERY_FETCHER"] = self.fetcher
        self.env["LC_ALL"] = "C.UTF-8"
        self.gui_env = dict(self.env)
        self.gui_env.update({
            "GSETTINGS_BACKEND": "memory",
            "GSETTINGS_SCHEMA_DIR": self.schema_dir,
            "GDK_BACKEND": "x11",
            # Xvfb has no GPU: GTK's GL renderer would run on llvmpipe.
            "GSK_RENDERER": args.gsk_renderer,
            "NO_AT_BRIDGE": "1",
        })

    def build_shim(self):
        out = os.path.join(self.scratch, "sg-bench-listen-shim.so")
        cc = os.environ.get("CC", "cc")
        subprocess.run([cc, "-O2", "-shared", "-fPIC", "-o", out,
                        os.path.join(HERE, "sg-bench-listen-shim.c"), "-ldl"], check=True)
        return out

    def fresh_dir(self, what):
        # Never deleted before the end: on ext4, creating files right after
        # deleting many others is slower, which would tax whoever runs next.
        self.n_dirs += 1
        path = os.path.join(self.scratch, f"{self.n_dirs:04d}-{what}")
        os.makedirs(path)
        return path

    def cleanup(self):
        if not self.args.keep:
            shutil.rmtree(self.scratch, ignore_errors=True)
        else:
            log(f"scratch files kept in {self.scratch}")

    # -- contenders ---------------------------------------------------------

    def run_dl(self, server, count=100, extra=()):
        d = self.fresh_dir("dl")
        report = os.path.join(d, "report.json")
        argv = [self.dl_exe, "--base-url", server.base_url, "--count", str(count),
                "--cache-dir", os.path.join(d, "cache"), "--out", os.path.join(d, "out"),
                "--report", report, *extra]
        wall, rc, sampler, err, overflows = run_timed(argv, env=self.env, sample=True)
        data = read_report(report) or {}
        ok = rc == 0 and count_files(os.path.join(d, "out"), ".png") == count
        if not ok:
            log(f"  sprite-gallery-dl failed (exit {rc}): {err.strip()[:300]}")
        return {"ok": ok, "wall_ms": wall, "all_done_ms": data.get("all_done_ms"),
                "cpu_ms": sampler.cpu_ms,
                "first_sprite_ms": data.get("first_sprite_ms"),
                "peak_tree_kib": sampler.peak_tree_kib, "overflows": overflows,
                "settings": data.get("settings")}

    def run_curl_parallel(self, server, count=100, immediate=False):
        d = self.fresh_dir("curl")
        flags = "--parallel --parallel-max 100" + (" --parallel-immediate" if immediate else "")
        urls = os.path.join(d, "documents.curl")
        with open(urls, "w") as f:
            for i in range(1, count + 1):
                f.write(f'url = "{server.base_url}pokemon/{i}/"\noutput = "{i}.json"\n')
        # What a user would type: documents, one jq, sprites.
        script = (
            'set -e\n'
            f'curl -sSf --compressed {flags} -K documents.curl\n'
            'jq -r \'"url = \\"\\(.sprites.front_default)\\"\\noutput = \\"\\(.id).png\\""\' '
            '*.json > sprites.curl\n'
            f'curl -sSf {flags} -K sprites.curl\n')
        wall, rc, _, err, overflows = run_timed(["bash", "-c", script], env=self.env, cwd=d)
        ok = rc == 0 and count_files(d, ".png") == count
        if not ok:
            log(f"  curl --parallel failed (exit {rc}): {err.strip()[:300]}")
        return {"ok": ok, "wall_ms": wall, "overflows": overflows}

    def run_xargs(self, server, count=100):
        d = self.fresh_dir("xargs")
        env = dict(self.env, SG_BASE=server.base_url, SG_OUT=d)
        script = (
            f'seq 1 {count} | xargs -P 8 -n 1 sh -c \''
            'u=$(curl -sSf --compressed "${SG_BASE}pokemon/$0/" | jq -r .sprites.front_default) '
            '&& curl -sSf -o "$SG_OUT/$0.png" "$u"\'')
        wall, rc, _, err, overflows = run_timed(["bash", "-c", script], env=env)
        ok = rc == 0 and count_files(d, ".png") == count
        if not ok:
            log(f"  xargs -P 8 failed (exit {rc}): {err.strip()[:300]}")
        return {"ok": ok, "wall_ms": wall, "overflows": overflows}

    def run_gui(self, server, cache_dir, count=100):
        d = self.fresh_dir("gui")
        report = os.path.join(d, "report.json")
        argv = [self.gui_exe, "--base-url", server.base_url, "--count", str(count),
                "--cache-dir", cache_dir, "--quit-when-done", "--report", report]
        wall, rc, sampler, err, overflows = run_timed(argv, env=self.gui_env, sample=True)
        data = read_report(report) or {}
        counts = data.get("counts", {})
        ok = rc == 0 and counts.get("done") == count
        if not ok:
            log(f"  sprite-gallery failed (exit {rc}): {err.strip()[-300:]}")
        tasks = data.get("tasks", [])
        shown = [t.get("shown_ms") for t in tasks if t.get("shown_ms") is not None]
        last_shown = max(shown) if len(shown) == count else None
        mapped = data.get("window_mapped_ms")
        map_to_all = None
        if last_shown is not None:
            # Without "window_mapped_ms" in the report this is measured from
            # the run's start (the first paint), a little after the map.
            map_to_all = last_shown - (mapped if mapped is not None else 0.0)
        growth = None
        if sampler.baseline_kib is not None:
            growth = max(sampler.peak_root_kib, sampler.hwm_kib or 0) - sampler.baseline_kib
        return {"ok": ok, "wall_ms": wall,
                "first_sprite_ms": data.get("first_sprite_ms"),
                "all_done_ms": data.get("all_done_ms"),
                "stall_ms": data.get("max_main_loop_stall_ms"),
                "workers": len(data.get("workers", [])),
                "from_cache": counts.get("from_cache"),
                "map_to_all_ms": map_to_all,
                "has_map_time": mapped is not None,
                "peak_tree_kib": sampler.peak_tree_kib,
                "peak_gui_kib": max(sampler.peak_root_kib, sampler.hwm_kib or 0),
                "baseline_gui_kib": sampler.baseline_kib,
                "growth_kib": growth,
                "overflows": overflows,
                "settings": data.get("settings")}


    def run_scroll(self, server, count):
        """The gallery scrolled at a steady speed while @count sprites
        arrive, then for 4 s after (sg-bench-scroll.c)."""
        d = self.fresh_dir("scroll")
        argv = [self.scroll_exe, "--base-url", server.base_url, "--count", str(count),
                "--cache-dir", os.path.join(d, "cache")]
        settle()
        try:
            done = subprocess.run(argv, env=self.gui_env, capture_output=True, text=True,
                                  timeout=RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            log("  sg-bench-scroll timed out")
            return {"ok": False}
        data = {}
        lines = done.stdout.strip().splitlines()
        try:
            data = json.loads(lines[-1]) if lines else {}
        except ValueError:
            pass
        ok = done.returncode == 0 and data.get("all_done") is True
        if not ok:
            log(f"  sg-bench-scroll failed (exit {done.returncode}): {done.stderr.strip()[-300:]}")
        return {"ok": ok, "during_run": data.get("during_run"), "after_run": data.get("after_run"),
                "speed_px_per_s": data.get("speed_px_per_s")}


# --------------------------------------------------------------------------
# Scenarios

def warm_up_programs(bench):
    """One untimed run of each program first: the first start of a GTK app
    pays for loading libraries, fonts and icons from disk, which no later
    run (of any contender) does."""
    server = MockServer(bench.mock_exe, 0, bench.args.mirror, bench.shim)
    try:
        server.warm_up(1, 100, bench.scratch)
        bench.run_dl(server)
        bench.run_curl_parallel(server)
        if not bench.args.no_gui:
            cache = os.path.join(bench.fresh_dir("gui-cache"), "cache")
            bench.run_gui(server, cache)
    finally:
        server.stop()


def latency_scenarios(bench, results):
    args = bench.args
    for latency in args.latencies:
        log(f"== latency {latency} ms ({'mirror' if args.mirror else 'generated data'})")
        server = MockServer(bench.mock_exe, latency, args.mirror, bench.shim)
        try:
            server.warm_up(1, 100, bench.scratch)
            runs = results.setdefault(f"latency_{latency}", {})
            contenders = (["curl_parallel", "curl_immediate", "xargs", "dl"] +
                          ([] if args.no_gui else ["gui"]))
            for rep in range(args.reps):
                # A different order each time, so that no contender always
                # runs right after the same neighbour.
                order = contenders[rep % len(contenders):] + contenders[:rep % len(contenders)]
                for name in order:
                    if name == "dl":
                        r = bench.run_dl(server)
                        runs.setdefault("dl", []).append(r)
                    elif name == "curl_parallel":
                        r = bench.run_curl_parallel(server)
                        runs.setdefault("curl_parallel", []).append(r)
                    elif name == "curl_immediate":
                        r = bench.run_curl_parallel(server, immediate=True)
                        runs.setdefault("curl_immediate", []).append(r)
                    elif name == "xargs":
                        r = bench.run_xargs(server)
                        runs.setdefault("xargs", []).append(r)
                    else:
                        cache = os.path.join(bench.fresh_dir("gui-cache"), "cache")
                        r = bench.run_gui(server, cache)
                        runs.setdefault("gui_cold", []).append(r)
                        w = bench.run_gui(server, cache)
                        runs.setdefault("gui_warm", []).append(w)
                        log(f"  rep {rep + 1}: gui cold all_done {fmt_ms(r['all_done_ms'])} "
                            f"stall {fmt_ms(r['stall_ms'])} | warm map→all "
                            f"{fmt_ms(w['map_to_all_ms'])} helpers {w['workers']} "
                            f"stall {fmt_ms(w['stall_ms'])}")
                        continue
                    log(f"  rep {rep + 1}: {name:14s} {fmt_ms(r['wall_ms'])}"
                        + (f"  (listen overflows {r['overflows']})" if r["overflows"] else ""))
        finally:
            server.stop()


def processes_scenario(bench, results):
    log("== 0 ms: 1 process against 2 (same transfers per process)")
    server = MockServer(bench.mock_exe, 0, bench.args.mirror, bench.shim)
    try:
        server.warm_up(1, 100, bench.scratch)
        runs = results.setdefault("processes", {})
        for rep in range(bench.args.reps):
            for workers in ((1, 2) if rep % 2 == 0 else (2, 1)):
                r = bench.run_dl(server, extra=("--workers", str(workers)))
                runs.setdefault(f"workers_{workers}", []).append(r)
                log(f"  rep {rep + 1}: --workers {workers}  {fmt_ms(r['wall_ms'])}")
    finally:
        server.stop()


def scale_scenario(bench, results):
    """100 against 1000 sprites, generated data (the mirror has 151). One
    server keeps all 1000 documents once built, and the warm-up builds them
    (~13 ms of CPU each), so that both sizes meet a server with its data
    ready, as with the mirror, and the runs measure the clients."""
    latency = bench.args.scale_latency
    log(f"== {latency} ms, generated data: 100 against 1000 sprites")
    runs = results.setdefault("scale", {"latency_ms": latency})
    server = MockServer(bench.mock_exe, latency, None, bench.shim, max_id=1000,
                        keep_documents=1000)
    try:
        server.warm_up(1, 1000, bench.scratch)
        for rep in range(bench.args.scale_reps):
            for count in ((100, 1000) if rep % 2 == 0 else (1000, 100)):
                r = bench.run_dl(server, count=count)
                runs.setdefault(f"dl_{count}", []).append(r)
                log(f"  rep {rep + 1}: dl --count {count:4d}  {fmt_ms(r['wall_ms'])}")
            if bench.args.no_gui:
                continue
            for count in ((100, 1000) if rep % 2 == 0 else (1000, 100)):
                cache = os.path.join(bench.fresh_dir("gui-cache"), "cache")
                r = bench.run_gui(server, cache, count=count)
                runs.setdefault(f"gui_{count}", []).append(r)
                log(f"  rep {rep + 1}: gui --count {count:4d} all_done {fmt_ms(r['all_done_ms'])} "
                    f"growth {fmt_mib(r['growth_kib'])} stall {fmt_ms(r['stall_ms'])}")
            if not os.access(bench.scroll_exe, os.X_OK):
                continue
            r = bench.run_scroll(server, 1000)
            runs.setdefault("scroll_1000", []).append(r)
            if r["ok"]:
                log(f"  rep {rep + 1}: scrolling 1000 tiles: " + "; ".join(
                    f"{phase.replace('_', ' ')} {r[phase]['frames']} frames, "
                    f"{r[phase]['frames_over_25_ms']} over 25 ms, longest gap "
                    f"{fmt_ms(r[phase]['longest_frame_gap_ms'])}, stall "
                    f"{fmt_ms(r[phase]['max_main_loop_stall_ms'])}"
                    for phase in ("during_run", "after_run")))
    finally:
        server.stop()


# --------------------------------------------------------------------------
# Summary, table, plot

def fmt_ms(v):
    return "—" if v is None else f"{v:.0f} ms"


def fmt_mib(kib):
    return "—" if kib is None else f"{kib / 1024:.1f} MiB"


def fmt_load(v):
    return "—" if not v else " ".join(f"{x:.2f}" for x in v)


def fmt_ratio(v):
    return "—" if v is None else f"{v:.2f}×"


def med(runs, key):
    return median([r.get(key) for r in runs if r.get("ok")])


def summarize(results, args):
    s = {"latencies": {}}
    for latency in args.latencies:
        runs = results.get(f"latency_{latency}", {})
        curl = med(runs.get("curl_parallel", []), "wall_ms")
        row = {
            "curl_parallel_ms": curl,
            "xargs_ms": med(runs.get("xargs", []), "wall_ms"),
            "curl_immediate_ms": med(runs.get("curl_immediate", []), "wall_ms"),
            "dl_ms": med(runs.get("dl", []), "wall_ms"),
            "gui_cold_all_done_ms": med(runs.get("gui_cold", []), "all_done_ms"),
            "gui_cold_first_sprite_ms": med(runs.get("gui_cold", []), "first_sprite_ms"),
            "gui_cold_stall_ms": med(runs.get("gui_cold", []), "stall_ms"),
            "gui_warm_all_done_ms": med(runs.get("gui_warm", []), "all_done_ms"),
            "gui_warm_map_to_all_ms": med(runs.get("gui_warm", []), "map_to_all_ms"),
            "gui_warm_stall_ms": med(runs.get("gui_warm", []), "stall_ms"),
            "gui_cold_peak_tree_kib": med(runs.get("gui_cold", []), "peak_tree_kib"),
            "dl_peak_tree_kib": med(runs.get("dl", []), "peak_tree_kib"),
            "max_stall_ms": max([r["stall_ms"] for k in ("gui_cold", "gui_warm")
                                 for r in runs.get(k, []) if r.get("stall_ms") is not None],
                                default=None),
            "warm_helpers": max([r["workers"] for r in runs.get("gui_warm", [])], default=None),
            "failed_runs": sum(1 for k in runs for r in runs[k] if not r.get("ok")),
            "listen_overflows": sum(r.get("overflows", 0) for k in runs for r in runs[k]),
        }
        for key in ("xargs_ms", "curl_immediate_ms", "dl_ms", "gui_cold_all_done_ms"):
            row[key.replace("_ms", "_ratio")] = (row[key] / curl if curl and row[key] else None)
        s["latencies"][latency] = row
    p = results.get("processes")
    if p:
        w1 = med(p.get("workers_1", []), "wall_ms")
        w2 = med(p.get("workers_2", []), "wall_ms")
        s["processes"] = {"workers_1_ms": w1, "workers_2_ms": w2,
                          "speedup": w1 / w2 if w1 and w2 else None}
    sc = results.get("scale")
    if sc:
        d100 = med(sc.get("dl_100", []), "wall_ms")
        d1000 = med(sc.get("dl_1000", []), "wall_ms")
        g100 = med(sc.get("gui_100", []), "all_done_ms")
        g1000 = med(sc.get("gui_1000", []), "all_done_ms")
        s["scale"] = {"latency_ms": sc.get("latency_ms"),
                      "dl_100_ms": d100, "dl_1000_ms": d1000,
                      "dl_ratio": d1000 / d100 if d100 and d1000 else None,
                      "dl_100_cpu_ms": med(sc.get("dl_100", []), "cpu_ms"),
                      "dl_1000_cpu_ms": med(sc.get("dl_1000", []), "cpu_ms"),
                      "gui_100_all_done_ms": g100, "gui_1000_all_done_ms": g1000,
                      "gui_ratio": g1000 / g100 if g100 and g1000 else None,
                      "gui_1000_growth_kib": med(sc.get("gui_1000", []), "growth_kib"),
                      "gui_1000_peak_gui_kib": med(sc.get("gui_1000", []), "peak_gui_kib"),
                      "gui_1000_stall_ms": max([r["stall_ms"] for r in sc.get("gui_1000", [])
                                                if r.get("stall_ms") is not None], default=None)}
        scroll = [r for r in sc.get("scroll_1000", []) if r.get("ok")]
        if scroll:
            s["scroll"] = {"speed_px_per_s": scroll[0]["speed_px_per_s"], "runs": len(scroll)}
            for phase in ("during_run", "after_run"):
                s["scroll"][phase] = {
                    "frames": median([r[phase]["frames"] for r in scroll]),
                    "frames_over_25_ms": median([r[phase]["frames_over_25_ms"] for r in scroll]),
                    "most_frames_over_25_ms": max(r[phase]["frames_over_25_ms"] for r in scroll),
                    "longest_frame_gap_ms": max(r[phase]["longest_frame_gap_ms"] for r in scroll),
                    "stall_ms": median([r[phase]["max_main_loop_stall_ms"] for r in scroll]),
                    "max_stall_ms": max(r[phase]["max_main_loop_stall_ms"] for r in scroll),
                }
    return s


def machine_info():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_kib = None
    try:
        with open("/proc/meminfo") as f:
            mem_kib = int(f.readline().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kib = None

    def version(argv):
        try:
            out = subprocess.run(argv, capture_output=True, text=True, timeout=10).stdout
            return out.splitlines()[0].strip() if out else "?"
        except (OSError, subprocess.SubprocessError):
            return "?"

    return {"nproc": os.cpu_count(), "cpu": cpu,
            "ram_gib": round(mem_kib / 1024 / 1024, 1) if mem_kib else None,
            "kernel": platform.release(),
            "curl": version(["curl", "--version"]).split(" (")[0],
            "jq": version(["jq", "--version"])}


def check_targets(s, args):
    """[(what, measured, target, verdict)]"""
    out = []

    def add(what, value, target, ok, show):
        verdict = "—" if value is None else ("met" if ok else "NOT met")
        out.append((what, show(value), target, verdict))

    row = s["latencies"].get(100)
    if row:
        add("sprite-gallery-dl ÷ curl --parallel, 100 ms cold", row["dl_ratio"],
            f"≤ {TARGETS['dl_vs_curl_100']}", (row["dl_ratio"] or 99) <= TARGETS["dl_vs_curl_100"],
            fmt_ratio)
        if not args.no_gui:
            add("GUI all_done_ms ÷ curl --parallel wall, 100 ms cold", row["gui_cold_all_done_ratio"],
                f"≤ {TARGETS['gui_vs_curl_100']}",
                (row["gui_cold_all_done_ratio"] or 99) <= TARGETS["gui_vs_curl_100"], fmt_ratio)
    if "processes" in s:
        v = s["processes"]["speedup"]
        add("0 ms: 1 process ÷ 2 processes (wall)", v, f"≥ {TARGETS['speedup_2_vs_1']}",
            (v or 0) >= TARGETS["speedup_2_vs_1"], fmt_ratio)
    if not args.no_gui:
        stalls = [r["max_stall_ms"] for r in s["latencies"].values() if r["max_stall_ms"] is not None]
        if "scale" in s and s["scale"]["gui_1000_stall_ms"] is not None:
            stalls.append(s["scale"]["gui_1000_stall_ms"])
        worst = max(stalls) if stalls else None
        add("GUI longest main-loop stall, every run", worst, f"≤ {TARGETS['stall_ms']:.0f} ms",
            (worst if worst is not None else 999) <= TARGETS["stall_ms"], fmt_ms)
        warm = [r["gui_warm_map_to_all_ms"] for r in s["latencies"].values()
                if r["gui_warm_map_to_all_ms"] is not None]
        helpers = max([r["warm_helpers"] or 0 for r in s["latencies"].values()], default=0)
        worst_warm = max(warm) if warm else None
        add("warm start: window mapped → 100 tiles shown (median, worst latency)", worst_warm,
            f"≤ {TARGETS['warm_map_to_all_ms']:.0f} ms, no helper",
            worst_warm is not None and worst_warm <= TARGETS["warm_map_to_all_ms"] and helpers == 0,
            lambda v: f"{fmt_ms(v)}, {helpers} helpers")
    if "scale" in s:
        v = s["scale"]["dl_ratio"]
        add(f"1000 ÷ 100 sprites, sprite-gallery-dl wall, {s['scale']['latency_ms']} ms", v,
            f"≤ {TARGETS['scale_1000_vs_100']}", (v or 99) <= TARGETS["scale_1000_vs_100"], fmt_ratio)
        if not args.no_gui:
            v = s["scale"]["gui_ratio"]
            add(f"1000 ÷ 100 sprites, GUI all_done_ms, {s['scale']['latency_ms']} ms", v,
                f"≤ {TARGETS['scale_1000_vs_100']}", (v or 99) <= TARGETS["scale_1000_vs_100"],
                fmt_ratio)
            v = s["scale"]["gui_1000_growth_kib"]
            add("GUI resident memory growth over a 1000-sprite run", v,
                f"< {TARGETS['gui_growth_1000_mib']:.0f} MiB",
                v is not None and v / 1024 < TARGETS["gui_growth_1000_mib"], fmt_mib)
    if "scroll" in s:
        # "Scrolling the grid stays smooth": the same yardstick as the
        # runs' (the main loop never stalls over 16 ms), and the frames
        # that came late at 60 Hz.
        for phase, when in (("during_run", "while the sprites arrive"),
                            ("after_run", "after the run")):
            p = s["scroll"][phase]
            add(f"scrolling the 1000 tiles {when}: longest main-loop stall, every run",
                p["max_stall_ms"], f"≤ {TARGETS['stall_ms']:.0f} ms",
                p["max_stall_ms"] <= TARGETS["stall_ms"],
                lambda v, p=p: (f"{fmt_ms(v)} (frames over 25 ms apart: median "
                                f"{p['frames_over_25_ms']:.0f} of {p['frames']:.0f})"))
    row = s["latencies"].get(100)
    if row and not args.no_gui:
        v = row["gui_cold_peak_tree_kib"]
        out.append(("peak resident memory, GUI + helpers, 100 sprites", fmt_mib(v), "reported",
                    "—" if v is None else "measured"))
    return out


def markdown(s, targets, machine, args, results):
    lines = []
    lats = args.latencies
    head = "| median of %d runs | " % args.reps + " | ".join(f"{l} ms" for l in lats) + " |"
    lines.append(head)
    lines.append("|---|" + "---:|" * len(lats))

    def row(label, key, ratio_key=None, fmt=fmt_ms):
        cells = []
        for l in lats:
            r = s["latencies"].get(l, {})
            v = r.get(key)
            cell = fmt(v)
            if ratio_key and r.get(ratio_key) is not None:
                cell += f" ({fmt_ratio(r[ratio_key])})"
            cells.append(cell)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("curl --parallel, 2 phases (wall)", "curl_parallel_ms")
    row("curl --parallel --parallel-immediate (wall)", "curl_immediate_ms", "curl_immediate_ratio")
    row("xargs -P 8 curl + jq + curl (wall)", "xargs_ms", "xargs_ratio")
    row("**sprite-gallery-dl**, defaults, cold (wall)", "dl_ms", "dl_ratio")
    if not args.no_gui:
        row("**GUI cold** all_done_ms", "gui_cold_all_done_ms", "gui_cold_all_done_ratio")
        row("GUI cold first_sprite_ms", "gui_cold_first_sprite_ms")
        row("GUI cold max_main_loop_stall_ms", "gui_cold_stall_ms")
        row("GUI warm all_done_ms", "gui_warm_all_done_ms")
        row("GUI warm: window mapped → all tiles", "gui_warm_map_to_all_ms")
        row("GUI warm max_main_loop_stall_ms", "gui_warm_stall_ms")
        row("peak RSS, GUI + helpers (cold)", "gui_cold_peak_tree_kib", fmt=fmt_mib)
    row("peak RSS, sprite-gallery-dl + helpers", "dl_peak_tree_kib", fmt=fmt_mib)
    lines.append("")
    lines.append("Ratios are to curl --parallel's wall time at the same latency.")
    if "processes" in s:
        p = s["processes"]
        lines.append("")
        lines.append(f"0 ms, sprite-gallery-dl: `--workers 1` {fmt_ms(p['workers_1_ms'])}, "
                     f"`--workers 2` {fmt_ms(p['workers_2_ms'])}: {fmt_ratio(p['speedup'])} faster.")
    if "scale" in s:
        sc = s["scale"]
        lines.append("")
        text = (f"{sc['latency_ms']} ms, generated data: sprite-gallery-dl 100 sprites "
                f"{fmt_ms(sc['dl_100_ms'])}, 1000 sprites {fmt_ms(sc['dl_1000_ms'])} "
                f"({fmt_ratio(sc['dl_ratio'])}); CPU time of sprite-gallery-dl and its helpers "
                f"{fmt_ms(sc['dl_100_cpu_ms'])} and {fmt_ms(sc['dl_1000_cpu_ms'])}"
                f"{' (' + fmt_ratio(sc['dl_1000_cpu_ms'] / sc['dl_100_cpu_ms']) + ')' if sc['dl_100_cpu_ms'] and sc['dl_1000_cpu_ms'] else ''}")
        if not args.no_gui:
            text += (f"; GUI all_done_ms {fmt_ms(sc['gui_100_all_done_ms'])} and "
                     f"{fmt_ms(sc['gui_1000_all_done_ms'])} ({fmt_ratio(sc['gui_ratio'])}), GUI "
                     f"memory growth over 1000 sprites {fmt_mib(sc['gui_1000_growth_kib'])} "
                     f"(peak {fmt_mib(sc['gui_1000_peak_gui_kib'])}).")
        lines.append(text)
    if "scroll" in s:
        sc = s["scroll"]
        lines.append("")
        lines.append(
            f"Scrolling the 1000 tiles at {sc['speed_px_per_s']:.0f} px/s "
            f"({sc['runs']} run{'' if sc['runs'] == 1 else 's'}; "
            "medians, then the worst run): " + "; ".join(
                f"{when} {p['frames']:.0f} frames, {p['frames_over_25_ms']:.0f} over 25 ms apart "
                f"(at most {p['most_frames_over_25_ms']}), longest gap "
                f"{fmt_ms(p['longest_frame_gap_ms'])}, longest main-loop stall "
                f"{fmt_ms(p['stall_ms'])} ({fmt_ms(p['max_stall_ms'])})"
                for when, p in (("while the sprites arrive", sc["during_run"]),
                                ("after the run (4 s)", sc["after_run"]))) + ".")
    lines.append("")
    lines.append("| target (issue 6) | measured | goal | |")
    lines.append("|---|---:|---:|---|")
    for what, value, goal, verdict in targets:
        lines.append(f"| {what} | {value} | {goal} | {verdict} |")
    lines.append("")
    overflows = sum(r["listen_overflows"] for r in s["latencies"].values())
    failed = sum(r["failed_runs"] for r in s["latencies"].values())
    lines.append(f"Machine: {machine['nproc']} × {machine['cpu']}, {machine['ram_gib']} GiB RAM, "
                 f"Linux {machine['kernel']}, {machine['curl']}, {machine['jq']}. "
                 f"Mock data: {'pokeapi-mirror (real documents)' if args.mirror else 'generated'}; "
                 f"GUI under Xvfb, GSK_RENDERER={args.gsk_renderer}; "
                 f"listen-queue overflows during timed runs: {overflows}; failed runs: {failed}; "
                 f"load average before {fmt_load(results.get('loadavg_before'))}, after "
                 f"{fmt_load(results.get('loadavg_after'))}.")
    return "\n".join(lines) + "\n"


def plot(s, args, out_dir):
    gnuplot = shutil.which("gnuplot")
    if gnuplot is None:
        log("gnuplot is not installed: no plot")
        return None
    dat = os.path.join(out_dir, "latency.dat")
    names = [("curl_parallel_ms", "curl --parallel"),
             ("curl_immediate_ms", "curl --parallel-immediate"), ("xargs_ms", "xargs -P 8"),
             ("dl_ms", "sprite-gallery-dl")]
    if not args.no_gui:
        names += [("gui_cold_all_done_ms", "GUI cold, all done"),
                  ("gui_warm_all_done_ms", "GUI warm, all done")]
    with open(dat, "w") as f:
        f.write("latency " + " ".join(f'"{label}"' for _, label in names) + "\n")
        for l in args.latencies:
            r = s["latencies"][l]
            f.write(f'"{l} ms" ' + " ".join(
                f"{(r[key] or 0) / 1000:.4f}" for key, _ in names) + "\n")
    extra = os.path.join(out_dir, "extra.dat")
    has_extra = "processes" in s or "scale" in s
    with open(extra, "w") as f:
        if "processes" in s:
            f.write(f'"0 ms: 1 process" {(s["processes"]["workers_1_ms"] or 0) / 1000:.4f}\n')
            f.write(f'"0 ms: 2 processes" {(s["processes"]["workers_2_ms"] or 0) / 1000:.4f}\n')
        if "scale" in s:
            lat = s["scale"]["latency_ms"]
            f.write(f'"{lat} ms, generated: 100 sprites" {(s["scale"]["dl_100_ms"] or 0) / 1000:.4f}\n')
            f.write(f'"1000 sprites ÷ 10" {(s["scale"]["dl_1000_ms"] or 0) / 10000:.4f}\n')
    png = os.path.join(out_dir, "bench.png")
    n = len(names)
    script = f"""
set terminal pngcairo size 1400,560 font "sans,11" noenhanced
set output "{png}"
set multiplot layout 1,{2 if has_extra else 1} title "Sprite Gallery against curl: 100 sprites, cold cache (median of {args.reps})"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set key outside below horizontal
set ylabel "seconds, log scale (lower is better)"
set logscale y
set yrange [0.005:*]
set format y "%g"
set title "wall time by server latency"
plot for [i=2:{n + 1}] "{dat}" using i:xtic(1) title columnheader(i)
"""
    if has_extra:
        script += f"""
set title "sprite-gallery-dl: processes and scale"
unset logscale y
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set ylabel "seconds (lower is better)"
set key off
set xtics rotate by -20
set boxwidth 0.6
plot "{extra}" using 0:2:xtic(1) with boxes title "" lc rgb "#3584e4", \\
     "{extra}" using 0:2:(sprintf("%.2f s", $2)) with labels offset 0,0.7 title ""
"""
    script += "unset multiplot\n"
    gp = os.path.join(out_dir, "bench.gp")
    with open(gp, "w") as f:
        f.write(script)
    subprocess.run([gnuplot, gp], check=False)
    return png


# --------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", default=os.path.join(SOURCE_ROOT, "build-bench"),
                        help="meson build directory (configure it with -Dbuildtype=release)")
    parser.add_argument("--reps", type=int, default=5, help="repetitions of each run (5)")
    parser.add_argument("--scale-reps", type=int, default=None,
                        help="repetitions of the 100/1000 runs (default: --reps, at most 3)")
    parser.add_argument("--latencies", default="0,100,300", help="ms per request (0,100,300)")
    parser.add_argument("--scale-latency", type=int, default=100,
                        help="latency of the 100/1000 runs (100)")
    parser.add_argument("--mirror", default=DEFAULT_MIRROR,
                        help="pokeapi-mirror folder (default ../shared/pokeapi-mirror)")
    parser.add_argument("--no-mirror", action="store_true", help="use generated data everywhere")
    parser.add_argument("--no-gui", action="store_true", help="skip the GUI runs")
    parser.add_argument("--no-processes", action="store_true", help="skip 1 against 2 processes")
    parser.add_argument("--no-scale", action="store_true", help="skip 100 against 1000 sprites")
    parser.add_argument("--no-backlog-shim", action="store_true",
                        help="leave the mock server's listen backlog as it is")
    parser.add_argument("--gsk-renderer", default="cairo", help="GSK_RENDERER for the GUI (cairo)")
    parser.add_argument("--out", default=None, help="where results go (BUILD/bench)")
    parser.add_argument("--tmp", default=None, help="where scratch files go ($TMPDIR)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch files")
    args = parser.parse_args()

    args.latencies = [int(x) for x in args.latencies.split(",") if x.strip()]
    if args.reps < 1:
        sys.exit("sg-bench: --reps must be at least 1")
    if args.scale_reps is None:
        args.scale_reps = min(args.reps, 3)
    if args.no_mirror or not os.path.isdir(os.path.join(args.mirror, "api")):
        if not args.no_mirror:
            log(f"no pokeapi-mirror at {args.mirror}: using generated data")
        args.mirror = None
    else:
        args.mirror = os.path.abspath(args.mirror)
    for tool in ("curl", "jq", "xargs"):
        if shutil.which(tool) is None:
            sys.exit(f"sg-bench: {tool} is needed")

    # One X server for every GUI run, instead of one xvfb-run each.
    if not args.no_gui and not os.environ.get("SG_BENCH_UNDER_XVFB"):
        if shutil.which("xvfb-run") is None:
            sys.exit("sg-bench: xvfb-run is needed for the GUI runs (or --no-gui)")
        env = dict(os.environ, SG_BENCH_UNDER_XVFB="1")
        env.pop("WAYLAND_DISPLAY", None)
        os.execvpe("xvfb-run", ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24",
                                sys.executable, os.path.abspath(__file__), *sys.argv[1:]], env)

    out_dir = os.path.abspath(args.out or os.path.join(args.build_dir, "bench"))
    os.makedirs(out_dir, exist_ok=True)
    bench = Bench(args)
    machine = machine_info()
    log(f"machine: {machine}")
    results = {}
    started = time.monotonic()
    try:
        results["loadavg_before"] = os.getloadavg()
        warm_up_programs(bench)
        latency_scenarios(bench, results)
        if not args.no_processes:
            processes_scenario(bench, results)
        if not args.no_scale:
            scale_scenario(bench, results)
    finally:
        bench.cleanup()
    results["loadavg_after"] = os.getloadavg()
    s = summarize(results, args)
    targets = check_targets(s, args)
    md = markdown(s, targets, machine, args, results)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump({"machine": machine, "reps": args.reps, "mirror": bool(args.mirror),
                   "summary": s, "runs": results,
                   "duration_s": round(time.monotonic() - started, 1)}, f, indent=1)
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write(md)
    png = plot(s, args, out_dir)
    print(md)
    print(f"results: {out_dir}/results.json, results.md" + (f", {os.path.basename(png)}" if png else ""))
    failed = sum(r["failed_runs"] for r in s["latencies"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
