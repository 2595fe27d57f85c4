"""The CPU work of one `segment` call outside SAM and CLIP's forward passes, which a GPU does not speed up.

On a 1024-px image with 40 proposals (the benchmark's setup): the containment and background filters,
cutting the 40 crops, and open_clip's preprocessing of them (PIL resize to 224 px and normalisation).
It also times the crop cutting as it was before the fix of 2026-11-27, when every crop read the whole
image for its mean colour (a default argument evaluated even for the gray fill), as a ratio in the same
run. Run: `python bench/overhead.py` (about a minute; each figure the median of 5 runs)."""
import platform, datetime, warnings
import numpy as np, torch
from PIL import Image
from slip.lab.bench import bench_image, blob_masks, timeit
from slip.core import masks_to_boxes
from slip.models.sam import Proposals, filter_proposals
from slip.models.clip import crop_for_clip, load_clip

img, masks = bench_image(1024), blob_masks(40, 1024)
with warnings.catch_warnings():
    warnings.simplefilter('ignore'); clip = load_clip('ViT-B-32', device='cpu')    # random weights: only its preprocessing is used
p = Proposals(masks, masks_to_boxes(masks), np.ones(40, np.float32), np.ones(40, np.float32))
def crop_before_fix(image, mask): image.reshape(-1, 3).mean(0); return crop_for_clip(image, mask)
crops = [crop_for_clip(img, m) for m in masks]
t = {'filters (containment 0.8, background)': timeit(lambda: filter_proposals(p, 0.8, True), 5),
     'cutting 40 crops': timeit(lambda: [crop_for_clip(img, m) for m in masks], 5),
     'cutting 40 crops, before the fix': timeit(lambda: [crop_before_fix(img, m) for m in masks], 5),
     "open_clip's preprocessing of 40 crops": timeit(lambda: torch.stack([clip.preprocess(Image.fromarray(c)) for c in crops]), 5)}
print(f'{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, {datetime.datetime.now():%Y-%m-%d %H:%M}')
for k, v in t.items(): print(f'{k}: {v:.3f} s')
f, c, c0, pre = t.values()
print(f'crop cutting, before / after the fix: {c0 / c:.1f}x')
print(f'CPU-side total after the fix: {f + c + pre:.3f} s (before: {f + c0 + pre:.3f} s)')
