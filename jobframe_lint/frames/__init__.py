"""Frames: the goal templates rendered from the canon, produced or omitted line by line."""
