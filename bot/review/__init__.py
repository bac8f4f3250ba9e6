"""Draft review: deterministic and semantic detectors, cited rules, optional LLM refinement."""
