"""Prompt templates; installed inside the package as bot.prompt_files (see pyproject.toml)."""
