def count_of(n: int, noun: str) -> str:
    """'1 pupil', '3 pupils'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
