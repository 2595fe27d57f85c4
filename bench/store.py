"""Images read from an object store against the same images from a local folder; Parquet rows against results.json.

    python bench/store.py                  # 256 shapemon scenes of 256 px, the tiny preset, CPU; writes bench/STORE.md
    python bench/store.py --n 64           # a quicker look

The store is an S3 server on loopback (`slip.store.local_s3`, moto's): the figure is slip's own cost of reading
images and writing rows through an object store's API (requests, hashing, Parquet), not a network's latency.
Three runs of the same images in one process, with one SLIP loaded once, each as `slip segment` does it:
  folder   the run folder (records/NAME.json per image, results.json and coco.json at the end), images from a folder;
  parquet  a Parquet run in a local folder (shards of `SHARD_IMAGES` images), images from the same folder;
  bucket   a Parquet run in the bucket, images read from the bucket.
Each is preceded by one warm-up image outside the timing. Ratios are images/s against `folder`, in the same run.
"""
import argparse, datetime, json, os, platform, sys, time
from pathlib import Path

from slip.cli import SHARD_IMAGES
from slip.config import NMS_IOU
from slip.data.synth import export_scenes, ROSTER
from slip.pipeline import SLIP
from slip.run import RunFolder, RunStore, run_manifest, output_names, read_run
from slip.store import local_s3, filesystem

ROOT = Path(__file__).resolve().parents[1]


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def folder_run(slip_, files, out, ask):
    run = RunFolder(out, images=False).start(run_manifest(slip_, *ask))
    done = [run.segment(slip_, f, n, *ask) for f, n in zip(files, output_names(files))]
    cats = {p: k for k, p in enumerate(ask[0], 1)}
    recs = [{'image_id': k, 'category_id': cats[r['prompt']]} | r for k, (rs, _, _) in enumerate(done, 1) for r in rs]
    run.write_coco([(k, str(f), s) for k, (f, (_, s, _)) in enumerate(zip(files, done), 1)],
                   [(c, p) for p, c in cats.items()], recs)


def store_run(slip_, refs, out, ask):
    run = RunStore(out).start(run_manifest(slip_, *ask))
    for k in range(0, len(refs), SHARD_IMAGES):
        run.segment_many(slip_, refs[k : k + SHARD_IMAGES], *ask)


def one_file(run: Path) -> int:
    "The bytes of a run's rows written as one Parquet file (zstd, as the shards are)."
    import io
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(RunStore(run).rows.read(), buf, compression='zstd')
    return len(buf.getvalue())


def size_of(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob('*') if f.is_file())


def main(n: int, size: int, work: Path):
    scenes = export_scenes(work / 'scenes', n + 1, seed=2026, size=size, progress=False)
    files = sorted((scenes / 'images').iterdir())
    warm, files = files[0], files[1:]
    slip_ = SLIP.from_preset('tiny', device='cpu')
    ask = ([s.name for s in ROSTER[:3]], None, 'best', NMS_IOU)
    times = {}
    with local_s3(['bench']):
        fs = filesystem('s3://bench')[0]
        for f in [warm, *files]:
            fs.put_file(str(f), f'bench/scenes/{f.name}')
        uris = [f's3://bench/scenes/{f.name}' for f in files]
        folder_run(slip_, [warm], work / 'warm-folder', ask)
        times['folder'] = timed(lambda: folder_run(slip_, files, work / 'folder', ask))
        store_run(slip_, [warm], work / 'warm-parquet', ask)
        times['parquet'] = timed(lambda: store_run(slip_, files, work / 'parquet', ask))
        store_run(slip_, [f's3://bench/scenes/{warm.name}'], 's3://bench/warm/', ask)
        times['bucket'] = timed(lambda: store_run(slip_, uris, 's3://bench/run/', ask))
        rows = read_run('s3://bench/run/')
        same = len(rows) == len(read_run(work / 'parquet'))
    sizes = {'results.json': (work / 'folder' / 'results.json').stat().st_size,
             'records/ (one JSON file an image)': size_of(work / 'folder' / 'records'),
             f'Parquet rows (rows/: shards of {SHARD_IMAGES} images)': size_of(work / 'parquet' / 'rows'),
             'the same rows in one Parquet file': one_file(work / 'parquet')}  # fmt: skip
    return times, sizes, len(rows), int(rows['found'].sum()), same


def report(n, size, times, sizes, nrows, found, same) -> str:
    ips = {k: n / v for k, v in times.items()}
    when = datetime.date.today().isoformat()
    lines = [f'# Object storage: images/s and the size of a run\n',
             f'{when}; {platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores, CPU only; '
             f'`python bench/store.py --n {n} --size {size}`; {n} shapemon scenes of {size} px, tiny preset, '
             f'three prompts; the bucket is an S3 server on loopback (moto).\n',
             '| run | seconds | images/s | against the folder run |', '|---|---|---|---|']  # fmt: skip
    for k, label in [('folder', 'run folder, images from a folder'), ('parquet', 'Parquet run in a folder, images '
                     'from the folder'), ('bucket', 'Parquet run in the bucket, images from the bucket')]:  # fmt: skip
        lines.append(f'| {label} | {times[k]:.1f} | {ips[k]:.2f} | {ips[k] / ips["folder"]:.2f} |')
    lines += ['', f'The bucket run wrote {nrows} rows ({found} instances, the rest prompts found nowhere); '
              f'the local Parquet run the same number: {same}.', '',
              'Sizes: every shard carries its own schema and statistics (a few kB), so small shards cost more '
              'than their rows; a dataset written in larger shards (or compacted) approaches the one-file row.', '',
              '| the same run, written as | bytes | against results.json |', '|---|---|---|']  # fmt: skip
    for k, v in sizes.items():
        lines.append(f'| {k} | {v:,} | {v / sizes["results.json"]:.2f} |')
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--n', type=int, default=256)
    ap.add_argument('--size', type=int, default=256)
    ap.add_argument('--work', type=Path, default=Path('/tmp/slip-bench-store'))
    a = ap.parse_args()
    import shutil

    shutil.rmtree(a.work, ignore_errors=True)
    text = report(a.n, a.size, *main(a.n, a.size, a.work))
    (ROOT / 'bench' / 'STORE.md').write_text(text)
    print(text)
    sys.exit(0)
