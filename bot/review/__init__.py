"""Draft review: precise detectors, the learned risk model (risk), the company's own rule
sentences (rulebook) and passage citing (cite), advice, and optional LLM refinement."""
