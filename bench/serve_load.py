"""Load, overload and faults against `slip serve` on loopback; writes bench/SERVE.md.

    python bench/serve_load.py                    # tiny preset, CPU: 16 clients x 25 requests, then the rest
    python bench/serve_load.py --device cuda      # the same on a GPU

1. Load: `clients` threads, each sending `requests` images one after another (each image its own shapemon scene,
   prompted with two species in it and one not). Every answer is compared with the answer the same SLIP gives in
   this process (masks, boxes exactly; scores to 1e-4). Throughput against `SLIP.segment` on the same images, one
   after another in one process, measured in the same run: the ratio is the figure.
   The server runs with `--max-queue CLIENTS`: room for each client's one request at a time.
2. Overload: 64 clients against `--max-queue 8`: every answer must be 200 or 429; the server's peak memory.
3. Faults: a client that disconnects mid-upload, one that sends a byte a second, SIGTERM during load.
"""
import argparse, concurrent.futures as cf, datetime, json, os, platform, signal, socket, subprocess, sys, threading, time
from pathlib import Path
import httpx, numpy as np, psutil
from PIL import Image

from slip.pipeline import SLIP
from slip.serve import answer_json
from slip.data.synth import make_scene, image_rng, ROSTER

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start(device: str, *options) -> tuple[subprocess.Popen, str]:
    "`slip serve --model tiny` on a free loopback port; returns once /health answers 200."
    port = free_port()
    cmd = [sys.executable, '-c', 'import sys; from slip.cli import main; sys.exit(main())', 'serve', '--model', 'tiny',
           '--device', device, '--port', str(port), *options]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f'http://127.0.0.1:{port}'
    for _ in range(1200):
        try:
            if httpx.get(f'{url}/health', timeout=5).status_code == 200:
                return p, url
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit('the server did not come up')


def workload(n: int, size: int) -> list[tuple[bytes, str, np.ndarray]]:
    "n scenes as PNG bytes, each with its prompts (two species in it, one not) and its pixels."
    import io
    out = []
    for k in range(n):
        sc = make_scene(image_rng(11, 'serve-load', k), size)
        present = list(dict.fromkeys(sc.labels))[:2]
        absent = next(s.name for s in ROSTER if s.name not in sc.labels)
        buf = io.BytesIO()
        Image.fromarray(sc.image).save(buf, format='PNG')
        out.append((buf.getvalue(), '. '.join(present + [absent]), sc.image))
    return out


def post(url: str, png: bytes, prompts: str) -> tuple[int, dict | None, float]:
    t = time.perf_counter()
    try:
        r = httpx.post(f'{url}/segment', data={'prompts': prompts}, files={'image': ('x.png', png)}, timeout=600)
        return r.status_code, r.json(), time.perf_counter() - t
    except httpx.TransportError as e:
        return -1, {'error': type(e).__name__}, time.perf_counter() - t


def same(a: dict, b: dict) -> bool:
    "Two answers agree: prompts, found, boxes, areas and masks exactly; scores to 1e-4."
    key = lambda x: [(p['prompt'], p['found'], [(i['bbox'], i['area'], i['segmentation']) for i in p['instances']])
                     for p in x['prompts']]
    scores = lambda x: [i['score'] for p in x['prompts'] for i in p['instances']]
    return key(a) == key(b) and np.allclose(scores(a), scores(b), atol=1e-4)


def load(url, jobs, expected, clients, requests) -> dict:
    "`clients` threads, `requests` each; errors, mismatches, latencies, seconds."
    def client(c):
        return [(c * requests + k, *post(url, *jobs[c * requests + k][:2])) for k in range(requests)]
    t = time.perf_counter()
    with cf.ThreadPoolExecutor(clients) as pool:
        rows = [r for rs in pool.map(client, range(clients)) for r in rs]
    seconds = time.perf_counter() - t
    errors = {s: sum(status == s for _, status, _, _ in rows) for s in sorted({r[1] for r in rows}) if s != 200}
    wrong = sum(status == 200 and not same(body, expected[i]) for i, status, body, _ in rows)
    lat = np.array([s for _, status, _, s in rows if status == 200])
    return {'requests': len(rows), 'errors': errors, 'mismatched': wrong, 'seconds': seconds,
            'p50': np.percentile(lat, 50), 'p95': np.percentile(lat, 95), 'p99': np.percentile(lat, 99)}


def peak_rss(pid: int, stop: threading.Event, out: list):
    proc, peak = psutil.Process(pid), 0
    while not stop.is_set():
        try:
            peak = max(peak, proc.memory_info().rss)
        except psutil.Error:
            break
        time.sleep(0.05)
    out.append(peak)


def overload(device, jobs) -> dict:
    "64 clients, 2 requests each, against --max-queue 8: the statuses seen and the server's peak memory."
    server, url = start(device, '--max-queue', '8')
    stop, peak = threading.Event(), []
    watcher = threading.Thread(target=peak_rss, args=(server.pid, stop, peak))
    watcher.start()
    with cf.ThreadPoolExecutor(64) as pool:
        statuses = list(pool.map(lambda k: post(url, *jobs[k % len(jobs)][:2])[0], range(128)))
    stop.set()
    watcher.join()
    server.terminate()
    server.wait(60)
    return {'statuses': {s: statuses.count(s) for s in sorted(set(statuses))}, 'peak MB': peak[0] / 2**20}


def faults(device, jobs) -> dict:
    "A disconnect mid-upload, a byte-a-second client, SIGTERM during load: what the server did."
    server, url = start(device, '--timeout', '5')
    host, port = '127.0.0.1', int(url.rsplit(':', 1)[1])
    head = lambda n: (f'POST /segment HTTP/1.1\r\nHost: x\r\nContent-Length: {n}\r\n'
                      'Content-Type: multipart/form-data; boundary=b\r\n\r\n').encode()
    with socket.create_connection((host, port)) as s:  # gone after 1 kB of a 100 kB body
        s.sendall(head(100_000) + b'x' * 1000)
    alive_after_disconnect = httpx.get(f'{url}/health').status_code == 200
    t = time.perf_counter()
    with socket.create_connection((host, port), timeout=30) as s:  # a byte a second, for at most 15 s
        s.sendall(head(1000) + b'--b\r\nContent-Disposition: form-data; name="prompts"\r\n\r\n')
        answer = b''
        for _ in range(15):
            try:
                s.sendall(b'x')
                s.settimeout(1)
                answer = s.recv(200)
                if answer:
                    break
            except (socket.timeout, OSError):
                continue
    slow = {'answer': answer.split(b'\r\n', 1)[0].decode(errors='replace'), 'after s': round(time.perf_counter() - t, 1)}
    with cf.ThreadPoolExecutor(8) as pool:  # SIGTERM while 8 requests are in flight
        pending = [pool.submit(post, url, *jobs[k][:2]) for k in range(8)]
        time.sleep(1.0)
        server.send_signal(signal.SIGTERM)
        drained = sorted(f.result()[0] for f in pending)
    return {'alive after a disconnect mid-upload': alive_after_disconnect, 'byte-a-second client': slow,
            'in flight at SIGTERM (statuses)': drained, 'server exit': server.wait(120)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--clients', type=int, default=16)
    ap.add_argument('--requests', type=int, default=25)
    ap.add_argument('--size', type=int, default=256)
    ap.add_argument('--out', type=Path, default=ROOT / 'bench' / 'SERVE.md')
    a = ap.parse_args()
    n = a.clients * a.requests
    jobs = workload(n, a.size)
    print(f'{n} scenes; answering them in this process ...', file=sys.stderr)
    slip_ = SLIP.from_preset('tiny', device=a.device, cache_size=1)
    t = time.perf_counter()
    expected = [answer_json(slip_.segment(img, prompts)) for _, prompts, img in jobs]
    inproc = time.perf_counter() - t
    print(f'in process: {inproc:.1f} s; now through the server ...', file=sys.stderr)
    server, url = start(a.device, '--max-queue', str(a.clients))  # room for every client's one request at a time
    res = load(url, jobs, expected, a.clients, a.requests)
    server.terminate()
    server.wait(60)
    print('overload ...', file=sys.stderr)
    over = overload(a.device, jobs)
    print('faults ...', file=sys.stderr)
    fault = faults(a.device, jobs)
    ratio = inproc / res['seconds']
    cpu = next((l.split(':', 1)[1].strip() for l in Path('/proc/cpuinfo').read_text().splitlines()
                if l.startswith('model name')), platform.machine()) if Path('/proc/cpuinfo').exists() else platform.machine()
    lines = [
        '# slip serve under load', '',
        '| date | machine | device |', '|---|---|---|',
        f"| {datetime.date.today()} | {cpu}, {os.cpu_count()} cores | {a.device} |", '',
        f'`python bench/serve_load.py --device {a.device}`: the tiny preset, {a.size}-px shapemon scenes, each its own, '
        'prompted with two species in it and one not.', '',
        '## Load', '',
        '| clients × requests | errors | answers unlike the in-process ones | p50 s | p95 s | p99 s | '
        'throughput / in-process segment |', '|---|---|---|---|---|---|---|',
        f"| {a.clients} × {a.requests} | {res['errors'] or 0} | {res['mismatched']} | {res['p50']:.2f} | {res['p95']:.2f} | "
        f"{res['p99']:.2f} | {ratio:.2f} |", '',
        f"In-process: {n} images in {inproc:.1f} s; through the server: {res['seconds']:.1f} s.", '',
        '## Overload: 64 clients, 128 requests, --max-queue 8', '',
        f"Statuses: {over['statuses']}; the server's peak memory {over['peak MB']:.0f} MB.", '',
        '## Faults', '',
        *[f'- {k}: {v}' for k, v in fault.items()], '',
    ]
    a.out.write_text('\n'.join(lines))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
