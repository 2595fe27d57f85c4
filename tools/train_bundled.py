"""Train the three bundled tiny models within a time budget (made for a lent GPU machine; runs anywhere).

    python tools/train_bundled.py OUT --budget SECONDS

Runs the recipes of `nbs/50_weights.ipynb` — SAM in one process, the two CLIPs one after the other in another.
SAM's number of epochs is chosen from two short probe runs so that it fits the budget (written to OUT/plan-sam.json);
the CLIPs run their recipes as they are. The bundled fp16 safetensors go to OUT/weights/, run folders to OUT/runs/;
a run still going at the deadline is stopped and its last finished epoch bundled.
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path

SMOKE = False          # --smoke: tiny sizes, to check the plumbing on a CPU in a minute

def sam_role(out:Path, budget:float):
    import torch
    from slip.weights import recipe_sam_tiny, bundle
    torch.set_num_threads(4); t0 = time.time(); times = {}; workers = min(6, os.cpu_count() or 1)
    a, b, spe = (1, 2, 2) if SMOKE else (10, 60, 300)
    for steps in (a, b):
        s = time.time(); recipe_sam_tiny(out/'probe'/f'sam-{steps}', epochs=1, steps_per_epoch=steps, workers=workers, progress=False)
        times[steps] = time.time() - s
    per_step = max((times[b] - times[a]) / (b - a), 1e-3); fixed = max(times[a] - a * per_step, 0)
    left = budget - (time.time() - t0) - 20
    epochs = int(max(1, min(1 if SMOKE else 40, left // (spe * per_step + fixed))))
    plan = {'sam_seconds_per_step': round(per_step, 4), 'sam_seconds_per_epoch_fixed': round(fixed, 2), 'sam_epochs': epochs}
    (out/'plan-sam.json').write_text(json.dumps(plan, indent=1)); print(plan, flush=True)
    recipe_sam_tiny(out/'runs'/'sam-tiny', epochs=epochs, steps_per_epoch=spe, workers=workers)
    bundle(out/'runs'/'sam-tiny', 'sam-tiny', out/'weights')

def clip_role(out:Path, budget:float):
    import torch
    from slip.weights import recipe_clip_tiny_base, recipe_clip_tiny_shapemon, bundle
    torch.set_num_threads(4)
    desc, cls = out/'data'/'descriptions', out/'data'/'shapemon-names'
    if SMOKE:                                        # small data; otherwise each recipe writes its own
        from slip.data.synth import export_descriptions, export_classify, export_scenes
        export_descriptions(desc, 400, seed=0, size=64, workers=2, progress=False); export_classify(cls/'singles', 3, seed=1, size=64, progress=False)
        export_scenes(cls/'scenes', 4, seed=3, size=256, progress=False)
    recipe_clip_tiny_base(out/'runs'/'clip-tiny-base', desc, **({'epochs': 1} if SMOKE else {}))
    base = bundle(out/'runs'/'clip-tiny-base', 'clip-tiny-base', out/'weights')
    recipe_clip_tiny_shapemon(out/'runs'/'clip-tiny-shapemon', cls, base, **({'epochs': 1} if SMOKE else {}))
    bundle(out/'runs'/'clip-tiny-shapemon', 'clip-tiny-shapemon', out/'weights')

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
    from slip.weights import bundle                  # bundle the last finished epoch of a run that was cut off
    for name in ('sam-tiny', 'clip-tiny-base', 'clip-tiny-shapemon'):
        if not (a.out/'weights'/f'{name}.safetensors').exists() and (a.out/'runs'/name/'checkpoint.pt').exists():
            bundle(a.out/'runs'/name, name, a.out/'weights'); print(name, 'bundled from its last checkpoint')
    print(f'total {time.time() - start:.0f} s')
