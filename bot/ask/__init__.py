"""Answering questions: what kind of message it is (intent), hybrid retrieval (lexical,
retrieval), "is this covered?" (abstention), the quoted answer (answering), and its
evaluation on labelled questions (evaluate)."""
