"""Demo data that is not in the real files: synthetic, deterministic, calibrated, and labelled as such."""
