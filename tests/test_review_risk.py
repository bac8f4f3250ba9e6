"""The learned risk model's nearest-neighbour vote (no embedding model needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.review.risk import RISKY, Neighbours, RiskModel, load_risk_model, save_model

DIM = 8


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / np.linalg.norm(vector)


def _memory(share: float = 0.5) -> Neighbours:
    """Risky drafts around one direction, harmless ones (ten times as many) around another."""
    rng = np.random.default_rng(7)
    risky_centre, harmless_centre = np.eye(DIM)[0], np.eye(DIM)[1]
    risky = [_unit(risky_centre + 0.1 * rng.standard_normal(DIM)) for _ in range(5)]
    harmless = [_unit(harmless_centre + 0.1 * rng.standard_normal(DIM)) for _ in range(50)]
    vectors = np.array(risky + harmless, dtype=np.float32)
    labels = np.array([True] * 5 + [False] * 50)
    return Neighbours(vectors, labels, np.ones(55, dtype=np.float32), 5, 10.0, share)


def test_a_draft_among_risky_drafts_gets_their_vote_though_they_are_few():
    memory = _memory()
    assert memory.vote(np.eye(DIM)[0] + 0.05) > 0.9
    assert memory.vote(np.eye(DIM)[1] + 0.05) < 0.1


def test_the_vote_is_blended_with_the_heads_probability():
    memory = _memory(share=0.5)
    heads = RiskModel((RISKY,), np.zeros((1, DIM + 3)), np.zeros(1), 0.4, memory)
    x = np.concatenate([np.eye(DIM)[0], np.zeros(3)])  # the draft's vector leads the features
    p = heads.probabilities(x)[RISKY]
    assert abs(p - (0.5 * 0.5 + 0.5 * memory.vote(np.eye(DIM)[0]))) < 1e-6 and p > 0.7
    without = RiskModel((RISKY,), np.zeros((1, DIM + 3)), np.zeros(1), 0.4)
    assert without.probabilities(x)[RISKY] == 0.5


def test_a_saved_model_keeps_its_neighbours(tmp_path: Path):
    memory = _memory()
    path = tmp_path / "risk_model.npz"
    save_model(path, [RISKY], np.zeros((1, DIM + 3)), np.zeros(1), 0.4, {}, memory)
    loaded = load_risk_model(path).neighbours
    assert loaded is not None and (loaded.k, loaded.share) == (5, 0.5)
    query = np.eye(DIM)[0] + 0.05
    assert abs(loaded.vote(query) - memory.vote(query)) < 0.02


def test_the_shipped_model_votes_with_its_training_drafts():
    model = load_risk_model()
    assert model.neighbours is not None
    assert len(model.neighbours.risky) > 1000 and model.neighbours.risky.any()
