"""One module per area of the MIS's files; each lists its FileKind instances in `KINDS`
(mis/kinds.py explains what a kind provides)."""
