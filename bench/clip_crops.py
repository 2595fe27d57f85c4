"""Crop scoring time per crop for each preset's CLIP, in the form slip runs it; writes bench/CLIP.md.

    python bench/clip_crops.py                    # CPU
    python bench/clip_crops.py --device cuda      # the same on a GPU

Each preset's CLIP is loaded as `SLIP.from_config` loads it (`reparameterize`: the inference form); the real
architectures at random weights (speed does not depend on the weights), the bundled tiny ones as shipped.
`encode_crops` embeds `--crops` crops of random sizes (24-160 px, as masks' boxes come), best of `--reps` runs
after one warm-up. For MobileCLIP2-S0 the training form is measured too, in the same run: the ratio is the gain.
"""
import argparse, datetime, os, platform, time, warnings
from pathlib import Path
import numpy as np, torch

from slip.config import PRESETS
from slip.models.clip import load_clip, encode_crops, reparameterize

ROOT = Path(__file__).resolve().parents[1]


def per_crop(clip, crops, reps: int) -> float:
    "Seconds per crop: the best of `reps` runs of `encode_crops` over `crops`, after one warm-up."
    encode_crops(clip, crops[:2])
    best = float('inf')
    for _ in range(reps):
        t = time.perf_counter()
        encode_crops(clip, crops)
        best = min(best, time.perf_counter() - t)
    return best / len(crops)


def main(device: str, n: int, reps: int) -> list[tuple]:
    rng = np.random.default_rng(0)
    crops = [rng.integers(0, 255, (int(s), int(s), 3), np.uint8) for s in rng.integers(24, 160, n)]
    rows, seen = [], set()
    for preset, c in PRESETS.items():
        if c.clip in seen:
            continue
        seen.add(c.clip)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # random weights
            clip = load_clip(c.clip, device=device)  # bundled weights for the tiny ones, random for the rest
        if c.clip == 'MobileCLIP2-S0':
            rows.append((preset, f'{c.clip}, training form', per_crop(clip, crops, reps)))
        rows.append((preset, c.clip, per_crop(reparameterize(clip), crops, reps)))
        del clip
    return rows


def report(rows, device: str, n: int, reps: int) -> str:
    when, cpu = datetime.date.today().isoformat(), platform.processor() or platform.machine()
    where = torch.cuda.get_device_name(0) if device.startswith('cuda') else f'{cpu}, {os.cpu_count()} CPU cores'
    lines = ['# CLIP: crop scoring time per crop\n',
             f'{when}; {where}; `python bench/clip_crops.py --device {device} --crops {n} --reps {reps}`; each CLIP as '
             '`SLIP.from_config` loads it (the inference form), real architectures at random weights.\n',
             '| preset | CLIP | ms per crop |', '|---|---|---|']  # fmt: skip
    lines += [f'| {p} | {name} | {1000 * s:.1f} |' for p, name, s in rows]
    mob = {name: s for _, name, s in rows if name.startswith('MobileCLIP2-S0')}
    if len(mob) == 2:
        lines += ['', f"MobileCLIP2-S0's inference form scores a crop in {mob['MobileCLIP2-S0'] / mob['MobileCLIP2-S0, training form']:.2f} "
                  'of the training form\'s time (same run).']  # fmt: skip
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--crops', type=int, default=16)
    ap.add_argument('--reps', type=int, default=2)
    a = ap.parse_args()
    torch.set_grad_enabled(False)
    text = report(main(a.device, a.crops, a.reps), a.device, a.crops, a.reps)
    suffix = '' if a.device == 'cpu' else '-gpu'
    (ROOT / 'bench' / f'CLIP{suffix}.md').write_text(text)
    print(text)
