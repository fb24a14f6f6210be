"""The home-school agreement: writing and publishing it, signing it, coverage."""
