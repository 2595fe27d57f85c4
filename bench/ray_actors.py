"""Throughput of `slip segment` on Ray Data with 2 actors against 1, on this host: a ratio within one run.

    python bench/ray_actors.py [--images 24] [--rounds 2] [--out bench/RAY.md]

Each actor holds the bundled tiny preset and as many torch threads as the CPUs Ray gives it (one). The
single process (no Ray, torch's own threads over every core) is timed beside them for reference. Every
timing includes starting the actors and loading their models; the fewest seconds of `--rounds` rounds,
taken in turns, count.
"""

import argparse, datetime, os, platform, shutil, tempfile, time, warnings
from pathlib import Path

warnings.simplefilter('ignore')
import ray  # noqa: E402
from slip.data.synth import export_scenes, ROSTER  # noqa: E402
from slip.pipeline import SLIP, PRESETS  # noqa: E402
from slip.scale import SegmentJob, segment_on_ray  # noqa: E402


def single(images, prompts, out):
    "One process, no Ray: the seconds to load the tiny preset and segment every image."
    t0 = time.perf_counter()
    s = SLIP.from_config(PRESETS['tiny'], device='cpu')
    for p in images:
        s.segment(str(p), prompts)
    return time.perf_counter() - t0


def on_ray(images, prompts, out, actors):
    "Ray Data with `actors` workers: the seconds to start them and segment every image."
    job = SegmentJob(PRESETS['tiny'], prompts, str(out), device='cpu', images=False)
    t0 = time.perf_counter()
    rows = segment_on_ray(images, job, actors=actors, batch_size=2)
    assert not any(r['error'] for r in rows), [r['error'] for r in rows if r['error']]
    return time.perf_counter() - t0


def LIMITS(cores: int) -> list[str]:
    "What bounds the ratio on a small host."
    if cores >= 4:
        return []
    return [
        f'On {cores} cores, two single-threaded actors take every core, as the single process with {cores} torch',
        'threads does; the rest of the way to 2× is starting the second actor and loading its models, counted in',
        'each time. The ratio for 4 or more cores, and on GPUs, is measured by running this script there.',
        '',
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--images', type=int, default=24)
    ap.add_argument('--rounds', type=int, default=2)
    ap.add_argument('--out', type=Path, default=Path('bench/RAY.md'))
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    scenes = export_scenes(tmp / 'scenes', a.images, seed=11, size=256, progress=False)
    images = sorted((scenes / 'images').iterdir())
    prompts = '. '.join(s.name for s in ROSTER[:4])
    ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False, logging_level='ERROR')
    times = {'single process': [], '1 actor': [], '2 actors': []}
    for r in range(a.rounds):
        for name in times:
            out = tmp / f'{name}-{r}'
            if name == 'single process':
                times[name].append(single(images, prompts, out))
            else:
                times[name].append(on_ray(images, prompts, out, int(name[0])))
            shutil.rmtree(out, ignore_errors=True)
            print(f'round {r + 1}: {name}: {times[name][-1]:.1f} s', flush=True)
    ray.shutdown()
    best = {k: min(v) for k, v in times.items()}
    rows = [f'| {k} | {v:.1f} | {a.images / v:.2f} |' for k, v in best.items()]
    ratio = best['1 actor'] / best['2 actors']
    cpu = platform.processor() or platform.machine()
    text = '\n'.join([
        '# slip on Ray Data: 2 actors against 1',
        '',
        f'{datetime.date.today()}, {cpu}, {os.cpu_count()} cores; `python bench/ray_actors.py --images {a.images}`.',
        f'{a.images} shapemon scenes of 256 px, the tiny preset, best of {a.rounds} rounds taken in turns;',
        'each time includes starting the workers and loading their models.',
        '',
        '| run | seconds | images/s |',
        '|---|---|---|',
        *rows,
        '',
        f'**2 actors / 1 actor: {ratio:.2f}× the throughput.**',
        '',
        *LIMITS(os.cpu_count()),
    ])
    a.out.write_text(text)
    print(text)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
