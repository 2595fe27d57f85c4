"""The `fast` preset (SAM 2.1 tiny, SAM 2's generator on a 12×12 grid, MobileCLIP2-S0) beside `base` (SAM ViT-B,
slip's generator on a 32×32 grid, CLIP ViT-B-32): seconds per 1024-px image on the CPU, one fresh `segment` call
each with one prompt, in one run, reported as a ratio.

Both run the real architectures at random weights (the time does not depend on the weights) with their presets'
settings. Each preset's proposer runs in full and is timed; it then hands SLIP the same 40 masks for both presets,
so CLIP, the filters and the crops do the same work a real image with 40 proposals needs.

    python bench/sam2_fast.py     # about 5 minutes on 2 CPU cores; writes nothing, prints the table for SAM2.md
"""
import datetime, os, platform, time, warnings
import torch
from slip.lab.bench import bench_image, blob_masks, BENCH_CALIBRATION
from slip.models.sam import build_sam, Proposals
from slip.models.sam2 import build_sam2
from slip.models.clip import load_clip
from slip.pipeline import PRESETS, SLIP

SIZE, N_MASKS = 1024, 40
LOAD = ' '.join(f'{x:.1f}' for x in os.getloadavg())


class Timed:
    "A preset's proposer, run in full and timed; on the benchmark's image it answers with fixed masks, the same for all."

    def __init__(self, proposer, masks):
        self.proposer, self.masks, self.seconds = proposer, masks, 0.0

    def __call__(self, image):
        t = time.perf_counter()
        p = self.proposer(image)
        self.seconds = time.perf_counter() - t
        return Proposals.from_masks(self.masks) if p.shape == self.masks.shape[1:] else p


def preset_slip(name: str, sam: torch.nn.Module, masks) -> SLIP:
    "SLIP with preset `name`'s settings on random-weight models, its proposer timed."
    config = PRESETS[name]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        clip = load_clip(config.clip, device='cpu')
    return SLIP(Timed(config.proposer_for(sam), masks), clip, config, calibration=BENCH_CALIBRATION)


torch.manual_seed(0)
img, masks = bench_image(SIZE), blob_masks(N_MASKS, SIZE)
slips = {
    'base': preset_slip('base', build_sam('vit_b'), masks),
    'fast': preset_slip('fast', build_sam2('sam2.1_hiera_tiny'), masks),
}
rows = {}
for name, s in slips.items():
    s.segment(bench_image(256, seed=1), 'creature')  # warm-up
    s.clear_cache()
    t = time.perf_counter()
    s.segment(img, 'creature')
    total = time.perf_counter() - t
    rows[name] = (total, s.proposer.seconds, total - s.proposer.seconds)
print(f'- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC')
print(f'- machine: {platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, '
      f'Python {platform.python_version()}, torch {torch.__version__}, load average before: {LOAD}')
print(f'- image: {SIZE}×{SIZE} px, 1 prompt, {N_MASKS} masks scored by CLIP\n')
print('| preset | SAM | points | CLIP | seconds per image | SAM (proposals) | the rest (filters, crops, CLIP) |')
print('|---|---|---|---|---|---|---|')
for name, (total, sam_s, rest) in rows.items():
    c = PRESETS[name]
    print(f'| `{name}` | {c.sam} | {c.points_per_side}×{c.points_per_side} | {c.clip} | {total:.1f} | {sam_s:.1f} | {rest:.1f} |')
print(f"\nratio fast / base, seconds per image: {rows['fast'][0] / rows['base'][0]:.2f}")
