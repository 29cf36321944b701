#!/usr/bin/env python3
# Copyright (c) 2026 ai-fabric authors
# SPDX-License-Identifier: GPL-2.0-only
"""Writes the layer graphs of the PaSE study that are too long to write by hand:
examples/studies/transformer.yaml and examples/studies/inceptionv3.yaml.
Run from the repository root: python3 tools/gen-study-graphs.py"""


def conv(name, b, k, c, h, r, s, inputs, w=None):
    w = w or h
    return (f"  - {{name: {name}, op: conv, dims: {{b: {b}, k: {k}, c: {c}, h: {h}, w: {w}, "
            f"r: {r}, s: {s}}},\n     split: [b, k], output: [b, k, h, w], input: [b, c, h, w], "
            f"weight: [k, c, r, s], inputs: [{', '.join(inputs)}]}}")


def pool(name, b, c, h, inputs, r=3):
    return (f"  - {{name: {name}, op: pool, flops-per-point: 1, dims: {{b: {b}, c: {c}, h: {h}, "
            f"w: {h}, r: {r}, s: {r}}},\n     split: [b, c], output: [b, c, h, w], "
            f"input: [b, c, h, w], inputs: [{', '.join(inputs)}]}}")


def concat(name, b, c, h, inputs):
    return (f"  - {{name: {name}, op: concat, flops-per-point: 0, dims: {{b: {b}, c: {c}, h: {h}, "
            f"w: {h}}},\n     split: [b, c], output: [b, c, h, w], input: [b, c, h, w], "
            f"inputs: [{', '.join(inputs)}]}}")


def inception(b):
    # Szegedy et al., "Rethinking the Inception Architecture", CVPR 2016, Table 1 and
    # Figures 5-7, with the channel counts of the reference implementation (torchvision's
    # inception_v3, which follows the authors' TensorFlow release).
    L = []
    L.append(conv("stem1", b, 32, 3, 149, 3, 3, []))
    L.append(conv("stem2", b, 32, 32, 147, 3, 3, ["stem1"]))
    L.append(conv("stem3", b, 64, 32, 147, 3, 3, ["stem2"]))
    L.append(pool("stempool1", b, 64, 73, ["stem3"]))
    L.append(conv("stem4", b, 80, 64, 73, 1, 1, ["stempool1"]))
    L.append(conv("stem5", b, 192, 80, 71, 3, 3, ["stem4"]))
    L.append(pool("stempool2", b, 192, 35, ["stem5"]))
    prev, cin = "stempool2", 192
    for i, pf in enumerate([32, 64, 64]):  # InceptionA (Figure 5) at 35 x 35
        n = f"a{i}"
        L.append(conv(f"{n}_1x1", b, 64, cin, 35, 1, 1, [prev]))
        L.append(conv(f"{n}_5x5r", b, 48, cin, 35, 1, 1, [prev]))
        L.append(conv(f"{n}_5x5", b, 64, 48, 35, 5, 5, [f"{n}_5x5r"]))
        L.append(conv(f"{n}_3x3r", b, 64, cin, 35, 1, 1, [prev]))
        L.append(conv(f"{n}_3x3a", b, 96, 64, 35, 3, 3, [f"{n}_3x3r"]))
        L.append(conv(f"{n}_3x3b", b, 96, 96, 35, 3, 3, [f"{n}_3x3a"]))
        L.append(pool(f"{n}_pool", b, cin, 35, [prev]))
        L.append(conv(f"{n}_poolp", b, pf, cin, 35, 1, 1, [f"{n}_pool"]))
        cin = 64 + 64 + 96 + pf
        L.append(concat(f"{n}_cat", b, cin, 35, [f"{n}_1x1", f"{n}_5x5", f"{n}_3x3b", f"{n}_poolp"]))
        prev = f"{n}_cat"
    # InceptionB: grid reduction to 17 x 17
    L.append(conv("b_3x3", b, 384, cin, 17, 3, 3, [prev]))
    L.append(conv("b_dbl1", b, 64, cin, 35, 1, 1, [prev]))
    L.append(conv("b_dbl2", b, 96, 64, 35, 3, 3, ["b_dbl1"]))
    L.append(conv("b_dbl3", b, 96, 96, 17, 3, 3, ["b_dbl2"]))
    L.append(pool("b_pool", b, cin, 17, [prev]))
    cin = 384 + 96 + cin
    L.append(concat("b_cat", b, cin, 17, ["b_3x3", "b_dbl3", "b_pool"]))
    prev = "b_cat"
    for i, c7 in enumerate([128, 160, 160, 192]):  # InceptionC (Figure 6) at 17 x 17
        n = f"c{i}"
        L.append(conv(f"{n}_1x1", b, 192, cin, 17, 1, 1, [prev]))
        L.append(conv(f"{n}_7r", b, c7, cin, 17, 1, 1, [prev]))
        L.append(conv(f"{n}_7a", b, c7, c7, 17, 1, 7, [f"{n}_7r"]))
        L.append(conv(f"{n}_7b", b, 192, c7, 17, 7, 1, [f"{n}_7a"]))
        L.append(conv(f"{n}_d7r", b, c7, cin, 17, 1, 1, [prev]))
        L.append(conv(f"{n}_d7a", b, c7, c7, 17, 7, 1, [f"{n}_d7r"]))
        L.append(conv(f"{n}_d7b", b, c7, c7, 17, 1, 7, [f"{n}_d7a"]))
        L.append(conv(f"{n}_d7c", b, c7, c7, 17, 7, 1, [f"{n}_d7b"]))
        L.append(conv(f"{n}_d7d", b, 192, c7, 17, 1, 7, [f"{n}_d7c"]))
        L.append(pool(f"{n}_pool", b, cin, 17, [prev]))
        L.append(conv(f"{n}_poolp", b, 192, cin, 17, 1, 1, [f"{n}_pool"]))
        cin = 768
        L.append(concat(f"{n}_cat", b, cin, 17, [f"{n}_1x1", f"{n}_7b", f"{n}_d7d", f"{n}_poolp"]))
        prev = f"{n}_cat"
    # InceptionD: grid reduction to 8 x 8
    L.append(conv("d_3r", b, 192, cin, 17, 1, 1, [prev]))
    L.append(conv("d_3", b, 320, 192, 8, 3, 3, ["d_3r"]))
    L.append(conv("d_7r", b, 192, cin, 17, 1, 1, [prev]))
    L.append(conv("d_7a", b, 192, 192, 17, 1, 7, ["d_7r"]))
    L.append(conv("d_7b", b, 192, 192, 17, 7, 1, ["d_7a"]))
    L.append(conv("d_7c", b, 192, 192, 8, 3, 3, ["d_7b"]))
    L.append(pool("d_pool", b, cin, 8, [prev]))
    cin = 320 + 192 + cin
    L.append(concat("d_cat", b, cin, 8, ["d_3", "d_7c", "d_pool"]))
    prev = "d_cat"
    for i in range(2):  # InceptionE (Figure 7) at 8 x 8, the split branches folded in
        n = f"e{i}"
        L.append(conv(f"{n}_1x1", b, 320, cin, 8, 1, 1, [prev]))
        L.append(conv(f"{n}_3r", b, 384, cin, 8, 1, 1, [prev]))
        L.append(conv(f"{n}_3ab", b, 768, 384, 8, 1, 3, [f"{n}_3r"]))
        L.append(conv(f"{n}_d3r", b, 448, cin, 8, 1, 1, [prev]))
        L.append(conv(f"{n}_d3", b, 384, 448, 8, 3, 3, [f"{n}_d3r"]))
        L.append(conv(f"{n}_d3ab", b, 768, 384, 8, 1, 3, [f"{n}_d3"]))
        L.append(pool(f"{n}_pool", b, cin, 8, [prev]))
        L.append(conv(f"{n}_poolp", b, 192, cin, 8, 1, 1, [f"{n}_pool"]))
        cin = 320 + 768 + 768 + 192
        L.append(concat(f"{n}_cat", b, cin, 8, [f"{n}_1x1", f"{n}_3ab", f"{n}_d3ab", f"{n}_poolp"]))
        prev = f"{n}_cat"
    L.append(pool("avgpool", b, cin, 1, [prev], r=8))
    L.append(f"  - {{name: fc, op: fc, dims: {{b: {b}, n: 1000, m: {cin}}}, output: [b, n], "
             f"input: [b, m], weight: [n, m], inputs: [avgpool]}}")
    return L


def transformer(b, s, d, heads, ffn, layers, vocab):
    # Vaswani et al., NIPS 2017: the encoder block (attention, add, feed-forward, add). Sizes of
    # the "big" model (Table 3): d_model 1024, 16 heads, d_ff 4096, 6 layers.
    dh = d // heads
    L = []
    L.append(f"  - {{name: embed, op: embedding, flops-per-point: 0, dims: {{b: {b}, s: {s}, "
             f"n: {d}, v: {vocab}}},\n     split: [b, n, v], output: [b, s, n], weight: [v, n]}}")
    prev = "embed"
    for i in range(layers):
        n = f"l{i}"
        L.append(f"  - {{name: {n}_qkv, op: fc, dims: {{b: {b}, s: {s}, n: {3 * d}, m: {d}}},\n"
                 f"     split: [b, n, m], output: [b, s, n], input: [b, s, m], weight: [n, m], "
                 f"inputs: [{prev}]}}")
        L.append(f"  - {{name: {n}_attn, op: attention, flops-per-point: 4, dims: {{b: {b}, "
                 f"s: {s}, heads: {heads}, t: {s}, dh: {dh}}},\n     split: [b, heads], "
                 f"output: [b, s, heads, dh], input: [b, s, heads, dh], inputs: [{n}_qkv]}}")
        L.append(f"  - {{name: {n}_proj, op: fc, dims: {{b: {b}, s: {s}, n: {d}, m: {d}}},\n"
                 f"     split: [b, n, m], output: [b, s, n], input: [b, s, m], weight: [n, m], "
                 f"inputs: [{n}_attn]}}")
        L.append(f"  - {{name: {n}_add1, op: add, flops-per-point: 1, dims: {{b: {b}, s: {s}, "
                 f"n: {d}}},\n     split: [b, n], output: [b, s, n], input: [b, s, n], "
                 f"inputs: [{n}_proj, {prev}]}}")
        L.append(f"  - {{name: {n}_ffn1, op: fc, dims: {{b: {b}, s: {s}, n: {ffn}, m: {d}}},\n"
                 f"     split: [b, n, m], output: [b, s, n], input: [b, s, m], weight: [n, m], "
                 f"inputs: [{n}_add1]}}")
        L.append(f"  - {{name: {n}_ffn2, op: fc, dims: {{b: {b}, s: {s}, n: {d}, m: {ffn}}},\n"
                 f"     split: [b, n, m], output: [b, s, n], input: [b, s, m], weight: [n, m], "
                 f"inputs: [{n}_ffn1]}}")
        L.append(f"  - {{name: {n}_add2, op: add, flops-per-point: 1, dims: {{b: {b}, s: {s}, "
                 f"n: {d}}},\n     split: [b, n], output: [b, s, n], input: [b, s, n], "
                 f"inputs: [{n}_ffn2, {n}_add1]}}")
        prev = f"{n}_add2"
    L.append(f"  - {{name: logits, op: fc, dims: {{b: {b}, s: {s}, v: {vocab}, m: {d}}},\n"
             f"     split: [b, v, m], output: [b, s, v], input: [b, s, m], weight: [v, m], "
             f"inputs: [{prev}]}}")
    return L


HEADER = "# Written by tools/gen-study-graphs.py; the format is in doc/study-pase.md.\n"

with open("examples/studies/inceptionv3.yaml", "w") as f:
    f.write(HEADER)
    f.write("# Inception-v3 (Szegedy et al., CVPR 2016, Table 1), 299 x 299 input, batch 128,\n"
            "# channel counts of the reference implementation. Convolutions may be split by\n"
            "# batch b and output channels k (PaSE's search over more dims is exponential in\n"
            "# the branches' dependent sets). Elements are BF16.\n")
    f.write("name: Inception-v3, batch 128\nelement-bytes: 2\nlayers:\n")
    f.write("\n".join(inception(128)) + "\n")

with open("examples/studies/transformer.yaml", "w") as f:
    f.write(HEADER)
    f.write("# A Transformer encoder (Vaswani et al., NIPS 2017, Table 3 \"big\": d_model 1024,\n"
            "# 16 heads, d_ff 4096, 6 layers), sequence 256, batch 64, 32k vocabulary, BF16.\n"
            "# Fully connected layers may split batch b, outputs n and inputs m; attention\n"
            "# batch and heads; the residual adds make the dependent set two layers wide.\n")
    f.write("name: Transformer big (6 layers), batch 64\nelement-bytes: 2\nlayers:\n")
    f.write("\n".join(transformer(64, 256, 1024, 16, 4096, 6, 32000)) + "\n")
