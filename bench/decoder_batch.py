"""Milliseconds per point of SAM's mask decoder on this machine: segment_anything's `MaskDecoder` against slip's
`decode` (`slip.models.amg`), by batch size, for SAM ViT-B's decoder (random weights) and the bundled sam-tiny's,
in fp32 and under bf16 autocast. The measurements behind `SlipProposer`'s batch-size rule and its precision option.

    python bench/decoder_batch.py            # about 3 minutes on a 2-core CPU
"""
import time
import torch
from slip.models.amg import DecoderContext, decode
from slip.models.sam import build_sam, load_sam

def per_point(fn, n:int, batch:int) -> float:
    fn(batch)                                                   # warm-up
    t = time.perf_counter()
    for _ in range(0, n, batch): fn(batch)
    return (time.perf_counter() - t) / n * 1000

def main():
    torch.manual_seed(0)
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads')
    print('| decoder | batch | segment_anything ms/point | slip ms/point | slip bf16 ms/point | speed-up |')
    print('|---|---|---|---|---|---|')
    for name, sam, batches, n in [('ViT-B', build_sam('vit_b'), (4, 8, 16, 64), 32), ('sam-tiny', load_sam('sam-tiny', device='cpu'), (16, 64, 256), 512)]:
        e = sam.image_encoder.img_size // 16
        emb = torch.randn(1, sam.prompt_encoder.embed_dim, e, e)
        pts = torch.rand(256, 1, 2) * sam.image_encoder.img_size
        with torch.inference_mode():
            sparse, dense = sam.prompt_encoder(points=(pts, torch.ones(256, 1, dtype=torch.int)), boxes=None, masks=None)
            ctx, pe = DecoderContext(sam, emb), sam.prompt_encoder.get_dense_pe()
            for b in batches:
                stock = per_point(lambda k: sam.mask_decoder(emb, pe, sparse[:k], dense[:k], multimask_output=True), n, b)
                fast = per_point(lambda k: decode(sam, ctx, sparse[:k]), n, b)
                with torch.autocast('cpu', dtype=torch.bfloat16): half = per_point(lambda k: decode(sam, ctx, sparse[:k]), n, b)
                print(f'| {name} | {b} | {stock:.2f} | {fast:.2f} | {half:.2f} | {stock / fast:.2f} |', flush=True)

if __name__ == '__main__': main()
