"""The hostile list: what a new user might type, run as they would (a fresh `slip` process each), and judged.

    python tools/hostile.py [--only WORD] [--keep]

Each case is a command line with the exit code a careful user expects (0 done, 1 some inputs failed, 2 refused,
see 90_cli) and, where it matters, a check of what it wrote. A case ends as one of:
  ok          the expected exit code, one line of explanation where it refused, the checks hold
  traceback   a Python traceback reached the user
  hang        no answer within the case's time limit
  wrong       another exit code, a refusal without the one line, or a check of the answer failed
  lost        something the user had (a result, a file) is gone or changed
Prints one line per case and a count of each; exits 1 unless every case is ok. Runs on the bundled tiny models,
offline, in a temporary folder (`--keep` leaves it for a look).
"""

import argparse, json, os, shutil, signal, socket, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLIP = [str(Path(sys.executable).parent / 'slip')]  # the installed command, beside this Python
FAST, MODELS, TRAIN, RAY = 30, 180, 300, 90  # time limits (s): refusals, runs that load models, training, Ray


class Case:
    "One command line, its expected exit code, and checks of what it left (each returns a problem or None)."

    def __init__(self, name, kind, argv, code, checks=(), setup=None, env=None, timeout=FAST, lost=()):
        self.name, self.kind, self.argv, self.code, self.checks = name, kind, argv, code, checks
        self.setup, self.env, self.timeout, self.lost = setup, env or {}, timeout, lost


def slip(*argv, ws: Path, env=None, timeout=FAST):
    "Run `slip ARGV` in `ws` as a user would: (exit code, stdout, stderr), or None for a hang."
    e = os.environ | {'TMPDIR': str(ws / 'tmp'), 'COLUMNS': '100'} | (env or {})
    p = subprocess.Popen([*SLIP, *argv], cwd=ws, env=e, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)  # fmt: skip
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return None
    return p.returncode, out, err


def judge(case: Case, result, ws: Path) -> tuple[str, str]:
    "(outcome, why) of one case's result."
    if result is None:
        return 'hang', f'no answer in {case.timeout} s'
    code, out, err = result
    if 'Traceback (most recent call last)' in err:
        return 'traceback', err.strip().splitlines()[-1]
    for check in case.lost:
        if problem := check(ws):
            return 'lost', problem
    if code != case.code:
        return 'wrong', f'exit {code}, expected {case.code}: {(err.strip() or out.strip())[-200:]}'
    said = [l for l in err.strip().splitlines() if ': error: ' in l]
    if code == 2 and len(said) != 1:
        return 'wrong', f'refused without one line naming the problem: {err.strip()[-200:]!r}'
    lines = err.replace('\r', '\n').splitlines()
    noise = [l for l in lines if l.strip() and not l.startswith('slip ') and '%|' not in l]
    if code in (0, 1) and noise:  # slip speaks in lines of its own; progress bars aside, nothing else reaches stderr
        return 'wrong', f'lines on stderr that are not slip\'s: {noise[:3]}'
    for check in case.checks:
        if problem := check(ws, out, err):
            return 'wrong', problem
    return 'ok', (said[0].split(': error: ', 1)[1] if said else out.strip().splitlines()[-1] if out.strip() else '')


def says(*words):
    "A check: stderr names all of `words`."
    return lambda ws, out, err: None if all(w in err for w in words) else f'stderr does not name {words}: {err!r}'


def unchanged(path: str, ws_files: dict):
    "A loss check: the file at `path` (relative to the workspace) is as it was before the case ran."
    same = lambda ws: (ws / path).is_file() and (ws / path).read_bytes() == ws_files[path]
    return lambda ws: None if same(ws) else f'{path} changed or gone'


def workspace(ws: Path) -> dict:
    "Data every case may use: a scene, a folder of scenes (COCO), a one-folder-per-class set, a prior run."
    (ws / 'tmp').mkdir(parents=True)
    shutil.copy(ROOT / 'nbs' / 'images' / 'shapemon_scene.png', ws / 'scene.png')
    for argv in (['synth', 'scenes', '--n', '4', '--out', 'scenes'], ['synth', 'classify', '--n', '4', '--out', 'cls']):
        r = slip(*argv, ws=ws, timeout=MODELS)
        assert r and r[0] == 0, (argv, r)
    (ws / 'photos').mkdir()
    shutil.copy(ws / 'scene.png', ws / 'photos' / 'a.png')
    (ws / 'photos' / 'notes.png').write_text('not an image')
    (ws / 'photos' / 'cut.png').write_bytes((ws / 'scene.png').read_bytes()[:300])
    (ws / 'photo.png').write_bytes(b'the user\'s own photo')
    (ws / 'not-calibration.json').write_text('{"hello": 1}')
    (ws / 'empty').mkdir()
    r = slip('segment', 'scene.png', '-p', 'Ploso', '--model', 'tiny', '--out', 'done', ws=ws, timeout=MODELS)
    assert r and r[0] == 0, r
    return {p: (ws / p).read_bytes() for p in ('done/results.json', 'done/coco.json', 'photo.png')}


def bad_annotations(ws: Path, name: str, change):
    "A copy of the scenes folder named `name` whose annotations.json `change` spoils."
    shutil.copytree(ws / 'scenes', ws / name)
    a = json.loads((ws / name / 'annotations.json').read_text())
    change(a)
    (ws / name / 'annotations.json').write_text(json.dumps(a))


def _busy_port(ws: Path):
    "Hold a free port (for the 'port in use' case); its number goes into the case's argv through ws/port."
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    s.listen()
    (ws / 'port').write_text(str(s.getsockname()[1]))
    return s


def cases(files: dict) -> list[Case]:
    seg = ['segment', 'scene.png', '-p', 'Ploso', '--out', 'o']
    tiny = ['--model', 'tiny']
    ft = ['finetune-clip', 'cls', '--out', 'r', '--clip', 'clip-micro']
    sam = ['finetune-sam', 'scenes/annotations.json', '--out', 'r', '--sam', 'sam-micro']
    out = []
    # numbers and options: refused at parse time, before any model loads, naming the option
    for opt, v in [('--threshold', 'nan'), ('--threshold', 'inf'), ('--threshold', '-0.1'), ('--points-per-side', '0'),
                   ('--crop-margin', '-1'), ('--pred-iou-thresh', '1.5'), ('--box-nms-thresh', 'nan'),
                   ('--working-size', '0'), ('--points-per-batch', '0'), ('--containment', '0'), ('--nms-iou', '2'),
                   ('--actors', '0'), ('--actors', '-1'), ('--mode', 'some')]:  # fmt: skip
        out.append(Case(f'segment {opt} {v}', 'numbers', [*seg, opt, v], 2, [says(opt)]))
    for opt, v in [('--lr', 'nan'), ('--lr', '0'), ('--lr-image', '-1'), ('--batch-size', '0'), ('--batch-size', '1'),
                   ('--lr', '1e38'), ('--val-fraction', '0'), ('--val-fraction', '1'), ('--epochs', '0'),
                   ('--wise-ft', '2')]:  # fmt: skip
        out.append(Case(f'finetune-clip {opt} {v}', 'numbers', [*ft, opt, v], 2, [says(opt)]))
    for opt, v in [('--batch-size', '0'), ('--lr', 'inf'), ('--val-fraction', '1.5')]:
        out.append(Case(f'finetune-sam {opt} {v}', 'numbers', [*sam, opt, v], 2, [says(opt)]))
    out += [
        Case('train-baseline --size 0', 'numbers', ['train-baseline', 'cls', '--out', 'r', '--size', '0'], 2,
             [says('--size')]),
        Case('train-baseline --batch-size 1', 'numbers', ['train-baseline', 'cls', '--out', 'r', '--batch-size', '1'],
             2, [says('--batch-size')]),
        Case('evaluate --absent -1', 'numbers', ['evaluate', 'scenes', '--out', 'r', '--absent', '-1'], 2,
             [says('--absent')]),
        Case('crops --margin -1', 'numbers', ['crops', 'scenes', '--out', 'c', '--margin', '-1'], 2,
             [says('--margin')]),
        Case('synth --n 0', 'numbers', ['synth', 'scenes', '--n', '0', '--out', 's'], 2, [says('--n')]),
        Case('app --port 70000', 'numbers', ['app', '--port', '70000'], 2, [says('--port')]),
        Case('serve --port 0', 'numbers', ['serve', '--port', '0'], 2, [says('--port')]),
        Case('SLIP_MAX_PIXELS=abc', 'numbers', seg, 2, [says('SLIP_MAX_PIXELS')], env={'SLIP_MAX_PIXELS': 'abc'}),
    ]  # fmt: skip
    # inputs: named in one line; a batch reports its bad items and goes on
    out += [
        Case('segment a missing file', 'inputs', ['segment', 'missing.png', '-p', 'a', '--out', 'o'], 2,
             [says('missing.png')]),
        Case('segment an empty folder', 'inputs', ['segment', 'empty', '-p', 'a', '--out', 'o'], 2, [says('empty')]),
        Case('segment without a prompt', 'inputs', ['segment', 'scene.png', '--out', 'o'], 2),
        Case('segment an empty prompt', 'inputs', ['segment', 'scene.png', '-p', ' ', '--out', 'o'], 2),
        Case('segment --templates missing.txt', 'inputs', [*seg, '--templates', 'missing.txt'], 2,
             [says('missing.txt')]),
        Case('segment --calibration that is not one', 'inputs', [*seg, *tiny, '--calibration', 'not-calibration.json'],
             2, [says('not-calibration.json')], timeout=MODELS),
        Case('segment --reader that is not one', 'inputs', [*seg, *tiny, '--reader', 'not-calibration.json'], 2,
             [says('not-calibration.json')], timeout=MODELS),
        Case('segment --agreement above 1', 'inputs', [*seg, *tiny, '--agreement', '1.5'], 2, [says('agreement')]),
        Case('segment --sam-checkpoint missing', 'inputs', [*seg, '--sam-checkpoint', 'missing.pth'], 2,
             [says('missing.pth')], timeout=MODELS),
        Case('segment --clip unknown', 'inputs', [*seg, *tiny, '--clip', 'no-such-clip'], 2, [says('no-such-clip')],
             timeout=MODELS),
        Case('segment a folder with a text file and a cut PNG', 'inputs',
             ['segment', 'photos', '-p', 'Ploso', *tiny, '--out', 'p'], 1,
             [says('notes.png', 'cut.png'), lambda ws, o, e: None if (ws / 'p' / 'results.json').is_file() else
              'the good image has no results.json']),
        Case('segment an image over SLIP_MAX_PIXELS', 'inputs', [*seg, *tiny], 1, [says('SLIP_MAX_PIXELS')],
             env={'SLIP_MAX_PIXELS': '1000'}, timeout=MODELS),
        Case('export a folder that is not a run', 'inputs', ['export', 'empty', '--coco', 'c'], 2, [says('empty')]),
        Case('evaluate a folder without annotations', 'inputs', ['evaluate', 'photos', '--out', 'r'], 2,
             [says('photos')]),
    ]  # fmt: skip
    # annotations: field by field, the file and the annotation named
    for name, change, word in [
        ('a missing category_id', lambda a: a['annotations'][0].pop('category_id'), 'category_id'),
        ('a null segmentation', lambda a: a['annotations'][1].__setitem__('segmentation', None), 'segmentation'),
        ('an annotation that is a number', lambda a: a['annotations'].__setitem__(2, 7), 'annotation'),
        ('an image of the wrong size', lambda a: a['images'][0].__setitem__('width', 999), 'size'),
    ]:
        folder = 'ann-' + name.replace(' ', '-')
        out.append(Case(f'evaluate {name}', 'annotations', ['evaluate', folder, *tiny, '--out', 'r'], 2,
                        [says('annotations.json', word)],
                        setup=lambda ws, f=folder, c=change: bad_annotations(ws, f, c),
                        timeout=MODELS))  # fmt: skip
    # run folders: nothing a user had is lost; one writer at a time
    keep = [unchanged('done/results.json', files), unchanged('done/coco.json', files)]
    out += [
        Case('re-run with a mistyped input', 'run folder', ['segment', 'scen.png', '-p', 'Ploso', '--out', 'done'], 2,
             lost=keep),
        Case('a re-run with --out inside the input folder', 'run folder',
             ['segment', 'clean', '-p', 'Ploso', *tiny, '--out', 'clean/run'], 0, [_one_image],
             setup=_run_inside, timeout=MODELS),
        Case('calibrate --out cal.png', 'run folder', ['calibrate', 'scenes', *tiny, '--out', 'cal.png'], 2,
             [says('cal.png')]),
        Case("calibrate --out photo.json beside the user's photo.png", 'run folder',
             ['calibrate', 'scenes', *tiny, '--out', 'photo.json'], 2, [says('photo.png')],
             lost=[unchanged('photo.png', files)]),
        Case('a second run into a folder being written', 'run folder', [*seg, *tiny, '--out', 'busy'], 2,
             [says('busy')], setup=lambda ws: _hold_lock(ws / 'busy'), timeout=MODELS),
        Case('a second run that waits (--wait)', 'run folder', [*seg, *tiny, '--out', 'busy2', '--wait'], 0,
             [lambda ws, o, e: None if (ws / 'busy2' / 'results.json').is_file() else 'no results.json'],
             setup=lambda ws: _hold_lock(ws / 'busy2', seconds=3), timeout=MODELS),
    ]  # fmt: skip
    # training: a run folder is continued only on purpose; a loss that becomes NaN stops the run in one line
    out.append(Case('finetune-clip whose loss becomes NaN', 'training', [*ft, '--epochs', '1', '--batch-size', '8',
                    '--lr', '1000'], 1, [says('loss became nan')], timeout=TRAIN))  # fmt: skip
    out.append(Case('finetune-clip into a folder holding a run, without --resume', 'training',
                    ['finetune-clip', 'cls', '--out', 'trained', '--clip', 'clip-micro', '--epochs', '1'], 2,
                    [says('--resume')], setup=_train_once, timeout=TRAIN))  # fmt: skip
    # Ray: an address that does not answer, and 'auto' with no cluster, end in one line
    out += [
        Case('--ray at an address nobody answers', 'ray', [*seg, *tiny, '--ray', '10.255.255.1:6379'], 2,
             [says('10.255.255.1')], timeout=RAY),
        Case('--ray auto without a cluster', 'ray', [*seg, *tiny, '--ray', 'auto'], 2, [says('auto')], timeout=RAY),
    ]
    # the app: a port in use, and a page opened to the network without a password
    out += [
        Case('app on a port in use', 'app', ['app', *tiny, '--port', 'PORT'], 2, [says('--port')], setup=_busy_port,
             timeout=MODELS),
        Case('app --host 0.0.0.0 without a token', 'app', ['app', *tiny, '--host', '0.0.0.0'], 2,
             [says('--token-file')], timeout=MODELS),
        Case('serve --host 0.0.0.0 without a token', 'app', ['serve', *tiny, '--host', '0.0.0.0'], 2,
             [says('--token-file')], timeout=MODELS),
    ]
    # the first run: a table with every prompt, no temp folders left behind, no library noise
    out.append(Case('a first run', 'first run', ['segment', 'scene.png', '-p', 'Ploso', '-p', 'Kezuk', *tiny,
                                                 '--out', 'first'], 0, [_first_run], timeout=MODELS))  # fmt: skip
    return out


def _hold_lock(out: Path, seconds: float = 60):
    "Another process holding run folder `out`'s lock (through slip's own RunLock) for `seconds`."
    code = (f'import time\nfrom slip.run import RunLock\nwith RunLock({str(out)!r}):\n'
            f'    print("held", flush=True)\n    time.sleep({seconds})')
    p = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == 'held'
    return p


def _run_inside(ws: Path):
    "A folder of one image, already segmented into a run folder inside it."
    (ws / 'clean').mkdir()
    shutil.copy(ws / 'scene.png', ws / 'clean' / 'a.png')
    r = slip('segment', 'clean', '-p', 'Ploso', '--model', 'tiny', '--out', 'clean/run', ws=ws, timeout=MODELS)
    assert r and r[0] == 0, r


def _one_image(ws: Path, out: str, err: str):
    images = json.loads((ws / 'clean' / 'run' / 'coco.json').read_text())['images']
    return None if len(images) == 1 else f'the run segmented its own files: {[i["file_name"] for i in images]}'


def _train_once(ws: Path):
    "A one-epoch fine-tuning run in ws/trained."
    argv = ['finetune-clip', 'cls', '--out', 'trained', '--clip', 'clip-micro', '--epochs', '1']
    r = slip(*argv, ws=ws, timeout=TRAIN)
    assert r and r[0] == 0, r


def _first_run(ws: Path, out: str, err: str):
    # torch keeps one compile cache, torchinductor_USER, in the temp folder, reused by every process
    left = [p.name for p in (ws / 'tmp').iterdir() if not p.name.startswith('torchinductor_')]
    if left:
        return f'left in the temp folder: {left}'
    if 'Kezuk' not in out or 'not found' not in out:
        return f'the table does not say which prompt was not found: {out!r}'
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--only', help='run the cases whose name or class contains this word')
    ap.add_argument('--keep', action='store_true', help='keep the temporary folder')
    a = ap.parse_args()
    ws = Path(tempfile.mkdtemp(prefix='slip-hostile-'))
    t0, counts = time.time(), {}
    try:
        files = workspace(ws)
        for case in cases(files):
            if a.only and a.only not in case.name and a.only not in case.kind:
                continue
            held = case.setup(ws) if case.setup else None
            port = str(held.getsockname()[1]) if isinstance(held, socket.socket) else None
            argv = [port if x == 'PORT' else x for x in case.argv]
            for p in (ws / 'tmp').iterdir():
                shutil.rmtree(p) if p.is_dir() else p.unlink()
            outcome, why = judge(case, slip(*argv, ws=ws, env=case.env, timeout=case.timeout), ws)
            if held is not None:
                held.close() if isinstance(held, socket.socket) else held.kill()
            counts[outcome] = counts.get(outcome, 0) + 1
            print(f'{outcome:9} {case.kind:12} {case.name:55} {why[:120]}', flush=True)
    finally:
        if not a.keep:
            shutil.rmtree(ws, ignore_errors=True)
    n = sum(counts.values())
    print(f"{n} cases in {time.time() - t0:.0f} s: " + ', '.join(f'{counts.get(k, 0)} {k}' for k in
          ('ok', 'traceback', 'hang', 'wrong', 'lost')))  # fmt: skip
    return 0 if counts.get('ok', 0) == n else 1


if __name__ == '__main__':
    sys.exit(main())
