"""Economic complexity against the reference implementation, measured in the same run, interleaved (A B A
B ...), as medians and pairwise ratios, with the machine's load printed first.

1. The full world HS4 computation (RCA, M, diversity, ubiquity, ECI, PCI, proximity, density, COI, COG) on
   ../shared/data/world/world_exports_country_hs4_2017.csv (224 countries x 1,222 products), from the same
   long table, with ``saderat.analytics.complexity.complexity`` and with the Harvard Growth Lab's
   ``ecomplexity`` 0.5.3 (``check_logsupermodularity=False``). Targets: at least 10x faster, and identical
   results within 1e-6 (asserted).
2. An HS6-sized synthetic world, 250 locations x 5,000 products (a seeded capability model, about half the
   cells non-zero): our time alone.

    .venv/bin/python benchmarks/complexity.py [--repeat 5] [--world ../shared/data/world/...csv]
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from timing import interleaved, machine, report, timed

from saderat.analytics.complexity import complexity

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ("reporter_iso", "product_code", "export_value_usd")
QUANTITIES = ("rca", "mcp", "diversity", "ubiquity", "eci", "pci", "density", "coi", "cog")
TOLERANCE = 1e-6


def ecomplexity_output(table: pd.DataFrame) -> pd.DataFrame:
    from ecomplexity import ecomplexity

    loc, prod, val = COLUMNS
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ecomplexity(
            table.assign(year=2017),
            {"time": "year", "loc": loc, "prod": prod, "val": val},
            check_logsupermodularity=False,
            verbose=False,
        )


def max_differences(ours, theirs: pd.DataFrame) -> dict[str, float]:
    c, p = len(ours.locations), len(ours.products)
    theirs = theirs.set_index(list(COLUMNS[:2])).reindex(
        pd.MultiIndex.from_product([ours.locations, ours.products])
    )
    return {
        name: float(np.abs(ours.as_matrix(name) - theirs[name].to_numpy().reshape(c, p)).max())
        for name in QUANTITIES
    }


def bench_world(path: Path, repeat: int) -> None:
    table = pd.read_csv(path, dtype={"product_code": str})
    print(f"== world HS4 2017: {path.name} ({len(table):,} rows)")
    try:
        import ecomplexity  # noqa: F401
    except ImportError:
        t_ours, ours = timed(lambda: complexity(table, columns=COLUMNS), repeat)
        print(f"   saderat complexity(): {t_ours:8.3f} s median of {repeat}")
        print("   ecomplexity is not installed (test-only dependency): comparison skipped")
        return
    times, results = interleaved(
        {
            "saderat complexity()": lambda: complexity(table, columns=COLUMNS),
            "ecomplexity 0.5.3": lambda: ecomplexity_output(table),
        },
        repeat,
    )
    ours, theirs = results["saderat complexity()"], results["ecomplexity 0.5.3"]
    print(f"   {len(ours.locations)} locations x {len(ours.products)} products")
    ratio = report(times, ours="saderat complexity()")["ecomplexity 0.5.3"]
    print(f"   target: at least 10x faster than ecomplexity: {'met' if ratio >= 10 else 'NOT met'}")
    differences = max_differences(ours, theirs)
    print("   max abs difference          : " + ", ".join(f"{k} {v:.1e}" for k, v in differences.items()))
    worst = max(differences, key=differences.get)
    assert differences[worst] <= TOLERANCE, (worst, differences[worst])
    print(f"   results identical within {TOLERANCE:g} : " + ", ".join(QUANTITIES))


def synthetic_world(locations: int, products: int, seed: int = 2017) -> np.ndarray:
    """Locations with a capability level, products with a difficulty: a location exports a product with a
    probability falling with the gap, lognormal values, lognormal country sizes."""
    rng = np.random.default_rng(seed)
    capability = rng.uniform(0, 1, locations)
    difficulty = rng.uniform(0, 1, products)
    probability = 1 / (1 + np.exp(-8 * (capability[:, None] - difficulty[None, :])))
    exported = rng.uniform(size=(locations, products)) < probability
    size = rng.lognormal(0, 1.5, locations)[:, None]
    return exported * rng.lognormal(12, 2.5, (locations, products)) * size


def bench_synthetic(locations: int, products: int, repeat: int) -> None:
    x = synthetic_world(locations, products)
    print(
        f"== HS6-sized synthetic world: {locations} x {products:,} ({(x > 0).mean():.0%} of cells non-zero)"
    )
    complexity(x)  # the first call pays for page faults on the large arrays
    t_ours, result = timed(lambda: complexity(x), repeat)
    print(f"   saderat complexity()        : {t_ours:8.3f} s median of {repeat}")
    print(
        f"   kept {len(result.locations)} x {len(result.products):,}; second eigenvalue {result.eigenvalue:.4f}; "
        f"ECI mean {result.eci.mean():.1e}, sd {result.eci.std():.6f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--world",
        type=Path,
        default=ROOT.parent / "shared" / "data" / "world" / "world_exports_country_hs4_2017.csv",
    )
    parser.add_argument("--locations", type=int, default=250)
    parser.add_argument("--products", type=int, default=5000)
    args = parser.parse_args()
    print(machine())
    if args.world.exists():
        bench_world(args.world, args.repeat)
    else:
        print(f"== world HS4 benchmark skipped: {args.world} is absent")
    bench_synthetic(args.locations, args.products, max(1, args.repeat // 2 + 1))


if __name__ == "__main__":
    main()
