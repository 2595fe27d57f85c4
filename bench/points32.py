"""Overhead and amortisation with the base preset's 32×32 point grid: one call each, SAM timed inside the call (about 10 minutes on 2 CPU cores).

    python bench/points32.py
"""
from slip.lab.bench import bench_models, bench_image, blob_masks, fresh_call, BenchConfig
cfg = BenchConfig(); img = bench_image(cfg.size); masks = blob_masks(cfg.n_masks, cfg.size)
prop, clip, slip = bench_models(cfg, masks, points=32)
prompts = [f'creature {k}' for k in range(8)]
fresh_call(slip, img, prompts[:1])                  # warm-up
(t1, s1), (t8, s8) = fresh_call(slip, img, prompts[:1]), fresh_call(slip, img, prompts)
print(f'32x32 points: 1 prompt {t1:.1f} s (SAM {s1:.1f} s), 8 prompts {t8:.1f} s (SAM {s8:.1f} s)')
print(f'overhead (1 prompt) {(t1 - s1) / t1:.3f}; amortisation 8/1 {t8 / t1:.3f}; with SAM held at its 1-prompt time {(s1 + t8 - s8) / t1:.3f}')
