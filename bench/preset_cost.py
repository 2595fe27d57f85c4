"""Per-image cost of the tiny, tiny-pretrained, fast and base presets: seconds for one 1024-px image with one
prompt, warm (models loaded, a new image) and cold (a fresh process: start, imports, models read from files, the
image read from a PNG, the answer), with each preset's own settings, on a load where masks are kept.

The load: the tiny presets run their bundled, trained models on `busy_scene` (four shapemon scenes, 24 creatures).
`fast` and `base` run their real architectures from random-weight files in the official formats (weights cannot be
downloaded here; a forward pass costs the same whatever the weights), and their SAM's decoder answers as a trained
one would: `base`'s with the trained sam-tiny's masks for the same points (`TrainedLoad`, judged at sam-tiny's
thresholds), `fast`'s with `disc_load`'s discs. Both loads run the whole decoder on every point; the seconds spent
building a load (sam-tiny decoding the grid for `TrainedLoad`) are measured and left out. Every preset's CLIP
scores every proposal that survives the filters. Also: `slip segment --model tiny` on the PNG, process start to exit.

    python bench/preset_cost.py                  # about 6 minutes on 2 CPU cores; prints the table for README
    python bench/preset_cost.py --device cuda    # the same on a GPU
"""
import argparse, contextlib, datetime, json, os, platform, subprocess, sys, tempfile, time, warnings
from pathlib import Path
import numpy as np
import psutil
import torch
from PIL import Image

PRESET_NAMES = ('tiny', 'tiny-pretrained', 'fast', 'base')
SIZE, PROMPT = 1024, 'Seposh'


def model_files(folder: Path) -> dict:
    "Random-weight checkpoints of fast's and base's models in the formats of their official files: config changes."
    from slip.models.clip import load_clip
    from slip.models.sam import build_sam
    from slip.models.sam2 import build_sam2

    torch.manual_seed(0)
    torch.save({'model': build_sam2('sam2.1_hiera_tiny').state_dict()}, folder / 'sam2.1_hiera_tiny.pt')
    torch.save(build_sam('vit_b').state_dict(), folder / 'sam_vit_b.pth')
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for name in ('MobileCLIP2-S0', 'ViT-B-32'):
            torch.save(load_clip(name, device='cpu').model.state_dict(), folder / f'{name}.pt')
    return {
        'fast': dict(sam_checkpoint=str(folder / 'sam2.1_hiera_tiny.pt'), clip_pretrained=str(folder / 'MobileCLIP2-S0.pt')),
        'base': dict(sam_checkpoint=str(folder / 'sam_vit_b.pth'), clip_pretrained=str(folder / 'ViT-B-32.pt'),
                     pred_iou_thresh=0.5, stability_score_thresh=0.5),  # judged at sam-tiny's thresholds
    }


def loaded(name: str, changes: dict, device: str, image: np.ndarray):
    "(SLIP of preset `name` with `changes`, the load its SAM answers under, seconds spent building the load)."
    from slip.lab.bench import BENCH_CALIBRATION, TrainedLoad
    from slip.models.sam import load_sam
    from slip.models.sam2 import disc_load
    from slip.pipeline import PRESETS, SLIP

    fixed = {'calibration': BENCH_CALIBRATION} if changes else {}  # random CLIPs: any fixed calibration
    slip = SLIP.from_config(PRESETS[name].replace(**changes, **fixed), device=device)
    t = time.perf_counter()
    if name == 'base':
        load = TrainedLoad(slip.proposer.sam, load_sam('sam-tiny', device='cpu'), image, slip.config.points_per_side)
        load = load.given()
    elif name == 'fast':
        load = disc_load(slip.proposer.sam)
    else:
        load = contextlib.nullcontext()
    return slip, load, time.perf_counter() - t


def child(name: str, changes: str, device: str, png: str) -> None:
    "A cold start in this fresh process: prints the seconds from its start to the answer, less the load's building."
    from slip.core import load_image

    image = load_image(png)
    slip, load, building = loaded(name, json.loads(changes), device, image)
    with load:
        slip.segment(image, PROMPT)
    print(json.dumps({'cold': time.time() - psutil.Process().create_time() - building}))


def warm(name: str, changes: dict, device: str, image: np.ndarray, repeat: int = 2) -> tuple[float, int, int]:
    "(best seconds of `repeat` fresh calls on `image` after a warm-up on another, masks proposed, crops scored)."
    from slip.lab.bench import bench_image

    slip, load, _ = loaded(name, changes, device, image)
    best = float('inf')
    with load:
        slip.segment(bench_image(256, seed=1), PROMPT)  # warm-up
        for _ in range(repeat):
            slip.clear_cache()
            t = time.perf_counter()
            slip.segment(image, PROMPT)
            best = min(best, time.perf_counter() - t)
        proposed, scored = len(slip.proposer(image)), len(slip.analyse(image).crops)
    return best, proposed, scored


def cold(name: str, changes: dict, device: str, png: Path) -> float:
    "Seconds from a fresh process's start to its answer (the best of two)."
    cmd = [sys.executable, __file__, '--child', name, '--changes', json.dumps(changes), '--device', device, str(png)]
    runs = [subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()[-1] for _ in range(2)]
    return min(json.loads(r)['cold'] for r in runs)


def cli_cold(png: Path, out: Path, device: str) -> float:
    "Seconds of `slip segment PNG --model tiny`, process start to exit."
    t = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name('slip')), 'segment', str(png), '-p', PROMPT, '--model', 'tiny',
                    '--device', device, '--out', str(out)], check=True, capture_output=True)  # fmt: skip
    return time.perf_counter() - t


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('png', nargs='?')
    p.add_argument('--device', default='cpu')
    p.add_argument('--child')
    p.add_argument('--changes', default='{}')
    a = p.parse_args()
    if a.child:
        return child(a.child, a.changes, a.device, a.png)
    from slip.lab.bench import busy_scene
    from slip.pipeline import PRESETS

    load_avg = ' '.join(f'{x:.1f}' for x in os.getloadavg())
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp, image = Path(tmp), busy_scene(SIZE)
        png = tmp / 'scene.png'
        Image.fromarray(image).save(png)
        files = model_files(tmp)
        for name in PRESET_NAMES:
            print(f'{name}: warm', file=sys.stderr)
            w, proposed, scored = warm(name, files.get(name, {}), a.device, image)
            print(f'{name}: cold', file=sys.stderr)
            rows[name] = (w, cold(name, files.get(name, {}), a.device, png), proposed, scored)
        cli = min(cli_cold(png, tmp / f'run{i}', a.device) for i in range(2))
    print(f'- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC')
    print(f'- machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, {a.device}, '
          f'Python {platform.python_version()}, torch {torch.__version__}, load average before: {load_avg}')
    print(f'- image: `busy_scene({SIZE})` (24 creatures), one prompt; cold: the best of two fresh processes\n')
    print('| preset | SAM | points | CLIP | warm s | cold s | proposals | crops scored |')
    print('|---|---|---|---|---|---|---|---|')
    for name, (w, c, proposed, scored) in rows.items():
        cfg = PRESETS[name]
        n = f'{cfg.points_per_side}×{cfg.points_per_side}'
        print(f'| `{name}` | {cfg.sam} | {n} | {cfg.clip} | {w:.1f} | {c:.1f} | {proposed} | {scored} |')
    print(f'\n`slip segment scene.png --model tiny`, process start to exit (best of two): {cli:.1f} s')


if __name__ == '__main__':
    main()
