"""The `fast` preset (SAM 2.1 tiny on a 12×12 grid, MobileCLIP2-S0) with slip's generator and with SAM 2's own,
beside `base` (SAM ViT-B, slip's generator on a 32×32 grid, CLIP ViT-B-32): seconds per 1024-px image on the CPU,
one fresh `segment` call each with one prompt, in one run, reported as ratios.

All run the real architectures at random weights (the time of a forward pass does not depend on the weights) with
their presets' settings. Random weights keep no mask, so SAM 2.1's decoder answers with `disc_load`'s discs
(`slip.models.sam2`): its whole decoder runs on every point, then three discs around the point stand for its
answers, some passing the thresholds and some not, the same for both generators; the run asserts that both keep
the same proposals. `base`'s proposer runs at random weights (its realistic load is `slip bench`'s, in
bench/RESULTS.md). Each proposer is timed; SLIP then scores the same 40 masks for every preset, so CLIP, the
filters and the crops do the work a real image with 40 proposals needs.

    python bench/sam2_fast.py     # about 3 minutes on 2 CPU cores; writes nothing, prints the table for SAM2.md
"""
import contextlib, datetime, os, platform, time, warnings
import numpy as np
import torch
from slip.core import mask_iou
from slip.lab.bench import bench_image, blob_masks, BENCH_CALIBRATION
from slip.models.sam import build_sam, Proposals
from slip.models.sam2 import build_sam2, disc_load
from slip.models.clip import load_clip, reparameterize
from slip.pipeline import PRESETS, SLIP

SIZE, N_MASKS = 1024, 40
LOAD = ' '.join(f'{x:.1f}' for x in os.getloadavg())


class Timed:
    "A preset's proposer, run in full and timed; on the benchmark's image it answers with fixed masks, the same for all."

    def __init__(self, proposer, masks):
        self.proposer, self.masks, self.seconds, self.kept = proposer, masks, 0.0, 0

    def __call__(self, image):
        t = time.perf_counter()
        p = self.proposer(image)
        self.seconds, self.kept = time.perf_counter() - t, len(p)
        return Proposals.from_masks(self.masks) if p.shape == self.masks.shape[1:] else p


def preset_slip(name: str, sam: torch.nn.Module, masks, **changes) -> SLIP:
    "SLIP with preset `name`'s settings (and `changes`) on random-weight models, its proposer timed."
    config = PRESETS[name].replace(**changes)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        clip = reparameterize(load_clip(config.clip, device='cpu'))  # the inference form, as SLIP.from_config loads it
    return SLIP(Timed(config.proposer_for(sam), masks), clip, config, calibration=BENCH_CALIBRATION)


torch.manual_seed(0)
img, masks = bench_image(SIZE), blob_masks(N_MASKS, SIZE)
sam2 = build_sam2('sam2.1_hiera_tiny')
runs = {  # name -> (SLIP, the load its SAM answers under)
    'base': (preset_slip('base', build_sam('vit_b'), masks), contextlib.nullcontext()),
    'fast, SAM 2 generator': (preset_slip('fast', sam2, masks, proposer='sam-amg'), disc_load(sam2)),
    'fast': (preset_slip('fast', sam2, masks), disc_load(sam2)),
}
rows, got = {}, {}
for name, (s, load) in runs.items():
    with load:
        s.segment(bench_image(256, seed=1), 'creature')  # warm-up
        s.clear_cache()
        t = time.perf_counter()
        s.segment(img, 'creature')
        total = time.perf_counter() - t
        got[name] = s.proposer.proposer(img) if name.startswith('fast') else None  # the proposals themselves
    rows[name] = (total, s.proposer.seconds, total - s.proposer.seconds, s.proposer.kept)
a, b = got['fast, SAM 2 generator'], got['fast']
same = float((mask_iou(a.masks, b.masks).max(1) >= 0.9).mean()) if len(a) and len(b) else float(len(a) == len(b))
assert same >= 0.97 and len(a) == len(b), (same, len(a), len(b))
median_box = np.median(a.boxes[:, 2] * a.boxes[:, 3]) / SIZE**2 if len(a) else 0.0
print(f'- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC')
print(f'- machine: {platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, '
      f'Python {platform.python_version()}, torch {torch.__version__}, load average before: {LOAD}')
print(f'- image: {SIZE}×{SIZE} px, 1 prompt, {N_MASKS} masks scored by CLIP')
print(f"- SAM 2.1's proposals under the disc load: {len(a)} kept by both generators, {same:.3f} matched "
      f'(mask IoU >= 0.9), median box {median_box:.1%} of the image\n')
print('| preset | SAM | generator | points | CLIP | seconds per image | SAM (proposals) | masks kept | the rest |')
print('|---|---|---|---|---|---|---|---|---|')
for name, (total, sam_s, rest, kept) in rows.items():
    c, gen = PRESETS['fast' if name.startswith('fast') else name], 'SAM 2' if 'SAM 2' in name else 'slip'
    n = f'{c.points_per_side}×{c.points_per_side}'
    print(f'| `{name.split(",")[0]}` | {c.sam} | {gen} | {n} | {c.clip} | {total:.1f} | {sam_s:.1f} | {kept} | {rest:.1f} |')
print(f"\nSAM 2's generator / slip's, seconds of the proposer: {rows['fast, SAM 2 generator'][1] / rows['fast'][1]:.2f}")
print(f"ratio fast / base, seconds per image: {rows['fast'][0] / rows['base'][0]:.2f}")
