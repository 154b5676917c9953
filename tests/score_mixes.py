"""Score mixes for planted-change tests: per metric, a site's usual mix, a far worse one and
a far better one, and draws from them."""

import random

#: Score weights per metric: the usual mix, a far worse one and a far better one.
MIXES = {
    "csat": {
        "base": {1: 3, 2: 5, 3: 12, 4: 40, 5: 40},
        "bad": {1: 30, 2: 25, 3: 15, 4: 20, 5: 10},
        "good": {4: 30, 5: 70},
    },
    "thumbs": {"base": {0: 25, 1: 75}, "bad": {0: 70, 1: 30}, "good": {0: 3, 1: 97}},
    "nps": {
        "base": {0: 2, 3: 4, 5: 6, 6: 8, 7: 15, 8: 20, 9: 25, 10: 20},
        "bad": {0: 20, 2: 15, 4: 15, 6: 20, 7: 10, 8: 10, 9: 5, 10: 5},
        "good": {8: 10, 9: 40, 10: 50},
    },
    "ces": {
        "base": {2: 5, 3: 10, 4: 20, 5: 30, 6: 25, 7: 10},
        "bad": {1: 30, 2: 30, 3: 20, 4: 10, 5: 10},
        "good": {6: 40, 7: 60},
    },
}


def draw(rng: random.Random, metric: str, mix: str, count: int) -> list[int]:
    """Return `count` scores drawn from one of the metric's mixes."""
    weights = MIXES[metric][mix]
    return rng.choices(list(weights), weights=list(weights.values()), k=count)
