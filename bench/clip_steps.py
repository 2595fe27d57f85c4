"""Seconds a training step of the bundled tiny CLIP recipes takes on this machine (model compute only: forward, loss, backward, AdamW).

clip-tiny-base was first trained at 48 px in batches of 128 (`clip-tiny`) and is now trained at 64 px in batches of 256
(`clip-tiny-64`); this times one step of each, the mean of 5 steps after a warm-up, in fp32 and with the bf16 autocast
that `train_clip(bf16_cpu=True)` turns on for a CPU (a GPU always has it). Run: `python bench/clip_steps.py` (about two minutes on 2 cores)."""
import time, torch, warnings, open_clip; warnings.simplefilter('ignore')
from slip.models.clip import load_clip
res = {}
for arch, bs in [('clip-tiny', 128), ('clip-tiny-64', 256)]:
    m = load_clip(arch, device='cpu'); m.model.train(); s = m.image_size
    opt = torch.optim.AdamW(m.model.parameters(), lr=1e-4); loss_fn = open_clip.ClipLoss()
    x = torch.randn(bs, 3, s, s); t = m.tokenizer(['a photo of a spotted blue diamond-shaped creature with three eyes, ears and a tail.'] * bs)
    for bf16 in (False, True):
        def step():
            with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16):
                f_i, f_t, ls = m.model(x, t); loss = loss_fn(f_i.float(), f_t.float(), ls.float())
            opt.zero_grad(); loss.backward(); opt.step()
        step(); t0 = time.perf_counter()
        for _ in range(5): step()
        res[arch, bf16] = (time.perf_counter() - t0) / 5
        print(arch, bs, 'bf16 autocast' if bf16 else 'fp32', 'seconds a step', round(res[arch, bf16], 3), flush=True)
print('per image, 64 px batch 256 / 48 px batch 128 (fp32):', round(res['clip-tiny-64', False] / 256 / (res['clip-tiny', False] / 128), 2))
print('clip-tiny-64 step, fp32 / bf16 autocast:', round(res['clip-tiny-64', False] / res['clip-tiny-64', True], 2))
