"""The engine under every method: scaling and pairs of samples (numpy only, no torch)."""
