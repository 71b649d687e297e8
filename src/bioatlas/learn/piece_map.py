"""Learn the map behind the static document encoder (`kb/vectors.py`): from the SIF-weighted mean of a text's
piece embeddings to what the full multilingual encoder says of the same text, plus the projection to 256 dims.

Trained on paragraphs of the project's own written pages (`data/training`, every language), never on the
shared corpus the search relevance is measured on. The targets are the encoder's own outputs, not judgements,
so the map learns nothing about which page answers which query. Run: `python -m bioatlas.learn.piece_map`.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

import numpy as np

from bioatlas.kb import vectors

ROOT = Path(__file__).resolve().parents[3]
TRAINING = ROOT / "data" / "training"
WINDOWS = 12000
RIDGE = 1.0


def paragraphs(folder: Path = TRAINING, windows: int = WINDOWS, seed: int = 0) -> list[str]:
    """Every paragraph of 40 to 1,500 characters of the written training pages, plus `windows` random stretches
    of 30 to 1,500 characters of their text (more examples of every length and language for the map)."""
    rng = random.Random(seed)
    found, pages = [], []
    for path in sorted(folder.glob("*/*.txt")):
        text = path.read_text(encoding="utf-8")
        pages.append(text)
        found += [p.strip() for p in re.split(r"\n", text) if 40 <= len(p.strip()) <= 1500]
    for _ in range(windows):
        page = rng.choice(pages)
        size = int(30 * 50 ** rng.random())  # 30 to 1,500 characters, short ones as often as long ones
        start = rng.randrange(max(1, len(page) - size))
        found.append(page[start : start + size])
    return found


def weighted_means(texts: list[str], pieces: np.ndarray, weights: np.ndarray) -> np.ndarray:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(vectors.sentencepiece_model()))
    out = np.zeros((len(texts), pieces.shape[1]), dtype=np.float32)
    for i, ids in enumerate(sp.encode(texts)):
        w = weights[ids]
        if ids and w.sum() > 0:
            out[i] = (w @ pieces[ids]) / w.sum()
    return out


def train(out: Path = vectors.PIECE_MAP, threads: int = 2) -> None:
    texts = paragraphs()
    encoder = vectors._encoder(threads)
    targets = encoder.encode(texts)
    pieces = vectors.piece_embeddings(threads)
    x = weighted_means(texts, pieces, vectors.piece_weights())
    x = np.hstack([x, np.ones((len(x), 1), dtype=np.float32)])
    weights = np.linalg.solve(x.T @ x + RIDGE * np.eye(x.shape[1]), x.T @ targets)
    mean = targets.mean(axis=0)
    centred = targets - mean
    _, eigenvectors = np.linalg.eigh(centred.T @ centred)
    basis = eigenvectors[:, ::-1][:, : vectors.DIM]
    np.savez_compressed(
        out, weights=weights.astype(np.float32), mean=mean.astype(np.float32), basis=basis.astype(np.float32)
    )
    fitted = (x @ weights - mean) @ basis
    wanted = centred @ basis
    cos = np.sum(fitted * wanted, axis=1) / (np.linalg.norm(fitted, axis=1) * np.linalg.norm(wanted, axis=1))
    print(f"{len(texts)} paragraphs; cosine of the static to the full encoder (training): median {np.median(cos):.3f}")
    print(vectors.derive_table(threads=threads, pieces=pieces))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=vectors.PIECE_MAP)
    args = parser.parse_args(argv)
    train(args.out)


if __name__ == "__main__":
    main()
