"""The home-school agreement's pages, by what they are for: writing and
publishing it (editing), its translations, reading and signing it (signing), and who
has signed (coverage)."""
