"""Train the three bundled tiny models within a time budget (made for a lent GPU machine; runs anywhere).

    python tools/train_bundled.py OUT --budget SECONDS

Runs the recipes of `nbs/82_lab.weights.ipynb` as they are — SAM in one process (`recipe_sam_tiny`), the two CLIPs one
after the other in another. The bundled fp16 safetensors go to OUT/weights/, run folders to OUT/runs/; a SAM run still
going at the deadline is stopped and its last finished epoch bundled (so a cut-off run is not the recipe's); the
CLIPs' chain of runs (base, names alone, pairs, replay, the mix) writes each bundled file when its last step ends.
"""
import argparse, os, subprocess, sys, time
from pathlib import Path

SMOKE = False          # --smoke: tiny sizes, to check the plumbing on a CPU in a minute

def sam_role(out:Path, budget:float):
    import torch
    from slip.lab.weights import recipe_sam_tiny, bundle
    torch.set_num_threads(4); workers = min(6, os.cpu_count() or 1)
    kw = dict(epochs=1, steps_per_epoch=2, val_images=2) if SMOKE else {}
    recipe_sam_tiny(out/'runs'/'sam-tiny', workers=workers, **kw); bundle(out/'runs'/'sam-tiny', 'sam-tiny', out/'weights')

def clip_role(out:Path, budget:float):
    import torch
    from slip.lab.weights import (recipe_clip_tiny_base, recipe_clip_tiny_shapemon, recipe_clip_tiny_base_pairs, bundle,
                              bundle_wise_ft)
    torch.set_num_threads(4)
    desc, cls, runs = out/'data'/'descriptions', out/'data'/'shapemon-names', out/'runs'
    if SMOKE:                                        # small data; otherwise each recipe writes its own
        from slip.data.synth import export_descriptions, export_classify, export_scenes
        export_descriptions(desc, 400, seed=0, size=64, workers=2, progress=False); export_classify(cls/'singles', 3, seed=1, size=64, progress=False)
        export_scenes(cls/'scenes', 4, seed=3, size=256, progress=False)
    small = {'epochs': 1} if SMOKE else {}
    recipe_clip_tiny_base(runs/'clip-tiny-base', desc, **small)
    first = bundle(runs/'clip-tiny-base', 'clip-tiny-base', runs)        # what the fine-tunes and the pairs step start from
    recipe_clip_tiny_shapemon(runs/'clip-tiny-shapemon', cls, first, **small)
    names_only = bundle(runs/'clip-tiny-shapemon', 'clip-tiny-names', runs)
    recipe_clip_tiny_base_pairs(runs/'clip-tiny-base-pairs', out/'data'/'tail-pairs', first, **(small | ({'n': 8, 'renders': 2} if SMOKE else {})))
    bundle(runs/'clip-tiny-base-pairs', 'clip-tiny-base', out/'weights')
    recipe_clip_tiny_shapemon(runs/'clip-tiny-replay', cls, first, 1 if SMOKE else 10, 40 if SMOKE else 16000)
    bundle_wise_ft(runs/'clip-tiny-replay'/'checkpoint.pt', names_only, 0.2, 'clip-tiny-shapemon', out/'weights')

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('out', type=Path); ap.add_argument('--budget', type=float, default=480)
    ap.add_argument('--role', choices=['sam', 'clip']); ap.add_argument('--smoke', action='store_true'); a = ap.parse_args()
    SMOKE = a.smoke
    if a.role: (sam_role if a.role == 'sam' else clip_role)(a.out, a.budget); sys.exit()
    a.out.mkdir(parents=True, exist_ok=True); start = time.time()
    procs = {r: subprocess.Popen([sys.executable, __file__, str(a.out), '--budget', str(a.budget), '--role', r] + ['--smoke'] * SMOKE,
                                 stdout=open(a.out/f'{r}.log', 'w'), stderr=subprocess.STDOUT) for r in ('sam', 'clip')}
    while any(p.poll() is None for p in procs.values()) and time.time() - start < a.budget + 45: time.sleep(2)
    for r, p in procs.items():
        if p.poll() is None: p.kill(); p.wait(); print(f'{r}: stopped at the deadline', flush=True)
        print(r, 'exit code', p.returncode, flush=True)
    from slip.lab.weights import bundle                  # bundle the last finished epoch of a run that was cut off
    for name in ('sam-tiny',):
        run = a.out/'runs'/name
        if not (a.out/'weights'/f'{name}.safetensors').exists() and (run/'checkpoint.pt').exists():
            bundle(run, name, a.out/'weights'); print(name, 'bundled from its last finished epoch')
    print(f'total {time.time() - start:.0f} s')
