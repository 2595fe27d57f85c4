"""Train candidate shorter recipes for the bundled CLIPs side by side, within a deadline (made for a lent GPU).

    python tools/recipe_candidates.py WORK RESULTS --budget SECONDS [--smoke]

Issue 6 asks that the recipes of `nbs/50_weights.ipynb` run on 2 CPU cores "within a few hours in total"; they take
about 3.7 hours (sam-tiny 56 min, one run of 24 epochs since 2026-11-30; clip-tiny-base 2.4 h, 10 epochs of about
14.6 min with bf16 autocast; clip-tiny-shapemon 22.5 min). The candidates below each cost a CPU a known time (clip-tiny-64
takes about 14.6 min an epoch of 160,000 description images at batch 256 with bf16 autocast on the 2-core machine):

- clip-tiny-base: the bundled recipe (clip-tiny-64, 160,000 images, batch 256, lr 2e-3) with a 6-, 7- or 8-epoch
  schedule instead of 10 of 12 (about 1.5, 1.7 and 2 hours on a CPU); clip-tiny-shapemon made from each by its recipe.
  (The 5-epoch schedule, trained on the 2-core CPU on 2026-11-30, reached 0.78 on the description goal of 0.8.)

Every run writes its history (zero-shot accuracy each epoch); at the deadline the runs still going are stopped and
their last finished epoch bundled. RESULTS gets results.tar.gz (bundles, histories, logs), to be measured with the goal
measures of `slip.weights` here. `--smoke` runs every role on a few items (a minute on a CPU).
"""
import argparse, subprocess, sys, time, tarfile, warnings
from pathlib import Path
warnings.simplefilter('ignore')

CLIP_EPOCHS = (6, 7, 8)

def names_data_role(out:Path, smoke:bool):
    "clip-tiny-shapemon's data, as its recipe writes it (exported here once, for every candidate)."
    from slip.data.synth import export_classify, export_scenes
    from slip.train.clip import export_crops
    d = out/'data'/'shapemon-names'
    export_classify(d/'singles', 2 if smoke else 400, seed=1, size=64, progress=False)
    export_scenes(d/'scenes', 4 if smoke else 500, seed=3, size=256, progress=False)
    export_crops(d/'scenes', d/'crops', margin=0.4, fill='gray', progress=False)
    (out/'data'/'names-done').touch()

def clip_role(out:Path, epochs:int, smoke:bool):
    import torch; torch.set_num_threads(2)
    from slip.weights import bundle, recipe_clip_tiny_base, recipe_clip_tiny_shapemon
    while not (out/'data'/'desc-done').exists(): time.sleep(1)
    name = f'clip-base-{epochs}'           # the bundled recipe on a shorter schedule, run to its end
    recipe_clip_tiny_base(out/'runs'/name, out/'data'/'descriptions', epochs=1 if smoke else epochs, stop_after=None, progress=False)
    base = bundle(out/'runs'/name, name, out/'weights'); print(name, 'bundled', time.strftime('%X'), flush=True)
    while not (out/'data'/'names-done').exists(): time.sleep(1)
    recipe_clip_tiny_shapemon(out/'runs'/f'shapemon-from-{epochs}', out/'data'/'shapemon-names', base, epochs=1 if smoke else 10, progress=False)
    bundle(out/'runs'/f'shapemon-from-{epochs}', f'shapemon-from-{epochs}', out/'weights'); print('shapemon from', epochs, 'bundled', time.strftime('%X'), flush=True)

ROLES = {'names-data': names_data_role,
         **{f'clip-{e}': (lambda e: lambda o, s: clip_role(o, e, s))(e) for e in CLIP_EPOCHS}}

def progress_line(out:Path) -> str:
    "Each run's finished epochs and last validation figure."
    rows = []
    for h in sorted((out/'runs').glob('*/history.csv')):
        ls = h.read_text().strip().splitlines()
        rows.append(f'{h.parent.name}:{len(ls) - 1}:{ls[-1].split(",")[2][:5] if len(ls) > 1 else "-"}')
    return ' '.join(rows)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('out', type=Path); ap.add_argument('res', type=Path); ap.add_argument('--budget', type=float, default=500)
    ap.add_argument('--role'); ap.add_argument('--smoke', action='store_true'); a = ap.parse_args()
    if a.role: ROLES[a.role](a.out, a.smoke); sys.exit()
    start = time.time(); a.out.mkdir(parents=True, exist_ok=True); a.res.mkdir(parents=True, exist_ok=True)
    procs = {r: subprocess.Popen([sys.executable, __file__, str(a.out), str(a.res), '--role', r] + ['--smoke'] * a.smoke,
                                 stdout=open(a.out/f'{r}.log', 'w'), stderr=subprocess.STDOUT) for r in ROLES}
    from slip.data.synth import export_descriptions
    export_descriptions(a.out/'data'/'descriptions', 400 if a.smoke else 160000, seed=0, size=64, workers=8, progress=False)
    (a.out/'data'/'desc-done').touch(); print('descriptions written', round(time.time() - start), flush=True)
    last = 0
    while any(p.poll() is None for p in procs.values()) and time.time() - start < a.budget:
        time.sleep(2)
        if time.time() - last > 60: last = time.time(); print(round(time.time() - start), progress_line(a.out), flush=True)
    for r, p in procs.items():
        if p.poll() is None: p.kill(); p.wait(); print(f'{r}: stopped at the deadline', flush=True)
        print(r, 'exit code', p.returncode, flush=True)
    from slip.weights import bundle
    (a.out/'runs').mkdir(exist_ok=True)
    for run in sorted((a.out/'runs').iterdir()):
        if (run/'checkpoint.pt').exists() and not (a.out/'weights'/f'{run.name}.safetensors').exists():
            try: bundle(run, run.name, a.out/'weights'); print(run.name, 'bundled from its last finished epoch', flush=True)
            except Exception as e: print(run.name, 'could not be bundled:', e, flush=True)
    with tarfile.open(a.res/'results.tar.gz', 'w:gz') as t:
        for f in (a.out/'weights').glob('*.safetensors'): t.add(f, f'weights/{f.name}')
        for run in (a.out/'runs').iterdir():
            for f in run.iterdir():
                if f.suffix in ('.csv', '.json', '.png'): t.add(f, f'runs/{run.name}/{f.name}')
        for f in a.out.glob('*.log'): t.add(f, f.name)
    print(progress_line(a.out)); print(f'total {time.time() - start:.0f} s', flush=True)
