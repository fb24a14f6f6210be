"""Weighted draws from the demo's one random generator."""


def weighted_sample(rng, items, k, weight=None):
    """k items without replacement, each drawn with probability proportional to its weight
    (Efraimidis and Spirakis), in their original order."""
    return [items[p] for p in sorted(weighted_order(rng, items, weight)[:k])]


def weighted_order(rng, items, weight=None):
    """Positions of `items` in a random order that favours heavier items; items of weight
    zero come last."""
    keys = []
    for position, item in enumerate(items):
        w = weight(item) if weight else 1.0
        draw = rng.random()
        keys.append((draw ** (1.0 / w) if w > 0 else -1.0, position))
    return [position for _, position in sorted(keys, reverse=True)]
