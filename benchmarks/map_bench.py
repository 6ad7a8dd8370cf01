"""Figures of the place pages and maps (issue 10); prints them, asserts nothing.

    .venv/bin/python benchmarks/map_bench.py --data-dir DIR

DIR is a build of the shipped corpus with its data (read only). In process, without a server:
the national map of every county variable, with its city points, rendered once (p50, and the
HTML size of the SVG), the same without the cities,
the same maps from the per-process cache, a state map, and place pages' context (profile,
every year's values and subgroup tables) over 100 counties and cities.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from mobility_kg.api.routes.maps import MapCache, _render
from mobility_kg.api.web.place_page import place_context
from mobility_kg.config import shipped_corpus_dir
from mobility_kg.data.city_points import CITY_POINTS_FILE, read_city_points
from mobility_kg.data.geometry import GEOMETRY_FILE, read_geometry
from mobility_kg.data.sources import Level
from mobility_kg.data.stage import open_metric_data


def _ms(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    corpus = shipped_corpus_dir()
    assert corpus is not None
    data, entities = open_metric_data(args.data_dir)
    points = read_city_points(corpus / "data" / CITY_POINTS_FILE)
    cache = MapCache(read_geometry(corpus / "data" / GEOMETRY_FILE), points)
    names = sorted({v for v, level in data.years if level == str(Level.COUNTY)})
    sizes, first, cached = [], [], []
    for name in names:
        first.append(_ms(lambda: cache.put((name,), _render(data, cache, name, None, None))))
        cached.append(_ms(lambda: cache.get((name,))))
        rendered = cache.get((name,)) or {}
        sizes.append(len(str(rendered.get("svg", "")).encode()))
    bare = [_ms(lambda: _render(data, cache, name, None, None, False)) for name in names]
    state = [_ms(lambda: _render(data, cache, name, None, "OH")) for name in names]
    places = random.Random(10).sample(sorted(data.places), 100)
    pages = [_ms(lambda: place_context(data, entities, fips)) for fips in places]
    print(f"county variables: {len(names)}; city points: {len(points)}")
    print(f"national map, first render p50: {statistics.median(first):.1f} ms")
    print(f"national map, from the cache p50: {statistics.median(cached):.3f} ms")
    print(f"national map SVG p50: {statistics.median(sizes) / 1000:.0f} KB")
    print(f"national map without cities (cities=hide) p50: {statistics.median(bare):.1f} ms")
    print(f"state map (OH) p50: {statistics.median(state):.1f} ms")
    print(f"place page context p50 over 100 places: {statistics.median(pages):.1f} ms")


if __name__ == "__main__":
    main()
